"""Marking query matches in Markdown with a markdown-it core rule (no Textual here)."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from notes_tui.parse.markdown import make_parser

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
