"""Comment markup the way Zendesk treats it: plain text ↔ HTML, and HTML sanitising.

Zendesk stores a comment's `body` (plain text) and `html_body`; given one it derives the other,
and it strips unsafe markup (scripts, event handlers, `javascript:` links) from `html_body`.
The workbench renders `html_body` in a page, so the simulator sanitises with an allow-list.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_URL = re.compile(r"https?://[^\s<>\"']+")
_TRAILING_PUNCTUATION = ".,;:!?)"

ALLOWED_TAGS = frozenset(
    "a b blockquote br code div em h1 h2 h3 h4 h5 h6 hr i img li ol p pre s span strong sub sup "
    "table tbody td th thead tr u ul".split()
)
VOID_TAGS = frozenset({"br", "hr", "img"})
DROP_CONTENT_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript"})
ALLOWED_ATTRS: dict[str, frozenset[str]] = {
    "*": frozenset({"dir", "class", "title"}),
    "a": frozenset({"href", "rel", "target"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}),
}
_URL_ATTRS = frozenset({"href", "src"})
_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_BLOCK_TAGS = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"})


def _safe_url(value: str) -> bool:
    compact = "".join(value.split()).lower()
    if ":" not in compact.split("/", 1)[0]:
        return True  # relative URL
    return compact.startswith(_SAFE_SCHEMES)


def autolink(escaped_text: str) -> str:
    """Wrap http(s) URLs of already-escaped text in `<a>` links."""

    def link(match: re.Match[str]) -> str:
        url = match.group(0)
        trail = ""
        while url and url[-1] in _TRAILING_PUNCTUATION:
            trail = url[-1] + trail
            url = url[:-1]
        return f'<a href="{url}" rel="noreferrer">{url}</a>{trail}'

    return _URL.sub(link, escaped_text)


def text_to_html(text: str) -> str:
    """Zendesk-like `html_body` for a plain-text body: paragraphs, `<br>` line breaks, links."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    rendered = "".join(
        f'<p dir="auto">{autolink(html.escape(p.strip())).replace(chr(10), "<br>")}</p>' for p in paragraphs
    )
    return f'<div class="zd-comment" dir="auto">{rendered}</div>'


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROP_CONTENT_TAGS:
            self.dropping += 1
            return
        if self.dropping or tag not in ALLOWED_TAGS:
            return
        allowed = ALLOWED_ATTRS["*"] | ALLOWED_ATTRS.get(tag, frozenset())
        kept: list[str] = []
        has_target = False
        for name, value in attrs:
            if name not in allowed or value is None or name == "rel":
                continue
            if name in _URL_ATTRS and not _safe_url(value):
                continue
            has_target = has_target or name == "target"
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        if has_target:
            kept.append(' rel="noopener noreferrer"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.open and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROP_CONTENT_TAGS:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in ALLOWED_TAGS or tag in VOID_TAGS or tag not in self.open:
            return
        while self.open:
            current = self.open.pop()
            self.out.append(f"</{current}>")
            if current == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
        return "".join(self.out)


def sanitize_html(markup: str) -> str:
    """Keep allow-listed tags/attributes, drop scripts, handlers and unsafe URLs; close tags."""
    parser = _Sanitiser()
    parser.feed(markup)
    return parser.result()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROP_CONTENT_TAGS:
            self.dropping += 1
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROP_CONTENT_TAGS:
            self.dropping = max(0, self.dropping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The plain-text `body` Zendesk derives from an `html_body`."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
