"""Memory is bounded: peak resident size of `notes-tui` on large files, measured in a child.

Each measurement runs a fresh Python that starts `python -m notes_tui` and reports
`getrusage(RUSAGE_CHILDREN).ru_maxrss`: the peak of that one grandchild, never of
an earlier test's processes. These are resource bounds, not timings.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from notes_tui.inputs import MAX_FILE_BYTES
from notes_tui.parse import parse_text

REPO_DIR = Path(__file__).resolve().parents[1]
"""The checkout, where `python -m notes_tui` runs."""

MB = 1024 * 1024

MEASURE = """
import json, resource, subprocess, sys
stdin = open(sys.argv[1], "rb") if sys.argv[1] else subprocess.DEVNULL
completed = subprocess.run(
    [sys.executable, "-m", "notes_tui", *sys.argv[2:]], stdin=stdin, capture_output=True
)
print(json.dumps({
    "status": completed.returncode,
    "stdout_bytes": len(completed.stdout),
    "stdout_head": completed.stdout[:2000].decode("utf-8", "replace"),
    "stdout_lines": completed.stdout.count(b"\\n"),
    # What `--list` shows: the release of each line is its first word.
    "releases": len({line.split(None, 1)[0] for line in completed.stdout.splitlines() if line}),
    "stderr": completed.stderr.decode("utf-8", "replace"),
    "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""
"""Run notes-tui in a child and report its outcome and peak RSS (kilobytes on Linux)."""


def measure(home: Path, *argv: str, stdin: Path | None = None) -> dict[str, object]:
    """Run `notes-tui argv` and return its status, output and peak RSS in bytes."""
    completed = subprocess.run(
        [sys.executable, "-c", MEASURE, str(stdin or ""), *argv],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        env={**os.environ, "NOTES_TUI_HOME": str(home)},
    )
    result: dict[str, object] = json.loads(completed.stdout)
    result["peak"] = int(str(result["peak_kb"])) * 1024
    return result


@pytest.fixture(scope="module")
def kubernetes_text(corpus: Path) -> bytes:
    """The largest corpus file: Kubernetes 1.32's changelog (about 410 KB)."""
    return (corpus / "other" / "kubernetes" / "CHANGELOG-1.32.md").read_bytes()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> int:
    """Peak RSS of listing a two-line file: the interpreter and notes-tui's imports."""
    folder = tmp_path_factory.mktemp("baseline")
    path = folder / "small.md"
    path.write_text("## Changes\n\n- **Fixed** a bug.\n", encoding="utf-8")
    result = measure(folder / "home", "--json", str(path))
    assert result["status"] == 0, result["stderr"]
    return int(str(result["peak"]))


def report(name: str, size: int, peak: int, baseline: int) -> None:
    print(
        f"\n{name}: file {size / MB:.1f} MB, peak RSS {peak / MB:.0f} MB "
        f"({peak / size:.1f}x the file; {(peak - baseline) / MB:.0f} MB above the "
        f"{baseline / MB:.0f} MB baseline, {(peak - baseline) / size:.1f}x)"
    )


def test_file_over_the_limit_is_refused_without_reading_it(
    tmp_path: Path, kubernetes_text: bytes, baseline: int
) -> None:
    path = tmp_path / "CHANGELOG-huge.md"
    path.write_bytes(kubernetes_text * (MAX_FILE_BYTES // len(kubernetes_text) + 1))
    size = path.stat().st_size
    assert size > MAX_FILE_BYTES
    result = measure(tmp_path / "home", "--json", str(path))
    assert result["status"] == 2
    assert result["stderr"] == (
        f"notes-tui: error: {path}: too large ({math.ceil(size * 10 / MB) / 10} MB; "
        f"notes-tui reads files of up to {MAX_FILE_BYTES // MB} MB)\n"
    )
    peak = int(str(result["peak"]))
    report("file over the limit (refused)", size, peak, baseline)
    assert peak < 10 * size
    assert peak - baseline < MB * 8  # nothing of it was read


def test_standard_input_over_the_limit_is_refused_after_the_limit(
    tmp_path: Path, kubernetes_text: bytes, baseline: int
) -> None:
    path = tmp_path / "huge-input"
    path.write_bytes(kubernetes_text * (MAX_FILE_BYTES // len(kubernetes_text) + 1))
    size = path.stat().st_size
    result = measure(tmp_path / "home", "--json", "-", stdin=path)
    assert result["status"] == 2
    read = math.ceil((MAX_FILE_BYTES + 1) * 10 / MB) / 10  # one byte past the limit
    assert result["stderr"] == (
        f"notes-tui: error: <stdin>: too large ({read} MB; "
        f"notes-tui reads files of up to {MAX_FILE_BYTES // MB} MB)\n"
    )
    peak = int(str(result["peak"]))
    report("standard input over the limit (refused)", size, peak, baseline)
    assert peak < 10 * size
    assert peak - baseline < 2 * MAX_FILE_BYTES  # at most the limit was read


def test_single_5_mb_line(tmp_path: Path, baseline: int) -> None:
    path = tmp_path / "1.0.0" / "notes.md"
    path.parent.mkdir()
    words = " ".join(f"word{index % 1000}" for index in range(5 * MB // 8))
    path.write_text(f"## Changes\n\n- **Fixed** {words}\n", encoding="utf-8")
    size = path.stat().st_size
    result = measure(tmp_path / "home", "--json", str(path))
    assert result["status"] == 0, result["stderr"]
    assert result["stderr"] == ""
    assert int(str(result["stdout_bytes"])) > size  # the entry's Markdown, in full
    peak = int(str(result["peak"]))
    report("one 5 MB line", size, peak, baseline)
    # The interpreter alone is about 5x a 5 MB file: the bound is on what reading adds.
    # About 9x: the bytes and the text; while parsing, the line, markdown-it's two copies,
    # the entry's Markdown and plain text; then writing the cache entry (`json.dumps`, then
    # its join) beside the bytes, the text and the entry.
    assert peak - baseline < 10 * size


def test_50_mb_changelog_is_read_in_full(
    tmp_path: Path, kubernetes_text: bytes, baseline: int
) -> None:
    """A changelog of 50 MB is read, every release and entry, in under 10 times its size."""
    data, copies = kubernetes_history(kubernetes_text, 50 * MB)
    path = tmp_path / "kubernetes" / "CHANGELOG.md"
    path.parent.mkdir()
    path.write_bytes(data)
    size = path.stat().st_size
    # As a user runs it, cache on: files this large are parsed without it (`MAX_CACHED_INPUT`).
    result = measure(tmp_path / "home", "--list", str(path))
    assert result["status"] == 0, str(result["stderr"])[-2000:]
    assert result["stderr"] == ""
    releases, entries = what_one_copy_holds(kubernetes_text)
    assert result["stdout_lines"] == entries * copies  # one line per entry
    assert result["releases"] == releases * copies
    peak = int(str(result["peak"]))
    report("50 MB changelog read (Kubernetes releases repeated)", size, peak, baseline)
    # Tokenised a release block at a time: the bytes, the text and the releases made of them.
    assert peak < 10 * size


def test_largest_file_read(tmp_path: Path, kubernetes_text: bytes, baseline: int) -> None:
    """Just under the limit, shaped like real notes: what the limit bounds memory to."""
    data, _ = kubernetes_history(kubernetes_text, MAX_FILE_BYTES, over=False)
    path = tmp_path / "kubernetes" / "CHANGELOG.md"
    path.parent.mkdir()
    path.write_bytes(data)
    size = path.stat().st_size
    assert MAX_FILE_BYTES - len(kubernetes_text) < size <= MAX_FILE_BYTES
    result = measure(tmp_path / "home", "--list", str(path))
    assert result["status"] == 0, str(result["stderr"])[-2000:]
    assert result["stderr"] == ""
    peak = int(str(result["peak"]))
    report("largest file read (Kubernetes releases repeated)", size, peak, baseline)
    # Read block by block, and without the cache (over `MAX_CACHED_INPUT`): under 10x.
    assert peak < 10 * size


def kubernetes_history(kubernetes_text: bytes, size: int, over: bool = True) -> tuple[bytes, int]:
    """The Kubernetes changelog's releases, copied until `size` bytes: a long history.

    Each copy has its own versions (`v7.32.8`) and pull requests (`#7128396`), as one
    project's releases do; the table of contents that opens the file is left out.

    Args:
        kubernetes_text: The changelog.
        size: How large the result should be.
        over: Stop at the first copy past `size` (else at the last one within it).

    Returns:
        The text and how many copies it holds.
    """
    # The file ends without a newline: each copy gets one, or the next heading is no heading.
    releases = kubernetes_text[kubernetes_text.index(b"\n# v") + 1 :].rstrip(b"\n") + b"\n"
    copies: list[bytes] = []
    total = 0
    while total < size:
        number = len(copies) + 2
        copy = releases.replace(b"v1.32.", b"v%d.32." % number)
        copy = re.sub(rb"(?<=[#/])([0-9]{5,6})\b", rb"%d\1" % number, copy)
        if not over and total + len(copy) > size:
            break
        copies.append(copy)
        total += len(copy)
    return b"".join(copies), len(copies)


def what_one_copy_holds(kubernetes_text: bytes) -> tuple[int, int]:
    """How many releases with entries, and entries, one copy of `kubernetes_history` holds."""
    text = kubernetes_history(kubernetes_text, 1)[0].decode("utf-8")
    releases = parse_text(text, "kubernetes/CHANGELOG.md")
    with_entries = [release for release in releases if release.entries]
    return len(with_entries), sum(len(release.entries) for release in releases)
