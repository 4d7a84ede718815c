"""Placeholder: the terms stage is built in its own issue. Produces the contract's empty tables."""

from __future__ import annotations

from .schema import empty


def run(ctx) -> None:
    for name in {"entities": ("mentions", "entities"), "events": ("events",), "terms": ("terms",)}[
        "terms"
    ]:
        ctx.tables[name] = empty(name)
