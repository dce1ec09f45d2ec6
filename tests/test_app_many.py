"""Pilot tests with many releases: loading a folder in the background, the tree, version filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Static, Tree
from tui_support import (
    FakeSystem,
    messages,
    running,
    screen_lines,
    select_entry,
    shown_summaries,
    status_text,
    wait_for,
)

from notes_tui.app import NotesApp
from notes_tui.loading import NO_ENTRIES
from notes_tui.targets import plan_targets
from notes_tui.widgets.filter_bar import FilterBar
from notes_tui.widgets.loader import Loader
from notes_tui.widgets.section_tree import SectionTree

SIZE = (160, 50)
LOAD_SECONDS = 60.0
"""How long the whole corpus may take to load on a slow, shared machine."""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_TUI_HOME", str(tmp_path / "home"))


def corpus_app(istio_corpus: Path, initial_query: str = "") -> NotesApp:
    targets = plan_targets([str(istio_corpus)], [])
    return NotesApp([], initial_query, FakeSystem(), targets=targets)


def loaded(app: NotesApp) -> bool:
    main = app.main
    return main is not None and main.session.progress is None and main.session.total == 3766


async def test_a_folder_loads_in_the_background_with_progress(istio_corpus: Path) -> None:
    app = corpus_app(istio_corpus)
    loaded_messages: list[Loader.Loaded] = []

    def record(message: Message) -> None:
        # The hook sees a message again as it bubbles: keep each one once, in posting order
        # (holding the messages, so that no id is reused by a later one).
        if isinstance(message, Loader.Loaded) and not any(
            seen is message for seen in loaded_messages
        ):
            loaded_messages.append(message)

    async with running(app, size=SIZE, message_hook=record) as pilot:
        # The first paint comes before the files are read.
        assert app.main is not None
        await wait_for(pilot, lambda: loaded(app), LOAD_SECONDS)
        assert status_text(app) == "3766 of 3766 entries"
    reported = [(message.done, message.total) for message in loaded_messages]
    assert len(reported) >= 2, "no progress was reported before the end"
    assert reported[-1] == (399, 399)
    assert [done for done, _ in reported] == sorted(done for done, _ in reported)


async def test_progress_shows_in_the_status_line(istio_corpus: Path) -> None:
    app = corpus_app(istio_corpus)
    seen: list[str] = []

    def record(message: Message) -> None:
        if isinstance(message, Loader.Loaded) and app.main is not None:
            seen.append(app.main.session.status())

    # The status line is there from the first frame, before the other panes.
    async with app.run_test(size=SIZE, message_hook=record) as pilot:
        assert " of 399 files…" in status_text(app)
        await wait_for(pilot, lambda: loaded(app), LOAD_SECONDS)
    assert any("loading" in status and "of 399 files…" in status for status in seen)


async def test_a_filter_typed_while_loading_applies_to_everything(istio_corpus: Path) -> None:
    app = corpus_app(istio_corpus)
    async with running(app, size=SIZE) as pilot:
        await pilot.press("slash", *"ztunnel", "enter")
        await wait_for(pilot, lambda: loaded(app), LOAD_SECONDS)
        await wait_for(pilot, lambda: "filter: ztunnel" in status_text(app))
        main = app.main
        assert main is not None
        expected = [e for e in main.session.index.entries if "ztunnel" in e.text.lower()]
        assert len(shown_summaries(app)) == len(expected) > 50


async def test_the_tree_groups_releases_by_series(istio_corpus: Path) -> None:
    app = corpus_app(istio_corpus)
    async with running(app, size=SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app), LOAD_SECONDS)
        tree = app.screen.query_one(SectionTree)
        top = [str(node.label.plain).rsplit(" (", 1)[0] for node in tree.root.children]
        assert top[:3] == ["1.31.x", "1.30.x", "1.29.x"]
        assert top[-1] == "Security bulletins"
        assert top.index("1.10.x") < top.index("1.9.x")


async def test_choosing_a_series_node_narrows_the_list(istio_corpus: Path) -> None:
    app = corpus_app(istio_corpus)
    async with running(app, size=SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app), LOAD_SECONDS)
        tree = app.screen.query_one(SectionTree)
        series = next(n for n in tree.root.children if str(n.label.plain).startswith("1.28.x"))
        tree.post_message(Tree.NodeSelected(series))
        await wait_for(pilot, lambda: status_text(app).startswith("46 of 3766 entries"))
        assert status_text(app) == "46 of 3766 entries · release: 1.28.x"


async def test_a_version_range_typed_in_the_bar(istio_corpus: Path) -> None:
    app = corpus_app(istio_corpus)
    async with running(app, size=SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app), LOAD_SECONDS)
        bar = app.screen.query_one(FilterBar)
        bar.value = "version:1.26.3..1.28.1"
        await pilot.press("slash", "enter")
        await wait_for(pilot, lambda: status_text(app).startswith("128 of 3766 entries"))
        main = app.main
        assert main is not None
        releases = {entry.release for entry in main.session.visible}
        assert releases == {
            "1.27.0",
            "1.28.0",
            "ISTIO-SECURITY-2025-001",
            "ISTIO-SECURITY-2025-002",
            "ISTIO-SECURITY-2025-003",
        }
        bar.value = "version:1.26.3..1.28.1 is:breaking"
        await pilot.press("slash", "enter")
        await wait_for(pilot, lambda: status_text(app).startswith("14 of 3766 entries"))


async def test_an_initial_range_from_the_command_line(istio_corpus: Path) -> None:
    app = corpus_app(istio_corpus, initial_query="version:1.26.3..1.28.1")
    async with running(app, size=SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app), LOAD_SECONDS)
        await wait_for(pilot, lambda: status_text(app).startswith("128 of 3766 entries"))
        assert app.screen.query_one(FilterBar).value == "version:1.26.3..1.28.1"


async def test_slash_after_an_initial_range_starts_another_term(istio_corpus: Path) -> None:
    # `--from/--to` fill the bar; what is typed after `/` must add a term, not run into the
    # range (`...1.28.1cve:2025` is no version, and the range would be lost).
    app = corpus_app(istio_corpus, initial_query="version:1.26.3..1.28.1")
    async with running(app, size=SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app), LOAD_SECONDS)
        await pilot.press("slash", *"cve:2025-", "enter")
        assert app.screen.query_one(FilterBar).value == "version:1.26.3..1.28.1 cve:2025-"
        await wait_for(pilot, lambda: status_text(app).startswith("7 of 3766 entries"))
        main = app.main
        assert main is not None
        assert {entry.release for entry in main.session.visible} == {
            "ISTIO-SECURITY-2025-001",
            "ISTIO-SECURITY-2025-002",
            "ISTIO-SECURITY-2025-003",
        }
        # The space is added once, and changes nothing shown.
        await pilot.press("slash", "enter", "slash", "enter")
        assert app.screen.query_one(FilterBar).value == "version:1.26.3..1.28.1 cve:2025- "
        assert status_text(app).startswith("7 of 3766 entries")


async def test_the_detail_names_the_entry_file_by_the_folders_that_tell_it_apart(
    istio_corpus: Path,
) -> None:
    # Most of the corpus's files are called index.md: the file name alone tells nothing.
    app = corpus_app(istio_corpus)
    async with running(app, size=SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app), LOAD_SECONDS)
        places = {
            "announcing-1.28/change-notes/index.md": lambda e: e.release == "1.28.0",
            "istio-security-2025-001/index.md": lambda e: e.release == "ISTIO-SECURITY-2025-001",
        }
        for place, chosen in places.items():
            entry = select_entry(app, chosen)
            await pilot.pause()
            header = str(app.screen.query_one("#detail-header", Static).render())
            assert f"  ·  {place}:{entry.line}" in header


async def test_a_range_opens_only_the_series_that_hold_entries(istio_corpus: Path) -> None:
    def opened(app: NotesApp) -> list[str]:
        tree = app.screen.query_one(SectionTree)
        return [
            str(node.label.plain).rsplit(" (", 1)[0]
            for node in tree.root.children
            if node.is_expanded
        ]

    app = corpus_app(istio_corpus, initial_query="version:1.26.3..1.28.1")
    async with running(app, size=SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app), LOAD_SECONDS)
        assert opened(app) == ["1.28.x", "1.27.x", "Security bulletins"]
        # The first screen of the tree shows what the range keeps.
        lines = "\\n".join(screen_lines(app)[:20])
        assert "1.28.0 Change Notes (46)" in lines
        assert "1.27.0 Change Notes (75)" in lines
    app = corpus_app(istio_corpus)
    async with running(app, size=SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app), LOAD_SECONDS)
        tree = app.screen.query_one(SectionTree)
        assert len(opened(app)) == len(tree.root.children) == 40  # 39 series, the bulletins


async def test_a_folder_without_entries_says_what_entries_are(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text("## 1.0.0\n\nProse only.\n", encoding="utf-8")
    targets = plan_targets([str(tmp_path)], [])
    app = NotesApp([], "", FakeSystem(), targets=targets)
    async with running(app, size=SIZE) as pilot:
        main = app.main
        assert main is not None
        await wait_for(pilot, lambda: main.session.progress is None and app.load_warnings)
        assert app.load_warnings == [NO_ENTRIES]
        assert f"1 problem(s) while reading; the first: {NO_ENTRIES}" in messages(app)


async def test_while_loading_the_tree_waits_and_ends_with_every_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each file its own batch, each batch taken into the list at once; the tree is built
    # as the panes come, then not again until the end (its cadence made long). The last
    # file cannot be read: its batch brings nothing, and the tree must still catch up.
    import notes_tui.screens.main as main_module
    import notes_tui.widgets.loader as loader_module

    monkeypatch.setattr(loader_module, "LOAD_BATCH_SECONDS", 0.0)
    monkeypatch.setattr(main_module, "VIEW_REFRESH_SECONDS", 0.0)
    monkeypatch.setattr(main_module, "TREE_REFRESH_SECONDS", 3600.0)
    targets: list[str | Path] = []
    for number in range(1, 4):
        path = tmp_path / f"CHANGELOG-{number}.md"
        path.write_text(f"# Changelog\n\n## [{number}.0.0]\n\n### Fixed\n\n- Fix {number}\n")
        targets.append(path)
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\x00\x01 not text")
    targets.append(binary)
    builds: list[int] = []
    set_releases = SectionTree.set_releases

    def counted(tree: SectionTree, releases: object, *args: object, **kwargs: object) -> None:
        builds.append(len(releases))  # type: ignore[arg-type]
        set_releases(tree, releases, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SectionTree, "set_releases", counted)
    app = NotesApp([], system=FakeSystem(), targets=targets)
    async with running(app, size=SIZE) as pilot:
        main = app.main
        assert main is not None
        await wait_for(pilot, lambda: main.session.progress is None and main.session.total == 3)
        await pilot.pause()
        tree = app.screen.query_one(SectionTree)
        labels = [str(node.label.plain) for node in tree.root.children]
    assert builds[-1] == 3, builds
    assert len(builds) <= 2, f"the tree was built at every batch: {builds}"
    assert len(labels) == 3 and all(" (1)" in label for label in labels), labels
