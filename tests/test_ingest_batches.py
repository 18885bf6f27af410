"""Big files: batches of one transaction each, and a whole-file check first."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique import identity, settings
from communique.ingest import ingest
from communique.settings import Setting
from communique.store import open_store
from conftest import CSV_MFA


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 100 posts, and the whole-file check for any file."""
    for name, value in (("ingest_batch", 100), ("check_whole_bytes", 0)):
        old = settings.SETTINGS[name]
        monkeypatch.setitem(settings.SETTINGS, name, Setting(name, value, old.help))


def test_a_killed_batched_ingest_keeps_whole_batches_and_a_rerun_completes(
    db_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0
    real = identity.save

    def failing(store, post, **options):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 250:
            raise KeyboardInterrupt
        return real(store, post, **options)

    store = open_store(db_path)
    monkeypatch.setattr(identity, "save", failing)
    with pytest.raises(KeyboardInterrupt):
        ingest(store, [CSV_MFA])
    assert store.count() == 200  # two whole batches
    monkeypatch.setattr(identity, "save", real)
    report = ingest(store, [CSV_MFA])
    assert (report.total("new"), report.total("unchanged")) == (305, 200)
    assert store.count() == 505


def test_a_file_broken_near_its_end_is_refused_before_any_batch(
    db_path: Path, tmp_path: Path, small_batches: None
) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_bytes(CSV_MFA.read_bytes() + b'28999,2026-03-11T00:00:00+00:00,"never closed\n')
    store = open_store(db_path)
    report = ingest(store, [broken])
    assert report.files[0].error is not None and str(broken) in report.files[0].error
    assert store.count() == 0
