"""Hostile input: what a user sees for each odd path, file and content (issue 6).

Every test points `NOTES_TUI_HOME` at a temporary folder. A child process (with a timeout)
runs whatever could hang or crash the interpreter; the rest goes through `main()`.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from notes_tui.cli import main
from notes_tui.inputs import MAX_FILE_BYTES, LoadError, read_bytes
from notes_tui.loading import NO_ENTRIES, load
from notes_tui.parse import parse_text
from notes_tui.parse.markdown import split_front_matter

REPO_DIR = Path(__file__).resolve().parents[1]
"""The checkout, where `python -m notes_tui` runs."""

NOTES = """---
title: Announcing Tool {version}
release: {version}
---

## Changes

- **Fixed** a crash in {version}.
  ([Issue #{issue}](https://github.com/istio/istio/issues/{issue}))

- **Added** a flag in {version}.
"""
"""Two entries of patch notes."""

ESCAPES = {
    "CSI colour": "\x1b[31mred\x1b[0m",
    "OSC 52 clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "OSC 8 hyperlink": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "title change": "\x1b]0;pwned\x07",
    "C1 CSI": "\x9b2J",
    "bidi override": "\u202eevil\u202c",
    "zero width": "a\u200bb\u2060c",
}
"""What must never reach a terminal from a file."""

TERMINAL_ACTING = ("\x1b", "\x07", "\x9b", "\x9d", "\x00", "\x08", "\x7f")
"""Introducers and controls a terminal acts on."""


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own `NOTES_TUI_HOME` (the cache lives there)."""
    path = tmp_path / "home"
    monkeypatch.setenv("NOTES_TUI_HOME", str(path))
    return path


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `main` and return its status, stdout and stderr."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_module(
    *argv: str, timeout: float = 30, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m notes_tui` in a child process (which must end within `timeout`)."""
    return subprocess.run(
        [sys.executable, "-m", "notes_tui", *argv],
        cwd=REPO_DIR,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="surrogateescape",
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


def write_notes(path: Path, version: str = "1.0.1", issue: int = 1) -> Path:
    """Write the two-entry notes, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NOTES.format(version=version, issue=issue), encoding="utf-8")
    return path


def assert_error(status: int, out: str, err: str, message: str) -> None:
    """Status 2, nothing on stdout, one `notes-tui: error:` line holding `message`."""
    assert (status, out) == (2, ""), err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("notes-tui: error: ") and message in err, err
    assert "Traceback" not in err


def warning_lines(err: str) -> list[str]:
    """The stderr lines, each checked to be a warning."""
    lines = err.splitlines()
    assert all(line.startswith("notes-tui: warning: ") for line in lines), err
    return lines


def assert_terminal_safe(text: str) -> None:
    """No escape introducer or control but newline and tab."""
    assert not any(char in text for char in TERMINAL_ACTING), repr(text[:300])


# --- paths --------------------------------------------------------------------------------


def test_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run_main(capsys, "--list", str(tmp_path / "gone.md"))
    assert_error(status, out, err, "gone.md: no such file or folder")


def test_missing_path_beside_a_readable_one_is_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = write_notes(tmp_path / "good.md")
    status, out, err = run_main(capsys, "--list", str(tmp_path / "gone.md"), str(good))
    assert status == 0
    assert len(out.splitlines()) == 2
    assert [line.split(": warning: ")[1] for line in warning_lines(err)] == [
        f"{tmp_path / 'gone.md'}: no such file or folder"
    ]


def test_folder_without_markdown(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("hello", encoding="utf-8")
    status, out, err = run_main(capsys, "--list", str(tmp_path / "notes"))
    assert_error(status, out, err, "no Markdown files (.md, .markdown) in this folder")


def test_folder_without_markdown_beside_a_file_is_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    good = write_notes(tmp_path / "good.md")
    status, out, err = run_main(capsys, "--list", str(tmp_path / "empty"), str(good))
    assert status == 0 and len(out.splitlines()) == 2
    assert "no Markdown files" in warning_lines(err)[0]


UNREADABLE_SCRIPT = """
import contextlib, io, os, sys
from notes_tui.cli import main
folder = sys.argv[1]
# Warm up as root: argparse and the parsers import lazily what the demoted user cannot read.
with contextlib.redirect_stdout(io.StringIO()):
    main(["--list", "--no-cache", os.path.join(folder, "good.md")])
if os.geteuid() == 0:
    os.setegid(65534)
    os.seteuid(65534)
print("alone", main(["--list", "--no-cache", os.path.join(folder, "secret.md")]), flush=True)
print("folder", main(["--list", "--no-cache", folder]), flush=True)
print("inside", main(["--list", "--no-cache", os.path.join(folder, "private", "x.md")]), flush=True)
"""


def test_file_without_read_permission(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """chmod 000 stops every user but root: as root, the child drops to `nobody` first.

    The child imports everything as root, then sets its effective user to 65534, so
    `open` fails with EACCES exactly as it does for an ordinary user.
    """
    # pytest's temporary folders are private to their owner: the demoted child needs
    # a folder it can enter.
    folder = Path(tempfile.mkdtemp(prefix="notes-tui-perm-"))
    request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))
    folder.chmod(0o755)
    write_notes(folder / "good.md")
    secret = write_notes(folder / "secret.md", "1.0.2")
    secret.chmod(0o000)
    private = write_notes(folder / "private" / "x.md").parent
    private.chmod(0o700)  # not even `stat` can look inside (Path.is_dir raised here)
    completed = subprocess.run(
        [sys.executable, "-c", UNREADABLE_SCRIPT, str(folder)],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "NOTES_TUI_HOME": str(tmp_path / "home")},
    )
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "alone 2" in completed.stdout and "folder 0" in completed.stdout
    assert "inside 2" in completed.stdout
    assert completed.stderr.splitlines() == [
        f"notes-tui: error: {secret}: cannot read (Permission denied)",
        f"notes-tui: warning: {private}: cannot list folder (Permission denied)",
        f"notes-tui: warning: {secret}: cannot read (Permission denied)",
        f"notes-tui: error: {private / 'x.md'}: cannot read (Permission denied)",
    ]
    # The readable file of the folder was listed.
    assert "Fixed a crash in 1.0.1." in completed.stdout


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_file_whose_read_fails(capsys: pytest.CaptureFixture[str]) -> None:
    """/proc/self/mem is a regular file that opens, even for root, and fails to read (EIO)."""
    status, out, err = run_main(capsys, "--list", "/proc/self/mem")
    assert_error(status, out, err, "/proc/self/mem: cannot read (Input/output error)")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_regular_file_that_tells_no_size_is_read_whole() -> None:
    """Files in /proc are regular files of size 0 that hold text: read to their end."""
    path = Path("/proc/self/status")
    assert path.stat().st_size == 0
    data = read_bytes(path)
    assert b"\nPid:" in data and data.endswith(b"\n")


def test_a_file_is_read_at_its_size(tmp_path: Path) -> None:
    """Exactly the file, at the limit too (the read asks for its size, not the limit)."""
    small = tmp_path / "small.md"
    small.write_bytes(b"- x\n" * 1000)
    assert read_bytes(small) == b"- x\n" * 1000
    edge = tmp_path / "edge.md"
    with edge.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES)
    assert len(read_bytes(edge)) == MAX_FILE_BYTES


@pytest.fixture
def specials(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """A FIFO, a Unix socket, a device, and symbolic links (one a loop), all named `.md`."""
    folder = tmp_path / "notes"
    folder.mkdir()
    fifo = folder / "fifo.md"
    os.mkfifo(fifo)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "socket.md"))
    (folder / "zero.md").symlink_to("/dev/zero")
    (folder / "loop-a.md").symlink_to("loop-b.md")
    (folder / "loop-b.md").symlink_to("loop-a.md")
    (folder / "self").symlink_to(".")  # a folder loop, never walked into
    write_notes(folder / "real.md")
    yield {
        "folder": folder,
        "fifo": fifo,
        "socket": folder / "socket.md",
        "loop": folder / "loop-a.md",
    }
    sock.close()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("fifo", "not a regular file"),
        ("socket", "not a regular file"),
        ("device", "not a regular file"),
        ("loop", "cannot read (Too many levels of symbolic links)"),
    ],
)
def test_special_file_given_as_path(specials: dict[str, Path], name: str, message: str) -> None:
    path = Path("/dev/zero") if name == "device" else specials[name]
    completed = run_module("--list", str(path), timeout=20)  # a FIFO opened would block
    assert_error(completed.returncode, completed.stdout, completed.stderr, message)


def test_special_files_inside_a_folder_are_skipped(specials: dict[str, Path]) -> None:
    completed = run_module("--list", str(specials["folder"]), timeout=20)
    assert completed.returncode == 0, completed.stderr
    assert len(completed.stdout.splitlines()) == 2
    [warning] = warning_lines(completed.stderr)
    assert "skipped 5 Markdown name(s) that are not regular files" in warning
    assert "links are not followed" in warning


def test_fifo_swapped_in_after_the_check_does_not_block(
    specials: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even when `stat` saw a regular file, the open does not wait for a FIFO's writer."""
    regular = os.stat(specials["folder"] / "real.md")
    real_stat = Path.stat

    def stale_stat(path: Path, **kwargs: bool) -> os.stat_result:
        return regular if path == specials["fifo"] else real_stat(path, **kwargs)

    monkeypatch.setattr(Path, "stat", stale_stat)
    outcome: list[str] = []

    def read() -> None:
        try:
            read_bytes(specials["fifo"])
        except LoadError as error:
            outcome.append(str(error))

    # A daemon thread: were the open to block, the test fails instead of hanging.
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "opening the FIFO blocked"
    assert outcome == [f"{specials['fifo']}: not a regular file"]


def test_folder_of_100000_small_files(tmp_path: Path) -> None:
    """It finishes: one file read after another, no file descriptor or memory kept per file."""
    folder = tmp_path / "many"
    started = time.monotonic()
    for group in range(100):
        sub = folder / f"g{group:02}"
        sub.mkdir(parents=True)
        for index in range(1000):
            number = group * 1000 + index
            (sub / f"n{index:03}.md").write_text(f"## Changes\n\n- **Fixed** bug {number}.\n")
    generated = time.monotonic()
    completed = run_module("--list", "--no-cache", str(folder), timeout=300)
    finished = time.monotonic()
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stderr == ""
    lines = completed.stdout.splitlines()
    assert len(lines) == 100_000
    assert lines[0].endswith("Fixed bug 0.") and lines[-1].endswith("Fixed bug 99999.")
    print(
        f"\n100,000 files: generated in {generated - started:.1f} s, "
        f"listed in {finished - generated:.1f} s"
    )


# --- bytes and encodings --------------------------------------------------------------------


def test_binary_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "logo.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    status, out, err = run_main(capsys, "--list", str(path))
    assert_error(status, out, err, "logo.md: binary file (contains NUL bytes), not Markdown")


def test_broken_utf8_warns_with_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_notes(tmp_path / "notes.md")
    path.write_bytes(path.read_bytes().replace(b"a flag", b"a fl\xc3\x28ag"))
    status, out, err = run_main(capsys, "--list", str(path))
    assert status == 0
    assert warning_lines(err) == [
        f"notes-tui: warning: {path}:11: invalid UTF-8; undecodable bytes shown as \ufffd"
    ]
    assert "Added a fl\ufffd(ag in 1.0.1." in out


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_byte_order_marks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, encoding: str
) -> None:
    text = NOTES.format(version="2.0.0", issue=4).replace("crash", "café crash")
    data = text.encode(encoding)
    if encoding in {"utf-16-le", "utf-16-be"}:
        data = "\ufeff".encode(encoding) + data  # the BOM, written by hand
    path = tmp_path / "notes.md"
    path.write_bytes(data)
    status, out, err = run_main(capsys, "--json", str(path))
    assert (status, err) == (0, "")
    entries = json.loads(out)
    # The front matter was found behind the BOM: the release comes from it.
    assert [(e["release"], e["summary"], e["line"]) for e in entries] == [
        ("2.0.0", "Fixed a café crash in 2.0.0.", 8),
        ("2.0.0", "Added a flag in 2.0.0.", 11),
    ]


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_line_endings(capsys: pytest.CaptureFixture[str], tmp_path: Path, ending: str) -> None:
    unix = write_notes(tmp_path / "unix" / "notes.md")
    other = tmp_path / "other" / "notes.md"
    other.parent.mkdir()
    other.write_bytes(unix.read_bytes().replace(b"\n", ending.encode()))
    status, out, err = run_main(capsys, "--json", str(unix))
    _, other_out, other_err = run_main(capsys, "--json", str(other))
    assert (status, err, other_err) == (0, "", "")
    strip = [{k: v for k, v in e.items() if k != "source"} for e in json.loads(out)]
    assert [{k: v for k, v in e.items() if k != "source"} for e in json.loads(other_out)] == strip
    assert [e["line"] for e in strip] == [8, 11]


@pytest.mark.parametrize(
    "content", [b"", b"\n\n  \n", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom"]
)
def test_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    status, out, err = run_main(capsys, "--list", str(path))
    assert (status, out) == (0, "")
    assert warning_lines(err) == [f"notes-tui: warning: {path}: empty file; nothing to show"]


# --- front matter ---------------------------------------------------------------------------


def test_front_matter_only(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("---\ntitle: Nothing yet\nrelease: 1.0.0\n---\n", encoding="utf-8")
    status, out, err = run_main(capsys, "--json", str(path))
    assert (status, json.loads(out)) == (0, [])
    assert warning_lines(err) == [f"notes-tui: warning: {path}: {NO_ENTRIES}"]


@pytest.mark.parametrize(
    "text",
    ["## 1.0.0\n\nProse only.\n", "# A title\n", "| a | b |\n|---|---|\n| 1 | 2 |\n"],
    ids=["prose", "title", "table"],
)
def test_a_file_without_entries_says_what_entries_are(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str
) -> None:
    # Not an error (it was read), but an empty list with no word of why tells nothing.
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    status, out, err = run_main(capsys, "--list", str(path))
    assert (status, out) == (0, "")
    assert warning_lines(err) == [f"notes-tui: warning: {path}: {NO_ENTRIES}"]
    # Several files: said once, of them all; a file with entries among them: not said.
    (tmp_path / "other.md").write_text(text, encoding="utf-8")
    status, out, err = run_main(capsys, "--list", str(tmp_path))
    assert warning_lines(err) == [f"notes-tui: warning: {NO_ENTRIES}"]
    (tmp_path / "CHANGELOG.md").write_text("## 1.0.0\n\n- Fixed a bug\n", encoding="utf-8")
    status, out, err = run_main(capsys, "--list", str(tmp_path))
    assert (status, err) == (0, "")
    assert "Fixed a bug" in out


def test_unterminated_front_matter(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "1.0.0" / "notes.md"
    write_notes(path)
    path.write_text(path.read_text().replace("\n---\n", "\n\n", 1), encoding="utf-8")
    status, out, err = run_main(capsys, "--list", str(path))
    assert status == 0
    assert warning_lines(err) == [
        f"notes-tui: warning: {path}: front matter is not closed by '---'; read as Markdown"
    ]
    assert len(out.splitlines()) == 2


def test_malformed_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "1.0.0" / "notes.md"
    write_notes(path)
    path.write_text(path.read_text().replace("title:", "title: [unclosed"), encoding="utf-8")
    status, out, err = run_main(capsys, "--list", str(path))
    assert status == 0
    [warning] = warning_lines(err)
    assert "front matter is not valid YAML (while parsing a flow sequence); ignored" in warning
    # The release comes from the folder name instead of the front matter.
    assert [line.split()[0] for line in out.splitlines()] == ["1.0.0", "1.0.0"]


def billion_laughs(levels: int = 9) -> str:
    lines = ["---", "release: 1.0.0", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join([*lines, "---", "", "## Changes", "", "- **Fixed** x.", ""])


def test_yaml_alias_bomb_is_refused_without_memory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = billion_laughs()
    tracemalloc.start()
    try:
        split = split_front_matter(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert split.front_matter == {}
    assert "alias" in split.warnings[0]
    assert peak < 2 * 1024 * 1024, peak  # 9**9 "lol"s would take gigabytes
    path = tmp_path / "bomb.md"
    path.write_text(text, encoding="utf-8")
    status, out, err = run_main(capsys, "--list", str(path))
    assert status == 0 and len(out.splitlines()) == 1
    assert "aliases are not allowed in front matter" in warning_lines(err)[0]


def test_duplicate_front_matter_keys_warn_and_the_last_wins(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_notes(tmp_path / "notes.md", "1.0.0")
    text = path.read_text().replace("release: 1.0.0\n", "release: 1.0.0\nrelease: 2.0.0\n")
    path.write_text(text, encoding="utf-8")
    status, out, err = run_main(capsys, "--list", str(path))
    assert status == 0
    assert warning_lines(err) == [
        f"notes-tui: warning: {path}: front matter repeats 'release'; "
        "the last value of each is used"
    ]
    assert [line.split()[0] for line in out.splitlines()] == ["2.0.0", "2.0.0"]
    # The slow Python loader (taken when the text holds `*`) says the same.
    split = split_front_matter("---\na: 1\na: 2 *\n---\n")
    assert (split.front_matter, len(split.warnings)) == ({"a": "2 *"}, 1)


def test_long_front_matter_is_ignored(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Over 64 KB: PyYAML's Python loader would take seconds per megabyte."""
    keys = "".join(f"key{index}: value * {index}\n" for index in range(10_000))
    path = tmp_path / "1.0.0" / "notes.md"
    write_notes(path)
    path.write_text(path.read_text().replace("---\n", "---\n" + keys, 1), encoding="utf-8")
    status, out, err = run_main(capsys, "--list", str(path))
    assert status == 0 and len(out.splitlines()) == 2
    assert "front matter is longer than 64 KB; ignored" in warning_lines(err)[0]


# --- nesting and size -----------------------------------------------------------------------

DEPTH = 10_000

DEEP_DOCUMENTS = {
    "list": "## Changes\n\n" + "- " * DEPTH + "x\n",
    "quote": "## Changes\n\n" + ">" * DEPTH + " x\n",
    "quote-list": "## Changes\n\n" + "> - " * DEPTH + "x\n",
    "list-lines": "## Changes\n\n" + "".join("  " * i + "- x\n" for i in range(300)),
    "emphasis": "## Changes\n\n- **Fixed** " + "*_" * DEPTH + "x" + "_*" * DEPTH + "\n",
    "links": "## Changes\n\n- **Fixed** " + "[" * DEPTH + "x" + "](https://a.example)" * DEPTH,
    "images": "## Changes\n\n- " + "![" * DEPTH + "x" + "](https://a.example)" * DEPTH + "\n",
    "yaml-flow": "---\nrelease: 1.0.0\nk: " + "[" * DEPTH + "]" * DEPTH + "\n---\n\n- x\n",
    "yaml-mapping": "---\nrelease: 1.0.0\nk: " + "{a: " * DEPTH + "1" + "}" * DEPTH + "\n---\n",
    "yaml-block": "---\nrelease: 1.0.0\n"
    + "".join(" " * i + f"k{i}:\n" for i in range(300))
    + "---\n\n- x\n",
    "yaml-shallow": "---\nrelease: 1.0.0\nk: " + "[" * 50 + "]" * 50 + "\n---\n\n- x\n",
    "changelog": "# v1.32.0\n\n## Changes by Kind\n\n### Feature\n\n" + "- " * DEPTH + "x\n",
    "keepachangelog": "## [1.0.0] - 2024-01-01\n\n### Added\n\n" + "> " * DEPTH + "x\n",
}
"""Nesting 10,000 deep: markdown-it stops at its maxNesting, YAML at the recursion limit."""


@pytest.mark.parametrize("name", DEEP_DOCUMENTS)
def test_deep_nesting(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> None:
    path = tmp_path / "1.0.0" / f"{name}.md"
    path.parent.mkdir()
    path.write_text(DEEP_DOCUMENTS[name], encoding="utf-8")
    for argv in (["--json"], ["--list"], ["--markdown"], ["--json"]):  # the last from the cache
        status, out, err = run_main(capsys, *argv, str(path))
        assert status == 0, err
        assert "Traceback" not in err and "RecursionError" not in err
        if argv == ["--json"]:
            json.loads(out)
    assert len(list((tmp_path / "home" / "cache" / "releases").glob("*.json"))) == 1
    if name in {"yaml-flow", "yaml-mapping"}:
        assert "front matter is nested too deeply; ignored" in err


def test_shallow_yaml_nesting_round_trips_through_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(DEEP_DOCUMENTS["yaml-shallow"], encoding="utf-8")
    first = load([str(path)], use_cache=True)
    again = load([str(path)], use_cache=True)
    assert first.warnings == again.warnings == []
    assert again.releases == first.releases
    assert again.releases[0].front_matter["k"] != []


def test_100000_entries_in_one_file(tmp_path: Path) -> None:
    path = tmp_path / "many.md"
    lines = [f"- **Fixed** bug {index} (#{index})." for index in range(100_000)]
    path.write_text("## Changes\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    completed = run_module("--list", "--no-cache", str(path), timeout=300)
    elapsed = time.monotonic() - started
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stderr == ""
    assert len(completed.stdout.splitlines()) == 100_000
    print(f"\n100,000 entries in one file ({path.stat().st_size >> 10} KB): {elapsed:.1f} s")


def test_kubernetes_release_ending_with_a_rule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Found here: a block whose last token has no inline raised IndexError (a traceback)."""
    path = tmp_path / "CHANGELOG-1.32.md"
    path.write_text(
        "# v1.32.1\n\n## Changes by Kind\n\n### Bug or Regression\n\n"
        "- Fixed a thing. ([#1](https://github.com/kubernetes/kubernetes/pull/1)) [SIG Node]\n\n"
        "---\n",
        encoding="utf-8",
    )
    status, out, err = run_main(capsys, "--list", str(path))
    assert (status, err) == (0, "")
    assert "Fixed a thing." in out


def test_a_parser_bug_costs_one_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected exception while parsing is one warning naming the file, not a traceback."""
    good = write_notes(tmp_path / "good.md")
    bad = write_notes(tmp_path / "bad.md")

    def parse(text: str, source: str, *args: object, **kwargs: object) -> object:
        if source == str(bad):
            raise IndexError("list index out of range")
        return parse_text(text, source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("notes_tui.reading.parse_text", parse)
    status, out, err = run_main(capsys, "--list", str(good), str(bad))
    assert status == 0 and len(out.splitlines()) == 2
    assert warning_lines(err) == [
        f"notes-tui: warning: {bad}: notes-tui failed to parse this file "
        "(IndexError: list index out of range); please report it"
    ]
    status, out, err = run_main(capsys, "--list", str(bad))
    assert_error(status, out, err, "failed to parse this file (IndexError")


def test_standard_input_is_bounded(capsys: pytest.CaptureFixture[str]) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "notes_tui", "--list", "-"],
        cwd=REPO_DIR,
        input=b"- x\n" * (MAX_FILE_BYTES // 4 + 1),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    read = math.ceil((MAX_FILE_BYTES + 1) * 10 / 2**20) / 10  # one byte past the limit
    assert completed.stderr.decode() == (
        f"notes-tui: error: <stdin>: too large ({read} MB; "
        f"notes-tui reads files of up to {MAX_FILE_BYTES // 2**20} MB)\n"
    )


# --- content --------------------------------------------------------------------------------


def hostile_notes(escape: str) -> str:
    """Notes carrying `escape` in the title, release, area, text, link label and link URL."""
    return (
        "---\n"
        f"title: {json.dumps('Title ' + escape)}\n"
        f"release: {json.dumps('1.0.0' + escape)}\n"
        "---\n\n"
        f"## Area {escape}\n\n"
        f"- **Fixed** text {escape} and [label {escape}](https://example.com/a) "
        f"and https://example.com/b{escape}\n"
    )


@pytest.mark.parametrize("name", ESCAPES)
def test_escapes_never_reach_the_terminal(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    escape = ESCAPES[name]
    # The path carries the escape too, and the file is binary: the error line names it.
    path = tmp_path / f"notes{escape.replace('/', '')}.md"
    path.write_text(hostile_notes(escape), encoding="utf-8")
    status, out, err = run_main(capsys, "--list", str(path))
    assert (status, err) == (0, "")
    assert_terminal_safe(out)
    assert "\u202e" not in out and "\u200b" not in out and "\u2060" not in out
    assert "Fixed text" in out

    status, out, err = run_main(capsys, "--json", str(path))
    assert status == 0
    assert all(char == "\n" or " " <= char <= "~" for char in out)  # ASCII, escapes as \uXXXX
    [entry] = json.loads(out)
    assert escape in entry["summary"]  # the data itself is kept, escaped

    status, out, err = run_main(capsys, "--markdown", str(path))
    assert status == 0
    assert_terminal_safe(out)
    with monkeypatch.context() as patch:
        patch.setattr(sys.stdout, "isatty", lambda: True)
        status, out, err = run_main(capsys, "--markdown", "--checklist", str(path))
    assert status == 0
    assert_terminal_safe(out)
    assert "\u202e" not in out and "\u200b" not in out

    path.write_bytes(b"\x00binary")
    status, out, err = run_main(capsys, "--list", str(path))
    assert_error(status, out, err, "binary file")
    assert_terminal_safe(err)
    status, out, err = run_main(capsys, "--list", str(path), str(write_notes(tmp_path / "a.md")))
    assert status == 0
    assert_terminal_safe(err)
    assert "binary file" in warning_lines(err)[0]


def test_markdown_to_a_file_keeps_text_but_not_controls(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Zero-width joiners and bidi marks are text (emoji, Arabic): kept when not a terminal."""
    path = tmp_path / "notes.md"
    path.write_text(
        hostile_notes("\x1b[2J 👩\u200d💻 \u200f\u05e9\u05dc\u05d5\u05dd\u202e"), encoding="utf-8"
    )
    status, out, _ = run_main(capsys, "--markdown", str(path))
    assert status == 0
    assert "👩\u200d💻 \u200f\u05e9\u05dc\u05d5\u05dd\u202e" in out
    assert "\x1b" not in out and "?[2J" in out


def test_unsafe_link_schemes_are_text_and_never_open(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from notes_tui.links import is_safe_url

    path = tmp_path / "1.0.0" / "notes.md"
    path.parent.mkdir()
    path.write_text(
        "## Changes\n\n- **Fixed** [js](javascript:alert(1)) [file](file:///etc/passwd) "
        "[data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox(1)) "
        "[JS](JaVaScRiPt:alert(1)) [shell](https://example.com/$(touch%20pwned);`id`|x) "
        "<javascript:alert(2)>\n",
        encoding="utf-8",
    )
    status, out, err = run_main(capsys, "--json", str(path))
    assert (status, err) == (0, "")
    [entry] = json.loads(out)
    urls = [link["url"] for link in entry["links"]]
    assert urls == ["https://example.com/$(touch%20pwned);%60id%60%7Cx"]
    assert all(is_safe_url(url) for url in urls)  # shell characters are harmless: no shell
    assert "javascript:alert(1)" in entry["markdown"]  # shown, as text
    for url in (
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "vbscript:x",
        "https://example.com/a\nb",
        "https://example.com/\x1b[2J",
    ):
        assert not is_safe_url(url)


def test_long_area_names_and_huge_issue_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    area = "A" * 10_000
    digits = "1" * 40
    path = tmp_path / "1.0.0" / "notes.md"
    path.parent.mkdir()
    path.write_text(
        f"## {area}\n\n"
        f"- **Fixed** #{digits} and istio/istio#{digits}, "
        f"[Issue #{digits}](https://github.com/istio/istio/issues/{digits}) "
        "and [#123456789012](https://github.com/istio/istio/issues/123456789012) "
        "and [#1234567890123](https://github.com/istio/istio/issues/1234567890123).\n",
        encoding="utf-8",
    )
    status, out, err = run_main(capsys, "--list", str(path))
    assert (status, err) == (0, "")
    [line] = out.splitlines()
    assert len(line) < 400  # the area is cut to its column, the summary to its width
    status, out, _ = run_main(capsys, "--json", str(path))
    [entry] = json.loads(out)
    assert entry["area"] == area
    # Issue numbers stop at 12 digits: the 40-digit and 13-digit ones stay text and links.
    assert [issue["number"] for issue in entry["issues"]] == [123456789012]
    assert f"https://github.com/istio/istio/issues/{digits}" in [
        link["url"] for link in entry["links"]
    ]


def test_json_is_valid_for_every_corpus_file(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    files = sorted(path for path in corpus.rglob("*") if path.suffix in {".md", ".markdown"})
    assert len(files) >= 400
    total = 0
    for path in files:
        status, out, err = run_main(capsys, "--json", str(path))
        assert status == 0, (path, err)
        assert "Traceback" not in err
        entries = json.loads(out)
        assert isinstance(entries, list)
        total += len(entries)
    assert total > 10_000
    print(f"\n{len(files)} corpus files, {total} entries, each file's --json valid")


def test_escapes_survive_the_cache_exactly(tmp_path: Path, home: Path) -> None:
    """The cache is JSON written as ASCII: controls come back exactly as they were read."""
    path = tmp_path / "notes.md"
    path.write_text(hostile_notes("".join(ESCAPES.values())), encoding="utf-8")
    first = load([str(path)], use_cache=True)
    assert len(list((home / "cache" / "releases").glob("*.json"))) == 1
    again = load([str(path)], use_cache=True)
    assert again.releases == first.releases
    assert ESCAPES["OSC 52 clipboard"] in again.releases[0].entries[0].text


def test_the_same_warning_is_printed_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = write_notes(tmp_path / "good.md")
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\x00")
    status, out, err = run_main(capsys, "--list", str(good), str(bad), str(bad))
    assert status == 0 and len(out.splitlines()) == 2
    assert warning_lines(err) == [
        f"notes-tui: warning: {bad}: binary file (contains NUL bytes), not Markdown"
    ]


def test_an_empty_file_does_not_hide_another_without_entries(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "prose.md").write_text("## 1.0.0\n\nProse only.\n", encoding="utf-8")
    status, _, err = run_main(
        capsys, "--list", str(tmp_path / "empty.md"), str(tmp_path / "prose.md")
    )
    assert status == 0
    assert warning_lines(err) == [
        f"notes-tui: warning: {tmp_path / 'empty.md'}: empty file; nothing to show",
        f"notes-tui: warning: {tmp_path / 'prose.md'}: {NO_ENTRIES}",
    ]
