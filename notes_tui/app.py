"""NotesApp: the app-wide bindings, the clipboard and browser requests, the command palette."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.app import App, SuspendNotSupported, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from notes_tui.links import DEFAULT_BASE_URL, is_safe_url
from notes_tui.messages import CopyText, LoadFailed, OpenLink
from notes_tui.model import Release
from notes_tui.reading import ReadOptions
from notes_tui.sanitize import clean_line
from notes_tui.screens.help import HelpScreen
from notes_tui.screens.main import MainScreen
from notes_tui.system import OpenPlan, RealSystem, System
from notes_tui.widgets.entry_list import EntryList
from notes_tui.widgets.filter_bar import FilterBar

FULL_COLLECTION_THRESHOLD = 100
"""Middle-generation collections between two automatic full ones (Python's default is 10).

Full collections are meant to run while the user is idle (`NotesApp._collect_when_idle`);
this threshold is the backstop for someone typing without a pause for a long while.
Measured with 20,000 entries: a full collection takes 30 to 50 ms, three frames, on
whichever keystroke or cursor move brings it about; with 10 they came every few keystrokes."""

IDLE_SECONDS = 1.0
"""How long without a key, a click or a scroll counts as idle (for a full collection)."""

IDLE_COLLECTION_MINIMUM = 3
"""Middle-generation collections since the last full one that make an idle one worth it."""


def tune_garbage_collector() -> None:
    """Keep the garbage collector's pauses away from keystrokes.

    The notes are read once and never change: frozen (`gc.freeze`), they no longer make
    every full collection walk them, a pause of a tenth of a second with 20,000 entries
    landing on whichever keystroke triggers it. Textual's line strips cache themselves
    (cycles only the collector frees), so each repaint leaves cyclic garbage that lives
    long enough to reach the oldest generation. The app collects it when the user is idle,
    and automatic full collections become rare. `NotesApp` does this as it starts and
    undoes both on exit.
    """
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_THRESHOLD)
    gc.freeze()


class NotesApp(App[None]):
    """Read release notes: section tree, filterable entry list, detail pane."""

    CSS_PATH = "app.tcss"
    TITLE = "notes-tui"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("tab", "focus_next", "Next pane", show=False, id="focus-next"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="focus-previous"),
    ]

    def __init__(
        self,
        releases: list[Release],
        initial_query: str = "",
        system: System | None = None,
        *,
        targets: Sequence[str | Path] = (),
        base_url: str = DEFAULT_BASE_URL,
        use_cache: bool = False,
        forced_format: str | None = None,
        repo: str | None = None,
        warnings: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.releases = releases
        self.warnings = list(warnings)
        """Problems met reading `releases` (shown as the app starts)."""
        self.initial_query = initial_query
        self.targets = list(targets)
        """Files still to read, in a background worker, from the first frame."""
        self.read_options = ReadOptions(base_url, use_cache, forced_format, repo)
        """How those files are read (`--base-url`, the cache, `--format`, `--repo`)."""
        self.system: System = system or RealSystem()
        """The clipboard and browser seam (tests put a fake here)."""
        self.exit_error: str | None = None
        """Why the app ended with status 2, if it did."""
        self._main_screen: MainScreen | None = None
        self._gc_thresholds = gc.get_threshold()
        """The collector's thresholds before the app ran (given back on exit)."""
        self._last_input = time.monotonic()
        """When the user last pressed a key, clicked or scrolled."""

    def on_load(self) -> None:
        self._gc_thresholds = gc.get_threshold()
        tune_garbage_collector()

    def on_mount(self) -> None:
        self.set_interval(IDLE_SECONDS, self._collect_when_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _collect_when_idle(self) -> bool:
        """Run a full collection now if the user is idle and there is garbage to collect.

        Idle: no key, click or scroll, and no change of the view (a filter applied, the
        cursor moved, notes loaded) for `IDLE_SECONDS`.

        Returns:
            Whether it ran.
        """
        main = self._main_screen
        last = max(self._last_input, main.last_change if main is not None else 0.0)
        idle = time.monotonic() - last >= IDLE_SECONDS
        if not idle or gc.get_count()[2] < IDLE_COLLECTION_MINIMUM:
            return False
        gc.collect()
        return True

    def on_unmount(self) -> None:
        gc.unfreeze()
        gc.set_threshold(*self._gc_thresholds)

    def get_default_screen(self) -> MainScreen:
        """The main screen is the app's first screen (no blank screen under it)."""
        if self.releases:
            first = self.releases[0]
            self.sub_title = clean_line(first.title if len(self.releases) == 1 else "")
        self._main_screen = MainScreen(
            self.releases, self.initial_query, self.targets, self.read_options, self.warnings
        )
        return self._main_screen

    @property
    def main(self) -> MainScreen | None:
        """The main screen, once it is up."""
        return self._main_screen

    @property
    def load_warnings(self) -> list[str]:
        """Problems met reading the notes: before the app started, and in the background."""
        return self._main_screen.load_warnings if self._main_screen else []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quit" and isinstance(self.focused, FilterBar):
            return False
        return True

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.bound_keys()))

    def bound_keys(self) -> dict[str, str]:
        """The keys bound to each binding id now, after any `set_keymap`.

        Returns:
            Binding id to a display of its keys.
        """
        found: dict[str, str] = {"command-palette": "ctrl+p"}
        for owner in (NotesApp, MainScreen, EntryList, FilterBar):
            for binding in owner.BINDINGS:
                if isinstance(binding, Binding) and binding.id:
                    keys = self._keymap.get(binding.id, binding.key)
                    shown = [
                        self.get_key_display(Binding(key.strip(), "")) for key in keys.split(",")
                    ]
                    found[binding.id] = ", ".join(shown)
        return found

    # Requests from the screens.

    @on(CopyText)
    def _copy(self, message: CopyText) -> None:
        self.copy_text(message.text, message.what)

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.exit_error = message.error
        self.exit(return_code=2)

    @on(OpenLink)
    def _open(self, message: OpenLink) -> None:
        self.open_link(message.url)

    def copy_text(self, text: str, what: str) -> None:
        """Copy through the terminal (OSC 52) and a native clipboard when there is one.

        Args:
            text: What to copy.
            what: How to name it in the notification.
        """
        self.copy_to_clipboard(text)
        self._copy_natively(text, what)

    @work(thread=True, group="clipboard")
    def _copy_natively(self, text: str, what: str | None) -> None:
        """Copy with the system clipboard too, off the event loop (its tool runs in a child
        process: some 30 ms). Tell what was copied when `what` names it."""
        native = self.system.copy_with_backend(text)
        if what is not None:
            where = "" if native else " (through the terminal)"
            self.call_from_thread(self.notify, f"Copied {what}{where}", timeout=3, markup=False)

    def open_link(self, url: str) -> None:
        """Open a URL in the browser: only http and https, never blocking the app.

        Args:
            url: The URL.
        """
        if not is_safe_url(url):
            self.notify(
                f"Refused to open {clean_line(url)[:200]!r}: only http and https links open",
                severity="warning",
                markup=False,
            )
            return
        plan = self.system.plan_open(url)
        if plan.console:
            try:
                with self.suspend():
                    opened = self.system.run_browser(plan, url)
            except SuspendNotSupported:
                # No terminal to hand over (textual serve, headless): copy the URL instead.
                opened = False
            self._opened(url, opened)
        else:
            self._open_in_thread(plan, url)

    @work(thread=True, group="browser")
    def _open_in_thread(self, plan: OpenPlan, url: str) -> None:
        opened = self.system.run_browser(plan, url)
        self.call_from_thread(self._opened, url, opened)

    def _opened(self, url: str, opened: bool) -> None:
        if opened:
            self.notify(f"Opened {clean_line(url)}", timeout=3, markup=False)
            return
        self.copy_to_clipboard(url)
        self._copy_natively(url, None)
        self.notify(
            f"No browser could open it; copied the URL instead: {clean_line(url)}",
            severity="warning",
            timeout=6,
            markup=False,
        )

    # The command palette.

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main
        if main is None:
            return
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Filter: all areas", "Show every area", partial(main.set_area, None))
        ]
        for key, title in main.session.areas():
            name = clean_line(title)
            commands.append(
                (f"Filter by area: {name}", f"Only {name}", partial(main.set_area, key))
            )
        commands.append(("Filter: all kinds", "Show every kind", partial(main.set_kind, None)))
        for kind in main.session.kinds():
            commands.append(
                (f"Filter by kind: {kind}", f"Only {kind}", partial(main.set_kind, kind))
            )
        commands += [
            ("Open the entry's issue", "Open in the browser", main.action_open),
            ("Copy the entry's issue URLs", "To the clipboard", main.action_copy_issues),
            ("Copy every shown issue URL", "To the clipboard", main.action_copy_all_issues),
            ("Copy the entry's Markdown", "To the clipboard", main.action_copy_markdown),
        ]
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)
        yield SystemCommand("Help: keys and filter language", "Show the help", self.action_help)
