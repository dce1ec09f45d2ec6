"""The tree's counts, drawn when a line is drawn: what the user sees must not change.

The section tree keeps only names in its nodes and draws each count after the name Textual's
`Tree` draws; a new filter repaints only the lines whose count changed. Each fast path is
checked against the slow path it stands in for: Textual's `Tree` drawing full labels, every
line repainted; counts computed entry by entry. No timings here.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.widgets import Tree
from textual.widgets.tree import TreeNode
from tui_support import SIZE, bundled_app

from notes_tui.app import NotesApp
from notes_tui.counts import CountKey
from notes_tui.model import Release
from notes_tui.session import Session
from notes_tui.widgets.counted_tree import Scope
from notes_tui.widgets.entry_detail import EntryDetail
from notes_tui.widgets.filter_bar import FilterBar
from notes_tui.widgets.section_tree import SectionTree

Cells = list[list[tuple[str, Any]]]


async def paint(pilot: Pilot[Any]) -> None:
    """Process what is pending and paint now."""
    app = pilot.app
    for _ in range(100):
        await pilot.pause()
        main = getattr(app, "main", None)
        ready = main is None or getattr(main, "panes_ready", True)
        if ready and not any(detail.updating for detail in app.screen.query(EntryDetail)):
            break
    app.screen._on_timer_update()
    await pilot.pause()


def tree_cells(pilot: Pilot[Any]) -> Cells:
    """The text and style of each run of cells of the tree, as painted."""
    tree = pilot.app.screen.query_one(SectionTree)
    region = tree.region
    strips = pilot.app.screen._compositor.render_strips()
    return [
        [(segment.text, segment.style) for segment in strip.crop(region.x, region.right).simplify()]
        for strip in strips[region.y : region.bottom]
    ]


def every_node(tree: SectionTree) -> list[TreeNode[Scope]]:
    found: list[TreeNode[Scope]] = []
    stack = [tree.root]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.children)
    return found


def repaint_all(tree: SectionTree) -> None:
    tree._line_cache.clear()
    tree._styles_cache.clear()
    tree.refresh()


async def as_textual_draws_it(pilot: Pilot[Any], monkeypatch: pytest.MonkeyPatch) -> Cells:
    """The tree as Textual's own `Tree` draws it with full labels (`name (count)`), every line
    drawn again, the layout (and so the widths) kept."""
    tree = pilot.app.screen.query_one(SectionTree)
    names = {node: node._label for node in every_node(tree)}
    labels = {node: tree.label_of(node) for node in names}
    with monkeypatch.context() as patched:
        patched.setattr(SectionTree, "_render_line", Tree._render_line)
        for node, label in labels.items():
            node._label = label
        repaint_all(tree)
        await paint(pilot)
        cells = tree_cells(pilot)
        for node, name in names.items():
            node._label = name
    repaint_all(tree)
    await paint(pilot)
    return cells


async def test_tree_lines_look_as_textual_draws_them(
    istio_releases: list[Release], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = NotesApp(istio_releases)
    async with app.run_test(size=SIZE) as pilot:
        await paint(pilot)
        tree = app.screen.query_one(SectionTree)
        bar = app.screen.query_one(FilterBar)
        checked = 0
        for query in ("", "ztunnel", "z", "area:sec fix", "#57530", "zzzz", ""):
            bar.post_message(FilterBar.QueryChanged(query))
            await paint(pilot)
            # Only the lines whose count changed were repainted: the others must be right.
            assert tree_cells(pilot) == await as_textual_draws_it(pilot, monkeypatch), query
            checked += 1
        # The cursor (focused or not), the mouse over a line, a node opened, a scroll.
        tree.focus()
        tree.cursor_line = 3
        await paint(pilot)
        assert tree_cells(pilot) == await as_textual_draws_it(pilot, monkeypatch)
        tree.hover_line = 5
        await paint(pilot)
        assert tree_cells(pilot) == await as_textual_draws_it(pilot, monkeypatch)
        collapsed = next(n for n in tree.root.children[0].children if n.allow_expand)
        collapsed.expand()
        await paint(pilot)
        bar.post_message(FilterBar.QueryChanged("gateway"))
        await paint(pilot)
        assert tree_cells(pilot) == await as_textual_draws_it(pilot, monkeypatch)
        tree.scroll_to(y=20, animate=False)
        await paint(pilot)
        bar.post_message(FilterBar.QueryChanged("gate"))
        await paint(pilot)
        assert tree_cells(pilot) == await as_textual_draws_it(pilot, monkeypatch)
        assert checked == 7


async def test_the_bundled_tree_shows_its_counts_as_textual_draws_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = bundled_app()
    async with app.run_test(size=SIZE) as pilot:
        await paint(pilot)
        tree = app.screen.query_one(SectionTree)
        name_colours: dict[str, set[Any]] = {}
        for query in ("", "ztunnel", "kind:fix", "nothing matches this"):
            app.screen.query_one(FilterBar).post_message(FilterBar.QueryChanged(query))
            await paint(pilot)
            assert tree_cells(pilot) == await as_textual_draws_it(pilot, monkeypatch), query
            # A node that holds nothing under the filter is dimmed, name and all (painted,
            # dim is a paler colour).
            name_colours[query] = {
                style.color
                for line in tree_cells(pilot)
                for text, style in line
                if text.startswith("Traffic Management")
            }
            # Every label, asked for, ends with the count drawn.
            for node in every_node(tree):
                label = node.label
                assert isinstance(label, Text)
                assert label.plain == f"{node._label.plain} ({tree.count_of(node)})"
        assert len(name_colours[""]) == len(name_colours["nothing matches this"]) == 1
        assert name_colours[""] == name_colours["kind:fix"] != name_colours["nothing matches this"]


def entry_by_entry(session: Session) -> Counter[CountKey]:
    """`Session.counts` counted entry by entry: those passing the kind and text filters."""
    passing = {id(entry) for entry in session_passing(session)}
    counts: Counter[CountKey] = Counter()
    for entry, (release, area) in zip(session.index.entries, session.node_of, strict=True):
        if id(entry) in passing:
            for key in ((release, area), (release, None), (None, area), (None, None)):
                counts[key] += 1
    return counts


def session_passing(session: Session) -> list[Any]:
    """The entries passing the kind and text filters (what the counts count), any scope."""
    scope = session.scope
    session.set_scope((None, None))
    passing = list(session.visible)
    session.set_scope(scope)
    return passing


def test_counts_are_the_entries_passing_counted_one_by_one(
    istio_releases: list[Release],
) -> None:
    session = Session()
    session.add(istio_releases)
    for text in ("", "ztunnel", "area:sec", "kind:fix gateway", "#57530", "nothing at all"):
        session.set_query(text)
        session.set_scope((frozenset({0, 1}), None))
        counts = session.counts
        expected = entry_by_entry(session)
        assert dict(counts.items()) == dict(expected), text
        for key in [*expected, (None, "no such area"), (10**6, None), (3, "no such area")]:
            assert counts[key] == expected[key], (text, key)
            assert (key in counts) == (expected[key] > 0), (text, key)
        session.set_scope((None, None))


async def test_set_counts_repaints_only_the_lines_whose_count_changed(
    istio_releases: list[Release],
) -> None:
    app = NotesApp(istio_releases)
    async with app.run_test(size=SIZE) as pilot:
        await paint(pilot)
        main = app.main
        assert main is not None
        tree = main.query_one(SectionTree)
        main.session.set_query("ztunnel")
        tree.set_counts(main.session.counts)
        await paint(pilot)
        tree._styles_cache._dirty_lines.clear()
        same = main.session.counts
        tree.set_counts(same)
        assert not tree._styles_cache._dirty_lines
        main.session.set_query("ztunnel gateway")
        before, after = same, main.session.counts
        tree.set_counts(after)
        dirty = set(tree._styles_cache._dirty_lines)
        scroll_y = tree.scroll_offset.y
        lines = tree._tree_lines[scroll_y : scroll_y + tree.size.height]
        changed = {
            y
            for y, line in enumerate(lines)
            if line.node.data is not None
            and tree._count(line.node.data, before) != tree._count(line.node.data, after)
        }
        assert changed and dirty == changed


async def test_a_resized_tree_is_drawn_again_without_a_layout(
    istio_releases: list[Release], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual's `Tree` lays the whole screen out again at every resize; its lines do not
    # depend on its size (its line cache is keyed by width), so drawing them is enough.
    app = NotesApp(istio_releases)
    async with app.run_test(size=SIZE) as pilot:
        await paint(pilot)
        tree = app.screen.query_one(SectionTree)
        layouts: list[object] = []
        real_layout = type(app.screen)._refresh_layout

        def counted(screen: Any, *args: Any, **kwargs: Any) -> None:
            layouts.append(screen)
            real_layout(screen, *args, **kwargs)

        monkeypatch.setattr(type(app.screen), "_refresh_layout", counted)
        tree.post_message(events.Resize(tree.size, tree.virtual_size, tree.container_size))
        await paint(pilot)
        assert layouts == []
        monkeypatch.undo()
        # A real resize: the lines at the new widths are those Textual draws.
        for width in (130, 190, SIZE[0]):
            await pilot.resize_terminal(width, SIZE[1])
            await paint(pilot)
            assert tree_cells(pilot) == await as_textual_draws_it(pilot, monkeypatch), width
