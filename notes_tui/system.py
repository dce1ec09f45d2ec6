"""The only place that touches the clipboard and the browser."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import webbrowser
from dataclasses import dataclass
from typing import Protocol

from notes_tui.links import is_safe_url
from notes_tui.sanitize import clean_line

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
        """Copy with pyperclip when it finds a clipboard tool.

        Args:
            text: What to copy.

        Returns:
            True when a native clipboard took it; False without a backend.
        """
        try:
            import pyperclip
        except ImportError:
            return False
        try:
            pyperclip.copy(text)
        except pyperclip.PyperclipException:
            return False
        except OSError:
            return False
        return True

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
        if plan.command is not None:
            try:
                completed = subprocess.run(plan.command, check=False)
            except OSError:
                return False
            return completed.returncode == 0
        if not _has_graphical_session():
            # webbrowser would fall back to a console browser without handing it the terminal.
            return False
        try:
            return webbrowser.open(url, new=2)
        except webbrowser.Error:
            return False


def _has_graphical_session() -> bool:
    if sys.platform in {"darwin", "win32"}:
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
