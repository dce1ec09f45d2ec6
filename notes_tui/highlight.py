"""Marking query matches in Markdown with a markdown-it core rule (no Textual here)."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from notes_tui.parse.markdown import make_parser
from notes_tui.parse.nesting import parse_reading_on

MARK_OPEN = "s_open"
"""The token that opens a match: shown by the detail pane's `.s` style, restyled as a highlight."""
MARK_CLOSE = "s_close"
"""The token that closes a match."""


def match_spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Find where words occur in text, case-insensitively, as merged `(start, end)` spans.

    Args:
        text: The text shown.
        words: Case-folded words and phrases.

    Returns:
        Sorted, non-overlapping spans.
    """
    folded = text.casefold()
    if len(folded) != len(text):
        return []
    spans: list[tuple[int, int]] = []
    for word in words:
        start = folded.find(word) if word else -1
        while start != -1:
            spans.append((start, start + len(word)))
            start = folded.find(word, start + len(word))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _split_text(token: Token, words: Sequence[str]) -> list[Token]:
    spans = match_spans(token.content, words)
    if not spans:
        return [token]
    pieces: list[Token] = []
    position = 0
    for start, end in spans:
        if start > position:
            pieces.append(Token("text", "", 0, content=token.content[position:start]))
        pieces.append(Token(MARK_OPEN, "s", 1, markup="=="))
        pieces.append(Token("text", "", 0, content=token.content[start:end]))
        pieces.append(Token(MARK_CLOSE, "s", -1, markup="=="))
        position = end
    if position < len(token.content):
        pieces.append(Token("text", "", 0, content=token.content[position:]))
    return pieces


DETAIL_MAX_NESTING = 20
"""How deep the detail pane's parser nests blocks (markdown-it's CommonMark preset's limit).

Each level is a widget, and Textual's layout recurses through them: a list nested 45
deep went past Python's recursion limit. The parsers of the notes nest deeper
(`notes_tui.parse.nesting.MAX_NESTING`).
"""


def make_highlighting_parser(words: Sequence[str]) -> MarkdownIt:
    """The shared parser, plus a rule that marks where query words occur.

    Matches are found case-insensitively in plain text (not in code, not in link
    targets) and wrapped in `s_open`/`s_close` tokens.

    Args:
        words: Case-folded words and phrases.

    Returns:
        A parser for the detail pane.
    """
    parser = make_parser()
    parser.options["maxNesting"] = DETAIL_MAX_NESTING
    wanted = [word for word in words if word]
    if not wanted:
        return parser

    def mark_matches(state: StateCore) -> None:
        for token in state.tokens:
            if token.type != "inline" or not token.children:
                continue
            children: list[Token] = []
            for child in token.children:
                children.extend(_split_text(child, wanted) if child.type == "text" else [child])
            token.children = children

    parser.core.ruler.push("notes_tui_highlight", mark_matches)
    return parser


def detail_tokens(parser: MarkdownIt, text: str) -> list[Token]:
    """`parser.parse(text)`, reading on after a block nested to the parser's limit.

    Args:
        parser: From `make_highlighting_parser`.
        text: An entry's Markdown.

    Returns:
        The tokens: what follows a block nested too deep is read too (its deepest levels
        are not).
    """
    return parse_reading_on(parser, text, {})
