"""The detail pane's Markdown blocks, changed in place where two entries share them.

`Markdown.update` removes every block widget and mounts new ones: a few milliseconds per
widget each time the cursor moves, and garbage that brings on full collections. Two entries
mostly share their leading blocks (nearly every entry is one paragraph): those keep their
widgets and take the new text, as `Markdown._parse_markdown` would build it (this leans on
Textual 8.2's `MarkdownBlock` internals; Textual is pinned).
"""

from __future__ import annotations

from markdown_it.token import Token
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownParagraph
from textual.widgets.markdown import MarkdownBlock

from notes_tui.widgets.detail_lists import DetailBulletList, DetailOrderedList, redraw
from notes_tui.widgets.sizing import update_static

Shape = tuple[tuple[str, str, int, str, str], ...] | None
"""A block's structure: its tokens without their text (None: never the same as another)."""

_BLOCK_TOKENS = frozenset(
    {
        "heading_open",
        "hr",
        "paragraph_open",
        "blockquote_open",
        "bullet_list_open",
        "ordered_list_open",
        "table_open",
        "fence",
        "code_block",
    }
)
"""The top-level tokens `Markdown._parse_markdown` makes a block of (it drops the others)."""


def block_groups(tokens: list[Token]) -> list[list[Token]]:
    """A document's tokens cut into its top-level blocks, one run of tokens per block widget."""
    groups: list[list[Token]] = []
    start = 0
    for index, token in enumerate(tokens):
        if token.level != 0:
            continue
        if token.nesting == 1:
            start = index
            continue
        group = tokens[start : index + 1] if token.nesting == -1 else [token]
        if group[0].type in _BLOCK_TOKENS:
            groups.append(group)
    return groups


def block_shape(group: list[Token]) -> Shape:
    """What must be the same for a block widget to take another block's text in place.

    Code blocks keep their code in their shape (it is not `inline` text); a table's cells
    are drawn by another widget, so a table is never taken in place.
    """
    if group[0].type == "table_open":
        return None
    return tuple(
        ("inline", "", token.level, "", "")
        if token.type == "inline"
        else (
            token.type,
            token.tag,
            token.level,
            token.info,
            token.content if token.type in ("fence", "code_block") else token.markup,
        )
        for token in group
    )


def reconcile(
    markdown: Markdown,
    children: list[Widget],
    groups: list[list[Token]],
    shapes: list[Shape],
    shown: list[Shape],
) -> int:
    """Give the leading blocks shown that have the new blocks' shapes their new text in place.

    Args:
        markdown: The Markdown widget.
        children: The blocks shown, in order (its children, spares left out).
        groups: The new document's top-level blocks (`block_groups`).
        shapes: Their shapes.
        shown: The shapes of the blocks shown, one per block of `children`.

    Returns:
        How many leading blocks were kept (the others are to be replaced).
    """
    if len(children) != len(shown):
        return 0
    kept = 0
    for child, group, shape, old in zip(children, groups, shapes, shown, strict=False):
        if shape is None or shape != old or not isinstance(child, MarkdownBlock):
            break
        if not _refill(markdown, child, group):
            break
        kept += 1
    return kept


def reuse_paragraphs(blocks: list[Widget], groups: list[list[Token]]) -> int:
    """Give paragraph widgets no longer shown (or spare) the text of new paragraphs.

    Entries differ most often by a second paragraph: a paragraph widget left over from one
    entry takes the next entry's paragraph in place of a remount (a few milliseconds and
    a full garbage collection's worth of garbage each time).

    Args:
        blocks: The widgets to reuse, in order.
        groups: The new top-level blocks that follow those kept, in order.

    Returns:
        How many were reused: all of the first `min(len(blocks), len(groups))`, or 0 when
        any of them is not a plain paragraph (then nothing was changed).
    """
    count = min(len(blocks), len(groups))
    plain = all(
        isinstance(block, MarkdownParagraph) and block._inline_token is not None
        for block in blocks[:count]
    ) and all(_is_paragraph(group) for group in groups[:count])
    if not plain:
        return 0
    for block, group in zip(blocks, groups[:count], strict=False):
        assert isinstance(block, MarkdownBlock)
        _set_block_text(block, group[0], group[1])
    return count


def _is_paragraph(group: list[Token]) -> bool:
    """Whether a top-level block is one paragraph of text."""
    return [token.type for token in group] == ["paragraph_open", "inline", "paragraph_close"]


def _refill(markdown: Markdown, block: MarkdownBlock, group: list[Token]) -> bool:
    """Give a block and the blocks inside it the text of a block of the same shape.

    A list drawn by one widget (`detail_lists`) is drawn again from the new list. Otherwise
    the blocks that hold text take the `inline` tokens in document order, as
    `Markdown._parse_markdown` gave them out (list items are not widgets: their
    paragraphs are).

    Returns:
        Whether it could (the same number of text blocks as `inline` tokens).
    """
    if isinstance(block, DetailBulletList | DetailOrderedList) and block.drawn_alone:
        return redraw(block, list(markdown._parse_markdown(group)))
    holders = [
        widget
        for widget in (block, *block.query(MarkdownBlock))
        if widget._inline_token is not None
    ]
    pairs = [
        (group[index - 1], token)
        for index, token in enumerate(group)
        if token.type == "inline" and index > 0
    ]
    if len(holders) != len(pairs):
        return False
    for holder, (opening, inline) in zip(holders, pairs, strict=True):
        _set_block_text(holder, opening, inline)
    return True


def _set_block_text(block: MarkdownBlock, opening: Token, inline: Token) -> None:
    """`MarkdownBlock.build_from_token`, minus the layout when the block keeps its height."""
    block._token = opening
    block.source_range = (opening.map[0], opening.map[1]) if opening.map else (0, 0)
    block._inline_token = inline
    block._content = content = block._token_to_content(inline)
    update_static(block, content)
