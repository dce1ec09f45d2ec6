"""The detail pane: the highlighted entry, its issues and links, and its Markdown rendered."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import lru_cache
from typing import cast

from markdown_it import MarkdownIt
from markdown_it.token import Token
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.widgets import Markdown, Static
from textual.widgets._markdown import MarkdownParagraph
from textual.widgets.markdown import MarkdownBlock

from notes_tui.highlight import make_highlighting_parser
from notes_tui.model import Entry, Link
from notes_tui.sanitize import clean_block, clean_line
from notes_tui.widgets.sizing import SizedWithoutRelayout


def numbered_links(entry: Entry) -> list[Link]:
    """The links a user can open, numbered as the detail pane shows them.

    Issue references come first, then the entry's other links.

    Args:
        entry: The entry.

    Returns:
        The links in order.
    """
    links = [Link(ref.url, f"{ref.repo}#{ref.number}") for ref in entry.issues]
    seen = {link.url for link in links}
    for link in entry.links:
        if link.url not in seen:
            seen.add(link.url)
            links.append(link)
    return links


def header_content(entry: Entry, also_in: Sequence[str] = ()) -> Content:
    """The detail pane's heading: release, area, kind and place, backports, numbered links.

    Args:
        entry: The entry.
        also_in: Other releases its issues appear in.

    Returns:
        Content built from data (never parsed as markup).
    """
    meta = Content.assemble(
        (clean_line(entry.release), "bold"),
        "  ·  ",
        clean_line(entry.area),
        "  ·  ",
        (clean_line(entry.kind_label or entry.kind), "bold"),
        f"  ·  {clean_line(entry.source.rsplit('/', 1)[-1])}:{entry.line}",
    )
    parts = [meta]
    if also_in:
        others = ", ".join(clean_line(version) for version in also_in)
        parts.append(Content.assemble("\n", ("Also in: ", "bold"), others))
    links = numbered_links(entry)
    if links:
        parts.append(Content("\n"))
    for number, link in enumerate(links, 1):
        label = clean_line(link.label)
        url = clean_line(link.url)
        text = f"{label}  {url}" if label != link.url else url
        parts.append(Content.assemble("\n", (f"[{number}] ", "bold"), text))
    return Content("").join(parts)


class DetailHeader(Static, SizedWithoutRelayout):
    """The detail's heading, sized without a second layout."""


class DetailParagraph(MarkdownParagraph, SizedWithoutRelayout):
    """A paragraph of the detail's Markdown, sized without a second layout."""


class DetailMarkdown(Markdown, SizedWithoutRelayout):
    """The detail's Markdown, sized without a second layout; its paragraphs too."""

    BLOCKS: dict[str, type[MarkdownBlock]] = {  # noqa: RUF012 - Textual declares it so
        **Markdown.BLOCKS,
        "paragraph_open": DetailParagraph,
    }


class EntryDetail(VerticalScroll, can_focus=True):
    """Shows one entry; only the highlighted entry is ever rendered."""

    class LinkClicked(Message):
        """A link in the rendered Markdown was clicked."""

        def __init__(self, href: str) -> None:
            super().__init__()
            self.href = href

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entry: Entry | None = None
        self._words: tuple[str, ...] = ()
        self._also_in: tuple[str, ...] = ()
        self._shape: tuple[tuple[str, str, int], ...] | None = None
        """The block structure of the Markdown shown (`_shape`)."""
        self._full_update: AwaitComplete | None = None
        """The last `Markdown.update` (it mounts new blocks, asynchronously)."""

    def compose(self) -> ComposeResult:
        yield DetailHeader(Content("No entry to show."), id="detail-header", markup=False)
        yield DetailMarkdown(
            "", id="detail-markdown", open_links=False, parser_factory=self._make_parser
        )

    def _make_parser(self) -> MarkdownIt:
        return _parser(self._words)

    @property
    def entry(self) -> Entry | None:
        """The entry shown."""
        return self._entry

    @property
    def updating(self) -> bool:
        """Whether the Markdown is being remounted (it finishes asynchronously)."""
        return self._full_update is not None and not self._full_update.is_done

    def show(
        self, entry: Entry | None, words: Sequence[str] = (), also_in: Sequence[str] = ()
    ) -> None:
        """Show an entry (or nothing).

        Args:
            entry: The entry, or None.
            words: Case-folded words to highlight.
            also_in: Other releases the entry's issues appear in (backports).
        """
        words, also_in = tuple(words), tuple(also_in)
        if entry is self._entry and words == self._words and also_in == self._also_in:
            return
        self._entry, self._words, self._also_in = entry, words, also_in
        header = self.query_one("#detail-header", Static)
        if entry is None:
            update_static(header, Content("No entry matches."))
            self._update_markdown("")
            return
        update_static(header, header_content(entry, also_in))
        self._update_markdown(clean_block(entry.markdown))
        self.scroll_home(animate=False)

    def _update_markdown(self, source: str) -> None:
        """Show Markdown: in place when only the text of its blocks changes, else by remounting.

        In place: the same blocks as shown (the same entry with other words highlighted,
        as a filter is typed, or another entry built alike), or top-level paragraphs only.
        """
        markdown = self.query_one("#detail-markdown", Markdown)
        tokens = _parser(self._words).parse(source)
        shape = _shape(tokens)
        # While a remount is under way, the blocks are not yet those of what it shows.
        if not self.updating and (
            (shape == self._shape and _update_blocks(markdown, tokens, source))
            or _update_paragraphs(markdown, tokens, source)
        ):
            self._shape = shape
            return
        self._shape = shape
        self._full_update = update = markdown.update(source)
        # Quitting while a remount waits for its turn cancels it: nothing to report then.
        update._future.add_done_callback(_ignore_cancellation)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.post_message(self.LinkClicked(event.href))


def _ignore_cancellation(future: asyncio.Future[object]) -> None:
    if not future.cancelled():
        future.exception()  # Retrieved: a remount cut short by quitting is not an error.


def update_static(widget: Static, content: Content) -> None:
    """`Static.update`, without a layout of the whole screen when the height stays the same.

    Args:
        widget: The widget (laid out already, or it is laid out anyway).
        content: Its new content.
    """
    width, height = widget.size
    # What `Widget.get_content_height` asks of the widget's visual (it passes its styles too).
    rules = cast("RulesMap", widget.styles)
    same_height = width > 0 and content.get_height(rules, width) == height
    widget.update(content, layout=not same_height)


@lru_cache(maxsize=16)
def _parser(words: tuple[str, ...]) -> MarkdownIt:
    """The detail pane's parser for some highlighted words (the last few are kept)."""
    return make_highlighting_parser(words)


def _shape(tokens: list[Token]) -> tuple[tuple[str, str, int], ...]:
    """A document's block structure: its tokens but the text (`inline` ones stand as one)."""
    return tuple((token.type, token.tag, token.level) for token in tokens)


def _update_blocks(markdown: Markdown, tokens: list[Token], source: str) -> bool:
    """Give the blocks of a document new text in place, as `Markdown.update` would show it.

    The caller has checked that the new document has the blocks shown (`_shape`): the
    blocks that hold text then take the `inline` tokens in document order, as
    `Markdown._parse_markdown` gave them out. Tables are left to `Markdown.update` (their
    cells are drawn by another widget).

    Returns:
        Whether the blocks were updated.
    """
    if any(token.type == "table_open" for token in tokens):
        return False
    blocks = [block for block in markdown.query(MarkdownBlock) if block._inline_token is not None]
    pairs = [
        (tokens[index - 1], token)
        for index, token in enumerate(tokens)
        if token.type == "inline" and index > 0
    ]
    if len(blocks) != len(pairs):
        return False
    for block, (opening, inline) in zip(blocks, pairs, strict=True):
        _set_block_text(block, opening, inline)
    markdown._markdown = source
    markdown._table_of_contents = None
    return True


def _set_block_text(block: MarkdownBlock, opening: Token, inline: Token) -> None:
    """`MarkdownBlock.build_from_token`, minus the layout when the block keeps its height."""
    block._token = opening
    block.source_range = (opening.map[0], opening.map[1]) if opening.map else (0, 0)
    block._inline_token = inline
    block._content = content = block._token_to_content(inline)
    update_static(block, content)


def _update_paragraphs(markdown: Markdown, tokens: list[Token], source: str) -> bool:
    """Give a document's paragraphs new text in place, as `Markdown.update` would show it.

    Nearly every entry is one paragraph. `Markdown.update` removes its block widgets and
    mounts new ones, a few milliseconds each time the cursor moves, and garbage cycles that
    bring on full collections. When the document shown and the new one are both top-level
    paragraphs only, as many of each, the paragraphs are rebuilt from their new tokens the
    way `Markdown._parse_markdown` builds them (this leans on Textual 8.2's `MarkdownBlock`
    internals; Textual is pinned). Anything else is left to `Markdown.update`.

    Returns:
        Whether the paragraphs were updated, or there were none either side (False: nothing
        was changed).
    """
    paragraph_class = markdown.get_block_class("paragraph_open")
    blocks = list(markdown.children)
    if len(tokens) != 3 * len(blocks):
        return False
    if not all(type(block) is paragraph_class for block in blocks):
        return False
    pieces = [tokens[start : start + 3] for start in range(0, len(tokens), 3)]
    for opening, inline, closing in pieces:
        if (opening.type, inline.type, closing.type, opening.level) != (
            "paragraph_open",
            "inline",
            "paragraph_close",
            0,
        ):
            return False
    for block, (opening, inline, _) in zip(blocks, pieces, strict=True):
        assert isinstance(block, MarkdownBlock)
        _set_block_text(block, opening, inline)
    markdown._markdown = source
    markdown._table_of_contents = None
    return True
