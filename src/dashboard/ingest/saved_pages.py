"""Pages as browsers save them: the address a saved page carries in a comment, and the page
inside a single-file web archive (.mhtml / .mht, "Webpage, Single File" in Chrome and Edge).

The address matters: a page whose text never names its publisher is often known by its site
(see outlets.page_outlet), and a saved page keeps its address nowhere else.
"""

from __future__ import annotations

import email
import email.policy
import re

MHTML_SUFFIXES = {".mhtml", ".mht"}

# Chrome and Internet Explorer mark a saved page <!-- saved from url=(0047)https://… -->; the
# SingleFile extension opens its page with a comment holding "url: https://…".
_SAVED_FROM = re.compile(
    r"<!--\s*saved from url=\(\d+\)\s*(?P<url>https?://[^\s>]+?)\s*-->", re.IGNORECASE
)
_SINGLE_FILE = re.compile(
    r"<!--\s*Page saved with SingleFile\b.{0,400}?\burl:\s*(?P<url>https?://[^\s>]+)",
    re.IGNORECASE | re.DOTALL,
)


class ArchiveError(ValueError):
    """A web archive without a page in it."""


def saved_url(html: str) -> str:
    """The address a browser wrote into the page it saved, "" when none."""
    head = html[:4096]
    m = _SAVED_FROM.search(head) or _SINGLE_FILE.search(head)
    return m["url"] if m else ""


def mhtml_page(data: bytes) -> tuple[bytes, str | None, str]:
    """The page of a web archive: (its HTML as stored, the charset the archive declares for
    it or None, the address it was saved from or "")."""
    archive = email.message_from_bytes(data, policy=email.policy.compat32)
    address = str(archive.get("Snapshot-Content-Location") or "")
    for part in archive.walk():
        if part.get_content_type() != "text/html":
            continue
        html = part.get_payload(decode=True)
        if html:
            return (
                html,
                part.get_content_charset(),
                address or str(part.get("Content-Location") or ""),
            )
    raise ArchiveError("the web archive holds no HTML page")
