"""Large changelogs tokenised one release block at a time, so that memory follows the largest block.

markdown-it holds some 30 bytes of tokens per byte of text. A whole 50 MB changelog would
take 1.5 GB; one release block at a time takes what the largest block does. The result is
the one a whole-file tokenisation gives, token for token: the file is cut only at lines
where a top-level block starts, and every block sees every reference definition.

Two passes. The first runs markdown-it's block rules (no inline parsing, the costly part) on
about `SCAN_CHARS` of text at a time, cut at column-0 ATX heading lines (`## ...`): outside
a fenced code block or an HTML block, such a line ends any paragraph, list, block quote or
table, so the text after it parses the same alone. A cut is checked on the tokens before it:
when the last top-level block might run on past the cut (a fence or HTML block reaching it,
or a list nested to markdown-it's limit, which swallows the rest of its container), the
next piece starts at that block instead. The pass collects the reference definitions and the
top-level headings. The second pass tokenises each release block alone, with those
definitions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from notes_tui.parse.changelog import ReleaseBlock, heading_text, names_release, release_starts
from notes_tui.parse.markdown import MAX_NESTING, block_tokens, parse_inline, tokenize

LARGE_TEXT = 2 * 1024 * 1024
"""Texts longer than this (in characters) are read block by block.

Below it, tokenising the whole text at once is quicker (one pass, not two) and its tokens
take at most some 60 MB.
"""

SCAN_CHARS = 1024 * 1024
"""About how much text the first pass block-parses at a time."""

_ATX_LINE = re.compile(r"^#{1,6}(?=[ \t\n]|\Z)", re.MULTILINE)
"""A column-0 ATX heading line: where the first pass may cut the text."""

_MAY_RUN_ON = frozenset({"fence", "html_block"})
"""Leaf blocks that a column-0 heading line does not end."""


@dataclass(frozen=True, slots=True)
class _Heading:
    """A top-level heading found by the first pass."""

    line: int
    """Its first line in the file, 0-based."""
    offset: int
    """Where that line starts in the text."""
    level: int
    """1 for `#`."""
    content: str
    """Its inline source, parsed once every reference definition is known."""


@dataclass(frozen=True, slots=True)
class ReleaseStarts:
    """Where the release blocks of a large changelog start."""

    lines: list[int]
    """Each release heading's first line, 0-based."""
    offsets: list[int]
    """Where each of those lines starts in the text."""
    references: dict[str, Any]
    """markdown-it's reference definitions of the whole file (`env["references"]`)."""


def find_release_starts(text: str, scan_chars: int | None = None) -> ReleaseStarts | None:
    """Find the release headings of a changelog as `changelog.split_releases` would.

    Args:
        text: The file's text (line endings already `\\n`).
        scan_chars: About how much text to block-parse at a time (`SCAN_CHARS`).

    Returns:
        The release starts, or None when no top-level heading names a release.
    """
    env: dict[str, Any] = {}
    headings = list(_top_level_headings(text, env, scan_chars or SCAN_CHARS))
    references: dict[str, Any] = env.get("references", {})
    versioned: list[_Heading] = []
    titles: list[str] = []
    for heading in headings:
        # The whole file's definitions: `## [1.2.3]` may be defined at the end of the file.
        inline = parse_inline(heading.content, {"references": references})
        if names_release(title := heading_text(inline)):
            versioned.append(heading)
            titles.append(title)
    if not versioned:
        return None
    chosen = release_starts([heading.level for heading in versioned], titles)
    starts = [versioned[position] for position in chosen]
    return ReleaseStarts(
        lines=[heading.line for heading in starts],
        offsets=[heading.offset for heading in starts],
        references=references,
    )


def _top_level_headings(text: str, env: dict[str, Any], scan_chars: int) -> Iterator[_Heading]:
    """Block-parse the text a piece at a time; yield its top-level headings in order.

    Reference definitions are collected into `env`, as a whole-file parse would.
    """
    start, first_line, length = 0, 0, len(text)
    want = scan_chars
    while start < length:
        cut_at = _ATX_LINE.search(text, min(start + want, length))
        cut = cut_at.start() if cut_at is not None else length
        piece = text[start:cut]
        tokens = block_tokens(piece, env)
        resume = cut
        if cut < length:
            line_count = piece.count("\n")
            run_on = _last_block_if_it_may_run_on(tokens, line_count)
            if run_on is not None:
                run_on_line = (tokens[run_on].map or [0])[0]
                if run_on_line == 0:
                    want *= 2  # one block longer than the piece: take a longer piece
                    continue
                del tokens[run_on:]
                resume = start + _line_offset(piece, run_on_line)
        yield from _headings_of(tokens, piece, start, first_line)
        first_line += text.count("\n", start, resume)
        start, want = resume, scan_chars


def _last_block_if_it_may_run_on(tokens: list[Token], line_count: int) -> int | None:
    """The index of the last top-level block when the text after the cut could continue it."""
    index = len(tokens) - 1
    while index >= 0 and tokens[index].level != 0:
        index -= 1
    if index < 0:
        return None
    if tokens[index].nesting == -1:
        # A list, quote, table, heading or paragraph: its opening token is the top-level
        # one before (what it holds is deeper).
        index -= 1
        while tokens[index].level != 0:
            index -= 1
        block_map = tokens[index].map
        if not (block_map and block_map[1] >= line_count):
            return None
        # A list nested to markdown-it's limit skips every line to the end of the text.
        deep = any(token.level >= MAX_NESTING - 1 for token in tokens[index:])
        return index if deep else None
    last = tokens[index]
    if last.type in _MAY_RUN_ON and last.map and last.map[1] >= line_count:
        return index
    return None


def _line_offset(text: str, line: int) -> int:
    """Where a 0-based line starts in a text."""
    offset = 0
    for _ in range(line):
        offset = text.index("\n", offset) + 1
    return offset


def _headings_of(
    tokens: list[Token], piece: str, start: int, first_line: int
) -> Iterator[_Heading]:
    """The top-level headings of a piece's block tokens, with their place in the whole text."""
    line, offset = 0, 0
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.level != 0 or index + 1 >= len(tokens):
            continue
        heading_line = token.map[0] if token.map else 0
        while line < heading_line:
            offset = piece.index("\n", offset) + 1
            line += 1
        yield _Heading(
            line=first_line + heading_line,
            offset=start + offset,
            level=int(token.tag[1]),
            content=tokens[index + 1].content,
        )


def release_blocks(
    text: str, starts: ReleaseStarts
) -> Iterator[tuple[int, list[str], ReleaseBlock]]:
    """Tokenise each release block alone, as the first pass found them.

    Each block's tokens become garbage once the caller has read the block and asks for the
    next one. Token maps and `ReleaseBlock` lines count from the block's heading.

    Args:
        text: The file's text.
        starts: From `find_release_starts`.

    Yields:
        `(line_offset, lines, block)`: the lines of the file before the block, the block's
        lines (what its token maps index), and the block.
    """
    total_lines = text.count("\n") + 1
    count = len(starts.lines)
    for position in range(count):
        line, offset = starts.lines[position], starts.offsets[position]
        if position + 1 < count:
            end_line, end_offset = starts.lines[position + 1], starts.offsets[position + 1]
        else:
            end_line, end_offset = total_lines, len(text)
        # Built in the yield: no local name keeps a block's tokens alive past its turn.
        yield (line, *_read_block(text[offset:end_offset], end_line - line, starts))


def _read_block(
    block_text: str, line_count: int, starts: ReleaseStarts
) -> tuple[list[str], ReleaseBlock]:
    """Tokenise one release block alone: its lines and the block, maps counted from its heading."""
    # A fresh env each time: markdown-it lists definitions it finds again as duplicates there.
    tokens = tokenize(block_text, {"references": starts.references})
    block = ReleaseBlock(
        title=heading_text(tokens[1]),
        level=int(tokens[0].tag[1]),
        heading_line=0,
        end_line=line_count,
        heading_inline=tokens[1],
        tokens=tokens[3:],
    )
    return block_text.split("\n"), block
