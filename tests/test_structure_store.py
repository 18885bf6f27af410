"""The extracted structure in the store: columns, entity index, people, reextract."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from communique.cli import main
from communique.extract import VERSION
from communique.ingest import ingest
from communique.models import Event, Person
from communique.names import person_key
from communique.store import open_store
from communique.store.sqlite import SQLiteStore
from conftest import DUMP_000, dump_posts


def entities(store: SQLiteStore, kind: str) -> set[tuple[str, str]]:
    rows = store.conn.execute(
        "SELECT e.value, p.key FROM post_entities e JOIN posts p ON p.id = e.post_id "
        "WHERE e.type = ?",
        (kind,),
    )
    return {(value, key) for value, key in rows}


def test_spellings_of_one_name_are_one_person() -> None:
    assert person_key("Yury Ushakov") == person_key("Yuri Ushakov")
    assert person_key("Vassily Nebenzia") == person_key("Vasily Nebenzia")
    assert person_key("Sergey Lavrov") == person_key("Sergei Lavrov")
    assert person_key("Sergey Lavrov") != person_key("Sergey Shoigu")


def test_structure_round_trips_and_feeds_the_entity_index(db_path: Path) -> None:
    store = open_store(db_path)
    assert isinstance(store, SQLiteStore)
    first, second = dump_posts(DUMP_000)[1:3]  # Witkoff at the Kremlin; Lavrov on the EU
    ushakov = Person("Yuri Ushakov", "Presidential Aide", "RU")
    meeting = Event("meeting", None, "Moscow", (ushakov,), ("RU", "US"), "040", "CONSULT")
    first = replace(first, countries=["RU", "US"], people=[ushakov], events=[meeting])
    lavrov = Person("Sergey Lavrov", None, "RU")
    second = replace(
        second,
        countries=["RU"],
        organizations=["EU"],
        speaker="Sergey Lavrov",
        people=[Person("Yury Ushakov"), lavrov],
    )
    with store.transaction():
        store.insert(first)
        store.insert(second)
    assert store.get(first.key) == first
    assert entities(store, "country") == {("RU", first.key), ("US", first.key),
                                          ("RU", second.key)}  # fmt: skip
    assert entities(store, "organization") == {("EU", second.key)}
    assert {v for v, _ in entities(store, "person")} == {
        person_key("Yuri Ushakov"),
        person_key("Sergey Lavrov"),
    }
    found = store.person("Yury Ushakov")
    assert found is not None
    person, spellings = found
    assert person == ushakov
    assert spellings == ["Yuri Ushakov", "Yury Ushakov"]
    # An update rewrites the post's rows in the index.
    with store.transaction():
        store.update(first.key, replace(first, countries=["CN"]))
    assert ("US", first.key) not in entities(store, "country")
    assert ("CN", first.key) in entities(store, "country")


def test_ingest_annotates_and_reextract_brings_old_posts_up_to_date(db_path: Path) -> None:
    store = open_store(db_path)
    assert isinstance(store, SQLiteStore)
    ingest(store, [DUMP_000], channel="MFARussia")
    posts = list(store.posts())
    assert {p.extractor for p in posts} == {VERSION}
    assert {p.language for p in posts} == {"en"}
    store.conn.execute("UPDATE posts SET extractor = 'old', kind = 'other'")
    result = CliRunner().invoke(main, ["reextract", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert f"15 posts extracted again with rules version {VERSION}" in result.output
    assert {p.extractor for p in store.posts()} == {VERSION}
    assert [p.kind for p in store.posts()] == [p.kind for p in posts]
    again = CliRunner().invoke(main, ["reextract", "--db", str(db_path)])
    assert "0 posts extracted again" in again.output
