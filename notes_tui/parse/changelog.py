"""Changelog files: splitting them into release blocks, and choosing a format per block."""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from notes_tui.model import Release
from notes_tui.parse.deferred import parse_deferred
from notes_tui.parse.markdown import fold_whitespace, inline_text

VERSION_TOKEN = re.compile(
    r"(?<![\w.])v?\d+\.\d+(?:\.\d+)?(?:[-+.][0-9A-Za-z.]+|[a-z]+\d*)?(?![\w])"
    r"|\b(?:edge|stable)-\d+\.\d+\.\d+\b"
)
"""A version-like token in a heading (`1.2.3`, `v1.32.0-rc.2`, `v2.0b3`, `edge-24.2.5`)."""


@dataclass(frozen=True, slots=True)
class ChangelogContext:
    """What every release block of one file shares."""

    source: str
    """The file path (or `-`)."""
    lines: Sequence[str]
    """The file's lines; token maps index them."""
    base_url: str
    """Base for relative links."""
    repo: str | None
    """`owner/name` that bare `#N` refers to (inferred from the file's links, or `--repo`)."""
    project: str
    """The project's name as the tree shows it."""
    line_offset: int = 0
    """Lines of the file before `lines` (a large file's block read alone: its own lines)."""


@dataclass(frozen=True, slots=True)
class ReleaseBlock:
    """One release of a changelog: its heading and the tokens up to the next release heading."""

    title: str
    """The heading's plain text (`v1.32.0`, `[1.2.3] - 2024-01-01`, `3.5.0 / 2025-07-14`)."""
    level: int
    """The heading level (1 for `#`)."""
    heading_line: int
    """The heading's 0-based line."""
    end_line: int
    """The 0-based line just past the block."""
    heading_inline: Token
    """The heading's inline token (links in the heading: compare URLs, tags)."""
    tokens: list[Token] = field(default_factory=list)
    """The block tokens after the heading."""
    inline_env: MutableMapping[str, Any] | None = None
    """markdown-it's environment when the tokens were made by `deferred.tokenize_deferred`
    (inline tokens other than headings' are parsed by `deferred.parse_deferred` on reading);
    None when every inline token carries its children."""


@dataclass(frozen=True, slots=True)
class ChangelogFormat:
    """A format a release block can be read as."""

    name: str
    """Its name (`--format NAME`, `--list-formats`)."""
    description: str
    """One line for `--list-formats`."""
    detect: Callable[[ReleaseBlock], bool]
    """True when a block is written in this format."""
    parse: Callable[[ReleaseBlock, ChangelogContext], Release]
    """Read a block as a release."""
    parses_inline: bool = False
    """True when `parse` itself parses the inline tokens it reads (`deferred.parse_deferred`);
    else every inline token of a block is parsed before `parse` sees it. `detect` reads no
    inline children but headings' (`split_releases` parses those) unless it parses them."""


def heading_text(inline: Token) -> str:
    """The plain text of a heading's inline token, white space folded."""
    children = inline.children or []
    if len(children) == 1 and children[0].type == "text":
        return fold_whitespace(children[0].content)  # plain words: no markup to walk
    return fold_whitespace(inline_text(children))


_DATE_OR_MAJOR = re.compile(
    r"\[?(\d{4}-\d{2}-\d{2})\]?"
    r"|\[?(v\d+)\]?(?:\s*[-\u2013\u2014:]?\s*\(?\d{4}-\d{2}-\d{2}\)?)?",
    re.IGNORECASE,
)
"""A heading that is a date alone (`2024-05-01`: a project released by date) or a major
version alone (`v2`), maybe with a date: it names a release though it holds no `X.Y`."""

_PENDING = re.compile(
    r"\[?(?:next(?: release| version)?|in development|development version|not yet released"
    r"|tbd)\]?",
    re.IGNORECASE,
)
"""A heading alone that names what is not released yet, as `Unreleased` does (`## Next`);
not `main` or `HEAD`, which are also sections' names (`### Main`)."""


def date_or_major(text: str) -> str | None:
    """The name of a release heading that is a date or a major version alone (`v2` of
    `[v2] - 2024-01-01`), or None for any other heading."""
    match = _DATE_OR_MAJOR.fullmatch(text.strip())
    return (match[1] or match[2]) if match else None


def names_release(text: str) -> bool:
    """True when a heading's plain text names a release: a version-like token, `Unreleased`
    or `Upcoming`, or, alone, a date, a major version (`_DATE_OR_MAJOR`) or a name of what
    is not released yet (`_PENDING`: `Next`, `In development`...)."""
    folded = text.casefold()
    return (
        bool(VERSION_TOKEN.search(text))
        or "unreleased" in folded
        or "upcoming" in folded
        or date_or_major(text) is not None
        or bool(_PENDING.fullmatch(text.strip()))
    )


_BARE_RELEASE = re.compile(
    r"\[?v?\d+\.\d+(?:\.\d+)?(?:[-+.][0-9A-Za-z.]+)?\]?"
    r"(?:\s*[-\u2013\u2014:]?\s*\(?\d{4}-\d{2}-\d{2}\)?)?",
    re.IGNORECASE,
)
"""A heading that is a version alone, maybe with a date: `2.0.1 (2024-01-15)`, `v1.2.3`."""


def release_starts(levels: Sequence[int], titles: Sequence[str]) -> list[int]:
    """Which of the headings that name a release start one.

    Those of the shallowest level that names one, and deeper ones that are a version alone
    (with a date, maybe). conventional-changelog writes minor releases at `#` and patches at
    `##`; some files put a release at the wrong level; others group patches under their
    minor (`## 1.2`, `### 1.2.1`). A deeper heading that says more (`## Changelog since
    v1.31.0`) stays inside its release. A date or a major version alone at a level above
    every other heading that names a release groups those releases (`## v2` over
    `### Release 2.1.0`, `## 2024-05-01` over `### api v1.4.0`): it starts none itself.

    Args:
        levels: Each heading's level (1 for `#`).
        titles: Each heading's plain text.

    Returns:
        The positions, in order, of the headings that start releases.
    """
    groups = _groups(levels, titles)
    top = min(level for position, level in enumerate(levels) if position not in groups)
    return [
        position
        for position, (level, title) in enumerate(zip(levels, titles, strict=True))
        if position not in groups and (level == top or _BARE_RELEASE.fullmatch(title.strip()))
    ]


def _groups(levels: Sequence[int], titles: Sequence[str]) -> set[int]:
    """The date and major-version headings shallower than every heading that names a version
    otherwise: they group those releases (`## v2` over `### Release 2.1.0`)."""
    dated = [date_or_major(title) is not None for title in titles]
    versioned = [level for level, alone in zip(levels, dated, strict=True) if not alone]
    if not versioned:
        return set()
    top = min(versioned)
    return {position for position, alone in enumerate(dated) if alone and levels[position] < top}


def split_releases(
    tokens: Sequence[Token], line_count: int, inline_env: MutableMapping[str, Any] | None = None
) -> tuple[list[Token], list[ReleaseBlock]]:
    """Split a changelog's tokens into release blocks.

    The release headings are those that name a release (`names_release`: a version-like
    token, `[Unreleased]`, a date alone...) at the shallowest level where one does, and
    deeper ones that are a version alone (`release_starts`); other headings stay inside
    their release.

    Args:
        tokens: The file's block tokens.
        line_count: How many lines the file has.
        inline_env: The environment of `deferred.tokenize_deferred`, when it made the
            tokens: the headings' inline tokens are parsed here, the others when read.

    Returns:
        The tokens before the first release (the preamble), and the blocks.
    """
    count = len(tokens)
    opening = [index for index, token in enumerate(tokens) if token.type == "heading_open"]
    if inline_env is not None:
        # Every heading's text is read: titles here, sub-headings in detection and walks.
        parse_deferred([tokens[index + 1] for index in opening if index + 1 < count], inline_env)
    headings = [
        (index, tokens[index], tokens[index + 1])
        for index in opening
        if tokens[index].level == 0 and index + 1 < count
    ]
    # Each heading's text once: the title of the block it may start.
    versioned = [
        (index, token, inline, text)
        for index, token, inline in headings
        if names_release(text := heading_text(inline))
    ]
    if not versioned:
        return list(tokens), []
    # Other headings (`## What's Changed`) stay inside their release.
    chosen = release_starts(
        [int(token.tag[1]) for _, token, _, _ in versioned], [title for _, _, _, title in versioned]
    )
    starts = [versioned[position] for position in chosen]
    preamble = list(tokens[: starts[0][0]])
    blocks: list[ReleaseBlock] = []
    for position, (index, token, inline, title) in enumerate(starts):
        next_index = starts[position + 1][0] if position + 1 < len(starts) else len(tokens)
        next_map = starts[position + 1][1].map if position + 1 < len(starts) else None
        next_line = next_map[0] if next_map else line_count
        blocks.append(
            ReleaseBlock(
                title=title,
                level=int(token.tag[1]),
                heading_line=token.map[0] if token.map else 0,
                end_line=next_line,
                heading_inline=inline,
                tokens=_as_list(tokens[index + 3 : next_index]),
                inline_env=inline_env,
            )
        )
    return preamble, blocks


def _as_list(tokens: Sequence[Token]) -> list[Token]:
    """A slice as a list, copied only when it is not one already (a list's slice is new)."""
    return tokens if isinstance(tokens, list) else list(tokens)
