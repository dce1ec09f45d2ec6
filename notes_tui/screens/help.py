"""The help screen: every key (as currently bound) and the query language."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

QUERY_HELP = """\
Filter language (press / to type, enter to return to the list, escape to clear):
  words            every word must match: entry text, area, kind, issue numbers
  "a phrase"       match the phrase as a whole
  -word            leave out entries that contain the word
  -area:x -kind:x  leave out an area or a kind
  area:sec         entries of an area (any unique prefix of its name)
  kind:fix         entries of a kind: Added, Fixed, Removed... (unique prefix)
  #57530           entries that reference issue 57530 (also issue:57530)
  cve:2025-        entries that name a CVE starting with 2025-
  is:breaking      what needs attention on upgrade: Removed, Deprecated and Breaking
                   entries, entries that change a default, every upgrade note and
                   every security bulletin
  version:A..B     releases newer than A, up to B: what to read upgrading from A to B
  version:1.28     one series (every 1.28.*);  version:1.27..  everything after 1.27.0
Area, kind and text filters combine: every one must hold.

Version ranges keep releases with A < version <= B. X.Y as A means X.Y.0; as B it
means the newest X.Y.* loaded. A security bulletin is kept when the upgrade brings its
fix: A is among the versions it affects and B is not (its front matter's releases: list;
when that list cannot be read, when it was published between the releases A and B)."""

KEY_ROWS: tuple[tuple[str, str], ...] = (
    ("focus-filter", "Focus the filter bar (typing adds a term)"),
    ("filter-clear", "In the filter bar: clear the filter"),
    ("area-1", "Areas 1-9: the Nth area of the tree (0: all areas)"),
    ("prev-area", "Previous area"),
    ("next-area", "Next area"),
    ("cycle-kind", "Cycle the kind filter (all, Added, Fixed...)"),
    ("list-down", "Next entry"),
    ("list-up", "Previous entry"),
    ("list-first", "First entry"),
    ("list-last", "Last entry"),
    ("list-page-down", "Page down"),
    ("list-page-up", "Page up"),
    ("open-issue", "Open the entry's issue (several links: pick one)"),
    ("open-issue-enter", "Open, from the list"),
    ("copy-issues", "Copy the entry's issue URLs"),
    ("copy-all-issues", "Copy the issue URLs of every entry shown"),
    ("copy-markdown", "Copy the entry's Markdown"),
    ("focus-next", "Next pane"),
    ("help", "This help"),
    ("command-palette", "Command palette: filters, open, copy, theme"),
    ("quit", "Quit"),
)
"""The binding ids the help lists, with what they do."""


def key_table(keys: dict[str, str]) -> str:
    """Lay out the keys table.

    Args:
        keys: Binding id to the keys bound to it now.

    Returns:
        Plain text, one key per line.
    """
    rows = [(keys.get(binding_id, ""), text) for binding_id, text in KEY_ROWS]
    width = max(len(key) for key, _ in rows)
    return "\n".join(f"  {key:<{width}}  {text}" for key, text in rows if key)


class HelpScreen(ModalScreen[None]):
    """Lists every key and the filter language."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help-close"),
    ]

    def __init__(self, keys: dict[str, str]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Content("notes-tui keys"), classes="help-title")
            yield Static(Content(key_table(self.keys)))
            yield Static(Content(QUERY_HELP), classes="help-query")
            yield Static(Content("Press escape to close."), classes="help-hint")

    def action_close(self) -> None:
        self.dismiss(None)
