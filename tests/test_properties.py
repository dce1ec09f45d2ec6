"""Property tests: the loader, parsers and query language on arbitrary input (bounded runs)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes_tui.inputs import LoadError, decode
from notes_tui.links import issue_from_url
from notes_tui.output import to_json, to_list
from notes_tui.parse import parse_text
from notes_tui.query import format_query, parse_query

FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PIECES = st.sampled_from(
    [
        "\n## Traffic Management\n",
        "\n# v1.32.0\n",
        "\n## [1.2.3] - 2024-01-01\n",
        "\n### Fixed\n",
        "\n- **Added** support ([Issue #12](https://github.com/istio/istio/issues/12))\n",
        "\n- **Fixed** a bug\n",
        "\n- [BUGFIX] TSDB: fix it. #123\n",
        "\n* Add x by @someone in https://github.com/o/r/pull/9\n",
        "\n---\ntitle: x\n---\n",
        "{{< text yaml >}}\nkey: v\n{{< /text >}}\n",
        "<!--\n- **Added** hidden\n-->\n",
        "[a](javascript:alert(1))",
        "\x1b[2J\x1b]0;title\x07",
        "[@click=app.quit]x[/]",
        "\u202e\u200b",
        "owner/repo#77 ",
        "#5 ",
        "  continued\n",
        "\n\n",
    ]
)
MARKDOWNISH = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=25).map("".join)
SOURCES = st.sampled_from(
    ["notes.md", "CHANGELOG.md", "releases/1.9.x/announcing-1.9/change-notes/index.md"]
)


def check_releases(text: str, source: str) -> None:
    releases = parse_text(text, source)
    # A lone CR ends a line too (for markdown-it and for the loader, which normalises it).
    line_count = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    entries = [entry for release in releases for entry in release.entries]
    for entry in entries:
        assert 1 <= entry.line <= line_count
        for ref in entry.issues:
            # Every issue reference's URL is the one the text gives (or built from its number).
            assert issue_from_url(ref.url) is not None
            assert ref.url in text or str(ref.number) in text
    json.loads(to_json(entries))
    listing = to_list(entries)
    assert "\x1b" not in listing and "\x9b" not in listing and "\u202e" not in listing


@FAST
@given(text=MARKDOWNISH, source=SOURCES)
def test_parsing_markdownish_text_never_raises(text: str, source: str) -> None:
    check_releases(text, source)


@FAST
@given(text=st.text(max_size=2000), source=SOURCES)
def test_parsing_arbitrary_text_never_raises(text: str, source: str) -> None:
    check_releases(text, source)


@FAST
@given(data=st.binary(max_size=3000))
def test_loading_arbitrary_bytes_never_raises(data: bytes) -> None:
    try:
        text, _ = decode(data, "fuzz.md")
    except LoadError as error:
        assert str(error).startswith("fuzz.md: ")
        return
    assert "\r" not in text
    check_releases(text, "notes.md")


@FAST
@given(query=st.text(max_size=80))
def test_query_parsing_never_raises_and_round_trips(query: str) -> None:
    parsed = parse_query(query)
    assert parse_query(format_query(parsed)) == parsed
