"""A comparison for `tui.py`: the same panes built from Textual's stock widgets.

Two of the benchmark's targets are ratios to an app that shows one `Static`. This app says
what the same layout costs when it is made of Textual's own widgets, with no notes-tui code:
a `Header`, a `Tree` of the releases and their areas with counts, an `Input`, an
`OptionList` of the entries' summaries, a status `Static`, a `Markdown` of the first entry
and a `Footer` with as many keys as notes-tui shows. Everything is mounted in `compose`.
Its rows are context, not targets: what Textual itself needs for such a screen.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Markdown, OptionList, Static, Tree

from notes_tui.model import Release

STOCK_CSS = """
#stock-tree { width: 32; }
#stock-middle { width: 1fr; }
#stock-detail { width: 56; }
#stock-entries { height: 1fr; }
"""
"""The widths notes-tui gives its panes at 160 columns."""


class StockApp(App[None]):
    """notes-tui's main view, made of Textual's stock widgets."""

    CSS = STOCK_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, "nothing", description)
        for key, description in (
            ("slash", "Filter"),
            ("t", "Kind"),
            ("o", "Open"),
            ("y", "Copy URL"),
            ("Y", "Copy all"),
            ("q", "Quit"),
            ("question_mark", "Help"),
        )
    ]

    def __init__(self, releases: Sequence[Release]) -> None:
        super().__init__()
        self.releases = list(releases)

    def compose(self) -> ComposeResult:
        entries = [entry for release in self.releases for entry in release.entries]
        # Text and Content, not strings: the notes' text is data, never markup.
        tree: Tree[None] = Tree(Text(f"All ({len(entries)})"), id="stock-tree")
        for release in self.releases:
            node = tree.root.add(Text(f"{release.title} ({len(release.entries)})"), expand=True)
            for section in release.sections:
                node.add_leaf(Text(f"{section.title} ({len(section.entries)})"))
        tree.root.expand()
        yield Header()
        with Horizontal():
            yield tree
            with Vertical(id="stock-middle"):
                yield Input(placeholder="filter")
                yield OptionList(
                    *(Content(f"{entry.kind:>9}  {entry.summary}") for entry in entries),
                    id="stock-entries",
                )
                yield Static(Content(f"{len(entries)} of {len(entries)} entries"))
            yield Markdown(entries[0].markdown if entries else "", id="stock-detail")
        yield Footer()

    def action_nothing(self) -> None:
        """The keys are there to be shown."""


def stock_target(app: App[None]) -> Widget | None:
    """The stock app's entry list, once mounted."""
    found = app.screen.query("#stock-entries")
    return found.first() if found else None


def stock_ready(app: App[None]) -> bool:
    """Every pane of the stock app is on screen and drawn, and nothing is pending.

    As `tui.painted`, except that a pane's lines not yet drawn do not count: `OptionList`
    keeps lines it was asked to refresh below the screen. (Laxer than notes-tui's test: the
    stock app can only look faster for it.)
    """
    screen = app.screen
    panes = list(screen.query("Tree, OptionList, MarkdownParagraph, FooterKey, HeaderTitle"))
    if len(panes) < 5:
        return False
    visible = screen._compositor.visible_widgets
    return all(
        pane.is_mounted
        and pane in visible
        and bool(pane._styles_cache._cache)
        and not (pane._repaint_required or pane._layout_required)
        for pane in panes
    ) and not (screen._dirty_widgets or screen._layout_required or screen._repaint_required)


def composite_again_ms(app: App[None]) -> float:
    """Milliseconds to compose every line of the screen again, as after a change to all.

    Every widget's styles cache (the lines as the compositor takes them: padding, borders,
    background) is cleared and the screen painted; the widgets' own caches of their content
    (a tree's or a list's lines) are kept, so this is less than a change of everything
    costs: a floor under a keystroke that changes most of the screen.
    """
    screen = app.screen
    for widget in [screen, *screen.walk_children(Widget)]:
        widget._styles_cache.clear()
        widget.refresh()
    start = time.perf_counter()
    screen._on_timer_update()
    return (time.perf_counter() - start) * 1000
