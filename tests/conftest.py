"""Shared fixtures: the bundled seed notes, the shared corpus and the small inputs in data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes_tui.loading import load
from notes_tui.model import Release
from notes_tui.parse import parse_text

TESTS_DIR = Path(__file__).resolve().parent
"""This folder."""
REPO_DIR = TESTS_DIR.parent
"""The repository (a fresh clone in CI)."""
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
"""`shared/`, which lies beside the clone both here and in CI."""
SEED_PATH = REPO_DIR / "assets" / "istio-1.28.0-change-notes.md"
"""The bundled notes."""


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder beside the repository."""
    if not SHARED_DIR.is_dir():
        pytest.fail(f"{SHARED_DIR} is missing: the tests expect shared/ beside the repository")
    return SHARED_DIR


@pytest.fixture(scope="session")
def corpus(shared_dir: Path) -> Path:
    """The real release notes of other projects, `shared/corpus/`."""
    path = shared_dir / "corpus"
    if not path.is_dir():
        pytest.fail(f"{path} is missing")
    return path


@pytest.fixture(scope="session")
def istio_corpus(corpus: Path) -> Path:
    """Istio's release notes and security bulletins, `shared/corpus/istio/`."""
    return corpus / "istio"


@pytest.fixture(scope="session")
def istio_releases(istio_corpus: Path) -> list[Release]:
    """Every release of the Istio corpus, loaded once for the run (never changed by tests)."""
    return load([str(istio_corpus)]).releases


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Small focused inputs, `tests/data/`."""
    return TESTS_DIR / "data"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The bundled Istio 1.28.0 change notes."""
    return SEED_PATH


@pytest.fixture(scope="session")
def seed_text(seed_path: Path) -> str:
    """The text of the bundled notes."""
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_release(seed_text: str, seed_path: Path) -> Release:
    """The bundled notes, parsed once."""
    releases = parse_text(seed_text, str(seed_path))
    assert len(releases) == 1
    return releases[0]
