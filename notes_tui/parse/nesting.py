"""markdown-it's nesting limit, and reading on past a block that reaches it.

At its nesting limit inside a list item, markdown-it skips every line to the end of the
text (inside a quote, to the end of the quote): the rest of a release, and every later
one, were lost without a word. `parse_reading_on` parses as `MarkdownIt.parse` does, and
after such a block reads on from where it ends, in the same block state: the lines keep
their numbers, the work stays linear in the text, and the inline Markdown is parsed once
every line was read (a reference defined after the block still resolves).
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MAX_NESTING = 100
"""How deep the notes' parser nests blocks: markdown-it's default (its CommonMark preset's
20 made a list nested 10 deep swallow the rest of its release, and every later one)."""

Env = MutableMapping[str, Any]
"""markdown-it's environment."""

_STARTS_BLOCK = re.compile(
    r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|#|>|```|~~~|<"
    r"|(?:\*[ \t]*){3,}$|(?:-[ \t]*){3,}$|(?:_[ \t]*){3,}$"
)
"""The start of a line that starts a block of its own: a list item, a heading, a quote, a
fence, HTML, a rule."""


def parse_reading_on(
    md: MarkdownIt, text: str, env: Env, *, block_only: bool = False
) -> list[Token]:
    """`md.parse(text, env)`, reading on after any block nested to `md`'s limit.

    Args:
        md: The parser (its core rules run in order; its `block` rule reads on).
        text: Markdown source.
        env: markdown-it's environment.
        block_only: Stop after the block rule: inline tokens keep no children.

    Returns:
        The tokens.
    """
    state = StateCore(text, md, env)
    for name, rule in zip(
        md.core.ruler.get_active_rules(), md.core.ruler.getRules(""), strict=True
    ):
        if name != "block":
            rule(state)
            continue
        block_parse_reading_on(md, state.src, env, state.tokens)
        if block_only:
            break
    return state.tokens


def block_parse_reading_on(md: MarkdownIt, src: str, env: Env, tokens: list[Token]) -> None:
    """`md.block.parse(src, md, env, tokens)`, reading on after blocks nested to the limit.

    The block that went too deep ends where reading stopped (the end of the last block it
    read: a container's lines may run to the end of the text, those of what it holds do
    not); from there, the first line no more indented than the block's first line that
    starts a block of its own, or follows a blank line, is read on from. What is nested
    past the limit, and what is left of that block after its deepest part, stay unread.

    Args:
        md: The parser.
        src: The text (normalised, as markdown-it's `normalize` leaves it).
        env: markdown-it's environment.
        tokens: Where the tokens go.
    """
    if not src:
        return
    state = StateBlock(src, md, env, tokens)
    limit = int(md.options["maxNesting"])
    start = len(tokens)
    md.block.tokenize(state, state.line, state.lineMax)
    while True:
        deep = next((i for i in range(start, len(tokens)) if tokens[i].level >= limit - 1), None)
        if deep is None:
            return
        cut = _where_to_read_on(state, tokens, deep)
        if cut is None:
            return
        start = len(tokens)
        state.level, state.blkIndent, state.parentType, state.line = 0, 0, "root", cut
        md.block.tokenize(state, cut, state.lineMax)


def _where_to_read_on(state: StateBlock, tokens: list[Token], deep: int) -> int | None:
    """The line after the block holding `tokens[deep]` to read on from (None: there is none).

    The maps of that block's tokens are cut there.
    """
    top = deep
    while top > 0 and not (tokens[top].level == 0 and tokens[top].nesting == 1):
        top -= 1
    opening = tokens[top].map or [0, 0]
    last = opening[0] + 1
    for token in tokens[top:]:
        if token.map and token.nesting != -1:
            # What holds text ends where its text ends; a block opened starts a line that
            # is the block's own, whatever its end says.
            last = max(last, token.map[1] if token.nesting == 0 else token.map[0] + 1)
    indent = state.sCount[opening[0]]
    cut = None
    for line in range(last, state.lineMax):
        if state.isEmpty(line) or state.sCount[line] > indent:
            continue
        begin = state.bMarks[line] + state.tShift[line]
        if state.isEmpty(line - 1) or _STARTS_BLOCK.match(state.src, begin, state.eMarks[line]):
            cut = line
            break
    if cut is not None:
        for token in tokens[top:]:
            if token.map and token.map[1] > cut:
                token.map = [min(token.map[0], cut), cut]
    return cut
