"""The detail pane: the highlighted entry, its issues and links, and its Markdown rendered."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from textual import on
from textual.app import ComposeResult
from textual.await_remove import AwaitRemove
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Mount
from textual.message import Message
from textual.widget import AwaitMount, Widget
from textual.widgets import Markdown, Static
from textual.widgets._markdown import MarkdownParagraph
from textual.widgets.markdown import MarkdownBlock

from notes_tui.highlight import detail_tokens, make_highlighting_parser
from notes_tui.model import Entry, Link
from notes_tui.sanitize import clean_block, clean_line
from notes_tui.widgets.detail_blocks import (
    Shape,
    block_groups,
    block_shape,
    reconcile,
    reuse_paragraphs,
)
from notes_tui.widgets.detail_lists import DetailBulletList, DetailOrderedList
from notes_tui.widgets.sizing import SizedWithoutRelayout, update_static

MAX_SPARES = 4
"""How many paragraph widgets the detail keeps hidden for the next entries to reuse."""


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


def header_content(entry: Entry, also_in: Sequence[str] = (), place: str | None = None) -> Content:
    """The detail pane's heading: release, area, kind and place, backports, numbered links.

    Args:
        entry: The entry.
        also_in: Other releases its issues appear in.
        place: How to name its file (`notes_tui.places`); by default, its file name.

    Returns:
        Content built from data (never parsed as markup).
    """
    meta = Content.assemble(
        (clean_line(entry.release), "bold"),
        "  ·  ",
        clean_line(entry.area),
        "  ·  ",
        (clean_line(entry.kind_label or entry.kind), "bold"),
        f"  ·  {clean_line(place or entry.source.rsplit('/', 1)[-1])}:{entry.line}",
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
    """The detail's Markdown, sized without a second layout; its paragraphs too.

    It starts empty and `EntryDetail` fills it block by block (`detail_blocks`).
    """

    BLOCKS: dict[str, type[MarkdownBlock]] = {  # noqa: RUF012 - Textual declares it so
        **Markdown.BLOCKS,
        "paragraph_open": DetailParagraph,
        "bullet_list_open": DetailBulletList,
        "ordered_list_open": DetailOrderedList,
    }

    @on(Mount)
    def _no_initial_document(self, event: Mount) -> None:
        # `Markdown` parses its initial document when mounted, removing every block there
        # is by then: the blocks an entry shown meanwhile has mounted. There is no initial
        # document here, so only the widget's own mount runs.
        event.prevent_default()
        Widget._on_mount(self, event)


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
        self._place: str | None = None
        self._shapes: list[Shape] = []
        """The shape of each top-level block shown (`block_shape`), in order."""
        self._mounting: asyncio.Task[None] | None = None
        """The last change that removes and mounts blocks (it finishes asynchronously)."""
        self._wanted: str | None = None
        """Markdown to show once the change under way is done."""

    def compose(self) -> ComposeResult:
        yield DetailHeader(Content("No entry to show."), id="detail-header", markup=False)
        yield DetailMarkdown(
            id="detail-markdown", open_links=False, parser_factory=self._make_parser
        )

    def _make_parser(self) -> MarkdownIt:
        return _parser(self._words)

    @property
    def entry(self) -> Entry | None:
        """The entry shown."""
        return self._entry

    @property
    def updating(self) -> bool:
        """Whether the Markdown shown is still being changed (blocks mount asynchronously)."""
        return self._wanted is not None or (
            self._mounting is not None and not self._mounting.done()
        )

    def show(
        self,
        entry: Entry | None,
        words: Sequence[str] = (),
        also_in: Sequence[str] = (),
        place: str | None = None,
    ) -> None:
        """Show an entry (or nothing).

        Args:
            entry: The entry, or None.
            words: Case-folded words to highlight.
            also_in: Other releases the entry's issues appear in (backports).
            place: How to name the entry's file (`notes_tui.places`); by default, its
                file name.
        """
        words, also_in = tuple(words), tuple(also_in)
        if entry is self._entry and (words, also_in, place) == (
            self._words,
            self._also_in,
            self._place,
        ):
            return
        self._entry, self._words, self._also_in, self._place = entry, words, also_in, place
        header = self.query_one("#detail-header", Static)
        if entry is None:
            update_static(header, Content("No entry matches."))
            self._update_markdown("")
            return
        update_static(header, header_content(entry, also_in, place))
        self._update_markdown(clean_block(entry.markdown))
        self.scroll_home(animate=False)

    def _update_markdown(self, source: str) -> None:
        """Show Markdown, keeping the blocks shown that it shares with what is shown.

        While blocks are being mounted, the newest Markdown waits for them to finish: the
        Markdown shown then catches up with the newest entry at once (`_catch_up`).
        """
        if self.updating:
            self._wanted = source
            return
        markdown = self.query_one("#detail-markdown", DetailMarkdown)
        groups = block_groups(detail_tokens(_parser(self._words), source))
        shapes = [block_shape(group) for group in groups]
        children = list(markdown.children)
        shown, spares = children[: len(self._shapes)], children[len(self._shapes) :]
        if not all(block.display for block in shown) or any(block.display for block in spares):
            shown, spares, self._shapes = children, [], []  # Not as left: nothing is kept.
        kept, self._shapes = reconcile(markdown, shown, groups, shapes, self._shapes), shapes
        markdown._markdown = source
        markdown._table_of_contents = None
        # Blocks that follow those kept: paragraphs take new paragraphs in place, the rest
        # are hidden as spares (a few); otherwise they go and new blocks are mounted.
        left = shown[kept:] + spares
        reused = reuse_paragraphs(left, groups[kept:])
        unused = left[reused:]
        hidden: list[Widget] = []
        if reused == len(groups) - kept:  # Every new block is placed: paragraphs left wait.
            hidden = [block for block in unused if isinstance(block, DetailParagraph)]
            hidden = hidden[:MAX_SPARES]
        for block in left[:reused]:
            block.display = True
        for block in hidden:
            block.display = False
        stale = [block for block in unused if block not in hidden]
        start = kept + reused
        fresh = list(markdown._parse_markdown(token for group in groups[start:] for token in group))
        if not stale and not fresh:
            return
        with self.app.batch_update():
            removed = markdown.remove_children(stale)
            mounted = markdown.mount_all(fresh)
        self._mounting = task = asyncio.ensure_future(self._finish(removed, mounted))
        # Quitting while blocks mount cancels it: nothing to report then.
        task.add_done_callback(_ignore_cancellation)

    async def _finish(self, removed: AwaitRemove, mounted: AwaitMount) -> None:
        await removed
        await mounted
        self.call_later(self._catch_up)

    def _catch_up(self) -> None:
        if self._wanted is not None:
            source, self._wanted = self._wanted, None
            self._update_markdown(source)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.post_message(self.LinkClicked(event.href))


def _ignore_cancellation(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()  # Retrieved: a change cut short by quitting is not an error.


@lru_cache(maxsize=16)
def _parser(words: tuple[str, ...]) -> MarkdownIt:
    """The detail pane's parser for some highlighted words (the last few are kept)."""
    return make_highlighting_parser(words)
