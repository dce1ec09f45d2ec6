"""markdown-it's nesting limit, and reading on past a block that reaches it."""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping
from typing import Any

from markdown_it.token import Token

MAX_NESTING = 100
"""How deep the notes' parser nests blocks: markdown-it's default (its CommonMark preset's
20 made a list nested 10 deep swallow the rest of its release, and every later one)."""

Env = MutableMapping[str, Any]
"""markdown-it's environment."""


def went_too_deep(tokens: list[Token], limit: int = MAX_NESTING) -> bool:
    """Whether markdown-it reached its nesting limit, and so skipped the rest of the text.

    Args:
        tokens: What it made of a text.
        limit: The parser's `maxNesting`.

    Returns:
        True when some token is nested to the limit.
    """
    return bool(tokens) and max(token.level for token in tokens) >= limit - 1


_STARTS_BLOCK = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|#|>|```|~~~|<")
"""A line that, at column 0, starts a block of its own (a list item, heading, quote, fence,
HTML)."""


def resume_after_deep_nesting(
    tokens: list[Token],
    text: str,
    env: Env,
    again: Callable[[str, Env], list[Token]],
    limit: int = MAX_NESTING,
) -> list[Token]:
    """Tokenise again the text markdown-it skipped after a block nested too deep.

    markdown-it, at its nesting limit inside a list item, skips every line to the end of
    the text (inside a quote, only to the end of the quote). Reading stopped at the end of
    the last block it read; the block that went too deep ends where a later line at
    column 0 starts a block of its own, or follows a blank line. What is nested past the
    limit stays unread (markdown-it's behaviour); what follows is tokenised again.

    Args:
        tokens: What markdown-it made of `text`, some token at `limit - 1`.
        text: The text.
        env: markdown-it's environment, for the rest of the text too.
        again: How to tokenise the rest (the caller itself).
        limit: The parser's `maxNesting`.

    Returns:
        The tokens, those of the rest after them (their lines counted in the whole text).
    """
    deep = next(i for i, token in enumerate(tokens) if token.level >= limit - 1)
    start = deep
    while start > 0 and not (tokens[start].level == 0 and tokens[start].nesting == 1):
        start -= 1
    lines = text.split("\n")
    opening = tokens[start].map
    # A container's lines may run to the end of the text; those of the text it holds do
    # not. When nothing was skipped, that is the end of the text: no line is read twice.
    last = max(
        (token.map[1] for token in tokens[start:] if token.map and token.nesting == 0),
        default=(opening[0] if opening else 0) + 1,
    )
    cut = next(
        (
            number
            for number in range(max(1, last), len(lines))
            if lines[number][:1] not in ("", " ", "\t")
            and (not lines[number - 1].strip() or _STARTS_BLOCK.match(lines[number]))
        ),
        None,
    )
    if cut is None:
        return tokens  # The deep block runs to the end: nothing after it was skipped.
    for token in tokens[start:]:
        if token.map and token.map[1] > cut:
            token.map = [min(token.map[0], cut), cut]
    rest = again("\n".join(lines[cut:]), env)
    for token in rest:
        if token.map:
            token.map = [token.map[0] + cut, token.map[1] + cut]
    return tokens + rest
