"""Memory is bounded: peak resident size of `notes-tui` on large files, measured in a child.

Each measurement runs a fresh Python that starts `python -m notes_tui` and reports
`getrusage(RUSAGE_CHILDREN).ru_maxrss`: the peak of that one grandchild, never of
an earlier test's processes. These are resource bounds, not timings.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notes_tui.loading import MAX_FILE_BYTES

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


def test_50_mb_file_is_refused_without_reading_it(
    tmp_path: Path, kubernetes_text: bytes, baseline: int
) -> None:
    path = tmp_path / "CHANGELOG-huge.md"
    path.write_bytes(kubernetes_text * (50 * MB // len(kubernetes_text) + 1))
    size = path.stat().st_size
    result = measure(tmp_path / "home", "--json", str(path))
    assert result["status"] == 2
    assert result["stderr"] == (
        f"notes-tui: error: {path}: too large ({math.ceil(size * 10 / MB) / 10} MB; "
        f"notes-tui reads files of up to {MAX_FILE_BYTES // MB} MB)\n"
    )
    peak = int(str(result["peak"]))
    report("50 MB file (refused)", size, peak, baseline)
    assert peak < 10 * size
    assert peak - baseline < MB * 8  # nothing of it was read


def test_50_mb_on_standard_input_is_refused_after_the_limit(
    tmp_path: Path, kubernetes_text: bytes, baseline: int
) -> None:
    path = tmp_path / "huge-input"
    path.write_bytes(kubernetes_text * (50 * MB // len(kubernetes_text) + 1))
    size = path.stat().st_size
    result = measure(tmp_path / "home", "--json", "-", stdin=path)
    assert result["status"] == 2
    assert "<stdin>: too large (8.1 MB; notes-tui reads files of up to 8 MB)" in str(
        result["stderr"]
    )
    peak = int(str(result["peak"]))
    report("50 MB on standard input (refused)", size, peak, baseline)
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
    # About 9x: the bytes, the text, markdown-it's copies, the entry's Markdown and plain
    # text; writing the cache entry (`json.dumps`, then its join) adds about 2x more.
    assert peak - baseline < 12 * size


def test_largest_file_read(tmp_path: Path, kubernetes_text: bytes, baseline: int) -> None:
    """Just under the limit, shaped like real notes: what the limit bounds memory to."""
    text = kubernetes_text * (MAX_FILE_BYTES // len(kubernetes_text))
    path = tmp_path / "CHANGELOG-1.32.md"
    path.write_bytes(text[: text.rfind(b"\n# v")])
    size = path.stat().st_size
    assert MAX_FILE_BYTES - 2 * len(kubernetes_text) < size <= MAX_FILE_BYTES
    result = measure(tmp_path / "home", "--list", str(path))
    assert result["status"] == 0, str(result["stderr"])[-2000:]
    assert result["stderr"] == ""
    peak = int(str(result["peak"]))
    report("largest file read (Kubernetes changelog repeated)", size, peak, baseline)
    # markdown-it holds some 25 bytes of tokens per byte of text while a file is parsed.
    assert peak < 64 * size
