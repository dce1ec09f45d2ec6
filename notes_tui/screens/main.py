"""The main screen: routes messages between the tree, the filter bar, the list and the detail."""

from __future__ import annotations

import gc
import time
from asyncio import gather
from collections.abc import Sequence
from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.content import Content
from textual.notifications import Notification
from textual.widgets import Static

from notes_tui.loading import no_entries_warning
from notes_tui.messages import LoadFailed, OpenLink
from notes_tui.model import Entry, Release
from notes_tui.places import short_places
from notes_tui.query import parse_query
from notes_tui.reading import DEFAULT_READ, ReadOptions
from notes_tui.sanitize import clean_line
from notes_tui.screens.actions import ScreenActions
from notes_tui.session import Session
from notes_tui.upgrade import other_releases
from notes_tui.widgets.entry_detail import EntryDetail, numbered_links
from notes_tui.widgets.entry_list import EntryList
from notes_tui.widgets.filter_bar import FilterBar
from notes_tui.widgets.key_footer import KeyFooter
from notes_tui.widgets.loader import Loader
from notes_tui.widgets.section_tree import SectionTree
from notes_tui.widgets.slot import Slot
from notes_tui.widgets.title_bar import TitleBar

VIEW_REFRESH_SECONDS = 0.3
"""How often, at most, the list takes in new releases while files are being read (the tree:
`TREE_REFRESH_SECONDS`).

The status line counts the files read at every batch; repainting the list, the tree and the
detail costs more than reading a batch from the cache, and takes the reading thread's turn.
"""

TREE_REFRESH_SECONDS = 1.0
"""While files are being read, how often, at most, the tree is built again with the releases
read (the list takes them in every `VIEW_REFRESH_SECONDS`; the tree gets everything at the
end). Building and painting the tree is most of what a batch costs the app, and it takes a
core from the worker processes parsing the rest: some 20-45 ms of a cold load of 399 files.
"""


class MainScreen(ScreenActions):
    """Section tree, filter bar, entry list, detail pane (the keys: `ScreenActions`)."""

    AUTO_FOCUS = "#entries"
    """The list has the focus from the start (one focus change, not two)."""

    def __init__(
        self,
        releases: list[Release],
        initial_query: str = "",
        targets: Sequence[str | Path] = (),
        options: ReadOptions = DEFAULT_READ,
        warnings: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self._binding_state: tuple[bool, ...] = ()
        self._choice_shown: Notification | None = None
        """The notification of the last area or kind chosen by key (`_tell_choice`)."""
        self._initial_query = initial_query
        self._loader = Loader(targets, options) if targets else None
        """Reads the files given, once mounted (with the screen: see `on_mount`)."""
        self._arrived: list[Release] = []
        """Releases read but not yet in the session (see `VIEW_REFRESH_SECONDS`)."""
        self._view_refreshed = time.monotonic()
        """When the list last took in new releases (`time.monotonic`)."""
        self._tree_built = 0.0
        """When the tree was last built (`time.monotonic`; see `TREE_REFRESH_SECONDS`)."""
        self._tree_stale = False
        """Whether releases were added that the tree does not show yet."""
        self._warnings_given = list(warnings)
        """Problems met reading `releases` (told once the panes are up)."""
        self.load_warnings: list[str] = list(warnings)
        """Problems met reading the notes: those given, then those of the background load."""
        self.session = Session(query_text=initial_query, query=parse_query(initial_query))
        """What is loaded and shown; filled before the first frame, so the list has it at once."""
        self.session.add(releases)
        self._places = short_places({release.source for release in releases})
        """How the detail names each file (`notes_tui.places`)."""
        if targets:
            self.session.progress = (0, len(targets))
        self._entry_list = EntryList(
            self.session.visible, self.session.query.highlights, id="entries"
        )
        """The list, made here so that actions can be checked before it is mounted."""
        self._filter_bar = FilterBar(id="filter")
        self._tree = SectionTree(id="tree")
        self._detail = EntryDetail(id="detail")
        self._slots = (
            Slot(TitleBar(id="title"), id="title-slot"),
            Slot(self._tree, id="tree-slot"),
            Slot(self._detail, id="detail-slot"),
            Slot(KeyFooter(), id="footer-slot"),
        )
        """Places for the panes that are mounted after the first frame."""
        self.panes_ready = False
        """Whether the title bar, the tree, the detail and the footer are mounted."""
        self._filling = False
        """Whether `_fill_slots` was scheduled (once, at the first `ScreenResume`)."""
        self.last_change = time.monotonic()
        """When the view last changed (`time.monotonic`): the app collects garbage when idle."""

    def compose(self) -> ComposeResult:
        title, tree, detail, footer = self._slots
        # The screen's grid places them (see `app.tcss`): no container to paint behind them.
        yield title
        yield tree
        yield self._filter_bar
        yield detail
        yield self._entry_list
        yield Static(Content(self.session.status()), id="status", markup=False)
        yield footer
        if self._loader is not None:
            # It starts as it is mounted: worker processes parse, the reading thread mostly
            # waits for them, so the first frame and the panes hardly wait for it.
            yield self._loader

    def on_mount(self) -> None:
        if self._initial_query:
            self._filter_bar.value = self._initial_query
        # The list and the status line were made with the session: nothing to refresh.

    def on_screen_resume(self) -> None:
        # The first frame shows the list; the panes around it follow (see `Slot`). This
        # handler runs just before `Screen._on_screen_resume`, which lays the screen out and
        # paints that first frame, and `call_next` runs right behind that. (After
        # `call_after_refresh`, the panes would wait for the frame timer's next paint,
        # some 20 ms later.)
        if not self._filling:
            self._filling = True
            self.call_next(self._fill_slots)

    async def _fill_slots(self) -> None:
        if self._loader is not None:
            self._loader.first_frame_painted()  # Its worker processes may start.
        await gather(*(slot.fill() for slot in self._slots))
        if not (self.is_attached and all(slot.pane.is_mounted for slot in self._slots)):
            return  # The app quit while the panes were being mounted.
        self.panes_ready = True
        if self._warnings_given:
            self._tell_problems(self._warnings_given)
        self._show_releases()
        self.refresh_bindings()  # The footer is new: it shows the keys of now.
        # The detail follows the cursor as it moves, so that the list and the detail change
        # in one frame; `EntryList.Highlighted`, which bubbles, would arrive after the list's.
        self.watch(self._entry_list, "cursor", self._cursor_moved, init=False)
        # See `tune_garbage_collector`: the widgets and the tree's nodes join the notes.
        gc.freeze()

    @on(Loader.Loaded)
    def _loaded(self, event: Loader.Loaded) -> None:
        self.session.progress = (event.done, event.total)
        self._arrived.extend(event.releases)
        now = time.monotonic()
        # The last batch waits for `Loader.Finished`, right behind it: one refresh for both.
        if now - self._view_refreshed >= VIEW_REFRESH_SECONDS and event.done < event.total:
            self._add_arrived()
        else:
            self._update_status()
        if self._loader is not None:
            self._loader.taken()

    def _add_arrived(self) -> None:
        releases, self._arrived = self._arrived, []
        self._view_refreshed = time.monotonic()
        self.add_releases(releases)

    @on(Loader.Finished)
    def _load_finished(self, event: Loader.Finished) -> None:
        self.session.progress = None
        everything = self.session.releases + self._arrived
        problems = [*event.warnings, *event.errors]
        problems += no_entries_warning(everything, problems)
        self.load_warnings += problems
        if self._arrived:
            self._add_arrived()
        elif self._tree_stale:
            self._show_releases()  # The tree takes what it has not been shown.
        else:
            self._refresh_view()  # The status line no longer says "loading".
        if self._loader is not None:
            # Once what was read is painted, the loader writes the cache's pack. Asked of
            # the loader, after the widgets changed above: they tell the screen of their
            # repaints first, and the callback then waits for the frame that paints them.
            # (Asked of the screen, it ran before they did, and the pack's encoding and
            # writing took the interpreter's lock from that frame.)
            self._loader.call_after_refresh(self._loader.shown)
        if event.errors and not self.session.releases:
            self.post_message(LoadFailed(event.errors[0]))
            return
        if problems:
            self._tell_problems(problems)

    @on(Loader.CacheNotWritten)
    def _cache_not_written(self, event: Loader.CacheNotWritten) -> None:
        # It comes after `Finished`: kept with its warnings, which the command line repeats
        # on exit.
        self.load_warnings.append(event.warning)
        self.notify(clean_line(event.warning)[:300], severity="warning", timeout=8, markup=False)

    def add_releases(self, releases: list[Release]) -> None:
        """Add loaded releases to everything shown.

        Args:
            releases: The releases.
        """
        self.session.add(releases)
        self._places = short_places({release.source for release in self.session.releases})
        self._show_releases()
        gc.freeze()  # The new notes too (see `app.tune_garbage_collector`).

    def _show_releases(self) -> None:
        """Show the session's releases: the tree built again (once it is mounted, and while
        files are read at most every `TREE_REFRESH_SECONDS`), the view."""
        if not self.panes_ready:
            self._refresh_view()
            return
        session = self.session
        now = time.monotonic()
        if session.progress is not None and now - self._tree_built < TREE_REFRESH_SECONDS:
            self._tree_stale = True  # Built again later; its counts follow meanwhile.
            self._refresh_view()
            return
        self._tree_built, self._tree_stale = now, False
        self._tree.set_releases(session.releases, session.versions, session.counts)
        self._refresh_view()
        self._tree.lay_out_lines()  # After the counts, which widen its lines.

    def _refresh_view(self) -> None:
        self.last_change = time.monotonic()
        session = self.session
        entry_list = self._entry_list
        entry_list.show(session.visible, session.query.highlights)
        self._update_status()
        if not self.panes_ready:
            return
        self._tree.set_counts(session.counts)
        self._show_detail(entry_list.highlighted)
        self._refresh_bindings_if_needed()

    def _update_status(self) -> None:
        # One line high whatever it says: no layout.
        self.query_one("#status", Static).update(Content(self.session.status()), layout=False)

    def _refresh_bindings_if_needed(self) -> None:
        """Refresh the footer only when open or copy becomes (un)available: it is costly."""
        entry = self.current
        state = (
            entry is not None and bool(numbered_links(entry)),
            entry is not None and bool(entry.issues),
            any(e.issues for e in self.session.visible),
        )
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def _show_detail(self, entry: Entry | None) -> None:
        if not self.panes_ready:
            return
        if entry is None:
            self._detail.show(None, self.session.query.highlights)
            return
        also_in = other_releases(entry, self.session.backports)
        place = self._places.get(entry.source)
        self._detail.show(entry, self.session.query.highlights, also_in, place)

    # Messages from the widgets.

    def _cursor_moved(self) -> None:
        """Show the highlighted entry (the screen watches the list's cursor: see `_fill_slots`)."""
        entry = self._entry_list.highlighted
        self.last_change = time.monotonic()
        self._show_detail(entry)
        self._refresh_bindings_if_needed()

    @on(FilterBar.QueryChanged)
    def _query_changed(self, event: FilterBar.QueryChanged) -> None:
        self.session.set_query(event.query)
        self._refresh_view()

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        self.set_focus(self._entry_list)
        # Keys that reached the bar behind `enter` go, in order, where the focus is now. They
        # come from the app, as keys do: sent from here, they would stop bubbling at the
        # screen, before the app looks up their bindings.
        for held in self._filter_bar.release_held():
            key = events.Key(held.key, held.character)
            key.set_sender(self.app)
            self.app.post_message(key)

    @on(SectionTree.ScopeSelected)
    def _scope_selected(self, event: SectionTree.ScopeSelected) -> None:
        self.session.set_scope((event.scope.releases, event.scope.area_key), event.name)
        self._refresh_view()

    @on(EntryDetail.LinkClicked)
    def _link_clicked(self, event: EntryDetail.LinkClicked) -> None:
        self.post_message(OpenLink(event.href))
