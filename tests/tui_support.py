"""Shared fakes and helpers for the pilot, snapshot and tmux tests of the UI."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from rich.text import Text
from textual.notifications import Notification
from textual.pilot import Pilot
from textual.widgets import Static

from notes_tui.app import NotesApp
from notes_tui.loading import load
from notes_tui.model import Entry, Release
from notes_tui.parse import parse_text
from notes_tui.system import OpenPlan
from notes_tui.widgets.entry_list import EntryList
from notes_tui.widgets.section_tree import SectionTree

SIZE = (160, 50)
"""The terminal size most pilot tests use."""

ZTUNNEL_SUMMARIES = (
    "Fixed a bug where ztunnel wouldn't correctly use the WorkloadEntry port map",
    "Added optional NetworkPolicy deployment for istiod.",
    'Added support for "persona-based" installations to our Helm charts',
    "Added support for displaying connection information for istioctl ztunnel-config all",
)
"""The starts of the summaries of the four bundled entries that mention ztunnel, in order."""

AREA_COUNTS = {
    "Traffic Management": 18,
    "Security": 7,
    "Telemetry": 4,
    "Extensibility": 1,
    "Installation": 11,
    "istioctl": 6,
}
"""The bundled notes' areas, in order, with their entry counts."""


@dataclass
class FakeSystem:
    """Stands in for `notes_tui.system.RealSystem`: records what was copied and opened."""

    browser_works: bool = True
    """What `run_browser` answers."""
    clipboard_works: bool = True
    """What `copy_with_backend` answers."""
    console: bool = False
    """Whether `plan_open` says the browser takes over the terminal."""
    copied: list[str] = field(default_factory=list)
    """Every text handed to the native clipboard, in order."""
    planned: list[str] = field(default_factory=list)
    """Every URL `plan_open` was asked about."""
    opened: list[str] = field(default_factory=list)
    """Every URL handed to the browser, in order."""

    copied_on_main_thread: list[bool] = field(default_factory=list)
    """For each copy, whether it ran on the event loop's thread (it must not: it may wait)."""

    def copy_with_backend(self, text: str) -> bool:
        self.copied.append(text)
        self.copied_on_main_thread.append(threading.current_thread() is threading.main_thread())
        return self.clipboard_works

    def plan_open(self, url: str) -> OpenPlan:
        self.planned.append(url)
        return OpenPlan(["fake-browser", url], self.console)

    def run_browser(self, plan: OpenPlan, url: str) -> bool:
        self.opened.append(url)
        return self.browser_works


@cache
def bundled_releases() -> tuple[Release, ...]:
    """The bundled Istio 1.28.0 notes, parsed once per test run."""
    return tuple(load([]).releases)


def bundled_app(system: FakeSystem | None = None, initial_query: str = "") -> NotesApp:
    """A NotesApp on the bundled notes with a fake system.

    Args:
        system: The fake (a new one when None).
        initial_query: The filter to start with.

    Returns:
        The app, not yet running.
    """
    return NotesApp(
        list(bundled_releases()), initial_query=initial_query, system=system or FakeSystem()
    )


def releases_from_markdown(text: str, source: str = "test-notes.md") -> list[Release]:
    """Parse a small Markdown document of release notes.

    Args:
        text: The Markdown.
        source: The name it pretends to come from.

    Returns:
        The releases.
    """
    return parse_text(text, source)


def with_entry_replaced(release: Release, index: int, **changes: object) -> Release:
    """A copy of a release where one entry (by position over all its entries) is changed.

    Args:
        release: The release.
        index: The entry's position in `release.entries`.
        **changes: Fields of the entry to replace.

    Returns:
        The new release.
    """
    target = release.entries[index]
    sections = tuple(
        replace(
            section,
            entries=tuple(
                replace(entry, **changes) if entry is target else entry  # type: ignore[arg-type]
                for entry in section.entries
            ),
        )
        for section in release.sections
    )
    return replace(release, sections=sections)


# Reading what the user sees.


def entry_list(app: NotesApp) -> EntryList:
    """The main screen's entry list."""
    main = app.main
    assert main is not None
    return main.query_one(EntryList)


def shown_summaries(app: NotesApp) -> list[str]:
    """The summaries of the rows in the entry list, in order."""
    return [entry.summary for entry in entry_list(app).entries]


def status_text(app: NotesApp) -> str:
    """The status line under the list, as shown."""
    main = app.main
    assert main is not None
    return str(main.query_one("#status", Static).content)


def tree_counts(app: NotesApp) -> dict[str, int]:
    """The section tree's labels and counts: `{"All": 47, "1.28.0 Change Notes": 47, ...}`."""
    main = app.main
    assert main is not None
    tree = main.query_one(SectionTree)
    found: dict[str, int] = {}
    stack = [tree.root]
    while stack:
        node = stack.pop(0)
        label = node.label.plain if isinstance(node.label, Text) else str(node.label)
        name, _, count = label.rpartition(" (")
        found[name] = int(count.rstrip(")"))
        stack.extend(node.children)
    return found


def messages(app: NotesApp) -> list[str]:
    """The texts of the notifications raised so far (still on screen or not)."""
    return [notification.message for notification in notifications(app)]


def notifications(app: NotesApp) -> list[Notification]:
    """The notifications raised so far."""
    return list(app._notifications)


def rendered_row(app: NotesApp, row: int) -> str:
    """The text of one on-screen row of the entry list, as painted."""
    return entry_list(app).render_line(row).text


def screen_lines(app: NotesApp) -> list[str]:
    """The text of every line of the terminal, as the compositor paints it (Textual is pinned)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def select_entry(app: NotesApp, predicate: Callable[[Entry], bool]) -> Entry:
    """Move the list's cursor to the first shown entry that matches.

    Args:
        app: The app.
        predicate: Which entry.

    Returns:
        The entry now highlighted.
    """
    entries = entry_list(app)
    for row, entry in enumerate(entries.entries):
        if predicate(entry):
            entries.cursor = row
            return entry
    raise AssertionError("no shown entry matches")


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until a condition holds (for workers, timers and the palette).

    Args:
        pilot: The pilot.
        condition: What to wait for.
        timeout: Seconds before the test fails.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition}")
        await pilot.pause(0.02)
    await pilot.pause()


async def panes_ready(pilot: Pilot[Any]) -> None:
    """Wait until the main screen has mounted the panes it fills after its first frame."""
    app = pilot.app
    assert isinstance(app, NotesApp)
    await wait_for(pilot, lambda: app.main is not None and app.main.panes_ready)


@asynccontextmanager
async def running(app: NotesApp, **options: Any) -> AsyncIterator[Pilot[None]]:
    """`app.run_test(**options)`, handing over the pilot once every pane is mounted."""
    async with app.run_test(**options) as pilot:
        await panes_ready(pilot)
        yield pilot


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the app's workers (the browser thread) and the messages they post."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await asyncio.sleep(0)
    await pilot.pause()
