"""Which release a file's entries belong to when no heading or front matter names a version."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes_tui.loading import load
from notes_tui.parse.istio_docs import release_version

NOTES = (
    "# Release notes\n\n## Changes\n\n- **Added** a thing ([#3](https://github.com/o/r/issues/3))\n"
)


@pytest.mark.parametrize(
    ("source", "front_matter", "expected"),
    [
        ("v2.3.0.md", {}, "2.3.0"),  # the version in the file's name, its v dropped
        ("/tmp/dl/release-v1.5.0.md", {}, "1.5.0"),
        ("/tmp/dl/CHANGES.md", {}, "CHANGES"),  # no version: the file's name
        ("CHANGES.md", {}, "CHANGES"),  # the same, however the path is given
        ("notes/index.md", {}, "notes"),  # an index page: its folder's name
        ("releases/1.28.0/index.md", {}, "1.28.0"),  # Istio's pages: the folder's version
        ("/x/announcing-1.31/upgrade-notes/index.md", {}, "1.31"),
        ("/x/v9.9.9.md", {"release": "1.2.3"}, "1.2.3"),  # front matter first
        ("/x/y.md", {"title": "Istio 1.4 change notes"}, "1.4"),
    ],
)
def test_release_version_from_the_path(
    source: str, front_matter: dict[str, str], expected: str
) -> None:
    assert release_version(source, front_matter, "announcement") == expected


def test_a_file_named_by_relative_and_absolute_path_gives_one_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "Downloads"
    folder.mkdir()
    (folder / "notes.md").write_text(NOTES)
    (folder / "v2.3.0.md").write_text(NOTES)
    monkeypatch.chdir(folder)
    for name, release in (("notes.md", "notes"), ("v2.3.0.md", "2.3.0")):
        relative = load([name]).releases
        absolute = load([str(folder / name)]).releases
        assert [r.version for r in relative] == [r.version for r in absolute] == [release]


def test_notes_without_front_matter_are_a_plain_changelog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notes in Istio's style that are no page of Istio's site are not an "Announcement"."""
    (tmp_path / "notes.md").write_text(NOTES)
    (tmp_path / "page.md").write_text("---\ntitle: Announcing Foo\n---\n\n" + NOTES)
    [plain] = load([str(tmp_path / "notes.md")]).releases
    [page] = load([str(tmp_path / "page.md")]).releases
    assert plain.doc_kind == "changelog"
    assert page.doc_kind == "announcement"
