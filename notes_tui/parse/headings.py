"""Headings inside a changelog release: their roles, `###Added` paragraphs, versions, dates."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from markdown_it.token import Token

from notes_tui.parse.changelog import VERSION_TOKEN, ReleaseBlock, date_or_major, heading_text
from notes_tui.parse.kinds import OTHER
from notes_tui.parse.markdown import fold_whitespace
from notes_tui.parse.vocabulary import clean_label, heading_kind


class Role(Enum):
    """What a heading inside a release is."""

    AREA = "area"
    """An area: its entries get its title as their area."""
    KIND = "kind"
    """A kind (`### Fixed`): its entries get its kind; an area only when none encloses it."""
    META = "meta"
    """Release metadata (`New Contributors`): no entries, kept in the release's prose."""


@dataclass(frozen=True, slots=True)
class HeadingRole:
    """The role of one heading, with the kind it gives."""

    role: Role
    """What the heading is."""
    kind: str = OTHER
    """The normalised kind (for `Role.KIND`); empty when the heading names none, so that
    each entry's own first word decides."""
    label: str = ""
    """The kind as written."""


HeadingRule = Callable[[str, "str | None"], HeadingRole]
"""Classify a heading: `(its plain text, the kind of the enclosing kind heading)`."""

AREA_ROLE = HeadingRole(Role.AREA)
"""The role of a heading that is an area."""
META_ROLE = HeadingRole(Role.META)
"""The role of a metadata heading."""

_METADATA_HEADINGS = frozenset({"new contributors", "first-time contributors", "contributors"})
_PSEUDO_HEADING = re.compile(r"(#{1,6})([^\s#].*)")
_DATE = re.compile(r"\b(\d{4})([-/])(\d{1,2})\2(\d{1,2})\b")


def is_metadata_heading(title: str) -> bool:
    """True for a heading that introduces release metadata (`New Contributors`)."""
    return clean_label(title).casefold() in _METADATA_HEADINGS


def is_metadata_paragraph(inline: Token) -> bool:
    """True for a paragraph of release metadata (`**Full Changelog**: https://...`)."""
    content = inline.content.lstrip("*_ ")
    return content[:14].casefold() == "full changelog"


@lru_cache(maxsize=1024)
def standard_heading(title: str, inherited: str | None) -> HeadingRole:
    """Classify a heading the common way: metadata, a kind it names, else an area.

    Cached: a changelog repeats its few headings (`Fixed`, `Added`) in every release.

    Args:
        title: The heading's plain text.
        inherited: The kind of the enclosing kind heading (unused here).

    Returns:
        Its role.
    """
    if is_metadata_heading(title):
        return META_ROLE
    kind = heading_kind(title)
    if kind is not None:
        return HeadingRole(Role.KIND, kind, clean_label(title))
    return AREA_ROLE


def pseudo_heading(inline: Token) -> tuple[int, str] | None:
    """Read a paragraph like `###Added` (no space, so not a CommonMark heading) that names a kind.

    Args:
        inline: The paragraph's inline token.

    Returns:
        `(level, title)`, or None when the paragraph is no such heading.
    """
    content = inline.content
    if not content.startswith("#") or "\n" in content:
        return None
    match = _PSEUDO_HEADING.fullmatch(content.rstrip())
    if match is None or heading_kind(match.group(2)) is None:
        return None
    return len(match.group(1)), match.group(2).strip()


_BROAD_LABELS = frozenset({"changes", "change"})
"""Label words that name the kind Changed but say no more than "what follows changed"."""

LABEL_LEVEL = 7
"""The level of a label paragraph read as a heading (`label_heading`): under every heading."""

_LABEL = re.compile(r"([*_]{1,3})([^*_\n]{1,40}?)[ \t]*:?\1[ \t]*:?|([^*_\n:#]{1,40}):")
"""A paragraph that is a label alone: bold or italic words (`**Added**`, `*Bug fixes:*`), or
plain words closed by a colon (`Features:`)."""


def label_heading(inline: Token) -> str | None:
    """Read a paragraph that is a kind's label alone (`**Added**`) as a heading's title.

    It covers the list right after it (`sectioned`); `Changes:` and `Other:` are no labels.

    Args:
        inline: The paragraph's inline token.

    Returns:
        The label (`Added`), or None when the paragraph is no label that names a kind.
    """
    match = _LABEL.fullmatch(inline.content.strip())
    if match is None:
        return None
    label = (match.group(2) or match.group(3)).strip()
    kind = heading_kind(label)
    # Words too broad to beat an entry's own (`Changes:` over `- Fix ...`) are no label.
    if kind is None or kind == OTHER or label.casefold() in _BROAD_LABELS:
        return None
    return label


def sub_headings(block: ReleaseBlock) -> Iterator[str]:
    """Yield the plain text of a block's headings, `###Added` paragraphs included.

    Args:
        block: The release block.

    Yields:
        Each heading's text, in order.
    """
    tokens = block.tokens
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            yield heading_title(tokens[index + 1])
        elif kind == "paragraph_open" and token.level == 0:
            inline = tokens[index + 1]
            pseudo = pseudo_heading(inline) if inline.content[:1] == "#" else None
            if pseudo is not None:
                yield pseudo[1]


def heading_title(inline: Token) -> str:
    """`heading_text`, quicker for a heading of plain words (`Fixed`).

    Args:
        inline: The heading's inline token.

    Returns:
        Its plain text, white space folded.
    """
    children = inline.children
    if children and len(children) == 1 and children[0].type == "text":
        return fold_whitespace(children[0].content)
    return heading_text(inline)


def release_version(title: str) -> str:
    """The version of a release heading, as written: the word that holds the version.

    Args:
        title: The heading's plain text (`[1.2.3] - 2024-01-01`, `v2.14.0b1 (2026-08-06)`).

    Returns:
        The version without surrounding brackets (`1.2.3`, `v2.14.0b1`), the date or major
        version of a heading that is one alone (`2024-05-01`, `v2`), `Unreleased`, or else
        the title (`Next`).
    """
    match = VERSION_TOKEN.search(title)
    if match is None:
        alone = date_or_major(title)
        if alone is not None:
            return alone
        start = title.casefold().find("unreleased")
        return title[start : start + 10] if start >= 0 else title.strip("[]")
    start = title.rfind(" ", 0, match.start()) + 1
    end = title.find(" ", match.end())
    word = title[start : end if end >= 0 else len(title)]
    return word.strip("[](),:") or match.group(0)


def release_date(title: str) -> str | None:
    """The ISO date a release heading names, if any."""
    match = _DATE.search(title)
    if match is None:
        return None
    return f"{match[1]}-{int(match[3]):02d}-{int(match[4]):02d}"
