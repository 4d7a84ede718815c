"""Pages as browsers save them: the address a saved page carries in a comment, and the page
inside a single-file web archive (.mhtml / .mht, "Webpage, Single File" in Chrome and Edge);
and Word documents (.docx), as clippings and news-database exports come.

The address matters: a page whose text never names its publisher is often known by its site
(see outlets.page_outlet), and a saved page keeps its address nowhere else.
"""

from __future__ import annotations

import email
import email.policy
import re

MHTML_SUFFIXES = {".mhtml", ".mht"}
WORD_SUFFIXES = {".docx"}

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


class WordError(ValueError):
    """A file named .docx that Word's format does not open, or a zip bomb dressed as one."""


WORD_MAX_RATIO = 100  # unpacked / packed size, as for uploaded zip archives
WORD_MAX_UNPACKED_MB = 200


def word_text(data: bytes) -> str:
    """The text of a Word document: its paragraphs and its tables' cells, one per line, in
    the document's order (an export of several reports is then split like a page that
    bundles several)."""
    import io
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(member.file_size for member in package.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise WordError(f"not a readable Word document ({exc})") from exc
    # A Word file is a zip: one that unpacks to far more than it weighs is a zip bomb (a hosted
    # app reads uploads). Word's own files unpack to a few to 20 times their size.
    if unpacked > WORD_MAX_UNPACKED_MB * 2**20 or (
        unpacked > 2**20 and unpacked > WORD_MAX_RATIO * len(data)
    ):
        raise WordError(
            f"the Word document unpacks to {unpacked / 2**20:,.0f} MB from "
            f"{len(data) / 2**20:,.1f} MB: refused as a zip bomb"
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise WordError(f"not a readable Word document ({exc})") from exc
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rpartition("}")[2]
        if tag == "p":
            lines.append("".join(t.text or "" for t in block.iter(_TEXT)))
        elif tag == "tbl":
            for cell_paragraph in block.iter(_PARAGRAPH):
                lines.append("".join(t.text or "" for t in cell_paragraph.iter(_TEXT)))
    return "\n".join(line.strip() for line in lines)


_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = f"{_WORD_NS}t"
_PARAGRAPH = f"{_WORD_NS}p"
