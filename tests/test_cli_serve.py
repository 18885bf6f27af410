"""`communique serve`: the options reach uvicorn, a missing archive is refused, and
listening beyond this machine is warned about. uvicorn itself is not started."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner
from fastapi.testclient import TestClient

from communique.cli import main


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    calls: dict[str, Any] = {}

    def run(app: Any, **options: Any) -> None:
        calls.update(options, app=app)

    monkeypatch.setattr(uvicorn, "run", run)
    return calls


def test_serve_defaults_to_this_machine(web_db: Path, started: dict[str, Any]) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--db", str(web_db)], env={"COMMUNIQUE_HOST": "", "COMMUNIQUE_PORT": ""}
    )
    assert result.exit_code == 0, result.output
    assert started["host"] == "127.0.0.1" and started["port"] == 8000
    assert f"serving {web_db} at http://127.0.0.1:8000 (read-only" in result.output
    assert "warning" not in result.output
    client = TestClient(started["app"], base_url="http://127.0.0.1:8000")
    assert client.get("/api/v1/search", params={"q": "Lavrov"}).json()["total"] == 148


def test_serve_options_and_environment(web_db: Path, started: dict[str, Any]) -> None:
    env = {"COMMUNIQUE_DB": str(web_db), "COMMUNIQUE_PORT": "8123"}
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"], env=env)
    assert result.exit_code == 0, result.output
    assert started["host"] == "0.0.0.0" and started["port"] == 8123
    assert "warning: 0.0.0.0 is reachable from other machines" in result.output
    # Not bound to loopback: any Host header is answered.
    client = TestClient(started["app"], base_url="http://archive.lan")
    assert client.get("/api/v1/channels").status_code == 200


def test_serve_refuses_a_missing_archive(tmp_path: Path, started: dict[str, Any]) -> None:
    missing = tmp_path / "nothing.db"
    result = CliRunner().invoke(main, ["serve", "--db", str(missing)])
    assert result.exit_code == 1
    assert f"error: {missing}: no archive there" in result.output
    assert not missing.exists() and started == {}
    result = CliRunner().invoke(main, ["serve", "--db", str(missing), "--port", "0"])
    assert result.exit_code == 2 and "1<=x<=65535" in result.output
