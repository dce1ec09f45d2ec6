"""query.py and search.py: the query language, filtering the seed notes, prefixes, writing back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notes_tui.model import Release
from notes_tui.query import (
    Query,
    QueryError,
    format_query,
    parse_query,
    resolve_prefix,
    split_terms,
)
from notes_tui.search import EntryIndex, WordHits

SEED_AREAS = [
    "Traffic Management",
    "Security",
    "Telemetry",
    "Extensibility",
    "Installation",
    "istioctl",
]


@pytest.fixture(scope="module")
def seed_index(seed_release: Release) -> EntryIndex:
    """The seed's entries with their search keys."""
    index = EntryIndex()
    index.extend(seed_release.entries)
    return index


def matching_lines(index: EntryIndex, query: str) -> list[int]:
    """The source lines of the entries a query keeps."""
    return [index.entries[position].line for position in index.filter(parse_query(query))]


# --- parse_query --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Query()),
        ("   ", Query()),
        ("ztunnel", Query(words=("ztunnel",))),
        ("ZTunnel Gateway", Query(words=("ztunnel", "gateway"))),
        ('"dual-stack support" beta', Query(words=("dual-stack support", "beta"))),
        ("-chart", Query(excluded=("chart",))),
        ('-"helm chart"', Query(excluded=("helm chart",))),
        ("-", Query(words=("-",))),
        ("area:sec", Query(areas=("sec",))),
        ('area:"Traffic Man"', Query(areas=("traffic man",))),
        ("AREA:Sec", Query(areas=("sec",))),
        ("kind:fix", Query(kinds=("fix",))),
        ("#57530", Query(issues=(57530,))),
        ("issue:57530", Query(issues=(57530,))),
        ("issue:#57530", Query(issues=(57530,))),
        ("cve:CVE-2025-", Query(cves=("2025-",))),
        ("is:breaking", Query(flags=("breaking",))),
        ("version:1.26..1.28", Query(versions=("1.26..1.28",))),
        ("area:", Query(words=("area:",))),
        ("issue:abc", Query(words=("issue:abc",))),
        ("-#57530", Query(excluded=("#57530",))),
        (
            'ztunnel area:inst kind:add -chart #57530 "top-level field"',
            Query(
                words=("ztunnel", "top-level field"),
                excluded=("chart",),
                areas=("inst",),
                kinds=("add",),
                issues=(57530,),
            ),
        ),
    ],
)
def test_parse_query(text: str, expected: Query) -> None:
    assert parse_query(text) == expected


def test_unclosed_quote_is_one_phrase() -> None:
    assert split_terms('ambient "dual stack') == ["ambient", "dual stack"]
    assert parse_query('ambient "dual stack') == Query(words=("ambient", "dual stack"))


def test_empty_query() -> None:
    assert parse_query("").is_empty
    assert not parse_query("x").is_empty
    assert parse_query('fix "a b" -c area:x').highlights == ("fix", "a b")


# --- filtering the seed -------------------------------------------------------------------


def test_empty_query_keeps_everything(seed_index: EntryIndex) -> None:
    assert seed_index.filter(parse_query("")) == list(range(47))


def test_word_ztunnel(seed_index: EntryIndex) -> None:
    # By hand: the WorkloadEntry port map fix (47), the istiod NetworkPolicy entry (75),
    # the persona-based installations entry, whose last paragraph names the ztunnel
    # chart (116), and `istioctl ztunnel-config all` (153).
    assert matching_lines(seed_index, "ztunnel") == [47, 75, 116, 153]
    assert matching_lines(seed_index, "ZTUNNEL") == [47, 75, 116, 153]


def test_area_prefix(seed_index: EntryIndex) -> None:
    assert matching_lines(seed_index, "area:sec") == [69, 71, 75, 78, 81, 85, 88]
    assert len(matching_lines(seed_index, 'area:"traffic management"')) == 18
    assert matching_lines(seed_index, "area:ext") == [105]
    assert matching_lines(seed_index, "area:nothing") == []


def test_kind_prefix(seed_index: EntryIndex) -> None:
    # By hand: six Fixed in Traffic Management, one each in Security, Extensibility,
    # Installation and istioctl.
    assert matching_lines(seed_index, "kind:fix") == [47, 50, 53, 55, 58, 60, 85, 105, 135, 155]
    assert len(matching_lines(seed_index, "kind:added")) == 26


def test_issue_number(seed_index: EntryIndex) -> None:
    # Issue 57530 is linked from two entries: the DISABLE_SHADOW_HOST_SUFFIX entry (27) and
    # the persona-based installations entry (116), so the query keeps both.
    assert matching_lines(seed_index, "#57530") == [27, 116]
    assert matching_lines(seed_index, "issue:57530") == [27, 116]
    assert matching_lines(seed_index, "#54127") == [15]
    assert matching_lines(seed_index, "#56877") == [75]  # in istio/api
    assert matching_lines(seed_index, "#1") == []


def test_phrase_exclusion_and_combination(seed_index: EntryIndex) -> None:
    assert matching_lines(seed_index, '"dual-stack support"') == [15]
    assert matching_lines(seed_index, '"support dual-stack"') == []
    assert matching_lines(seed_index, "ztunnel -chart") == [47, 75, 153]
    assert matching_lines(seed_index, "area:inst ztunnel") == [116]
    assert matching_lines(seed_index, "kind:add area:sec") == [71, 75, 78, 81]
    # Every word must match; two areas are alternatives.
    assert matching_lines(seed_index, "ztunnel kind:fix") == [47]
    assert len(matching_lines(seed_index, "area:tel area:ext")) == 5


def test_words_match_area_kind_and_issue_numbers(seed_index: EntryIndex) -> None:
    assert len(matching_lines(seed_index, "extensibility")) == 1
    assert len(matching_lines(seed_index, "promoted")) == 1
    assert matching_lines(seed_index, "57472") == [53]


# --- resolve_prefix -----------------------------------------------------------------------


def test_resolve_unique_prefix() -> None:
    assert resolve_prefix("sec", SEED_AREAS, "area") == "Security"
    assert resolve_prefix("TRAFFIC", SEED_AREAS, "area") == "Traffic Management"
    assert resolve_prefix(" istioctl ", SEED_AREAS, "area") == "istioctl"


def test_exact_name_wins_over_longer_ones() -> None:
    assert resolve_prefix("security", ["Security Bulletin", "Security"], "area") == "Security"


def test_ambiguous_prefix() -> None:
    with pytest.raises(QueryError, match="ambiguous: Traffic Management, Telemetry"):
        resolve_prefix("t", SEED_AREAS, "area")


def test_prefix_naming_nothing() -> None:
    with pytest.raises(QueryError, match="no area matches 'zzz'"):
        resolve_prefix("zzz", SEED_AREAS, "area")
    with pytest.raises(QueryError, match=r"known: none"):
        resolve_prefix("x", [], "kind")


# --- format_query -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ztunnel",
        '"dual-stack support" beta',
        "-chart",
        '-"helm chart"',
        "area:sec",
        'area:"traffic management"',
        "kind:fix",
        "#57530",
        "issue:57530",
        "cve:2025-",
        "is:breaking",
        "version:1.26..1.28",
        'ztunnel area:inst kind:add -chart #57530 "top-level field" cve:2024 is:x',
        'unclosed "quote here',
        "area: issue:abc -#1",
        'tab\t"in\tphrase"',
    ],
)
def test_format_query_round_trips(text: str) -> None:
    query = parse_query(text)
    assert parse_query(format_query(query)) == query


QUERY_PIECES = st.sampled_from(
    [*'ab -"#:1\t', "area:", "kind:", "issue:", "cve:", "is:", "version:", "é", "'", "\\"]
)
"""Fragments that, joined at random, exercise quoting, negation and every field."""


@settings(max_examples=300, deadline=None)
@given(st.lists(QUERY_PIECES, max_size=14).map("".join))
def test_format_query_round_trips_any_text(text: str) -> None:
    query = parse_query(text)
    assert parse_query(format_query(query)) == query


def test_format_query_writes_the_language() -> None:
    query = Query(words=("a b",), excluded=("c",), areas=("sec",), kinds=("fix",), issues=(1,))
    assert format_query(query) == '"a b" -c area:sec kind:fix #1'


# --- WordHits: typing narrows what was found for the word before -------------------------


def test_word_hits_narrow_and_remember(seed_index: EntryIndex) -> None:
    hits = WordHits(seed_index.keys)
    everything = len(seed_index.keys)

    def scanned(word: str) -> list[int]:
        return [position for position, key in enumerate(seed_index.keys) if word in key]

    assert hits.cost("ztunnel") == everything
    typed = [*("ztunnel"[:n] for n in range(1, 8)), *("ztunnel"[:n] for n in range(6, 0, -1))]
    for word in typed:
        assert hits.positions(word) == scanned(word), word
    assert hits.cost("ztunnel") == 0
    # `ztunnels` is looked for among the hits of `ztunnel`, not among every key.
    assert hits.cost("ztunnels") == len(scanned("ztunnel")) < everything
    assert hits.containing(["ztunnel", "chart"]) == [
        p for p in scanned("ztunnel") if "chart" in seed_index.keys[p]
    ]


def test_word_hits_forget_the_oldest_words(seed_index: EntryIndex) -> None:
    hits = WordHits(seed_index.keys)
    words = [f"{letter}" for letter in "abcdefghijklmnopqrstuvwxyz"]
    for word in words:
        hits.positions(word)
    assert hits.cost("a") == len(seed_index.keys)  # forgotten
    assert hits.cost("z") == 0
    for word in words:  # found again, the same
        assert hits.positions(word) == [
            position for position, key in enumerate(seed_index.keys) if word in key
        ]
