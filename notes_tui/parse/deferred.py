"""Tokenising with inline parsing put off until a parser reads an inline token's children.

Inline parsing is some 40% of markdown-it's work, and a changelog's walk never reads the
inline Markdown of much of a file: its preamble, prose paragraphs, `New Contributors` lists.
`tokenize_deferred` runs markdown-it's core rules up to the block rule; inline tokens keep
the empty `children` the block rules give them until `parse_deferred` runs the rest of the
core rules on them (`changelog.split_releases` does for every heading; a format's walk for
what it reads). Those rules (`inline`, `text_join`) work token by token, so the tokens end
as `markdown.tokenize` makes them, whichever are parsed and in whatever order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

from markdown_it.common.utils import normalizeReference
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline import text as text_rule
from markdown_it.rules_inline.link import link as link_rule
from markdown_it.token import Token

from notes_tui.parse.markdown import PARSER, parser_for
from notes_tui.parse.nesting import parse_reading_on

_POST_RULES_FOR_DELIMITERS = frozenset(
    {"balance_pairs", "strikethrough", "emphasis", "fragments_join"}
)
"""markdown-it's inline post-processing rules: they act on emphasis delimiters only."""

_CORE_NAMES = PARSER.core.ruler.get_active_rules()
_CORE_RULES = PARSER.core.ruler.getRules("")
_INLINE_STAGE = tuple(_CORE_RULES[_CORE_NAMES.index("block") + 1 :])
"""The core rules after the block rule (`inline`, `text_join`): token by token."""

_PLAIN_TEXT_READS_AS_ONE_TOKEN = (
    _CORE_NAMES[_CORE_NAMES.index("block") + 1 :] == ["inline", "text_join"]
    and PARSER.inline.ruler.getRules("")[:1] == [text_rule]
    and set(PARSER.inline.ruler2.get_active_rules()) <= _POST_RULES_FOR_DELIMITERS
)
"""True when inline Markdown without any of the characters where an inline rule may start
markup (markdown-it's terminators) parses to one `text` token: the `text` rule, tried
first, takes it all, and the rules after it only act on delimiters."""

_RULE_STARTS = {
    "text": "",
    "newline": "\n",
    "escape": "\\",
    "backticks": "`",
    "emphasis": "*_",
    "link": "[",
    "image": "!",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
}
"""The characters markdown-it's inline rules match at, each rule's test of `src[pos]` before
it does anything (`image` wants `![`, `html_inline` `<`...); `text` takes runs of others."""

_ACTIVE_INLINE_RULES = PARSER.inline.ruler.get_active_rules()
_MARKUP_START = (
    re.compile(f"[{re.escape(''.join(_RULE_STARTS[name] for name in _ACTIVE_INLINE_RULES))}]")
    if set(_ACTIVE_INLINE_RULES) <= _RULE_STARTS.keys()
    else PARSER.inline.terminator_re
)
"""Where markup may start in inline Markdown: a character some inline rule matches at.

A terminator that no rule matches at (`#`, `:`, `-`, `@`: terminators for plugins this
parser does not load) is added to the pending text as the `text` rule's runs are, so text
without any of these characters still parses to one `text` token. Should the parser run a
rule not listed in `_RULE_STARTS`, every terminator counts."""

_BRACKETS_MAY_BE_TEXT = (
    _MARKUP_START is not PARSER.inline.terminator_re
    and dict(zip(_ACTIVE_INLINE_RULES, PARSER.inline.ruler.getRules(""), strict=True)).get("link")
    is link_rule
)
"""True when a `[` is markup only as markdown-it's `link` rule reads it (see `_plain_brackets`)."""
_MARKUP_BUT_BRACKETS = re.compile(_MARKUP_START.pattern.replace(re.escape("["), ""))
"""`_MARKUP_START` but for `[`."""
_MOST_BRACKETS = 8
"""Text with more `[` than this is left to the inline parser (`_plain_brackets` is quadratic)."""


def _plain_brackets(content: str, references: Mapping[str, Any] | None) -> bool:
    """True when no `[` of `content` opens a link: `[BUGFIX]`, `[#12]` with nothing defined.

    markdown-it's `link` rule makes a link of `[label](...)`, which needs a `(`, or of a
    `[label]` or `[text][label]` whose label names a reference definition; a label runs
    from a `[` to a `]`, so when no `(` follows and no such span names a definition, every
    bracket is text. (Images start with `!`, which `_MARKUP_BUT_BRACKETS` takes for markup.)
    """
    if "(" in content:
        return False
    if not references:
        return True
    if content.count("[") > _MOST_BRACKETS:
        return False
    opening = content.find("[")
    while opening >= 0:
        closing = content.find("]", opening)
        while closing >= 0:
            if normalizeReference(content[opening + 1 : closing]) in references:
                return False
            closing = content.find("]", closing + 1)
        opening = content.find("[", opening + 1)
    return True


def tokenize_deferred(text: str, env: MutableMapping[str, Any]) -> list[Token]:
    """Tokenise as `markdown.tokenize` does, but for the inline Markdown.

    Args:
        text: Markdown source.
        env: markdown-it's environment; `parse_deferred` needs it again.

    Returns:
        The block tokens. Inline tokens have no children until `parse_deferred` parses them.
    """
    # The parser without the table rule when the text holds no table.
    return parse_reading_on(parser_for(text), text, env, block_only=True)


def parse_deferred(tokens: Iterable[Token], env: MutableMapping[str, Any] | None) -> None:
    """Parse the inline tokens among `tokens` that `tokenize_deferred` left unparsed.

    An inline token without children is parsed. One that was parsed already has none only
    when its content makes none, which parsing it again makes again: the call may repeat.

    Args:
        tokens: Block tokens.
        env: The environment they were tokenised with; None when every inline token was
            parsed then (`markdown.tokenize`), and there is nothing to do.
    """
    if env is None:
        return
    _parse([token for token in tokens if token.type == "inline" and not token.children], env)


def _parse(inline_tokens: list[Token], env: MutableMapping[str, Any]) -> None:
    """Run the core rules after the block rule on some inline tokens, as `MarkdownIt.parse` does."""
    if _PLAIN_TEXT_READS_AS_ONE_TOKEN:
        # Plain words (`Fixed`, `New Contributors`) skip the inline parser's set-up, which
        # costs more than the parse of a short text.
        markup_start = _MARKUP_START
        markup_but_brackets = _MARKUP_BUT_BRACKETS if _BRACKETS_MAY_BE_TEXT else None
        references = env.get("references")
        marked_up: list[Token] = []
        for token in inline_tokens:
            content = token.content
            if content and (
                markup_start.search(content) is None
                or (
                    markup_but_brackets is not None
                    and markup_but_brackets.search(content) is None
                    and _plain_brackets(content, references)
                )
            ):
                token.children = [Token("text", "", 0, content=content)]
            else:
                marked_up.append(token)
        inline_tokens = marked_up
    if not inline_tokens:
        return
    state = StateCore("", PARSER, env, inline_tokens)
    for rule in _INLINE_STAGE:
        rule(state)
