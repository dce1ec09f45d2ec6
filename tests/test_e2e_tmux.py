"""End to end: the installed `notes-tui` command in a real terminal (tmux), as a user meets it."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tui_support import ZTUNNEL_SUMMARIES, bundled_releases

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

WIDTH, HEIGHT = 160, 50
"""The terminal size."""
FIRST_PAINT_SECONDS = 20.0
"""How long the app may take to show its first screen (a cold start on a slow CI machine)."""
STEP_SECONDS = 10.0
"""How long each later step may take to show on screen."""
NETWORK_POLICY_ISSUE = "https://github.com/istio/api/issues/56877"
"""The issue of the third Security entry (optional NetworkPolicy deployment for istiod)."""


def app_command() -> list[str]:
    """The installed `notes-tui`: beside this Python first (an unactivated venv), then PATH."""
    beside = Path(sys.executable).parent / "notes-tui"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("notes-tui")
    if found:
        return [found]
    return [sys.executable, "-m", "notes_tui"]


class Tmux:
    """A private tmux server (its own socket) with one pane."""

    def __init__(self, socket_name: str) -> None:
        assert TMUX is not None
        self.base = [TMUX, "-L", socket_name, "-f", "/dev/null"]
        self.target = "notes:0.0"
        self.exit_status_file = Path(os.devnull)
        """Where the shell around the app writes the app's exit status."""

    def run(self, *args: str, check: bool = True) -> str:
        completed = self._run(*args)
        if check and completed.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {completed.stderr.strip()}")
        return completed.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.target)

    def send(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.target, *(["-l"] if literal else []), *keys)

    def pane(self, field: str) -> str:
        return self.run("display-message", "-p", "-t", self.target, f"#{{{field}}}").strip()

    def wait_for(self, condition: Callable[[str], bool], what: str, timeout: float) -> str:
        """Poll the screen until a condition holds; fail with the last screen.

        Args:
            condition: Tested on the captured screen.
            what: Named in the failure.
            timeout: Seconds.

        Returns:
            The screen that satisfied the condition.
        """
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if condition(screen):
                return screen
            if self.pane("pane_dead") == "1":
                raise AssertionError(f"the app exited while waiting for {what}:\n{screen}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}:\n{screen}")
            time.sleep(0.1)

    def wait_for_text(self, text: str, timeout: float = STEP_SECONDS) -> str:
        return self.wait_for(lambda screen: text in screen, repr(text), timeout)

    def buffer(self) -> str | None:
        """The newest paste buffer, or None when there is none."""
        completed = self._run("show-buffer")
        return completed.stdout if completed.returncode == 0 else None

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        # An explicit environment: readline (imported somewhere in the test process) may have
        # put COLUMNS=80 and LINES=24 into the C-level environment, which children would
        # inherit and Textual would believe over the pane's real size.
        environment = {
            name: value for name, value in os.environ.items() if name not in {"COLUMNS", "LINES"}
        }
        return subprocess.run(
            [*self.base, *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            env=environment,
        )


@pytest.fixture
def start_app(tmp_path: Path) -> Iterator[Callable[..., Tmux]]:
    """Start the installed app with arguments in a tmux server's one pane, at 160x50."""
    servers: list[Tmux] = []

    def start(*arguments: str) -> Tmux:
        server = Tmux(f"notes-tui-test-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        servers.append(server)
        # The server starts with a placeholder, so that its options are set before the app
        # starts: Textual copies with OSC 52, which tmux takes into a paste buffer only with
        # set-clipboard on. remain-on-exit keeps the pane (and any traceback) if the app ends.
        server.run(
            "new-session", "-d", "-s", "notes", "-x", str(WIDTH), "-y", str(HEIGHT), "sleep 600"
        )
        server.run("set-option", "-s", "set-clipboard", "on")
        server.run("set-option", "-g", "remain-on-exit", "on")
        environment = [
            "TERM=xterm-256color",
            "COLORTERM=truecolor",
            f"NOTES_TUI_HOME={tmp_path / 'home'}",
            "BROWSER=",
        ]
        # No native clipboard: the copy goes only through the terminal, and a developer's own
        # clipboard is left alone.
        unset = ["-u", "DISPLAY", "-u", "WAYLAND_DISPLAY", "-u", "COLUMNS", "-u", "LINES"]
        command = ["env", *unset, *environment, *app_command(), *arguments]
        status = server.exit_status_file = tmp_path / f"exit-status-{len(servers)}"
        shell_command = f"{shlex.join(command)}; echo $? > {shlex.quote(str(status))}"
        server.run("respawn-pane", "-k", "-t", server.target, shell_command)
        return server

    try:
        yield start
    finally:
        for server in servers:
            socket_path = server.run("display-message", "-p", "#{socket_path}", check=False)
            server.run("kill-server", check=False)
            if socket_path.strip():
                Path(socket_path.strip()).unlink(missing_ok=True)


@pytest.fixture
def tmux(start_app: Callable[..., Tmux]) -> Tmux:
    """The installed app on its bundled notes."""
    return start_app()


def test_filter_area_and_copy_in_a_real_terminal(tmux: Tmux) -> None:
    releases = bundled_releases()
    summaries = [entry.summary[:30] for entry in releases[0].entries]

    tmux.wait_for_text("47 of 47 entries", timeout=FIRST_PAINT_SECONDS)
    assert tmux.buffer() is None

    # Type the filter as a user would, quickly: `/` and the word arrive together.
    tmux.send("/ztunnel", literal=True)
    tmux.send("Enter")
    expected = [summary[:30] for summary in ZTUNNEL_SUMMARIES]
    # Poll for the whole picture: the status line can paint before the list and the detail.
    tmux.wait_for(
        lambda screen: (
            "4 of 47 entries · filter: ztunnel" in screen
            and [summary for summary in summaries if summary in screen] == expected
        ),
        "exactly the four ztunnel entries",
        STEP_SECONDS,
    )

    tmux.send("2")
    tmux.wait_for_text("1 of 47 entries · area: Security · filter: ztunnel")

    # Clear the filter (back to the list), keep the area, go to the third Security entry.
    tmux.send("/")
    tmux.wait_for_text("esc Clear filter")
    tmux.send("Escape")
    screen = tmux.wait_for_text("7 of 47 entries · area: Security")
    assert "Traffic Management (" in screen  # The tree still lists every area.
    tmux.send("g")
    # The detail pane's heading names the highlighted entry's area and kind; it has no link.
    tmux.wait_for(
        lambda screen: "1.28.0  ·  Security  ·  Improved" in screen and "[1] " not in screen,
        "the first Security entry in the detail pane",
        STEP_SECONDS,
    )
    tmux.send("j")
    tmux.send("j")
    # The detail pane numbers the entry's links: its first is the issue.
    tmux.wait_for_text("[1] istio/api#56877")

    tmux.send("y")
    tmux.wait_for_text("Copied 1 issue URL")
    deadline = time.monotonic() + STEP_SECONDS
    while tmux.buffer() != NETWORK_POLICY_ISSUE and time.monotonic() < deadline:
        time.sleep(0.1)
    assert tmux.buffer() == NETWORK_POLICY_ISSUE

    tmux.send("q")
    # The shell around the app writes its exit status (tmux can be slow to reap a dead pane).
    deadline = time.monotonic() + STEP_SECONDS
    while not tmux.exit_status_file.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert tmux.exit_status_file.read_text().strip() == "0", tmux.screen()


def test_upgrade_range_over_the_whole_corpus(
    start_app: Callable[..., Tmux], shared_dir: Path
) -> None:
    """Every Istio note, narrowed to an upgrade from 1.26.3 to 1.28.1, then filtered."""
    corpus = shared_dir / "corpus" / "istio"
    tmux = start_app(str(corpus), "--from", "1.26.3", "--to", "1.28.1")
    # 1.27.0 (75) and 1.28.0 (46) change notes and three bulletins (2 + 2 + 3): 128 entries.
    tmux.wait_for(
        lambda screen: "128 of 3766 entries" in screen and "loading" not in screen,
        "the whole corpus loaded and narrowed to the range",
        FIRST_PAINT_SECONDS * 2,
    )
    # The bar already holds the range (from --from/--to): `/` goes after it and a space, so
    # the word typed is one more term.
    tmux.send("/ambient", literal=True)
    tmux.send("Enter")
    screen = tmux.wait_for(
        lambda screen: " entries · filter: version:1.26.3..1.28.1 ambient" in screen,
        "the filter applied inside the range",
        STEP_SECONDS,
    )
    shown = int(screen.split(" of 3766 entries")[0].rsplit(maxsplit=1)[-1])
    assert 0 < shown < 128
    tmux.send("q")
    deadline = time.monotonic() + STEP_SECONDS
    while not tmux.exit_status_file.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert tmux.exit_status_file.read_text().strip() == "0", tmux.screen()


def test_keys_from_the_very_start_leave_the_app_working(
    start_app: Callable[..., Tmux], shared_dir: Path
) -> None:
    """`/` arriving while the app starts (before its first frame, while the panes are
    mounted and the corpus loads) must not stop it: the tree fills, filters apply, `q` quits.
    (A focus action that waited for a pane to be mounted once hung the app here.)"""
    tmux = start_app(str(shared_dir / "corpus" / "istio"))
    for delay in (0.0, 0.05, 0.1, 0.2, 0.4):
        time.sleep(delay)
        tmux.send("/")
    tmux.wait_for(
        lambda screen: (
            " of 3766 entries" in screen and "loading" not in screen and "All (" in screen
        ),
        "the corpus loaded, listed and counted in the tree",
        FIRST_PAINT_SECONDS * 2,
    )
    tmux.send("Escape")  # Whatever the slashes typed: cleared, back to the list.
    tmux.wait_for_text("3766 of 3766 entries")
    tmux.send("/ambient", literal=True)
    tmux.send("Enter")
    tmux.wait_for_text(" of 3766 entries · filter: ambient")
    tmux.send("q")
    deadline = time.monotonic() + STEP_SECONDS
    while not tmux.exit_status_file.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert tmux.exit_status_file.read_text().strip() == "0", tmux.screen()
