"""How the detail pane names an entry's file: the shortest end of its path that is its own."""

from __future__ import annotations

from pathlib import Path

from notes_tui.places import short_places
from notes_tui.targets import plan_targets


def test_one_file_is_named_by_its_file_name() -> None:
    source = "../notes/istio-1.28.0-change-notes.md"
    assert short_places([source]) == {source: "istio-1.28.0-change-notes.md"}


def test_pages_of_a_site_are_named_by_as_many_folders_as_tell_them_apart() -> None:
    sources = [
        "corpus/releases/1.28.x/announcing-1.28/change-notes/index.md",
        "corpus/releases/1.28.x/announcing-1.28/upgrade-notes/index.md",
        "corpus/releases/1.27.x/announcing-1.27/change-notes/index.md",
        "corpus/security/istio-security-2025-001/index.md",
        "corpus/CHANGELOG.md",
    ]
    assert short_places(sources) == {
        sources[0]: "announcing-1.28/change-notes/index.md",
        sources[1]: "upgrade-notes/index.md",
        sources[2]: "announcing-1.27/change-notes/index.md",
        sources[3]: "istio-security-2025-001/index.md",
        sources[4]: "CHANGELOG.md",
    }


def test_a_path_that_ends_another_is_named_in_full() -> None:
    sources = ["a/notes.md", "x/a/notes.md", "./b\\notes.md"]
    names = short_places(sources)
    assert names["a/notes.md"] == "a/notes.md"
    assert names["x/a/notes.md"] == "x/a/notes.md"
    assert names["./b\\notes.md"] == "b/notes.md"  # separators of either kind; `.` dropped


def test_standard_input_is_named_so() -> None:
    assert short_places(["-", "notes.md"]) == {"-": "standard input", "notes.md": "notes.md"}


def test_every_file_of_the_istio_corpus_gets_a_name_of_its_own(istio_corpus: Path) -> None:
    sources = [str(target) for target in plan_targets([str(istio_corpus)], [])]
    names = short_places(sources)
    assert len(set(names.values())) == len(sources) == 399
    for source, name in names.items():
        assert source.replace("\\", "/").endswith(name)
    # 341 of its files are called index.md: none is named by that alone.
    assert "index.md" not in names.values()
    change_notes = next(s for s in sources if s.endswith("announcing-1.28/change-notes/index.md"))
    assert names[change_notes] == "announcing-1.28/change-notes/index.md"
