"""What the parse's shortcuts must not change: deferred inline parsing gives markdown-it's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes_tui.parse.changelog import split_releases
from notes_tui.parse.deferred import parse_deferred, tokenize_deferred
from notes_tui.parse.formats import parse_changelog
from notes_tui.parse.markdown import PARSER, links_of, parser_for, tokenize

SAMPLES = {
    "plain": "# Changelog\n\n## 1.0.0\n\n### Fixed\n\n- Plain words here\n",
    "markup": (
        "Intro with *emphasis* and a [link][ref].\n\n"
        "## [1.2.3] - 2024-01-01\n\n### Added\n\n"
        "- `code` and **bold** by @user in https://github.com/o/r/pull/1\n"
        "- Escaped \\* star &amp; entity <b>html</b>\n  continued line  \n  hard break\n\n"
        "| a | b |\n|---|---|\n| *x* | y |\n\n"
        "Setext heading\n---\n\n> quoted [#12]\n\n[ref]: https://example.com\n[#12]: https://e.com/12\n"
    ),
    "empty inline": "## 1.0.0\n\n#\n\n- \n- a\n",
}


def _tokens_both_ways(text: str) -> tuple[list[Any], list[Any]]:
    env: dict[str, Any] = {}
    deferred = tokenize_deferred(text, env)
    parse_deferred(reversed(deferred), env)  # any order, twice: the same tokens
    parse_deferred(deferred, env)
    return tokenize(text), deferred


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_deferred_tokens_are_markdown_its(name: str) -> None:
    eager, deferred = _tokens_both_ways(SAMPLES[name])
    assert deferred == eager


def test_deferred_tokens_of_every_other_changelog(corpus: Path) -> None:
    paths = sorted((corpus / "other").glob("*/*.md"))
    assert paths
    for path in paths:
        eager, deferred = _tokens_both_ways(path.read_text(encoding="utf-8"))
        assert deferred == eager, path


def test_splitting_parses_the_headings_and_leaves_the_rest_for_reading() -> None:
    env: dict[str, Any] = {}
    tokens = tokenize_deferred(SAMPLES["markup"], env)
    inline = [(tokens[i - 1].type, tok) for i, tok in enumerate(tokens) if tok.type == "inline"]
    assert not any(token.children for _, token in inline)
    _, blocks = split_releases(tokens, SAMPLES["markup"].count("\n") + 1, env)
    assert blocks[0].inline_env is env
    assert all(token.children for kind, token in inline if kind == "heading_open")
    assert not any(token.children for kind, token in inline if kind == "paragraph_open")


def test_releases_are_the_same_from_deferred_and_whole_tokens(corpus: Path) -> None:
    for path in sorted((corpus / "other").glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        whole = parse_changelog(text, str(path))
        # Block by block tokenises each block whole: no inline parsing is deferred there.
        blockwise = parse_changelog(text, str(path), block_by_block=True)
        assert whole == blockwise, path


# Inline Markdown the deferred parse reads as one `text` token without markdown-it, and the
# like of it that markdown-it does mark up: both must give markdown-it's tokens.
PLAIN_TEXT_SHORTCUTS = [
    "Fix #12: a-b @user ~x {y} $z %w +v =u >t ^s",  # terminators no loaded rule starts at
    "[BUGFIX] PromQL: Fix a crash. #12",  # brackets with nothing defined
    "[CHANGE] [ENHANCEMENT] nested [a [b] c] and [unclosed",
    "[Fixed] and [foo] and [x][foo] and [Foo Bar]",  # labels that name definitions
    "[Fixed] then [a](https://e.com) and ![img](i.png)",  # inline links and images
    "Fix [#12] by @user [BUGFIX]",
    "&#104;ttp://example.com and h&amp;t",  # entities
    "Escaped \\[foo\\] and `[foo]` and *[foo]* and <https://e.com>",
]


@pytest.mark.parametrize("definitions", ["", "\n[foo]: https://e.com/foo\n[foo bar]: /fb\n"])
@pytest.mark.parametrize("line", PLAIN_TEXT_SHORTCUTS)
def test_plain_text_shortcuts_give_markdown_its_tokens(line: str, definitions: str) -> None:
    text = f"## 1.0.0\n\n- {line}\n\n{line}\n\n# {line}\n{definitions}"
    eager, deferred = _tokens_both_ways(text)
    assert deferred == eager


@pytest.mark.parametrize("text", ["| a | b |\n|---|---|\n| 1 | 2 |\n", "a\n---|---\nb\n", "x"])
def test_text_without_a_pipe_tokenises_as_with_tables(text: str) -> None:
    for variant in (text, text.replace("|", "!")):
        assert tokenize(variant) == PARSER.parse(variant)
        assert (parser_for(variant) is PARSER) == ("|" in variant)


def test_links_of_finds_links_the_shortcut_might_miss() -> None:
    tokens = tokenize("- &#104;ttp://e.com/a and [b](https://e.com/b) <https://e.com/c>\n")
    assert [link.url for link in links_of(tokens, "https://base")] == [
        "http://e.com/a",
        "https://e.com/b",
        "https://e.com/c",
    ]


MARKUP_FRAGMENTS = st.sampled_from(
    [
        *"ab [](){}|*_`~\\!<>&#:;-@\n ",
        "[ref]",
        "[ref]: http://x.y\n",
        "[x][ref]",
        "[x](y)",
        "[BUGFIX]",
        "![i](u)",
        "| a | b |\n|---|---|\n",
        "a\n---\n",
        "\n---|\n",
        "http://q.r",
        "&amp;",
        "&#104;",
        "<http://a.b>",
        "<b>",
        "**",
        "~~",
        "\n- ",
        "\n1. ",
        "\n> ",
        "```\ncode\n```\n",
        "#12",
        "\n\n",
    ]
)
MARKUP_TEXT = st.one_of(
    st.lists(st.one_of(MARKUP_FRAGMENTS, st.text(max_size=6)), max_size=40).map("".join),
    # Brackets, parentheses and reference definitions alone: links, or plain text.
    st.lists(
        st.sampled_from(["a", " ", "[", "]", "(", ")", "\n", "[ref]: /u\n", "[x](y)", "[ref]"]),
        max_size=30,
    ).map("".join),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=MARKUP_TEXT)
def test_deferred_and_table_free_tokens_are_the_full_parsers(text: str) -> None:
    """The shortcuts (deferred inline parsing, plain text as one token, no table rule without
    a `|`) give exactly the tokens of the full parser, on text dense with markup."""
    full = PARSER.parse(text, {})
    env: dict[str, Any] = {}
    deferred = tokenize_deferred(text, env)
    parse_deferred(deferred, env)
    assert deferred == full
    assert tokenize(text) == full
