"""parse/markdown.py and parse/shortcodes.py: front matter, Hugo shortcodes, the shared parser."""

from __future__ import annotations

import pytest

from notes_tui.highlight import detail_tokens, make_highlighting_parser
from notes_tui.parse import parse_text
from notes_tui.parse.formats import parse_changelog
from notes_tui.parse.markdown import plain_text, split_front_matter, tokenize
from notes_tui.parse.shortcodes import expand_shortcodes

# --- split_front_matter -----------------------------------------------------------------


def test_front_matter_is_split_off() -> None:
    text = "---\ntitle: Change Notes\nrelease: 1.28.0\n---\n\n## Security\n"
    split = split_front_matter(text)
    assert split.front_matter == {"title": "Change Notes", "release": "1.28.0"}
    assert split.body == "\n## Security\n"
    assert split.body_line == 4
    assert split.warnings == ()


def test_indented_keys() -> None:
    # Istio 1.17.3's front matter indents every key by one space.
    text = "---\n title: Announcing Istio 1.17.3\n release: 1.17.3\n---\nbody"
    split = split_front_matter(text)
    assert split.front_matter == {"title": "Announcing Istio 1.17.3", "release": "1.17.3"}
    assert split.body == "body"
    assert split.warnings == ()


def test_every_scalar_stays_a_string() -> None:
    text = "---\nrelease: 1.10\nweight: 10\npublishdate: 2021-05-18\nflag: true\nnone: null\n---\n"
    front_matter = split_front_matter(text).front_matter
    assert front_matter == {
        "release": "1.10",
        "weight": "10",
        "publishdate": "2021-05-18",
        "flag": "true",
        "none": "null",
    }


def test_lists_stay_lists() -> None:
    text = "---\ncves: [CVE-2024-45807, CVE-2024-45808]\naliases:\n    - /news/a\n---\n"
    front_matter = split_front_matter(text).front_matter
    assert front_matter == {"cves": ["CVE-2024-45807", "CVE-2024-45808"], "aliases": ["/news/a"]}


def test_unterminated_front_matter_is_markdown_with_a_warning() -> None:
    text = "---\ntitle: A\n\n## Heading\n"
    split = split_front_matter(text)
    assert split.front_matter == {}
    assert split.body == text
    assert split.body_line == 0
    assert len(split.warnings) == 1
    assert "not closed" in split.warnings[0]


def test_malformed_yaml_is_ignored_with_a_warning() -> None:
    split = split_front_matter("---\ntitle: [unclosed\n---\nbody")
    assert split.front_matter == {}
    assert split.body == "body"
    assert split.body_line == 3
    assert len(split.warnings) == 1
    assert "not valid YAML" in split.warnings[0]


def test_yaml_alias_is_refused() -> None:
    split = split_front_matter("---\nbase: &b {a: 1}\nother: *b\n---\nbody")
    assert split.front_matter == {}
    assert split.body == "body"
    assert len(split.warnings) == 1
    assert "alias" in split.warnings[0]


def test_a_list_is_not_front_matter() -> None:
    split = split_front_matter("---\n- a\n- b\n---\nbody")
    assert split.front_matter == {}
    assert split.warnings == ("front matter is not a mapping; ignored",)


@pytest.mark.parametrize("text", ["no front matter\n", "---x\ntitle: A\n---\n", ""])
def test_no_front_matter(text: str) -> None:
    split = split_front_matter(text)
    assert (split.front_matter, split.body, split.body_line, split.warnings) == ({}, text, 0, ())


def test_empty_front_matter() -> None:
    split = split_front_matter("---\n---\nbody")
    assert (split.front_matter, split.body, split.body_line, split.warnings) == ({}, "body", 2, ())


def test_front_matter_warning_reaches_the_release() -> None:
    (release,) = parse_text("---\ntitle: [x\n---\n\n## Changes\n\n- **Fixed** it.\n", "x.md")
    assert len(release.warnings) == 1
    (entry,) = release.entries
    # Lines still count from the top of the file.
    assert entry.line == 7


# --- expand_shortcodes --------------------------------------------------------------------


def line_count(text: str) -> int:
    """The number of lines, as the parser splits them."""
    return len(text.split("\n"))


def test_text_shortcode_becomes_a_fence() -> None:
    text = "Example:\n\n{{< text yaml >}}\nkind: Gateway\n{{< /text >}}\n\nAfter.\n"
    expanded = expand_shortcodes(text)
    assert expanded == "Example:\n\n```yaml\nkind: Gateway\n```\n\nAfter.\n"
    fences = [token for token in tokenize(expanded) if token.type == "fence"]
    assert [(token.info, token.content) for token in fences] == [("yaml", "kind: Gateway\n")]


def test_text_shortcode_with_quoted_language() -> None:
    assert expand_shortcodes('{{< text "bash" >}}\n$ ls\n{{< /text >}}') == "```bash\n$ ls\n```"
    assert expand_shortcodes("{{< text plain>}}\nx\n{{< /text >}}") == "```plain\nx\n```"


def test_text_shortcode_with_named_syntax() -> None:
    # Istio's docs write `{{< text syntax=bash snip_id=none >}}`; none of the notes do yet.
    expanded = expand_shortcodes("{{< text syntax=bash snip_id=none >}}\n$ ls\n{{< /text >}}")
    assert expanded.split("\n")[0] == "```bash"


def test_github_tree_becomes_a_url() -> None:
    text = "in the [manifests]({{< github_tree >}}/manifests/charts/istio-operator/files) folder"
    expanded = expand_shortcodes(text)
    assert expanded == (
        "in the [manifests](https://github.com/istio/istio/tree/master"
        "/manifests/charts/istio-operator/files) folder"
    )


def test_url_shortcode_inside_parentheses_is_a_link() -> None:
    text = "---\nrelease: 1.8\n---\n\n## X\n\n- **Added** see ({{< github_tree >}}/manifests).\n"
    (release,) = parse_text(text, "notes.md")
    (entry,) = release.entries
    assert [link.url for link in entry.links] == [
        "https://github.com/istio/istio/tree/master/manifests"
    ]
    assert "{{" not in entry.markdown


def test_multi_line_image_keeps_its_caption_and_its_lines() -> None:
    text = (
        "Before.\n"
        "{{< image width=\"75%\"\n"
        "    link=\"./architecture.svg\"\n"
        "    caption=\"The new architecture\"\n"
        "    >}}\n"
        "After.\n"
    )  # fmt: skip
    expanded = expand_shortcodes(text)
    assert line_count(expanded) == line_count(text)
    assert expanded.split("\n") == [
        "Before.",
        "(image: The new architecture)",
        "",
        "",
        "",
        "After.",
        "",
    ]


def test_image_without_caption() -> None:
    assert expand_shortcodes('{{< image link="./x.svg" >}}') == "(image)"


def test_markers_without_text_are_dropped() -> None:
    text = (
        "{{< relnote >}}\n\n{{< warning >}}\nCareful.\n{{< /warning >}}\n{{% tip %}}x{{% /tip %}}\n"
    )
    expanded = expand_shortcodes(text)
    assert expanded == "\n\n\nCareful.\n\nx\n"
    assert line_count(expanded) == line_count(text)


def test_release_shortcodes_use_the_front_matter() -> None:
    assert expand_shortcodes("Istio {{< istio_full_version >}}.", {"release": "1.8.0"}) == (
        "Istio 1.8.0."
    )
    assert expand_shortcodes("Istio {{< istio_release_name >}}.") == "Istio the current release."


def test_line_count_is_kept_on_a_real_page() -> None:
    text = (
        "---\ntitle: T\n---\n\n## Installation\n\n"
        "- **Added** a chart.\n\n"
        "{{< text yaml >}}\nkey: value\n{{< /text >}}\n\n"
        "- **Fixed** a {{< github_blob >}}/x.go file.\n"
    )  # fmt: skip
    expanded = expand_shortcodes(text)
    assert line_count(expanded) == line_count(text)
    (release,) = parse_text(text, "x/change-notes/index.md")
    assert [entry.line for entry in release.entries] == [7, 13]
    assert "```yaml\nkey: value\n```" in release.entries[0].markdown


def test_text_without_shortcodes_is_unchanged() -> None:
    text = "{ not a shortcode } {{ neither }}"
    assert expand_shortcodes(text) == text


# --- the shared parser --------------------------------------------------------------------


def test_plain_text_drops_markup() -> None:
    tokens = tokenize("**Fixed** a `PodDisruptionBudget` [bug](https://example.com).\n")
    assert plain_text(tokens) == "Fixed a PodDisruptionBudget bug."


def test_raw_html_stays_a_token() -> None:
    tokens = tokenize("<!--\n- **Added** hidden.\n-->\n")
    assert [token.type for token in tokens] == ["html_block"]


def nested_list(depth: int) -> list[str]:
    """An entry whose list nests `depth` levels, then two more entries."""
    lines = ["- Fixed top entry"]
    lines += ["  " * level + f"- level {level}" for level in range(1, depth)]
    return [*lines, "- Fixed second entry", "- Fixed third entry"]


CHANGELOG_HEAD = ["# Changelog", "", "## 1.0.0", "", "### Fixed", ""]
CHANGELOG_TAIL = ["", "## 0.9.0", "", "### Fixed", "", "- Fixed an old bug"]
ISTIO_HEAD = ["---", "title: Change Notes", "release: 1.0.0", "---", "", "## Traffic", ""]


@pytest.mark.parametrize("depth", [5, 12, 45, 60, 400])
@pytest.mark.parametrize("layout", ["changelog", "changelog, block by block", "istio"])
def test_what_follows_a_deeply_nested_list_is_read(depth: int, layout: str) -> None:
    # markdown-it stops at its nesting limit and skips every line after it, to the end of
    # the text: a list nested 10 deep lost the rest of its release, and every later one.
    if layout == "istio":
        lines = [*ISTIO_HEAD, *nested_list(depth)]
        releases = parse_text("\n".join(lines) + "\n", "notes.md")
    else:
        lines = [*CHANGELOG_HEAD, *nested_list(depth), *CHANGELOG_TAIL]
        text = "\n".join(lines) + "\n"
        blockwise = layout.endswith("block by block")
        releases = parse_changelog(text, "CHANGELOG.md", block_by_block=blockwise)
    entries = [entry for release in releases for entry in release.entries]
    found = [(entry.summary, entry.line) for entry in entries]
    expected = ["Fixed top entry", "Fixed second entry", "Fixed third entry"]
    if layout != "istio":
        expected.append("Fixed an old bug")
    assert [summary for summary, _ in found] == expected
    for summary, line in found:  # Lines count from 1, in the whole file.
        assert lines[line - 1].endswith(summary)
    # The top entry's Markdown is its lines, every level of its list, and no more.
    assert entries[0].markdown.count("- level ") == depth - 1
    assert "second entry" not in entries[0].markdown


def test_tokenize_counts_the_lines_of_what_follows_a_deep_list() -> None:
    lines = nested_list(60)
    tokens = tokenize("\n".join(lines) + "\n")
    lists = [token for token in tokens if token.type == "bullet_list_open" and token.level == 0]
    assert [token.map for token in lists] == [[0, 60], [60, 62]]


def test_what_follows_a_deep_list_is_read_from_an_html_block_on() -> None:
    # Reading on from a line inside the HTML block made a fence in it an unclosed code
    # block, which swallowed the rest of the file.
    lines = [
        *CHANGELOG_HEAD,
        *nested_list(60)[:-2],
        "<div>",
        "```",
        "</div>",
        "",
        "- Fixed after the block",
        *CHANGELOG_TAIL,
    ]
    releases = parse_changelog("\n".join(lines) + "\n", "CHANGELOG.md")
    summaries = [entry.summary for release in releases for entry in release.entries]
    assert summaries == ["Fixed top entry", "Fixed after the block", "Fixed an old bug"]


def test_many_deep_blocks_are_read_on_from_in_linear_time() -> None:
    # Reading on once per deep block, recursively, went past Python's recursion limit at
    # some 220 blocks (the file could not be read), and re-split the text each time.
    lines = ["# Changelog", "", "## 1.2.0", ""]
    for number in range(400):
        lines += ["- " * 60 + f"deep {number}", f"- Fixed entry {number}", ""]
    releases = parse_changelog("\n".join(lines) + "\n", "CHANGELOG.md")
    summaries = [entry.summary for release in releases for entry in release.entries]
    fixed = [summary for summary in summaries if summary.startswith("Fixed")]
    assert fixed == [f"Fixed entry {number}" for number in range(400)]


def test_a_deep_item_after_another_is_read_once_and_references_resolve() -> None:
    # An item whose first line is all list markers was read twice; a reference defined
    # after a deep block did not resolve in the entries before it.
    text = (
        "## Changes\n\n- Fixed a crash, see [the docs][docs].\n\n" + "- " * 60 + "deep\n\n"
        "- Fixed another thing, see [the docs][docs].\n\n[docs]: https://example.com/docs\n"
    )
    tokens = tokenize(text)
    items = [token.map for token in tokens if token.type == "list_item_open" and token.level == 1]
    assert items == [[2, 4], [4, 6], [6, 8]]  # three items, each once
    links = [
        child.attrs["href"]
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == "link_open"
    ]
    assert links == ["https://example.com/docs", "https://example.com/docs"]


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ([" - Fixed C", " - Fixed D"], ["Fixed A", "Fixed C", "Fixed D"]),  # an indented list
        (["***", "Note: upgrade first."], ["Fixed A"]),  # a rule, then prose
    ],
    ids=["indented list", "rule"],
)
def test_reading_on_after_a_deep_list(after: list[str], expected: list[str]) -> None:
    top = " - Fixed A" if after[0].startswith(" ") else "- Fixed A"
    deep = (" " if top.startswith(" ") else "") + "- " * 60 + "deep"
    lines = [*CHANGELOG_HEAD, top, deep, *after, *CHANGELOG_TAIL]
    (release, old) = parse_changelog("\n".join(lines) + "\n", "CHANGELOG.md")
    assert [entry.summary for entry in release.entries] == expected
    assert [entry.summary for entry in old.entries] == ["Fixed an old bug"]
    if "***" in after:
        assert any("Note: upgrade first." in section.prose for section in release.sections)


def test_the_detail_pane_reads_on_after_many_deep_items() -> None:
    # Its parser nests 20 deep: an entry with hundreds of sub-items 12 lists deep made the
    # recursive reading on exceed Python's recursion limit, and the app crashed.
    text = "Fixed X\n\n" + "".join("  " + "- " * 12 + f"item {n}\n" for n in range(400))
    tokens = detail_tokens(make_highlighting_parser(()), text)
    assert sum(token.type == "bullet_list_open" and token.level == 0 for token in tokens) == 400
