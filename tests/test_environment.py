"""The machine around notes-tui: no clipboard, odd browsers, a cache that cannot be written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notes_tui.cache import cache_dir, load_cached
from notes_tui.system import OpenPlan, RealSystem

REPO_DIR = Path(__file__).resolve().parents[1]
"""The checkout, where `python -m notes_tui` runs."""

URL = "https://istio.io/latest/news/"
"""A link any browser may open."""

UNSAFE_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "https://example.com/a\nb",
    "https://example.com/a b",
    "https://example.com/\x1b]52;c;cm0=\x07",
    "https://example.com/\x9b2J",
    "https://example.com/\u202egpj.exe",
    "https://exa\u200bmple.com/",
    "//example.com/no-scheme",
    "",
]
"""URLs that must never reach a browser."""


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own `NOTES_TUI_HOME`."""
    path = tmp_path / "home"
    monkeypatch.setenv("NOTES_TUI_HOME", str(path))
    return path


class Recorder:
    """Stands in for `subprocess.run`, recording each call (the `webbrowser` module runs in a
    child Python, so it is never asked here)."""

    def __init__(self, returncode: int = 0) -> None:
        self.commands: list[list[str]] = []
        self.kwargs: list[dict[str, object]] = []
        self.returncode = returncode

    def run(self, command: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        self.commands.append(command)
        self.kwargs.append(kwargs)
        return subprocess.CompletedProcess(command, self.returncode)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """A fake process runner: nothing is really started."""
    fake = Recorder()
    monkeypatch.setattr(subprocess, "run", fake.run)
    return fake


def run_module(
    *argv: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `python -m notes_tui` with `env` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "notes_tui", *argv],
        cwd=REPO_DIR,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **env},
    )


# --- clipboard ----------------------------------------------------------------------------

NO_CLIPBOARD_SCRIPT = """
from notes_tui.system import RealSystem
print(RealSystem().copy_with_backend("copied text"))
"""


def test_no_display_and_no_clipboard_tool(tmp_path: Path) -> None:
    """pyperclip finds nothing: the copy says False (the app then uses OSC 52), no exception.

    A child process: pyperclip remembers the clipboard it found for the life of a process.
    """
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = {
        key: value for key, value in os.environ.items() if key not in {"DISPLAY", "WAYLAND_DISPLAY"}
    }
    env["PATH"] = str(empty_bin)  # no xclip, xsel, wl-copy...
    completed = subprocess.run(
        [sys.executable, "-c", NO_CLIPBOARD_SCRIPT],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert completed.returncode == 0, completed.stderr
    assert (completed.stdout, completed.stderr) == ("False\n", "")


# --- browser ------------------------------------------------------------------------------


def test_browser_false_fails_so_the_app_copies_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    """`BROWSER=false` is found on PATH and run for real: it exits 1, so opening fails."""
    monkeypatch.setenv("BROWSER", "false")
    real = RealSystem()
    plan = real.plan_open(URL)
    assert plan.command is not None and Path(plan.command[0]).name == "false"
    assert plan.command[1:] == [URL]
    assert real.run_browser(plan, URL) is False


@pytest.mark.parametrize("browser", ["no-such-browser-at-all", "/nowhere/firefox %s", '"unclosed'])
def test_browser_naming_a_missing_command_falls_back(
    monkeypatch: pytest.MonkeyPatch, recorder: Recorder, browser: str
) -> None:
    monkeypatch.setenv("BROWSER", browser)
    real = RealSystem()
    plan = real.plan_open(URL)
    assert plan == OpenPlan(None, False)  # on to the webbrowser module
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert real.run_browser(plan, URL) is False  # no graphical session: nothing to ask
    assert recorder.commands == []
    monkeypatch.setenv("DISPLAY", ":0")
    recorder.returncode = 1
    assert real.run_browser(plan, URL) is False  # webbrowser found no browser
    # The webbrowser module is asked in a child Python, the URL one argument of it.
    [command] = recorder.commands
    assert command[:3] == [sys.executable, "-P", "-c"]
    assert "webbrowser.open(sys.argv[1], new=2)" in command[3]
    assert command[4:] == [URL]
    assert recorder.kwargs[0]["stdout"] == recorder.kwargs[0]["stderr"] == subprocess.DEVNULL


def test_browser_choices_skip_missing_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER", os.pathsep.join(["no-such-browser", "true %s --new-tab"]))
    plan = RealSystem().plan_open(URL)
    assert plan.command is not None
    assert plan.command[1:] == [URL, "--new-tab"]


def test_webbrowser_finding_no_browser_is_false(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """For real: the child's `webbrowser.open` raises `webbrowser.Error`, so it exits 1."""
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    assert RealSystem().run_browser(OpenPlan(None, False), URL) is False


def test_a_noisy_browser_writes_nothing_to_the_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A graphical browser's warnings would land in the middle of the app's screen."""
    seen = tmp_path / "seen.txt"
    script = f'echo opening; echo Gtk-WARNING >&2; echo "$1" > {seen}'
    plan = OpenPlan(["sh", "-c", script, "browser", URL], console=False)
    assert RealSystem().run_browser(plan, URL) is True
    assert seen.read_text() == URL + "\n"
    assert capfd.readouterr() == ("", "")


def test_the_clipboard_tool_gets_the_text_and_the_terminal_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """pyperclip, in its child Python, finds a fake `xsel` that says something on stderr."""
    tools = tmp_path / "bin"
    tools.mkdir()
    kept = tmp_path / "clipboard.txt"
    xsel = tools / "xsel"
    xsel.write_text(f"#!/bin/sh\necho xsel: noise >&2\ncat > {kept}\n")
    xsel.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}/usr/bin{os.pathsep}/bin")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    text = "https://github.com/istio/istio/issues/57530\nüñï 問題"
    assert RealSystem().copy_with_backend(text) is True
    assert kept.read_text(encoding="utf-8") == text
    assert capfd.readouterr() == ("", "")


def test_browser_command_that_cannot_start(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(command: list[str], **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", command[0])

    monkeypatch.setattr(subprocess, "run", refuse)
    assert RealSystem().run_browser(OpenPlan(["/opt/browser", URL], False), URL) is False


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_unsafe_urls_are_never_opened(
    monkeypatch: pytest.MonkeyPatch, recorder: Recorder, url: str
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("BROWSER", "true")
    real = RealSystem()
    assert real.run_browser(real.plan_open(url), url) is False
    assert real.run_browser(OpenPlan(None, False), url) is False
    assert recorder.commands == []


def test_shell_characters_stay_one_argument(
    monkeypatch: pytest.MonkeyPatch, recorder: Recorder
) -> None:
    """No shell ever sees the URL: `;`, `$(...)` and backticks are bytes of one argument."""
    url = "https://example.com/?q=$(touch%20pwned);`id`|cat&x=1"
    monkeypatch.setenv("BROWSER", "true --open %s")
    real = RealSystem()
    assert real.run_browser(real.plan_open(url), url) is True
    [command] = recorder.commands
    assert command[1:] == ["--open", url]
    assert recorder.kwargs[0].get("shell") in (None, False)


# --- the cache ----------------------------------------------------------------------------


def write_notes(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"1.0.{index}.md"
        path.write_text(f"## Changes\n\n- **Fixed** bug {index}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_cache_folder_that_cannot_be_made(tmp_path: Path) -> None:
    """`NOTES_TUI_HOME` is a regular file, so `mkdir` fails even for root: one warning, once."""
    home_file = tmp_path / "home-is-a-file"
    home_file.write_text("not a folder")
    write_notes(tmp_path / "notes", 3)
    for _ in range(2):  # and again: nothing was cached, nothing breaks
        completed = run_module(
            "--list", str(tmp_path / "notes"), env={"NOTES_TUI_HOME": str(home_file)}
        )
        assert completed.returncode == 0, completed.stderr
        assert len(completed.stdout.splitlines()) == 3
        assert completed.stderr.splitlines() == [
            f"notes-tui: warning: cannot write the cache in {home_file / 'cache' / 'releases'} "
            "(Not a directory); reading without it (--no-cache)"
        ]
    completed = run_module(
        "--list", "--no-cache", str(tmp_path / "notes"), env={"NOTES_TUI_HOME": str(home_file)}
    )
    assert (completed.returncode, completed.stderr) == (0, "")


def test_cache_entry_that_is_a_folder(tmp_path: Path, home: Path) -> None:
    """A folder where a cache file should be: the read misses, the write fails, once told."""
    [path] = write_notes(tmp_path / "notes", 1)
    first = run_module("--json", str(path), env={})
    assert (first.returncode, first.stderr) == (0, "")
    [entry] = list((home / "cache" / "releases").glob("*.json"))
    entry.unlink()
    entry.mkdir()
    second = run_module("--json", str(path), env={})
    assert second.returncode == 0
    assert second.stdout == first.stdout
    assert "cannot write the cache" in second.stderr


def test_two_processes_share_one_cache(istio_corpus: Path, home: Path) -> None:
    """Started together on an empty cache: both succeed, agree, and leave valid entries."""
    env = {**os.environ, "NOTES_TUI_HOME": str(home)}
    argv = [sys.executable, "-m", "notes_tui", "--json", str(istio_corpus)]
    processes = [
        subprocess.Popen(
            argv, cwd=REPO_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0]
    assert [err for _, err in outputs] == [b"", b"", b""]
    assert outputs[0][0] == outputs[1][0] == outputs[2][0]
    entries = json.loads(outputs[0][0])
    assert len(entries) > 3000

    folder = cache_dir() / "releases"
    files = sorted(folder.iterdir())
    markdown_count = sum(1 for _ in istio_corpus.rglob("*.md"))
    assert len(files) == markdown_count  # one entry per file; no temporary file left behind
    assert all(path.suffix == ".json" and not path.name.startswith(".") for path in files)
    for path in files:
        assert load_cached(path.stem) is not None, path

    again = run_module("--json", str(istio_corpus), env={"NOTES_TUI_HOME": str(home)})
    assert again.returncode == 0 and again.stdout.encode() == outputs[0][0]


# --- output -------------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_to_a_full_disk_is_one_error_line(home: Path) -> None:
    with open("/dev/full", "w") as full:
        completed = subprocess.run(
            [sys.executable, "-m", "notes_tui", "--list"],
            cwd=REPO_DIR,
            stdin=subprocess.DEVNULL,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "NOTES_TUI_HOME": str(home)},
        )
    assert completed.returncode == 2
    assert completed.stderr == (
        "notes-tui: error: cannot write the output (No space left on device)\n"
    )


def test_reader_that_stops_early_is_no_traceback(corpus: Path, home: Path) -> None:
    """`notes-tui --json | head -c 10`: the rest has nowhere to go, and that is fine."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    process = subprocess.Popen(
        [sys.executable, "-m", "notes_tui", "--json", str(corpus)],
        cwd=REPO_DIR,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**env, "NOTES_TUI_HOME": str(home)},
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10) == b"[\n  {\n    "
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=300) in (0, 1)
    assert err == b""
