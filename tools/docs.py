"""Generate the reference docs that must not drift from the code.

python tools/docs.py          rewrite docs/cli.md and docs/settings.md
python tools/docs.py --check  exit 1 if either is out of date (tests run this)
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from communique.cli import main
from communique.settings import SETTINGS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def cli_reference() -> str:
    parts = [
        "# CLI reference",
        "",
        "Generated from `--help` by `python tools/docs.py`; a test fails when it drifts.",
        "",
    ]
    # A fixed width, so the output does not depend on the terminal that runs it.
    width = {"terminal_width": 88, "max_content_width": 88}
    ctx = click.Context(main, info_name="communique", **width, **main.context_settings)
    parts += ["## communique", "", "```", main.get_help(ctx), "```", ""]
    for name in sorted(main.list_commands(ctx)):
        command = main.get_command(ctx, name)
        assert command is not None
        sub = click.Context(command, info_name=name, parent=ctx, **width)
        parts += [f"## communique {name}", "", "```", command.get_help(sub), "```", ""]
    return "\n".join(parts)


def settings_reference() -> str:
    rows = [
        "# Settings",
        "",
        "Generated from `communique.settings.SETTINGS` by `python tools/docs.py`.",
        "",
        "| name | default | environment | meaning |",
        "|---|---|---|---|",
    ]
    for s in SETTINGS.values():
        rows.append(f"| `{s.name}` | `{s.default}` | {f'`{s.env}`' if s.env else ''} | {s.help} |")
    return "\n".join(rows) + "\n"


FILES = {"cli.md": cli_reference, "settings.md": settings_reference}


def main_(check: bool) -> int:
    stale = []
    for name, build in FILES.items():
        path = DOCS / name
        text = build()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"out of date: {', '.join(stale)}; run: python tools/docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main_("--check" in sys.argv))
