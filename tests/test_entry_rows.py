"""The list's rows, built as segments, against the same row drawn through `rich.text.Text`."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from notes_tui.highlight import match_spans
from notes_tui.model import Entry, Release
from notes_tui.output import issue_numbers, kind_shown, to_list
from notes_tui.parse.kinds import KIND_ORDER
from notes_tui.sanitize import clean_line
from notes_tui.widgets import entry_rows as module
from notes_tui.widgets.entry_list import EntryList
from notes_tui.widgets.entry_rows import BADGE_WIDTH, _fit

BASE, BADGE, MATCH, ISSUES = (
    Style(color="white"),
    Style(bgcolor="blue"),
    Style(bold=True),
    Style(dim=True),
)


class Row(EntryList):
    """An unmounted list whose component styles are fixed, to draw rows on their own."""

    def _component_style(self, name: str) -> Style:
        return {"entry-list--match": MATCH, "entry-list--issues": ISSUES}.get(name, BADGE)


def through_text(entry: Entry, width: int, words: tuple[str, ...]) -> Strip:
    """The row as `rich.text.Text` draws it: the reference the segments must equal."""
    badge = clean_line(kind_shown(entry, BADGE_WIDTH - 2))[: BADGE_WIDTH - 2]
    summary, issues = clean_line(entry.summary), clean_line(issue_numbers(entry))
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    line.append(f" {badge.center(BADGE_WIDTH - 2)} ", BADGE)  # Istio's labels: one cell each
    line.append(" ")
    start = len(line)
    line.append(summary)
    for begin, end in match_spans(summary, words):
        line.stylize(MATCH, start + begin, start + end)
    if issues:
        if width - line.cell_len - cell_len(issues) - 2 < 0:
            line.truncate(max(BADGE_WIDTH + 4, width - cell_len(issues) - 2), overflow="ellipsis")
        line.append("  ")
        line.append(issues, ISSUES)
    line.truncate(width, overflow="ellipsis")
    line.stylize_before(BASE)
    segments = list(line.render(Console(width=500)))
    return Strip(segments).crop_extend(0, width, BASE).simplify()


def cells(strip: Strip) -> list[tuple[str, Style | None]]:
    """A strip as one (character, style) pair per character, whatever its segments."""
    return [(char, segment.style) for segment in strip for char in segment.text]


@pytest.fixture(scope="module")
def entries(istio_releases: list[Release]) -> list[Entry]:
    return [entry for release in istio_releases for entry in release.entries][::7]


@pytest.mark.parametrize("width", [20, 41, 80, 131])
@pytest.mark.parametrize("words", [(), ("the",), ("fix", "istio")])
def test_rows_equal_rich_text(entries: list[Entry], width: int, words: tuple[str, ...]) -> None:
    row = Row(highlights=words)
    row._base_style = BASE
    for entry in entries:
        drawn = row._render_row(entry, width, selected=False)
        assert drawn.cell_length == width
        assert cells(drawn) == cells(through_text(entry, width, words)), entry.summary


def test_fit_cuts_at_the_width_with_an_ellipsis() -> None:
    one, two = Style(bold=True), Style(italic=True)
    assert _fit([("abc", one), ("de", two)], 5) == [("abc", one), ("de", two)]
    assert _fit([("abc", one), ("def", two)], 4) == [("abc", one), ("…", two)]
    assert _fit([("abcdef", one)], 4) == [("abc…", one)]
    # A wide character that would straddle the cut is replaced by a space.
    assert _fit([("日本語", one)], 4) == [("日 …", one)]
    assert module.cell_len("日 …") == 4


@pytest.mark.parametrize("kind", KIND_ORDER)
def test_every_kind_shows_whole_in_its_badge(entries: list[Entry], kind: str) -> None:
    row = Row()
    row._base_style = BASE
    entry = replace(entries[0], kind=kind, kind_label="")
    drawn = row._render_row(entry, 80, selected=False)
    assert drawn.text[:BADGE_WIDTH].strip() == kind


@pytest.mark.parametrize("label", ["修复", "新功能", "Promoted", "✨"])
def test_a_badge_is_as_wide_in_cells_whatever_its_label(entries: list[Entry], label: str) -> None:
    # A wide character takes two cells: a label counted in characters pushed the summary
    # out of its column on that row.
    row = Row()
    row._base_style = BASE
    entry = replace(entries[0], kind="Fixed", kind_label=label)
    plain = row._render_row(replace(entry, kind_label=""), 80, selected=False)
    drawn = row._render_row(entry, 80, selected=False)
    assert drawn.cell_length == 80
    badge = [s for s in drawn if s.style is not None and s.style.bgcolor == BADGE.bgcolor]
    assert sum(segment.cell_length for segment in badge) == BADGE_WIDTH
    assert label in "".join(segment.text for segment in badge)
    summary_at = drawn.text.index(entry.summary[:10])
    assert cell_len(drawn.text[:summary_at]) == plain.text.index(entry.summary[:10])


def test_the_list_output_aligns_wide_characters_by_cells(entries: list[Entry]) -> None:
    rows = [
        replace(entries[0], area="安全", kind_label="修复"),
        replace(entries[1], area="Security", kind_label="Fixed"),
    ]
    lines = to_list(rows).splitlines()
    # The summaries start in the same terminal column on both lines.
    columns = {
        cell_len(line[: line.index(row.summary[:10])])
        for line, row in zip(lines, rows, strict=True)
    }
    assert len(columns) == 1
