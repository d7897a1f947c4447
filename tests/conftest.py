"""Shared helpers: write small budget files and read results back."""

from __future__ import annotations

import csv
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CONFIGS = ROOT / "configs"


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """write_yaml(text, name='budget.yaml') -> path of a file holding the dedented text."""

    def write(text: str, name: str = "budget.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write


def read_contributions(path: Path) -> list[dict[str, str]]:
    """contributions.csv's rows, past its '#' provenance lines, as the csv module reads them."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))
