"""One view drawn twice, for a laptop and for a phone, each shown only at its width.

A chart's text (node names, term labels) is placed on the server, which does not know the
screen: a page that must not print names over each other draws a wide version and a narrow
one (fewer names) and lets CSS show the one that fits.
"""

from __future__ import annotations

import streamlit as st

NARROW_MAX_PX = 640  # viewport widths up to this are phones


def wide_and_narrow(key: str):
    """Two containers: the first shown on screens wider than NARROW_MAX_PX, the second on
    narrower ones (Streamlit gives a keyed container the class ``st-key-<key>``)."""
    st.html(
        "<style>"
        f"@media (max-width: {NARROW_MAX_PX}px) {{ .st-key-{key}_wide {{ display: none; }} }}"
        f"@media (min-width: {NARROW_MAX_PX + 1}px) {{ .st-key-{key}_narrow {{ display: none; }} }}"
        "</style>"
    )
    return st.container(key=f"{key}_wide"), st.container(key=f"{key}_narrow")
