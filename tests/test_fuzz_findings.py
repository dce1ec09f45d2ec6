"""Regression tests for what the long fuzzing run (fuzz/fuzz_parse.py) found."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes_tui.inputs import decode
from notes_tui.parse import parse_text

FINDINGS = Path(__file__).resolve().parent / "data" / "fuzz"

SOURCES = ["fuzz.md", "CHANGELOG.md", "releases/1.9.x/announcing-1.9/change-notes/index.md"]


@pytest.mark.parametrize("name", sorted(p.name for p in FINDINGS.glob("*.md")))
@pytest.mark.parametrize("source", SOURCES)
def test_finding_parses_with_entries_inside_the_file(name: str, source: str) -> None:
    text, _ = decode((FINDINGS / name).read_bytes(), name)
    line_count = text.count("\n") + 1
    for release in parse_text(text, source):
        for entry in release.entries:
            assert 1 <= entry.line <= line_count


def test_a_bulletin_that_is_all_front_matter_points_at_its_last_line() -> None:
    # Found by the fuzzer: the one entry of a bulletin with no body was put past the end.
    text, _ = decode((FINDINGS / "bulletin-front-matter-only.md").read_bytes(), "b.md")
    (release,) = parse_text(text, "security/istio-security-2024-007/index.md")
    (entry,) = release.entries
    assert entry.summary == "CVEs reported by E@voy."
    assert entry.line == text.count("\n") + 1 == 12
