"""The only place that touches the clipboard and the browser."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Protocol

from notes_tui.links import is_safe_url
from notes_tui.sanitize import clean_line

CLIPBOARD_SECONDS = 3.0
"""How long a copy waits for the clipboard tool before it counts as failed."""
_COPY_SCRIPT = "import sys, pyperclip\npyperclip.copy(sys.stdin.buffer.read().decode('utf-8'))\n"
"""Copies its standard input with pyperclip (see `_run_quietly`); exits 1 without a backend."""
_OPEN_SCRIPT = "import sys, webbrowser\nsys.exit(0 if webbrowser.open(sys.argv[1], new=2) else 1)\n"
"""Opens its argument with the `webbrowser` module (see `_run_quietly`)."""
CONSOLE_BROWSERS = frozenset({"lynx", "w3m", "links", "elinks", "browsh", "www-browser"})
"""Browsers that run in the terminal and so need it handed over while they run."""


@dataclass(frozen=True, slots=True)
class OpenPlan:
    """How a URL will be opened."""

    command: list[str] | None
    """A `$BROWSER` command to run, or None to ask the `webbrowser` module."""
    console: bool
    """True when the command takes over the terminal."""


class System(Protocol):
    """The seam between the app and the machine: tests replace it with a fake."""

    def copy_with_backend(self, text: str) -> bool:
        """Copy text with a native clipboard tool; False when there is none."""

    def plan_open(self, url: str) -> OpenPlan:
        """Decide how a URL will be opened."""

    def run_browser(self, plan: OpenPlan, url: str) -> bool:
        """Open a URL as planned (blocking); False when no browser could open it."""


class RealSystem:
    """The real clipboard (pyperclip) and browser (`$BROWSER`, then `webbrowser`)."""

    def copy_with_backend(self, text: str) -> bool:
        """Copy with pyperclip when it finds a clipboard tool (in a child Python, see
        `_run_quietly`, for at most `CLIPBOARD_SECONDS`; the app calls it off its event loop).

        Args:
            text: What to copy.

        Returns:
            True when a native clipboard took it; False without a backend.
        """
        return _run_quietly(
            _python(_COPY_SCRIPT), stdin=text.encode("utf-8"), timeout=CLIPBOARD_SECONDS
        )

    def plan_open(self, url: str) -> OpenPlan:
        """Read `$BROWSER` (a command, `%s` standing for the URL; `:`-separated choices).

        Args:
            url: The URL to open.

        Returns:
            The first `$BROWSER` command found on PATH, or the `webbrowser` module.
        """
        for choice in os.environ.get("BROWSER", "").split(os.pathsep):
            try:
                words = shlex.split(choice)
            except ValueError:
                continue
            if not words or shutil.which(words[0]) is None:
                continue
            if any("%s" in word for word in words):
                command = [word.replace("%s", url) for word in words]
            else:
                command = [*words, url]
            name = os.path.basename(words[0])
            return OpenPlan(command, name in CONSOLE_BROWSERS)
        return OpenPlan(None, False)

    def run_browser(self, plan: OpenPlan, url: str) -> bool:
        """Open a URL; never through a shell.

        Args:
            plan: From `plan_open`.
            url: The URL (already checked safe).

        Returns:
            True when a browser accepted it.
        """
        # Nothing a terminal would show differently either (C1 controls, bidi, zero-width):
        # what opens is exactly the URL the user was shown.
        if not is_safe_url(url) or clean_line(url) != url:
            return False
        if plan.command is not None and plan.console:
            # It has the terminal (the app is suspended meanwhile).
            try:
                completed = subprocess.run(plan.command, check=False)
            except OSError:
                return False
            return completed.returncode == 0
        if plan.command is not None:
            return _run_quietly(plan.command)
        if not _has_graphical_session():
            # webbrowser would fall back to a console browser without handing it the terminal.
            return False
        return _run_quietly(_python(_OPEN_SCRIPT, url))


def _python(script: str, *args: str) -> list[str]:
    """The command that runs a script in a child Python (`-P`: a `webbrowser.py` or
    `pyperclip.py` in the current folder is not imported instead)."""
    return [sys.executable, "-P", "-c", script, *args]


def _run_quietly(
    argv: list[str], *, stdin: bytes | None = None, timeout: float | None = None
) -> bool:
    """Run a command with no way to write to the terminal.

    Browsers and clipboard tools write to the terminal they inherit (a browser's GTK
    warnings, xsel's "Can't open display"), in the middle of the app's screen, and could read
    keys meant for the app. The `webbrowser` module and pyperclip start such tools with the
    terminal, so they run in a child Python (`_python`) whose input and output go nowhere.

    Returns:
        True when it exited with status 0 (within `timeout` seconds).
    """
    try:
        completed = subprocess.run(
            argv,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return completed.returncode == 0


def _has_graphical_session() -> bool:
    if sys.platform in {"darwin", "win32"}:
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
