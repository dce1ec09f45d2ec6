"""The command line: output modes, filters, and one-line errors, through main() and `python -m`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from notes_tui.cli import main

REPO_DIR = Path(__file__).resolve().parents[1]
"""The checkout, where `python -m notes_tui` is run."""

NOTES = """---
title: Announcing Tool {version}
release: {version}
---

## Changes

- **Fixed** a crash in {version}.
  ([Issue #{issue}](https://github.com/istio/istio/issues/{issue}))

- **Added** a flag in {version}.
"""
"""A tiny page of patch notes: two entries."""

ENTRY_KEYS = {"release", "doc_kind", "area", "kind", "summary", "markdown", "links", "issues"}
ENTRY_KEYS |= {"source", "line", "compare_url", "release_prose"}
"""The keys every JSON entry must have."""


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `main` and return its status, stdout and stderr."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_module(*argv: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m notes_tui` in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "notes_tui", *argv],
        cwd=REPO_DIR,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=60,
        check=False,
    )


def write_notes(path: Path, version: str, issue: int = 1) -> Path:
    """Write the tiny notes page, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NOTES.format(version=version, issue=issue), encoding="utf-8")
    return path


def assert_one_error_line(status: int, out: str, err: str) -> None:
    """Status 2, nothing on stdout, one `notes-tui: error:` line on stderr."""
    assert status == 2
    assert out == ""
    assert err.endswith("\n")
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("notes-tui: error: ")
    assert "Traceback" not in err


# --- output modes on the bundled notes ------------------------------------------------------


def test_list_prints_one_line_per_entry(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(capsys, "--list")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 47
    assert lines[0].split() == [
        "1.28.0", "Traffic", "Management", "Promoted", "Promoted", "Istio", "dual-stack",
        "support", "to", "beta.", "#54127",
    ]  # fmt: skip
    # The istio/api issue is written with its repository.
    assert sum("istio/api#56877" in line for line in lines) == 1


def test_list_is_the_default_when_stdout_is_no_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys)
    assert status == 0
    assert len(out.splitlines()) == 47


def test_json(capsys: pytest.CaptureFixture[str], seed_path: Path) -> None:
    status, out, err = run_main(capsys, "--json")
    assert (status, err) == (0, "")
    entries = json.loads(out)
    assert isinstance(entries, list)
    assert len(entries) == 47
    for entry in entries:
        assert entry.keys() >= ENTRY_KEYS
        assert isinstance(entry["links"], list)
        for issue in entry["issues"]:
            assert set(issue) == {"repo", "number", "type", "url"}
            assert isinstance(issue["number"], int)
            assert issue["type"] in {"issue", "pull"}
    assert sum(len(entry["issues"]) for entry in entries) == 26
    first = entries[0]
    assert first["release"] == "1.28.0"
    assert first["doc_kind"] == "change-notes"
    assert (first["area"], first["kind"], first["kind_label"], first["line"]) == (
        "Traffic Management",
        "Changed",
        "Promoted",
        15,
    )
    assert first["summary"] == "Promoted Istio dual-stack support to beta."
    assert first["issues"] == [
        {
            "repo": "istio/istio",
            "number": 54127,
            "type": "issue",
            "url": "https://github.com/istio/istio/issues/54127",
        }
    ]
    assert Path(first["source"]).name == seed_path.name


def test_json_carries_the_release_compare_url(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    """laravel-permission 8.1.0 ends with `**Full Changelog**: <compare URL>` (line 29)."""
    path = corpus / "other" / "laravel-permission" / "CHANGELOG.md"
    status, out, _ = run_main(capsys, str(path), "--from", "8.0.0", "--to", "8.1.0", "--json")
    assert status == 0
    entries = json.loads(out)
    assert entries and {entry["release"] for entry in entries} == {"8.1.0"}
    assert {entry["compare_url"] for entry in entries} == {
        "https://github.com/spatie/laravel-permission/compare/8.0.0...8.1.0"
    }
    assert "made their first contribution" in entries[0]["release_prose"]


def test_json_follows_the_base_url(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "--json", "--base-url", "https://example.org/v1")
    assert status == 0
    urls = [link["url"] for entry in json.loads(out) for link in entry["links"]]
    assert sum(url.startswith("https://example.org/v1/docs/") for url in urls) == 5
    assert not [url for url in urls if url.startswith("https://istio.io/latest/")]


def test_markdown_groups_by_release_and_area(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(capsys, "--markdown")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert [line for line in lines if line.startswith("## ")] == ["## 1.28.0"]
    assert [line for line in lines if line.startswith("### ")] == [
        "### Traffic Management", "### Security", "### Telemetry", "### Extensibility",
        "### Installation", "### istioctl",
    ]  # fmt: skip
    assert sum(line.startswith("- **") for line in lines) == 47
    assert out.startswith("## 1.28.0\n\n### Traffic Management\n\n- **Promoted** Istio dual-stack")
    # Sub-bullets stay nested under their entry.
    assert "\n    - If no `resourceScope` is set" in out


# --- filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "count"),
    [
        (["--area", "sec"], 7),
        (["--area", "SECURITY"], 7),
        (["--area", "traffic"], 18),
        (["--kind", "fix"], 10),
        (["--kind", "Added"], 26),
        (["--query", "ztunnel"], 4),
        (["--query", "#57530"], 2),
        (["--query", "kind:fix area:sec"], 1),
        (["--area", "inst", "--query", "ztunnel"], 1),
        (["--area", "sec", "--kind", "add"], 4),
        (["--query", "no-such-word-anywhere"], 0),
    ],
)
def test_filters(capsys: pytest.CaptureFixture[str], argv: list[str], count: int) -> None:
    status, out, err = run_main(capsys, "--list", *argv)
    assert (status, err) == (0, "")
    assert len(out.splitlines()) == count


def test_area_filter_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "--json", "--area", "sec")
    assert status == 0
    assert {entry["area"] for entry in json.loads(out)} == {"Security"}


# --- errors ---------------------------------------------------------------------------------


def test_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run_main(capsys, "--list", str(tmp_path / "missing.md"))
    assert_one_error_line(status, out, err)
    assert "missing.md: no such file or folder" in err


def test_folder_without_markdown(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("not notes", encoding="utf-8")
    status, out, err = run_main(capsys, "--list", str(tmp_path))
    assert_one_error_line(status, out, err)
    assert "no Markdown files" in err


def test_binary_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    binary = tmp_path / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    status, out, err = run_main(capsys, "--list", str(binary))
    assert_one_error_line(status, out, err)
    assert "binary file" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--area", "zzz"], "no area matches 'zzz'"),
        (["--area", "t"], "ambiguous"),
        (["--kind", "zzz"], "no kind matches 'zzz'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--list", "--json"], "not allowed with argument"),
        (["--area"], "expected one argument"),
    ],
)
def test_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    status, out, err = run_main(capsys, *argv)
    assert_one_error_line(status, out, err)
    assert message in err


def test_broken_utf8_is_a_warning(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_notes(tmp_path / "notes.md", "1.0.1")
    path.write_bytes(path.read_bytes().replace(b"a crash", b"a caf\xe9 crash"))
    status, out, err = run_main(capsys, "--list", str(path))
    assert status == 0
    warnings = err.splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith("notes-tui: warning: ")
    assert "notes.md:8: invalid UTF-8" in warnings[0]
    lines = out.splitlines()
    assert len(lines) == 2
    assert "Fixed a caf\ufffd crash in 1.0.1." in lines[0]


def test_unreadable_file_beside_readable_ones_is_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = write_notes(tmp_path / "good.md", "1.0.1")
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\x00\x01")
    status, out, err = run_main(capsys, "--list", str(good), str(binary))
    assert status == 0
    assert len(out.splitlines()) == 2
    assert err.startswith("notes-tui: warning: ")
    assert "binary file" in err


# --- inputs ---------------------------------------------------------------------------------


def test_folder_is_read_recursively(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write_notes(tmp_path / "notes" / "1.0.1.md", "1.0.1", issue=11)
    write_notes(tmp_path / "notes" / "older" / "1.0.0.markdown", "1.0.0", issue=10)
    write_notes(tmp_path / "notes" / "older" / "ignored.txt", "9.9.9")
    status, out, err = run_main(capsys, "--json", str(tmp_path / "notes"))
    assert (status, err) == (0, "")
    entries = json.loads(out)
    assert [entry["release"] for entry in entries] == ["1.0.1", "1.0.1", "1.0.0", "1.0.0"]
    assert {Path(entry["source"]).name for entry in entries} == {"1.0.1.md", "1.0.0.markdown"}
    assert [issue["number"] for entry in entries for issue in entry["issues"]] == [11, 10]


def test_markdown_groups_several_releases(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = write_notes(tmp_path / "a.md", "1.0.1")
    second = write_notes(tmp_path / "b.md", "1.0.2")
    status, out, _ = run_main(capsys, "--markdown", str(first), str(second))
    assert status == 0
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert headings == ["## 1.0.1", "### Changes", "## 1.0.2", "### Changes"]


def test_stdin_through_main(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = NOTES.format(version="2.0.0", issue=5).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    status, out, _ = run_main(capsys, "--json", "-")
    assert status == 0
    entries = json.loads(out)
    assert [(entry["release"], entry["source"]) for entry in entries] == [("2.0.0", "-")] * 2


# --- python -m notes_tui --------------------------------------------------------------------


def test_module_lists_the_bundled_notes() -> None:
    completed = run_module("--list")
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == b""
    assert len(completed.stdout.decode().splitlines()) == 47


def test_module_reads_stdin() -> None:
    completed = run_module("--list", "-", stdin=NOTES.format(version="3.1.4", issue=7).encode())
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.decode().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("3.1.4")
    assert lines[0].endswith("#7")


def test_module_error_is_one_line(tmp_path: Path) -> None:
    completed = run_module("--list", str(tmp_path / "nowhere"))
    assert completed.returncode == 2
    assert completed.stdout == b""
    lines = completed.stderr.decode().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("notes-tui: error: ")
