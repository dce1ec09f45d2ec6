"""What the speed-ups must not change: the detail pane, the footer, the lazy tree, the session.

Each fast path is checked against the slow path it stands in for (Textual's own widgets, a
remount, brute-force filtering), on the real notes. No timings here: `benchmarks/tui.py`
measures speed.
"""

from __future__ import annotations

import gc
import re
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Footer, Markdown
from tui_support import SIZE, bundled_app, bundled_releases, entry_list, running, select_entry

import notes_tui.app as app_module
import notes_tui.screens.main as main_module
import notes_tui.widgets.entry_detail as entry_detail_module
from notes_tui.app import NotesApp
from notes_tui.loading import load
from notes_tui.model import Entry, Release
from notes_tui.query import parse_query
from notes_tui.sanitize import clean_block
from notes_tui.search import matches, search_key
from notes_tui.session import Session
from notes_tui.upgrade import backports
from notes_tui.widgets.counted_tree import Scope
from notes_tui.widgets.entry_detail import EntryDetail
from notes_tui.widgets.filter_bar import FilterBar
from notes_tui.widgets.section_tree import SectionTree

Cells = list[list[tuple[str, Any]]]


async def paint(pilot: Pilot[Any]) -> None:
    """Process what is pending, remounts included, and paint now (layout too)."""
    app = pilot.app
    for _ in range(100):
        await pilot.pause()
        if not any(detail.updating for detail in app.screen.query(EntryDetail)):
            break
    app.screen._on_timer_update()
    await pilot.pause()


def painted_cells(pilot: Pilot[Any], top: int, bottom: int, left: int, right: int) -> Cells:
    """The text and style of each run of cells in a rectangle of the screen, as painted."""
    strips = pilot.app.screen._compositor.render_strips()
    return [
        [(segment.text, segment.style) for segment in strip.crop(left, right).simplify()]
        for strip in strips[top:bottom]
    ]


def detail_cells(pilot: Pilot[Any]) -> Cells:
    region = pilot.app.screen.query_one(EntryDetail).region
    return painted_cells(pilot, region.y, region.bottom, region.x, region.right)


async def shown_like_a_remount(
    pilot: Pilot[Any], entry: Entry, words: tuple[str, ...] = ()
) -> bool:
    """Show an entry in the detail pane and check that it is drawn as `Markdown.update` draws
    it (a remount), in the same frame.

    Returns:
        Whether the entry was shown in place (nothing left to mount).
    """
    detail = pilot.app.screen.query_one(EntryDetail)
    detail.show(entry, words)
    in_place = not detail.updating
    await paint(pilot)
    shown = detail_cells(pilot)
    await detail.query_one(Markdown).update(clean_block(entry.markdown))
    await paint(pilot)
    assert detail_cells(pilot) == shown, (entry.summary, words)
    return in_place


async def test_paragraphs_updated_in_place_look_like_a_remount() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        await paint(pilot)
        in_place = 0
        entries = list(entry_list(app).entries)
        for words in ((), ("ztunnel",), ("the", "support")):
            for entry in entries:
                in_place += await shown_like_a_remount(pilot, entry, words)
        # Most entries are one paragraph: the fast path is the common one.
        assert in_place > len(entries) * 2


async def test_blocks_updated_in_place_look_like_a_remount(
    istio_releases: list[Release],
) -> None:
    """The same entry with other words highlighted keeps its blocks: lists, headings,
    nested paragraphs get their new text in place, drawn as a remount draws them."""
    listed = re.compile(r"\n *[-*] ")
    entries = [
        entry
        for release in istio_releases
        for entry in release.entries
        if listed.search(entry.markdown)
    ][::20][:6]
    assert len(entries) == 6
    app = NotesApp(istio_releases)
    async with running(app, size=SIZE) as pilot:
        detail = app.screen.query_one(EntryDetail)
        in_place = 0
        for entry in entries:
            detail.show(entry, ("the",))
            await paint(pilot)
            for words in (("filter", "the"), ("authz",), ()):
                in_place += await shown_like_a_remount(pilot, entry, words)
        assert in_place == 3 * len(entries)


async def test_entries_built_differently_keep_the_blocks_they_share(
    istio_releases: list[Release],
) -> None:
    """Between entries of different shapes, the leading blocks they share are kept (the
    same widgets, new text) and only the rest is remounted; it looks like a remount."""
    entries = [entry for release in istio_releases for entry in release.entries]
    one = next(entry for entry in entries if "\n\n" not in entry.markdown.strip())
    several = [
        entry
        for entry in entries
        if not re.match(r"\s*(#|```|[-*>] )", entry.markdown)
        and ("```" in entry.markdown or re.search(r"\n\n *[-*] ", entry.markdown))
    ][:4]
    assert len(several) == 4
    app = NotesApp(istio_releases)
    async with running(app, size=SIZE) as pilot:
        detail = app.screen.query_one(EntryDetail)
        markdown = detail.query_one(Markdown)
        for entry in several:
            detail.show(one)
            await paint(pilot)
            first = markdown.children[0]
            detail.show(entry, ("the",))
            await paint(pilot)
            assert markdown.children[0] is first, entry.summary
            assert len(markdown.children) > 1
            shown = detail_cells(pilot)
            await markdown.update(clean_block(entry.markdown))
            await paint(pilot)
            assert detail_cells(pilot) == shown, entry.summary
            detail.show(one)
            await paint(pilot)
            # One block shown; paragraphs left over are kept hidden, for the next entries.
            assert [block.display for block in markdown.children][:1] == [True]
            assert not any(block.display for block in markdown.children[1:])
            assert len(markdown.children) <= 1 + entry_detail_module.MAX_SPARES


async def test_a_second_paragraph_reuses_a_spare_widget(istio_releases: list[Release]) -> None:
    """Entries of one and of two paragraphs, in turn: after the first two-paragraph entry,
    no block widget is mounted again, and each entry is drawn as a remount draws it."""
    entries = [entry for release in istio_releases for entry in release.entries]
    paragraphs = re.compile(r"\S\n\n+\S")
    one = [e for e in entries if "\n\n" not in e.markdown.strip()][:3]
    two = [
        e
        for e in entries
        if len(paragraphs.findall(e.markdown.strip())) == 1
        and not re.search(r"^\s*([-*>#]|```|\d+\.)", e.markdown, re.MULTILINE)
    ][:3]
    assert len(one) == len(two) == 3
    app = NotesApp(istio_releases)
    async with running(app, size=SIZE) as pilot:
        detail = app.screen.query_one(EntryDetail)
        markdown = detail.query_one(Markdown)
        detail.show(two[0])
        await paint(pilot)
        widgets = list(markdown.children)
        assert len(widgets) == 2
        for first, second in zip(one, two, strict=True):
            for entry in (first, second):
                detail.show(entry)
                assert not detail.updating  # nothing to mount
                await paint(pilot)
                assert list(markdown.children) == widgets
                shown = detail_cells(pilot)
                in_place = [block for block in markdown.children if block.display]
                await markdown.update(clean_block(entry.markdown))
                await paint(pilot)
                assert detail_cells(pilot) == shown, entry.summary
                assert len(in_place) == len(markdown.children)
                # The remount above replaced the blocks: start again from the same state.
                detail.show(two[0], ("x",))
                await paint(pilot)
                widgets = list(markdown.children)


async def test_entries_shown_while_blocks_mount_end_on_the_newest(
    istio_releases: list[Release],
) -> None:
    """Entries shown while blocks are still mounting wait; the pane ends on the newest."""
    entries = [entry for release in istio_releases for entry in release.entries]
    listed = [entry for entry in entries if re.search(r"\n *[-*] ", entry.markdown)][:3]
    plain = [entry for entry in entries if "\n" not in entry.markdown.strip()][:3]
    app = NotesApp(istio_releases)
    async with running(app, size=SIZE) as pilot:
        detail = app.screen.query_one(EntryDetail)
        markdown = detail.query_one(Markdown)
        for entry in (*listed, *plain, listed[0], plain[1]):
            detail.show(entry)  # no pause between them: most land while blocks mount
        assert detail.updating
        await paint(pilot)
        assert not detail.updating
        shown = detail_cells(pilot)
        assert detail.entry is plain[1]
        await markdown.update(clean_block(plain[1].markdown))
        await paint(pilot)
        assert detail_cells(pilot) == shown


async def test_lists_drawn_by_one_widget_look_like_textuals_lists(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lists whose items hold only paragraphs are one widget each (`detail_lists`): drawn
    as Textual's own list widgets draw them, bullets, numbers, wrapping and highlights."""
    releases = load([str(corpus / "istio"), str(corpus / "other")]).releases
    entries = [entry for release in releases for entry in release.entries]
    bulleted = [entry for entry in entries if re.search(r"\n *[-*] ", entry.markdown)]
    numbered = [entry for entry in entries if re.search(r"\n *[0-9]+[.)] ", entry.markdown)]
    nested = [entry for entry in entries if re.search(r"\n {2,}[-*] ", entry.markdown)]
    chosen = [*bulleted[::40][:5], *numbered[:3], *nested[:2]]
    assert len(numbered) >= 3 and len(nested) >= 2
    words = ("the", "to")

    async def draw(markdown_class: type[Markdown]) -> tuple[list[Cells], int]:
        monkeypatch.setattr(entry_detail_module, "DetailMarkdown", markdown_class)
        app = NotesApp(releases)
        drawn, widgets = [], 0
        async with running(app, size=SIZE) as pilot:
            detail = app.screen.query_one(EntryDetail)
            for entry in chosen:
                detail.show(entry, words)
                await paint(pilot)
                drawn.append(detail_cells(pilot))
                widgets += len(list(detail.query_one(Markdown).walk_children()))
        return drawn, widgets

    class StockLists(entry_detail_module.DetailMarkdown):
        BLOCKS = {  # noqa: RUF012 - as Textual declares it
            **entry_detail_module.DetailMarkdown.BLOCKS,
            "bullet_list_open": Markdown.BLOCKS["bullet_list_open"],
            "ordered_list_open": Markdown.BLOCKS["ordered_list_open"],
        }

    mine, my_widgets = await draw(entry_detail_module.DetailMarkdown)
    stock, stock_widgets = await draw(StockLists)
    for entry, ours, theirs in zip(chosen, mine, stock, strict=True):
        assert ours == theirs, entry.summary
    assert my_widgets < stock_widgets / 2


async def test_the_detail_follows_the_cursor_in_the_same_turn() -> None:
    """A cursor move shows its entry in the detail at once (one frame for both), without
    waiting for the list's message to reach the screen."""
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        await paint(pilot)
        entries = entry_list(app)
        detail = app.screen.query_one(EntryDetail)
        for _ in range(5):
            entries.action_cursor_down()
            assert detail.entry is entries.highlighted  # no pause: the same turn
        entries.action_cursor_up()
        assert detail.entry is entries.highlighted


async def footers(monkeypatch: pytest.MonkeyPatch, reference: bool) -> list[Cells]:
    if reference:
        monkeypatch.setattr(main_module, "KeyFooter", Footer)
    app = bundled_app()
    seen: list[Cells] = []
    width, height = SIZE

    async def record(pilot: Pilot[Any]) -> None:
        for _ in range(3):
            await paint(pilot)
        seen.append(painted_cells(pilot, height - 1, height, 0, width))

    def no_issue(entry: Entry) -> bool:
        return not entry.issues

    def no_link(entry: Entry) -> bool:
        return not entry.issues and not entry.links

    async with running(app, size=SIZE) as pilot:
        await record(pilot)
        for predicate in (no_issue, no_link, lambda entry: bool(entry.issues)):
            if any(predicate(entry) for entry in entry_list(app).entries):
                select_entry(app, predicate)
                await record(pilot)
        await pilot.press("slash")
        await record(pilot)
        await pilot.press(*"zzzz", "enter")
        await record(pilot)
        await pilot.press("slash", "escape")
        await record(pilot)
        await pilot.press("question_mark")
        await pilot.press("escape")
        await record(pilot)
    return seen


async def test_the_footer_shows_what_textuals_footer_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ours = await footers(monkeypatch, reference=False)
    theirs = await footers(monkeypatch, reference=True)
    assert len(ours) >= 5
    assert ours == theirs


def label_count(label: object) -> int:
    plain = label.plain if isinstance(label, Text) else str(label)
    return int(plain.rpartition(" (")[2].rstrip(")"))


def entries_in(session: Session, scope: Scope) -> int:
    """How many shown entries a tree node covers, counted entry by entry."""
    shown = {id(entry) for entry in session.visible}
    return sum(
        1
        for entry, (release, area) in zip(session.index.entries, session.node_of, strict=True)
        if id(entry) in shown
        and (scope.releases is None or release in scope.releases)
        and (scope.area_key is None or area == scope.area_key)
    )


async def test_collapsed_nodes_get_their_children_with_counts_when_opened(
    istio_releases: list[Release],
) -> None:
    app = NotesApp(istio_releases)
    async with running(app, size=SIZE) as pilot:
        await paint(pilot)
        main = app.main
        assert main is not None
        tree = main.query_one(SectionTree)
        series = tree.root.children[0]
        collapsed = next(node for node in series.children if node.allow_expand)
        assert not collapsed.is_expanded and not collapsed.children
        collapsed.expand()
        await paint(pilot)
        assert collapsed.children
        for query in ("", "ztunnel"):
            main.query_one(FilterBar).post_message(FilterBar.QueryChanged(query))
            await paint(pilot)
            session = main.session
            for node in [collapsed, *collapsed.children]:
                assert node.data is not None
                assert label_count(node.label) == entries_in(session, node.data), query


def brute_force(session: Session, text: str) -> list[Entry]:
    query = parse_query(text)
    return [entry for entry in session.index.entries if matches(entry, search_key(entry), query)]


def test_area_and_kind_filters_match_entry_by_entry_matching(
    istio_releases: list[Release],
) -> None:
    session = Session()
    session.add(istio_releases)
    for text in (
        "area:sec",
        "-area:sec",
        "area:traffic kind:fix",
        "kind:add -area:tel",
        "-kind:fix ztunnel",
        "area:ist -kind:upd gateway",
        "kind:nosuch",
        "#57530",
        "is:breaking area:sec",
    ):
        session.set_query(text)
        assert session.visible == brute_force(session, text), text


def test_typing_and_backspacing_match_entry_by_entry_matching(
    istio_releases: list[Release],
) -> None:
    # What each keystroke finds is narrowed from what an earlier one found (`WordHits`), or
    # looked for among the entries of the areas and kinds asked for first.
    session = Session()
    session.add(istio_releases)
    typed = [
        *("ztunnel"[:n] for n in range(1, 8)),
        *("ztunnel"[:n] for n in range(6, -1, -1)),
        *("area:sec fix"[:n] for n in range(1, 13)),
        "area:sec fix ztunnel",
        "-area:sec gate",
        "-area:sec gateway",
        "gateway -area:sec",
        "kind:fix gateway ztunnel",
        "gate way",
        "way gate",
        "",
    ]
    for text in typed:
        session.set_query(text)
        assert session.visible == brute_force(session, text), text
    session.cycle_kind()
    for text in ("g", "ga", "gat", "gateway", ""):
        session.set_query(text)
        kind = session.kind
        expected = [entry for entry in brute_force(session, text) if entry.kind == kind]
        assert session.visible == expected, text


def test_entries_of_several_areas_filter_as_entry_by_entry_matching(corpus: Path) -> None:
    session = Session()
    session.add(load([str(corpus / "other" / "kubernetes")]).releases)
    assert any(entry.areas for entry in session.index.entries)
    for text in (
        'area:"sig node"',
        '-area:"sig node"',
        'area:"sig api" kind:fix',
        'area:"sig node" sched',
        "-area:sig",
    ):
        session.set_query(text)
        assert session.visible, text
        assert session.visible == brute_force(session, text), text


def test_the_session_computes_keys_counts_and_backports_when_asked(
    istio_releases: list[Release],
) -> None:
    session = Session()
    half = len(istio_releases) // 2
    session.add(istio_releases[:half])
    session.set_query("ztunnel")
    session.add(istio_releases[half:])
    assert session.search_keys() == [search_key(entry) for entry in session.index.entries]
    assert session.visible == brute_force(session, "ztunnel")
    assert session.counts[(None, None)] == len(session.visible)
    by_release = [
        count
        for (release, area), count in session.counts.items()
        if area is None and release is not None
    ]
    assert sum(by_release) == len(session.visible)
    assert session.backports == backports(session.releases)


async def test_the_garbage_collector_is_given_back_as_it_was() -> None:
    thresholds = gc.get_threshold()
    app = NotesApp(list(bundled_releases()))
    async with running(app, size=SIZE):
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0


async def test_full_collections_wait_for_the_user_to_be_idle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = NotesApp(list(bundled_releases()))
    collected: list[int] = []
    async with running(app, size=SIZE) as pilot:
        garbage = [0, 0, app_module.IDLE_COLLECTION_MINIMUM]
        monkeypatch.setattr(gc, "get_count", lambda: tuple(garbage))
        monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation))
        main = app.main
        assert main is not None
        await pilot.press("j")
        assert not app._collect_when_idle()  # A key was just pressed.
        app._last_input -= app_module.IDLE_SECONDS
        main.last_change -= app_module.IDLE_SECONDS
        garbage[2] = app_module.IDLE_COLLECTION_MINIMUM - 1
        assert not app._collect_when_idle()  # Idle, but too little to collect.
        garbage[2] = app_module.IDLE_COLLECTION_MINIMUM
        assert app._collect_when_idle()
        assert collected == [2]
        await pilot.press("k")
        assert not app._collect_when_idle()
        # A change of the view without a key (a filter applied, notes loaded) is not idle.
        app._last_input -= app_module.IDLE_SECONDS
        main.last_change -= app_module.IDLE_SECONDS
        main.set_kind("Fixed")
        assert not app._collect_when_idle()
        main.last_change -= app_module.IDLE_SECONDS
        assert app._collect_when_idle()


async def test_the_list_scrollbar_follows_the_filter(istio_releases: list[Release]) -> None:
    # The list skips scrollbar updates when no size changed: a filter changes its size.
    app = NotesApp(istio_releases)
    async with running(app, size=SIZE) as pilot:
        await paint(pilot)
        entries = entry_list(app)
        bar = app.screen.query_one(FilterBar)
        for query, scrolls in (("", True), ("#57530", False), ("ztunnel", True), ("", True)):
            bar.post_message(FilterBar.QueryChanged(query))
            await paint(pilot)
            assert entries.show_vertical_scrollbar is scrolls, query
            if scrolls:
                assert entries.vertical_scrollbar.window_virtual_size == len(entries.entries)


async def test_the_panes_fill_right_behind_the_first_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first frame shows the list; the tree, the detail, the title and the footer are
    mounted right behind it, not after the frame timer's next paint."""
    frames: list[object] = []
    frames_before_fill: list[int] = []
    fill = main_module.MainScreen._fill_slots

    async def counted_fill(self: main_module.MainScreen) -> None:
        frames_before_fill.append(len(frames))
        await fill(self)

    monkeypatch.setattr(main_module.MainScreen, "_fill_slots", counted_fill)
    app = bundled_app()
    display = app._display

    def on_frame(screen: Any, update: Any) -> None:
        display(screen, update)
        if update is not None:
            frames.append(update)

    app._display = on_frame  # type: ignore[method-assign]
    async with running(app, size=SIZE) as pilot:
        await paint(pilot)
        assert app.main is not None and app.main.panes_ready
    assert frames_before_fill == [1]
