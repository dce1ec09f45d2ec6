"""Pilot tests on other projects' changelogs: a Kubernetes changelog browsed by SIG and kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownParagraph
from tui_support import (
    FakeSystem,
    entry_list,
    releases_from_markdown,
    running,
    settle,
    status_text,
    wait_for,
)

from notes_tui.app import NotesApp
from notes_tui.highlight import DETAIL_MAX_NESTING
from notes_tui.loading import load
from notes_tui.widgets.filter_bar import FilterBar

SIZE = (160, 50)


@pytest.fixture(scope="module")
def kubernetes_releases(corpus: Path) -> list:  # type: ignore[type-arg]
    return load([str(corpus / "other" / "kubernetes")]).releases


async def apply(pilot, app: NotesApp, query: str) -> None:  # type: ignore[no-untyped-def]
    app.screen.query_one(FilterBar).value = query
    await pilot.press("slash", "enter")
    await wait_for(pilot, lambda: f"filter: {query}" in status_text(app))


async def test_kubernetes_by_sig_and_kind(kubernetes_releases: list) -> None:  # type: ignore[type-arg]
    total = sum(len(r.entries) for r in kubernetes_releases)
    app = NotesApp(kubernetes_releases, system=FakeSystem())
    async with running(app, size=SIZE) as pilot:
        assert status_text(app) == f"{total} of {total} entries"
        # A SIG is an area: every entry shown names SIG Node among its areas.
        await apply(pilot, app, 'area:"sig node"')
        shown = entry_list(app).entries
        assert shown
        assert all(any(area.casefold() == "sig node" for area in (e.area, *e.areas)) for e in shown)
        by_sig = len(shown)
        # Kind narrows further: the Bug or Regression entries of SIG Node are Fixed.
        await apply(pilot, app, 'area:"sig node" kind:fix')
        fixed = entry_list(app).entries
        assert 0 < len(fixed) < by_sig
        assert {e.kind for e in fixed} == {"Fixed"}
        assert {e.kind_label for e in fixed} <= {"Bug or Regression", "Failing Test"}
        # Every entry has its pull request: open and copy are available.
        assert all(e.issues and e.issues[0].type == "pull" for e in fixed)
        await pilot.press("y")
        await settle(pilot)  # the native copy runs in a thread
        system = app.system
        assert isinstance(system, FakeSystem)
        assert system.copied[-1] == fixed[0].issues[0].url


async def test_kubernetes_tree_is_by_version(kubernetes_releases: list) -> None:  # type: ignore[type-arg]
    app = NotesApp(kubernetes_releases, system=FakeSystem())
    async with running(app, size=SIZE):
        from notes_tui.widgets.section_tree import SectionTree

        tree = app.screen.query_one(SectionTree)
        labels = [str(node.label.plain).rsplit(" (", 1)[0] for node in tree.root.children]
        assert labels[0] == "1.32.x"
        versions = [
            str(node.label.plain).rsplit(" (", 1)[0] for node in tree.root.children[0].children
        ]
        assert versions[0].startswith("v1.32.8")
        assert versions[-1].startswith("v1.32.0-alpha.1")


async def test_a_long_heading_in_the_detail_wraps(kubernetes_releases: list) -> None:  # type: ignore[type-arg]
    # The Kubernetes security entries open with a level-3 heading, longer than the pane.
    from textual.widgets._markdown import MarkdownH3

    from notes_tui.widgets.entry_detail import EntryDetail

    app = NotesApp(kubernetes_releases, system=FakeSystem())
    async with running(app, size=SIZE) as pilot:
        await apply(pilot, app, '"CVE-2025-5187"')
        await wait_for(pilot, lambda: bool(app.screen.query(MarkdownH3)))
        await pilot.pause()
        heading = app.screen.query_one(MarkdownH3)
        detail = app.screen.query_one(EntryDetail)
        assert heading.size.width <= detail.scrollable_content_region.width
        lines = [strip.text.strip() for strip in heading.render_lines(heading.region.reset_offset)]
        assert " ".join(line for line in lines if line) == (
            "CVE-2025-5187: Nodes can delete themselves by adding an OwnerReference"
        )


DEEP = 400
DEEP_ENTRIES = {
    "list": "".join("  " * level + f"- level {level}\n" for level in range(1, DEEP))
    + "\n  The paragraph after the list.\n",
    "quote": "\n  " + ">" * DEEP + " deep\n\n  The paragraph after the quote.\n",
    "quote-list": "\n  " + "> - " * DEEP + "deep\n\n  The paragraph after the quotes.\n",
}


@pytest.mark.parametrize("name", DEEP_ENTRIES)
async def test_a_deeply_nested_entry_shows_without_crashing_the_app(name: str) -> None:
    # Each level is a widget, and Textual's layout recurses through them: a list nested
    # 45 deep went past Python's recursion limit and took the app down.
    text = f"## 1.0.0\n\n### Fixed\n\n- Fixed the top entry\n{DEEP_ENTRIES[name]}- Fixed the next\n"
    releases = releases_from_markdown(text)
    assert [e.summary for r in releases for e in r.entries] == [
        "Fixed the top entry",
        "Fixed the next",
    ]
    app = NotesApp(releases, system=FakeSystem())
    async with running(app, size=SIZE) as pilot:
        await settle(pilot)
        app.screen._on_timer_update()
        await pilot.pause()
        markdown = app.screen.query_one("#detail-markdown", Markdown)
        depth = max(len(list(block.ancestors)) for block in markdown.query("*"))
        assert depth - len(list(markdown.ancestors)) <= 4 * DETAIL_MAX_NESTING
        shown = " ".join(str(block.render()) for block in markdown.query(MarkdownParagraph))
        assert "The paragraph after" in shown  # What follows the deep block is read.
        await pilot.press("j")
        await settle(pilot)
        assert entry_list(app).highlighted is releases[0].entries[1]
    assert app.return_code in (None, 0)
