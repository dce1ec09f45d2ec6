"""The one markdown-it configuration, and token helpers: plain text and links of tokens."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from notes_tui.links import resolve_url
from notes_tui.model import Link
from notes_tui.parse.front_matter import SplitDocument as SplitDocument
from notes_tui.parse.front_matter import split_front_matter as split_front_matter
from notes_tui.parse.nesting import MAX_NESTING as MAX_NESTING
from notes_tui.parse.nesting import Env, block_parse_reading_on, parse_reading_on


def make_parser() -> MarkdownIt:
    """Build the markdown-it configuration shared by the parsers and the detail pane.

    CommonMark with GitHub tables. Strikethrough stays off: release notes do not use it,
    and the detail pane draws query matches with its token. HTML is kept as raw tokens
    and never rendered as HTML. Blocks nest 100 deep (markdown-it's default; its CommonMark
    preset stops at 20, and a list nested 10 deep then swallowed the rest of its release).

    Returns:
        A configured parser.
    """
    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable(["table"])
    return parser


_PARSER = make_parser()
PARSER = _PARSER
"""The shared parser (`make_parser()`), which `tokenize` runs."""

_PARSER_WITHOUT_TABLES = make_parser().disable("table")
"""The shared parser without the table rule, for text without a `|`.

A table's header row holds a `|` (markdown-it's table rule checks it before it makes any
token), so without one in the text the rule never matches, and skipping it makes the same
tokens. It is tried at every line, also as a paragraph's terminator: a few percent of tokenising."""


def parser_for(text: str) -> MarkdownIt:
    """The shared parser, or the same without its table rule when `text` can hold no table.

    Args:
        text: The Markdown source the parser is to run on.

    Returns:
        A parser that tokenises `text` as `PARSER` does.
    """
    return _PARSER if "|" in text else _PARSER_WITHOUT_TABLES


def tokenize(text: str, env: Env | None = None) -> list[Token]:
    """Tokenise Markdown with the shared parser.

    A block nested deeper than `MAX_NESTING` makes markdown-it skip the lines after it;
    what follows that block is read on (`nesting.parse_reading_on`).

    Args:
        text: Markdown source.
        env: markdown-it's environment: `{"references": ...}` resolves reference links
            defined outside `text`. A new one by default.

    Returns:
        The block token stream (inline tokens carry children).
    """
    return parse_reading_on(parser_for(text), text, {} if env is None else env)


def block_tokens(text: str, env: Env) -> list[Token]:
    """Run only the block rules of the shared parser: no inline parsing, the costly part.

    Args:
        text: Markdown source, with `\\n` line endings.
        env: markdown-it's environment; reference definitions are added to
            `env["references"]`, the first of a label winning, as `tokenize` does.

    Returns:
        The block tokens; inline tokens carry their source but no children.
    """
    if "\0" in text:
        text = text.replace("\0", "\ufffd")  # what markdown-it's normalize step does
    tokens: list[Token] = []
    block_parse_reading_on(parser_for(text), text, env, tokens)
    return tokens


def parse_inline(text: str, env: dict[str, Any]) -> Token:
    """Parse inline Markdown (a heading's source) as `tokenize` parses it in a document.

    Args:
        text: The inline source.
        env: markdown-it's environment, with the document's reference definitions.

    Returns:
        The inline token, its children filled in.
    """
    (inline,) = _PARSER.parseInline(text, env)
    return inline


# --- Token helpers ---------------------------------------------------------------------

_FOLD_BY_WORDS = 4096
"""Texts shorter than this are folded word by word (the quickest way for short texts)."""
_SPACES = {code: " " for code in range(0x3001) if chr(code).isspace()}
"""Every character `str.split()` splits on (the last is U+3000), mapped to a space."""
_NOT_A_SPACE = re.compile(r"[^\S ]")
"""White space other than a space: when there is none, folding copies nothing."""


def fold_whitespace(text: str) -> str:
    """Fold runs of white space into one space and strip the ends: `" ".join(text.split())`.

    A long text is folded without making one string per word, which for a 5 MB line
    would take some ten times its size in memory.

    Args:
        text: Any text.

    Returns:
        The same words, one space between each.
    """
    if len(text) < _FOLD_BY_WORDS:
        return " ".join(text.split())
    if _NOT_A_SPACE.search(text) is not None:
        text = text.translate(_SPACES)
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")


def inline_children(tokens: Sequence[Token]) -> Iterator[Token]:
    """Yield every inline child token of a block token range, in order.

    Args:
        tokens: Block tokens.

    Yields:
        The children of their inline tokens.
    """
    for token in tokens:
        if token.type == "inline" and token.children:
            yield from token.children


def plain_text(tokens: Sequence[Token]) -> str:
    """Render block tokens as plain text: words only, one space between blocks.

    Args:
        tokens: Block tokens.

    Returns:
        The text with white space folded.
    """
    parts: list[str] = []
    for token in tokens:
        # Spaces between blocks, none after the last: folding then copies nothing to strip.
        if token.type == "inline":
            if parts:
                parts.append(" ")
            _add_inline_text(token.children or (), parts)
        elif token.type in {"fence", "code_block"}:
            if parts:
                parts.append(" ")
            parts.append(token.content)
    return fold_whitespace("".join(parts))


def inline_text(children: Sequence[Token]) -> str:
    """Render inline tokens as plain text.

    Args:
        children: Inline child tokens.

    Returns:
        The text, with breaks as spaces and markup dropped.
    """
    parts: list[str] = []
    _add_inline_text(children, parts)
    return "".join(parts)


def _add_inline_text(children: Sequence[Token], parts: list[str]) -> None:
    """Append the plain text of inline tokens to `parts` (one list for a whole entry)."""
    for child in children:
        kind = child.type
        if kind in {"text", "code_inline"}:
            parts.append(child.content)
        elif kind in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif kind == "image":
            _add_inline_text(child.children or (), parts)


def links_of(tokens: Sequence[Token], base_url: str) -> list[Link]:
    """Collect the links of block tokens, made absolute.

    Markdown links and autolinks are found in the token stream; bare URLs in text are
    found in the text of `text` tokens.

    Args:
        tokens: Block tokens.
        base_url: The base for relative links.

    Returns:
        Links in order of appearance, without duplicate URLs.
    """
    found: list[Link] = []
    seen: set[str] = set()

    def add(url: str, label: str) -> None:
        if url and not url.startswith("#") and url not in seen:
            seen.add(url)
            found.append(Link(url, label or url))

    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        if _LINK_MAY_START.search(token.content) is None:
            continue  # no `[`, `<`, `http` or entity (most entries): no link to find
        # One pass over one iterator: a link's inner tokens are consumed by the inner loop.
        # (markdown-it closes every link in the inline token that opens it.)
        stream = iter(token.children)
        for child in stream:
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                depth, label_parts = 1, []
                for inner in stream:
                    if inner.type == "link_open":
                        depth += 1
                    elif inner.type == "link_close":
                        depth -= 1
                        if not depth:
                            break
                    elif inner.type in {"text", "code_inline"}:
                        label_parts.append(inner.content)
                add(resolve_url(href, base_url), fold_whitespace("".join(label_parts)))
            elif child.type == "text" and "http" in child.content:
                # Every bare URL starts with `http`; most text has none, and skips the regex.
                for match in BARE_URL.finditer(child.content):
                    url = match.group(0).rstrip(".,;:)'\"")
                    add(url, url)
    return found


_LINK_MAY_START = re.compile(r"[\[<&]|http")
"""What inline Markdown holds when it makes a link or a bare URL: a link's `[`, an autolink's
`<`, `http` of a bare URL, or an entity (`&#104;ttp` is text `http`). Escapes make no
letters, so text `http` is `http` in the source too. (`inline` tokens' `content` is their
source, which markdown-it parses into their children.)"""


BARE_URL = re.compile(r"https?://[^\s<>()\[\]`]+")
"""A bare URL in running text."""
