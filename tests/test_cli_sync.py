"""`communique sync` and `channels`, against the fake t.me of test_sync (no network)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from communique import sync as sync_module
from communique.cli import main
from test_sync import IDS, FakeTelegram


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> FakeTelegram:
    fake = FakeTelegram()
    real = sync_module.make_client
    monkeypatch.setattr(
        sync_module, "make_client", lambda: real(transport=httpx.MockTransport(fake.handler))
    )
    return fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_follow_sync_all_and_resync(server: FakeTelegram, db_path: Path) -> None:
    db = ["--db", str(db_path)]
    assert run("channels", "add", "https://t.me/s/MFARussia", *db)[0] == 0
    code, out, err = run("sync", "--all", "--delay", "0", *db)
    assert code == 0, err
    assert f"@MFARussia: {len(IDS)} new, 0 merged, 0 unchanged" in out
    assert "end of channel" in out and "1 ids missing" in out
    listing = json.loads(run("channels", "list", "--json", *db)[1])
    assert listing[0]["username"] == "MFARussia" and listing[0]["followed"] is True
    assert listing[0]["last_synced_id"] == max(IDS)
    requests = len(server.requests)
    code, out, _ = run("sync", "MFARussia", "--delay", "0", *db)
    assert code == 0 and "reached known posts" in out
    assert len(server.requests) == requests + 1
    exported = run("export", *db)[1].splitlines()
    assert len(exported) == len(IDS)
    assert json.loads(exported[0])["sources"][0]["kind"] == "web"


def test_a_failing_channel_is_reported_and_the_others_sync(
    server: FakeTelegram, db_path: Path
) -> None:
    code, out, err = run("sync", "nosuchchannel", "MFARussia", "--limit", "5", "--delay", "0",
                         "--db", str(db_path))  # fmt: skip
    assert code == 1
    assert "error: @nosuchchannel: " in err and "no public web preview" in err
    assert "@MFARussia: 5 new" in out and "reached --limit" in out


def test_sync_needs_channels(db_path: Path) -> None:
    code, _, err = run("sync", "--db", str(db_path))
    assert code == 2 and "name channels to sync, or --all" in err


def test_remove_keeps_posts_and_unknown_names_are_refused(
    server: FakeTelegram, db_path: Path
) -> None:
    db = ["--db", str(db_path)]
    run("channels", "add", "MFARussia", *db)
    run("sync", "--all", "--limit", "3", "--delay", "0", *db)
    assert run("channels", "remove", "@MFARussia", *db)[0] == 0
    assert "*" not in run("channels", "list", *db)[1].split("\n")[0]
    assert len(run("export", *db)[1].splitlines()) == 3
    code, _, err = run("channels", "remove", "MFARussia", *db)
    assert code == 1 and "not followed: MFARussia" in err
