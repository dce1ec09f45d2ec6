"""Choosing a parser: front matter or not, a format per release block, --format, --repo, stdin."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from changelog_support import OTHER_CORPUS, corpus_formats, corpus_releases, refs, release

from notes_tui.cache import cache_key
from notes_tui.cli import main
from notes_tui.inputs import LoadError
from notes_tui.parse import has_front_matter, parse_text
from notes_tui.parse.formats import (
    FORMATS,
    FORMATS_BY_NAME,
    infer_repo,
    list_formats,
    parse_changelog,
    project_name,
)
from notes_tui.reading import read_target

REPO_DIR = Path(__file__).resolve().parents[1]
"""The checkout, where `python -m notes_tui` is run."""

FILES = {
    "textual/CHANGELOG.md": (226, 1583),
    "attrs/CHANGELOG.md": (35, 260),
    "laravel-permission/CHANGELOG.md": (217, 440),
    "pydantic/HISTORY.md": (192, 1970),
}
"""The four changelogs of these formats: releases and entries, counted by hand."""

MINE = {"keep-a-changelog", "towncrier", "github", "generic"}


def test_registry_order() -> None:
    names = [fmt.name for fmt in FORMATS]
    assert len(set(names)) == len(names)
    assert names[-1] == "generic"
    # The project-specific formats and GitHub's markers come before the looser formats.
    assert names.index("github") < names.index("keep-a-changelog") < names.index("generic")
    assert names.index("keep-a-changelog") < names.index("towncrier")
    assert list_formats()[0][0] == "istio"
    assert [name for name, _ in list_formats()[1:]] == names
    assert all(description for _, description in list_formats())


@pytest.mark.parametrize("relative", sorted(FILES))
def test_counts_per_file(relative: str) -> None:
    releases = corpus_releases(relative)
    assert (len(releases), sum(len(r.entries) for r in releases)) == FILES[relative]
    # No format of another family claims a block of these files.
    assert {name for _, name in corpus_formats(relative)} <= MINE
    assert [r.format for r in releases] == [name for _, name in corpus_formats(relative)]


def test_laravel_blocks_change_format_down_the_file() -> None:
    formats = corpus_formats("laravel-permission/CHANGELOG.md")
    assert [name for _, name in formats[:4]] == ["github", "generic", "github", "github"]
    assert [(title.split()[0], name) for title, name in formats[-7:]] == [
        ("1.3.0", "generic"),
        ("1.2.1", "generic"),
        ("1.2.0", "keep-a-changelog"),
        ("1.1.0", "keep-a-changelog"),
        ("1.0.2", "keep-a-changelog"),
        ("1.0.1", "keep-a-changelog"),
        ("1.0.0", "keep-a-changelog"),
    ]


def test_repository_inference() -> None:
    textual = (OTHER_CORPUS / "textual/CHANGELOG.md").read_text(encoding="utf-8")
    # willmcgugan/textual appears too (old issues), but less often.
    assert infer_repo(textual) == "Textualize/textual"
    assert infer_repo("see https://github.com/a/b/blob/main/x.md") is None
    assert project_name("/x/myproj/CHANGELOG.md", None) == "myproj"
    assert project_name("-", None) == ""
    assert project_name("-", "o/r") == "o/r"


def test_front_matter_and_headingless_files_go_to_istio(data_dir: Path) -> None:
    links = data_dir / "links.md"
    assert has_front_matter(links.read_text(encoding="utf-8"))
    (istio,) = parse_text(links.read_text(encoding="utf-8"), str(links))
    assert (istio.format, istio.version) == ("istio", "9.9.0")
    # No heading names a version: one Istio-style document, areas from the headings.
    (plain,) = parse_text("## Traffic\n\n- **Fixed** a thing.\n", "notes.md")
    assert (plain.format, plain.entries[0].kind) == ("istio", "Fixed")
    assert not has_front_matter("---\n\n## 1.0\n")
    assert parse_changelog("## Traffic\n\n- a\n", "x.md") == []


def test_forced_format() -> None:
    path = OTHER_CORPUS / "textual/CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    forced = parse_text(text, str(path), forced_format="generic")
    assert {r.format for r in forced} == {"generic"}
    assert sum(len(r.entries) for r in forced) == 1583
    (whole,) = parse_text(text, str(path), forced_format="istio")
    assert whole.format == "istio"
    with pytest.raises(ValueError, match="unknown format 'nope'"):
        parse_text(text, str(path), forced_format="nope")
    assert FORMATS_BY_NAME["github"].name == "github"


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_list_formats(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(capsys, "--list-formats")
    assert (status, err) == (0, "")
    assert out.splitlines() == [f"{name}  {description}" for name, description in list_formats()]


def test_cli_rejects_an_unknown_format_and_a_bad_repo(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(capsys, "--format", "nope", "--list", "x.md")
    assert (status, out) == (2, "")
    assert err == "notes-tui: error: unknown format 'nope' (--list-formats lists them)\n"
    status, _, err = run_main(capsys, "--repo", "not-a-repo", "--list")
    assert status == 2
    assert err.startswith("notes-tui: error: --repo: expected OWNER/NAME")


def test_cli_format_and_repo(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("NOTES_TUI_HOME", str(tmp_path))
    path = str(data_dir / "unknown-changelog.md")
    status, out, _ = run_main(
        capsys, "--no-cache", "--json", "--repo", "acme/mytool", "--format", "github", path
    )
    assert status == 0
    entries = json.loads(out)
    assert len(entries) == 6
    assert [issue["url"] for e in entries for issue in e["issues"]] == [
        "https://github.com/acme/other/issues/7",
        "https://github.com/acme/mytool/issues/12",
    ]


def test_stdin_through_main(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (OTHER_CORPUS / "attrs/CHANGELOG.md").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    status, out, _ = run_main(capsys, "--no-cache", "--json", "-")
    assert status == 0
    entries = json.loads(out)
    assert len(entries) == 260
    assert {e["source"] for e in entries} == {"-"}
    assert entries[0]["issues"][0]["url"] == "https://github.com/python-attrs/attrs/issues/1509"


@pytest.mark.parametrize("relative", sorted(FILES))
def test_module_reads_each_format_from_stdin(relative: str, tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "notes_tui", "-", "--list"],
        cwd=REPO_DIR,
        input=(OTHER_CORPUS / relative).read_bytes(),
        capture_output=True,
        timeout=60,
        check=False,
        env={"NOTES_TUI_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 0, completed.stderr
    assert len(completed.stdout.decode().splitlines()) == FILES[relative][1]


def test_options_key_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_TUI_HOME", str(tmp_path))
    path = OTHER_CORPUS / "attrs/CHANGELOG.md"
    data = path.read_bytes()
    assert cache_key(data, "a", "b") != cache_key(data, "a", "b", "format=generic;repo=")
    detected, _ = read_target(path, use_cache=True)
    forced, _ = read_target(path, use_cache=True, forced_format="generic")
    again, _ = read_target(path, use_cache=True)
    assert Counter(r.format for r in detected) == Counter(towncrier=35)
    assert Counter(r.format for r in forced) == Counter(generic=35)
    assert again == detected
    with pytest.raises(LoadError, match="unknown format"):
        read_target(path, forced_format="nope")


def test_repo_option_through_the_loader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_TUI_HOME", str(tmp_path))
    path = OTHER_CORPUS / "laravel-permission/CHANGELOG.md"
    releases, _ = read_target(path, repo="someone/fork")
    # 6.10.1: "Fix #2749 regression ... in https://github.com/spatie/.../pull/2759".
    (entry,) = release(tuple(releases), "6.10.1").entries
    assert refs(entry) == ["spatie/laravel-permission#2759", "someone/fork#2749"]
