"""Generated docs match the code; every setting is documented."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from communique.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def load_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("docs_tool", ROOT / "tools" / "docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text == load_tool().cli_reference(), "run: python tools/docs.py"


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert text == load_tool().settings_reference(), "run: python tools/docs.py"
    for setting in SETTINGS.values():
        assert f"`{setting.name}`" in text
        assert setting.help.strip()


def test_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").split("\n")
    commands = [line.strip() for line in lines[:20] if line.strip().startswith("make ")]
    assert commands[:2] == ["make run", "make test"]
