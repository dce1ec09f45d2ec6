"""The pure core imports without Textual or the clipboard: scripts and tests need no UI."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

CORE_MODULES = (
    "notes_tui.model",
    "notes_tui.links",
    "notes_tui.search",
    "notes_tui.loading",
    "notes_tui.output",
    "notes_tui.parse",
    "notes_tui.parse.istio",
    "notes_tui.parse.markdown",
    "notes_tui.cli",
)
"""Every module the command line's output modes need."""

UI_PACKAGES = ("textual", "pyperclip")
"""What the core must not load."""


def loaded_ui_packages(modules: Sequence[str]) -> list[str]:
    """Import modules in a fresh interpreter and list the UI modules that got loaded."""
    probe = (
        "import importlib, json, sys\n"
        f"for name in {list(modules)!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(n for n in sys.modules if n.split('.')[0] in {UI_PACKAGES!r})))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    loaded: list[str] = json.loads(completed.stdout)
    return loaded


def test_core_does_not_import_the_ui() -> None:
    assert loaded_ui_packages(CORE_MODULES) == []


def test_the_probe_sees_textual() -> None:
    # The check above can fail: the same probe notices Textual once something imports it.
    assert "textual" in loaded_ui_packages([*CORE_MODULES, "textual.app"])
