"""Where a page came from: its addresses (a record's URL, an address line written on the
page, a file named after its URL) and the sites they name. The site is a signal of the outlet
(``outlets.page_outlet``) and of the date (``pubdate``).
"""

from __future__ import annotations

import re

_URL_LINE = re.compile(
    r"^\s*(?:(?:原文|本文|文章)?(?:网址|網址|链接|鏈接|地址)|url|source|link)?\s*[:：]?\s*https?://\S+\s*$",
    re.IGNORECASE,
)
URL_HOST = re.compile(r"https?://(?P<host>[a-z0-9][a-z0-9.-]+\.[a-z]{2,})", re.IGNORECASE)
# A file name has no scheme: the host ends in one of the top-level domains Chinese-language
# news sites use (on.cc, rfi.fr, nzherald.co.nz ...), never in a file's extension (.txt, .html).
_FILE_TLDS = (
    "com|net|org|cn|tw|hk|sg|my|jp|kr|vn|mo|au|nz|uk|us|ca|fr|de|ru|ch|nl|it|es|be|se|at|pl"
    "|ua|kz|uz|tr|ae|sa|il|in|id|ph|th|kh|la|mm|bn|kp|br|ar|za|eu|cc|co|io|me|mg|tv|fm|news"
    "|info|asia|media|today|live|online|site|top|xyz|vip"
)
FILE_HOST = re.compile(
    rf"(?<![a-z0-9-])(?P<host>(?:[a-z0-9-]+\.)+(?:{_FILE_TLDS}))(?![a-z0-9])",
    re.IGNORECASE,
)


def page_urls(doc_meta: dict, doc_name: str, text: str) -> list[str]:
    """Where the page came from: its URL (record or HTML metadata), an address line written
    on the page (not a link quoted in the text), and the file's name when it carries a site
    (a page saved as news.ltn.com.tw_news_4426374.txt)."""
    written = (
        [line.strip() for line in text.splitlines() if _URL_LINE.match(line)]
        if "http" in text
        else []
    )
    return [*_meta_url(doc_meta), *written, *_file_url(doc_name)]


def own_urls(doc_meta: dict, doc_name: str) -> list[str]:
    """The page's own addresses only: its URL and its file's name, not an address line
    written on it (原文链接：https://www.rfa.org/… on a forum's repost)."""
    return [*_meta_url(doc_meta), *_file_url(doc_name)]


def _meta_url(doc_meta: dict) -> list[str]:
    return [doc_meta["url"]] if doc_meta.get("url") else []


def _file_url(doc_name: str) -> list[str]:
    name = doc_name.rpartition("/")[2]
    return [name] if "." in name.rpartition(".")[0] and FILE_HOST.search(name) else []


def hosts_of(urls: list[str]) -> tuple[str, ...]:
    found = []
    for url in urls:
        found += [m["host"] for m in URL_HOST.finditer(url)] or [
            m["host"] for m in FILE_HOST.finditer(url)
        ]
    return tuple(dict.fromkeys(h.casefold() for h in found))


_GENERIC_SECOND = {"com", "net", "org", "gov", "edu", "co", "ac", "or", "ne", "go"}


def site_name(host: str) -> str:
    """A site's registrable domain (www.hollandone.com, m.51.ca -> hollandone.com, 51.ca;
    news.example.com.tw -> example.com.tw): the outlet's name for a site the registry lacks."""
    parts = host.casefold().strip(".").split(".")
    keep = 3 if len(parts) >= 3 and parts[-2] in _GENERIC_SECOND and len(parts[-1]) == 2 else 2
    return ".".join(parts[-keep:])
