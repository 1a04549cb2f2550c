"""HTML job descriptions to readable plain text, and plain-text clean-up.

Sources deliver descriptions as HTML, as entity-escaped HTML
(``&lt;p&gt;...``, sometimes escaped twice: ``&amp;nbsp;``), as plain text
with stray whitespace, or as UTF-8 that was decoded as Latin-1 somewhere
upstream ("MecÃ¡nico"). These functions turn all of them into the same kind
of text: paragraphs separated by one blank line at most, list items as
``- `` bullets, no NBSPs, no soft hyphens.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

__all__ = ["clean_text", "html_to_text", "looks_like_html"]

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot",
        "tr", "ul", "title",
    }
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})
_DROPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object"})
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_ESCAPED_TAG = re.compile(r"&lt;/?[a-zA-Z][a-zA-Z0-9-]*(?:\s|/|&gt;)")
_LEFTOVER_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
# A literal backslash-n left by double JSON encoding ("\\n\\n<strong>").
_LITERAL_NEWLINE = re.compile(r"(?<!\\)(?:\\r)?\\n(?=[\s<\\]|$)")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SPACE_LIKE = re.compile(r"[^\S\n]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# A UTF-8 lead byte read as Latin-1/cp1252, followed by a continuation byte read the same way.
_MOJIBAKE = re.compile(
    "[ÃÂâ][\u0080-\u00bf€\u201aƒ„…†‡\u02c6‰Š\u2039ŒŽ\u2018\u2019“”•\u2013\u2014\u02dc™š\u203aœžŸ]"
)
_MAX_UNESCAPE_ROUNDS = 3


class _TextExtractor(HTMLParser):
    """Collects text, marking block boundaries with newlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropped_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a tag: blocks start a new line, list items a bullet."""
        if tag in _DROPPED_TAGS:
            self._dropped_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A self-closing tag such as ``<br/>``."""
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        """Close a tag."""
        if tag in _DROPPED_TAGS:
            self._dropped_depth = max(0, self._dropped_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        """Keep text outside script/style; whitespace between tags is one space."""
        if not self._dropped_depth:
            self.parts.append(data if data.strip() else " ")


def looks_like_html(text: str) -> bool:
    """True when ``text`` contains HTML tags, raw or entity-escaped (``&lt;p&gt;``)."""
    return bool(_TAG.search(text) or _ESCAPED_TAG.search(text))


def html_to_text(html_text: str) -> str:
    r"""Readable plain text from HTML.

    Block elements become paragraph breaks, ``<br>`` a newline, ``<li>`` a
    ``- `` bullet; script and style are dropped. Entity-escaped HTML
    (``&lt;div&gt;``) is unescaped and then parsed, and entities escaped twice
    (``&amp;nbsp;``) are resolved, as is a literal ``\n`` left by double
    JSON encoding. UTF-8 mojibake is repaired as in :func:`clean_text`. The
    result has NBSPs as spaces, no soft hyphens or zero-width characters,
    collapsed spaces, trimmed lines and at most one blank line in a row.

    Args:
        html_text: The HTML (or escaped HTML) to convert.

    Returns:
        The text; empty for empty input.
    """
    markup = _LITERAL_NEWLINE.sub("\n", html_text)
    for _ in range(_MAX_UNESCAPE_ROUNDS):
        if _TAG.search(markup) or not _ESCAPED_TAG.search(markup):
            break
        markup = html.unescape(markup)
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return _tidy(_fix_mojibake(_unescape_entities("".join(extractor.parts))))


def clean_text(text: str) -> str:
    """Plain text with whitespace normalised and UTF-8 mojibake repaired.

    Mojibake ("MecÃ¡nico") is repaired only when re-reading the text's
    Latin-1 (or Windows-1252) bytes as UTF-8 succeeds and leaves fewer
    mojibake markers; otherwise the text is kept as it was. A truncated last
    character (a lone "Ã" at the end) does not prevent the repair.

    HTML entities left in plain text by APIs (``&amp;``, ``&hellip;``,
    ``&#39;``) are resolved.

    Args:
        text: The text to clean.

    Returns:
        The cleaned text: newlines normalised, spaces collapsed, lines trimmed,
        at most one blank line in a row, soft hyphens and NBSPs removed.
    """
    return _tidy(_fix_mojibake(_unescape_entities(text)))


def _fix_mojibake(text: str) -> str:
    """``text`` with UTF-8-read-as-Latin-1 damage undone, when that is safe."""
    before = len(_MOJIBAKE.findall(text))
    if not before:
        return text
    for encoding in ("latin-1", "cp1252"):
        repaired = _redecode(text, encoding)
        if repaired is not None and len(_MOJIBAKE.findall(repaired)) < before:
            return repaired
    return text


def _unescape_entities(text: str) -> str:
    """Resolve well-formed entities, also ones escaped more than once (``&amp;nbsp;``)."""
    for _ in range(_MAX_UNESCAPE_ROUNDS):
        if not _LEFTOVER_ENTITY.search(text):
            break
        text = _LEFTOVER_ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return text


def _redecode(text: str, encoding: str) -> str | None:
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        # A text cut in the middle of a character ends on a lone lead byte.
        if error.reason != "unexpected end of data" or error.end != len(raw):
            return None
        head = raw[: error.start].decode("utf-8", errors="strict")
        return head + raw[error.start :].decode(encoding)


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    text = _SPACE_LIKE.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    joined = "\n".join(lines)
    return _MANY_NEWLINES.sub("\n\n", joined).strip()
