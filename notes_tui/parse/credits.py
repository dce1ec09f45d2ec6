"""Changelog entry text: summaries without trailing references, `by @user` credits, bold leads."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

from notes_tui.parse.markdown import fold_whitespace, inline_text
from notes_tui.parse.vocabulary import clean_label, heading_kind, word_kind

_REF_LABEL = re.compile(
    r"(?:[\w.-]+/[\w.-]+)?#\d+|https?://\S+|(?:PR|issue|pull request) #\d+", re.I
)
_HANDLE = r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?"
_AUTHORS = rf"{_HANDLE}(?:\s*(?:,|and|&)\s*{_HANDLE})*"
_HANDLES = re.compile(_HANDLE)
# Refs inside links are marked \x02...\x03, so that only link-made refs are trimmed.
_GITHUB_CREDIT = re.compile(
    rf"\s+by\s+(?P<authors>{_AUTHORS})(?:\s+in)+\s+(?:\x02[^\x03]*\x03|https?://\S+|#\d+)"
)
_TRAILING_CREDIT = re.compile(
    rf"[\s,]+by\s+(?P<authors>{_AUTHORS})(?:\s*\(direct commit\))?[\s.:]*$"
)
_PLAIN_REFS = re.compile(r"[\s,;&]*#\d+(?:\s*(?:,|&|and)\s*#\d+)*$")
_REF_START, _REF_END = "\x02", "\x03"
"""Marks around link labels that are references (`[#12](...)`), so that only those are trimmed."""


def marked_text(children: Sequence[Token]) -> str:
    """Plain text of inline children, white space folded, with reference link labels marked.

    Args:
        children: The inline children of a paragraph.

    Returns:
        The text; labels like `#12` or a URL sit between `\\x02` and `\\x03`.
    """
    if len(children) == 1 and children[0].type == "text":
        return fold_whitespace(children[0].content)  # one run of text: no link, no markup
    parts: list[str] = []
    index, count = 0, len(children)
    while index < count:
        child = children[index]
        kind = child.type
        if kind == "text" or kind == "code_inline":
            parts.append(child.content)
        elif kind == "link_open":
            end = index + 1
            while end < count and children[end].type != "link_close":
                end += 1
            label = inline_text(children[index + 1 : end])
            is_ref = _REF_LABEL.fullmatch(label.strip()) is not None
            parts.append(f"{_REF_START}{label}{_REF_END}" if is_ref else label)
            index = end
        elif kind == "softbreak" or kind == "hardbreak":
            parts.append(" ")
        elif kind == "image":
            parts.append(inline_text(child.children or ()))
        index += 1
    return fold_whitespace("".join(parts))


def unmarked(text: str) -> str:
    """`marked_text` without its marks: the plain text."""
    if _REF_START not in text:
        return text
    return text.replace(_REF_START, "").replace(_REF_END, "")


def credit_and_summary(text: str) -> tuple[str, str]:
    """Split an entry's first paragraph into its summary text and its authors.

    Trailing references go (`[#12](...)`, bare URLs), and so do GitHub's credits
    (`by @user in https://...`, `, [#12](...) by @user`).

    Args:
        text: The paragraph's `marked_text`.

    Returns:
        `(summary text, authors)`; authors are `@user` handles joined by `, `, or empty.
    """
    authors = ""
    credit = None
    at = text.rfind(" by @")
    if at >= 0:
        # GitHub's credit is the last `by @`; look there first, then anywhere.
        credit = _GITHUB_CREDIT.match(text, at) or _GITHUB_CREDIT.search(text, 0, at)
    if credit is not None:
        authors = credit.group("authors")
        text = text[: credit.start()]
    else:
        text = _strip_references(text)
        trailing = _TRAILING_CREDIT.search(text) if "by @" in text else None
        if trailing is not None:
            authors = trailing.group("authors")
            # `text, #12 by @user`: a plain number before a credit is its reference.
            text = _strip_references(_PLAIN_REFS.sub("", text[: trailing.start()]))
    return unmarked(text), ", ".join(_HANDLES.findall(authors))


def _strip_references(text: str) -> str:
    """Drop trailing reference links and bare URLs, with the separators between them."""
    while True:
        body = text.rstrip(" .,;:")
        if body.endswith(_REF_END):
            start = body.rfind(_REF_START)
        else:
            start = body.rfind(" ") + 1
            if start == 0 or not body.startswith(("http://", "https://"), start):
                return text
        head = body[:start].rstrip(" ,;&")
        if head.endswith(" and"):
            head = head[:-4].rstrip(" ,;&")
        if not head.strip():
            return text
        text = head


def bold_kind(children: Sequence[Token]) -> tuple[str, str] | None:
    """The kind an entry's bold or italic lead names (`**Breaking Change**`, `**Security fix:**`).

    Args:
        children: The inline children of its first paragraph.

    Returns:
        `(kind, label)`, or None when the entry opens with no such lead.
    """
    if not children or (children[0].type == "text" and children[0].content.strip()):
        return None  # most entries: a word first
    first = next((c for c in children if c.type != "text" or c.content.strip()), None)
    if first is None or first.type not in {"strong_open", "em_open"}:
        return None
    closing = first.type.replace("_open", "_close")
    words: list[str] = []
    for child in children[children.index(first) + 1 :]:
        if child.type == closing:
            break
        if child.type in {"text", "code_inline"}:
            words.append(child.content)
    label = clean_label("".join(words)).rstrip(".,")
    kind = heading_kind(label)
    if kind is None:
        found = word_kind(label)
        # One word (`**Fixed**`), or a kind and a noun (`**Security fix:**`).
        kind = found[0] if found is not None and len(label.split()) <= 2 else None
    return (kind, label) if kind is not None else None
