"""links.py: issue identity from URLs and shorthands, the safe-URL check, resolving link targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes_tui.links import (
    DEFAULT_BASE_URL,
    is_safe_url,
    issue_from_url,
    issues_in_text,
    make_issue,
    repo_from_url,
    resolve_url,
)
from notes_tui.model import Entry, IssueRef, Link
from notes_tui.parse import parse_text


@pytest.fixture(scope="module")
def link_entries(data_dir: Path) -> dict[int, Entry]:
    """The entries of `data/links.md`, by source line."""
    path = data_dir / "links.md"
    (release,) = parse_text(path.read_text(encoding="utf-8"), str(path))
    return {entry.line: entry for entry in release.entries}


# --- issue_from_url ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://github.com/istio/istio/issues/54127",
            IssueRef("istio/istio", 54127, "issue", "https://github.com/istio/istio/issues/54127"),
        ),
        (
            "https://github.com/istio/istio/pull/60878",
            IssueRef("istio/istio", 60878, "pull", "https://github.com/istio/istio/pull/60878"),
        ),
        (
            "https://github.com/istio/api/issues/56877",
            IssueRef("istio/api", 56877, "issue", "https://github.com/istio/api/issues/56877"),
        ),
        # `/pulls/N`, www., http, fragments, queries and a trailing slash give the canonical URL.
        (
            "https://github.com/istio/proxy/pulls/3048",
            IssueRef("istio/proxy", 3048, "pull", "https://github.com/istio/proxy/pull/3048"),
        ),
        (
            "http://www.github.com/istio/istio/issues/7#issuecomment-1",
            IssueRef("istio/istio", 7, "issue", "https://github.com/istio/istio/issues/7"),
        ),
        (
            "https://github.com/istio/istio/issues/12/?x=1",
            IssueRef("istio/istio", 12, "issue", "https://github.com/istio/istio/issues/12"),
        ),
    ],
)
def test_issue_from_url(url: str, expected: IssueRef) -> None:
    assert issue_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/istio/istio/issues",
        "https://github.com/istio/istio/issues/12a",
        "https://github.com/istio/istio/blob/master/README.md",
        "https://github.com/istio/istio/wiki/v0.3.0",
        "https://gitlab.com/istio/istio/issues/1",
        "https://github.com.evil.example/istio/istio/issues/1",
        "https://github.com/envoyproxy/envoy/security/advisories/GHSA-qc52-r4x5-9w37",
        "/istio/istio/issues/1",
    ],
)
def test_not_an_issue_url(url: str) -> None:
    assert issue_from_url(url) is None


def test_make_issue_builds_the_canonical_url() -> None:
    assert make_issue("istio/istio", 5).url == "https://github.com/istio/istio/issues/5"
    assert make_issue("istio/istio", 5, "pull").url == "https://github.com/istio/istio/pull/5"


def test_repo_from_url() -> None:
    assert repo_from_url("https://github.com/istio/api/tree/master/mcp") == "istio/api"
    assert repo_from_url("https://istio.io/latest/docs/") is None


# --- shorthands in text -----------------------------------------------------------------


def test_shorthands_in_text() -> None:
    text = "see istio/api#123, #45 and envoyproxy/envoy#7"
    assert [(ref.repo, ref.number) for ref in issues_in_text(text, "istio/istio")] == [
        ("istio/api", 123),
        ("istio/istio", 45),
        ("envoyproxy/envoy", 7),
    ]
    # Without a default repository a bare `#45` names nothing.
    assert [(ref.repo, ref.number) for ref in issues_in_text(text)] == [
        ("istio/api", 123),
        ("envoyproxy/envoy", 7),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/a/b#12",  # a URL fragment
        "&#12; is an entity",
        "word#3",
        "issue #x",
    ],
)
def test_no_shorthand(text: str) -> None:
    assert issues_in_text(text, "istio/istio") == []


# --- links and issues found by the parser -------------------------------------------------


def test_autolink_is_a_link_and_an_issue(link_entries: dict[int, Entry]) -> None:
    entry = link_entries[8]
    url = "https://github.com/istio/istio/issues/1"
    assert entry.links == (Link(url, url),)
    assert [(ref.repo, ref.number, ref.type) for ref in entry.issues] == [
        ("istio/istio", 1, "issue")
    ]


def test_bare_url_in_text_is_a_link_and_an_issue(link_entries: dict[int, Entry]) -> None:
    entry = link_entries[10]
    # The comma after the URL is not part of it.
    url = "https://github.com/istio/istio/issues/2"
    assert entry.links == (Link(url, url),)
    assert [ref.number for ref in entry.issues] == [2]


def test_label_says_issue_url_says_pull(link_entries: dict[int, Entry]) -> None:
    entry = link_entries[12]
    assert entry.links == (Link("https://github.com/istio/istio/pull/60878", "Issue #60878"),)
    assert entry.issues == (
        IssueRef("istio/istio", 60878, "pull", "https://github.com/istio/istio/pull/60878"),
    )
    # The trailing reference is dropped from the summary.
    assert entry.summary == "Added a pull request labelled as an issue."


def test_shorthands_found_by_the_parser(link_entries: dict[int, Entry]) -> None:
    entry = link_entries[15]
    assert entry.links == ()
    assert [(ref.repo, ref.number) for ref in entry.issues] == [
        ("istio/api", 3395),
        ("envoyproxy/envoy", 13690),
    ]


def test_bare_number_names_an_istio_issue(link_entries: dict[int, Entry]) -> None:
    entry = link_entries[19]
    assert [(ref.repo, ref.number) for ref in entry.issues] == [("istio/istio", 4567)]


def test_relative_links_are_resolved(link_entries: dict[int, Entry]) -> None:
    entry = link_entries[17]
    assert entry.links == (
        Link("https://istio.io/latest/docs/setup/install/", "the docs"),
        Link("https://istio.io/upgrade/", "a sibling"),
    )


def test_javascript_and_code_spans_are_no_links(link_entries: dict[int, Entry]) -> None:
    entry = link_entries[21]
    assert entry.links == ()
    assert entry.issues == ()


def test_every_parsed_link_is_safe(link_entries: dict[int, Entry]) -> None:
    assert all(is_safe_url(link.url) for entry in link_entries.values() for link in entry.links)


# --- is_safe_url --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://istio.io/latest/docs/",
        "http://example.com",
        "HTTPS://EXAMPLE.COM/a?b=c#d",
        "https://github.com/istio/istio/issues/1",
    ],
)
def test_safe_urls(url: str) -> None:
    assert is_safe_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.com/file",
        "https://exa mple.com/",
        "https://example.com/a b",
        "https://example.com/a\nb",
        "https://example.com/\t",
        "https://example.com/\x1b[31m",
        "https://example.com/\x7f",
        "https://",
        "//example.com/a",
        "/docs/setup/",
        "",
    ],
)
def test_unsafe_urls(url: str) -> None:
    assert not is_safe_url(url)


# --- resolve_url --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/docs/setup/install/", "https://istio.io/latest/docs/setup/install/"),
        ("/news/security/istio-security-2022-005/#cve-2022-31045",
         "https://istio.io/latest/news/security/istio-security-2022-005/#cve-2022-31045"),
        ("docs/ops/", "https://istio.io/latest/docs/ops/"),
        ("../upgrade/", "https://istio.io/upgrade/"),
        ("https://go.dev/doc/security/fips140", "https://go.dev/doc/security/fips140"),
        ("//cdn.example.com/x.png", "https://cdn.example.com/x.png"),
        ("  /docs/a  ", "https://istio.io/latest/docs/a"),
        ("#frag", "#frag"),
        ("", ""),
    ],
)  # fmt: skip
def test_resolve_url_default_base(url: str, expected: str) -> None:
    assert DEFAULT_BASE_URL == "https://istio.io/latest"
    assert resolve_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/docs/a/", "https://example.org/v1/docs/a/"),
        ("docs/a", "https://example.org/v1/docs/a"),
        ("https://istio.io/x", "https://istio.io/x"),
        ("//host.example/x", "https://host.example/x"),
    ],
)
def test_resolve_url_other_base(url: str, expected: str) -> None:
    # With or without a trailing slash on the base.
    assert resolve_url(url, "https://example.org/v1") == expected
    assert resolve_url(url, "https://example.org/v1/") == expected
