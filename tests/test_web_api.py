"""The JSON API, /api/v1: every endpoint on the real samples, and its errors.

The archive is built once per session (conftest.web_db): both seed dumps, the MFA
CSV, the saved t.me pages, and a hostile post edited once.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from communique.analyse.timeline import series, timeline
from communique.cli import main
from communique.search import Query, search
from communique.store import open_store
from communique.web import WebConfig, api, create_app, feeds, pages
from communique.web.archive import Archive
from communique.web.errors import error_body


def client_for(db: Path, **limits: Any) -> TestClient:
    config = replace(WebConfig.from_settings(), **limits)
    return TestClient(create_app(db, config), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def client(web_db: Path) -> TestClient:
    return client_for(web_db)


def ok(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def error(client: TestClient, url: str, status: int, kind: str, **params: Any) -> str:
    response = client.get(url, params=params)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "type", "message"}
    assert body["error"]["status"] == status and body["error"]["type"] == kind, body
    return str(body["error"]["message"])


def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# -- search -------------------------------------------------------------------------


def test_search_is_what_the_cli_prints(client: TestClient, web_db: Path) -> None:
    body = ok(client, "/api/v1/search", q="Lavrov", country="VN")
    assert body == cli_json("search", "Lavrov", "--country", "VN", "--json", "--db", str(web_db))
    assert body["total"] > 0 and set(body["facets"]) == {"kind", "channel", "country", "speaker",
                                                         "month"}  # fmt: skip
    assert all("<mark>" in hit["snippet"] for hit in body["results"])


def test_search_filters_sort_and_pages(client: TestClient, web_db: Path) -> None:
    everything = ok(client, "/api/v1/search", q="Lavrov", limit=100)["total"]
    calls = ok(client, "/api/v1/search", q="Lavrov", kind="phone_call", limit=100)
    assert 0 < calls["total"] < everything
    assert calls["facets"]["kind"] == [{"value": "phone_call", "count": calls["total"]}]
    two = ok(client, "/api/v1/search", q="Lavrov", country=["VN", "CN"], limit=100)["total"]
    vn = ok(client, "/api/v1/search", q="Lavrov", country="Vietnam")["total"]
    assert two > vn > 0
    dated = ok(client, "/api/v1/search", q="Lavrov", sort="date", since="2026-02-01", limit=50)
    dates = [hit["date"] for hit in dated["results"]]
    assert dates == sorted(dates, reverse=True) and min(dates) >= "2026-02-01"
    first = ok(client, "/api/v1/search", q="Lavrov", limit=5)["results"]
    second = ok(client, "/api/v1/search", q="Lavrov", limit=5, offset=5)["results"]
    both = ok(client, "/api/v1/search", q="Lavrov", limit=10)["results"]
    assert [h["key"] for h in first + second] == [h["key"] for h in both]
    forwards = ok(client, "/api/v1/search", forwarded="true", limit=100)
    assert 0 < forwards["total"] < ok(client, "/api/v1/search")["total"]
    empty = ok(client, "/api/v1/search", q="Lavrov", country="VN", channel="tchantest")
    assert empty == {"total": 0, "results": [], "facets": empty["facets"]}
    store = open_store(web_db)
    try:
        expected = search(store, Query(text="Lavrov", kind=["phone_call"], limit=100)).to_dict()
    finally:
        store.close()
    assert calls == expected


def test_search_errors(client: TestClient) -> None:
    assert "unclosed quote" in error(client, "/api/v1/search", 400, "invalid_query", q='"Lavrov')
    assert "NOT" in error(client, "/api/v1/search", 400, "invalid_query", q="NOT Lavrov")
    error(client, "/api/v1/search", 400, "invalid_query", q="Lavrov", country="Atlantis")
    error(client, "/api/v1/search", 400, "invalid_input", since="January")
    error(client, "/api/v1/search", 422, "invalid_parameter", mode="magic")
    error(client, "/api/v1/search", 422, "invalid_parameter", limit=0)
    error(client, "/api/v1/search", 422, "invalid_parameter", offset=-1)
    error(client, "/api/v1/search", 422, "invalid_parameter", media="maybe")
    message = error(client, "/api/v1/search", 400, "limit_exceeded", limit=101)
    assert "web_max_page_size" in message
    message = error(client, "/api/v1/search", 400, "limit_exceeded", q="Lavrov " * 200)
    assert "1400 characters" in message
    error(client, "/api/v1/search", 400, "limit_exceeded", country="x" * 1001)


def test_semantic_search_without_embeddings_says_so(client: TestClient) -> None:
    message = error(client, "/api/v1/search", 503, "embeddings_unavailable", q="talks",
                    mode="semantic")  # fmt: skip
    assert "communique embed" in message


def test_semantic_and_hybrid_search(embedded_db: Path) -> None:
    client = client_for(embedded_db)
    body = ok(client, "/api/v1/search", q="telephone conversation with Vietnam", mode="semantic")
    assert body["total"] > 0 and body["facets"] == {}
    assert any("Vietnam" in hit["title"] for hit in body["results"][:3])
    hybrid = ok(client, "/api/v1/search", q="Vietnam", mode="hybrid", limit=5)
    assert len(hybrid["results"]) == 5
    error(client, "/api/v1/search", 400, "invalid_query", mode="semantic")


# -- posts ---------------------------------------------------------------------------


def test_post_is_what_show_prints(client: TestClient, web_db: Path) -> None:
    body = ok(client, "/api/v1/posts/mfarussia/28105")
    assert body == cli_json("show", "mfarussia/28105", "--json", "--db", str(web_db))
    assert body["countries"] == ["RU", "VN"] and body["url"] == "https://t.me/MFARussia/28105"
    # The library's record keeps where a post was read, full paths included (the
    # post page shows only file names; docs/web.md, Safety).
    assert all(Path(s["path"]).is_absolute() for s in body["sources"]), body["sources"]


def test_post_history_and_same_text(client: TestClient) -> None:
    hostile = ok(client, "/api/v1/posts/evilchan/1")
    assert hostile["text"].startswith("<script>") and hostile["text"].endswith(", edited")
    assert len(hostile["versions"]) == 1 and not hostile["versions"][0]["text"].endswith("edited")
    # The weekly list of the same text, posted nine times (dedupe's largest group).
    twins = ok(client, "/api/v1/posts/mfarussia/28020")["same_text"]
    assert len(twins) == 8 and "mfarussia/27889" in twins and "mfarussia/28020" not in twins
    assert ok(client, "/api/v1/posts/mfarussia/28105")["same_text"] == []


def test_post_errors(client: TestClient) -> None:
    assert "nope/1" in error(client, "/api/v1/posts/nope/1", 404, "not_found")
    error(client, "/api/v1/posts/nope/1/similar", 404, "not_found")


def test_similar_posts(client: TestClient, embedded_db: Path) -> None:
    message = error(client, "/api/v1/posts/mfarussia/28105/similar", 503, "embeddings_unavailable")
    assert "communique embed" in message
    seeded = client_for(embedded_db)
    key = ok(seeded, "/api/v1/search", q="Vietnam")["results"][0]["key"]
    body = ok(seeded, f"/api/v1/posts/{key}/similar", limit=3)
    assert body["key"] == key and len(body["results"]) == 3
    assert key not in [r["key"] for r in body["results"]]
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True) and all(-1 <= s <= 1 for s in scores)


# -- channels, entities --------------------------------------------------------------


def test_channels(client: TestClient) -> None:
    listed = ok(client, "/api/v1/channels")["channels"]
    names = [c["username"] for c in listed]
    assert names[0] == "MFARussia" and "tchantest" in names and "evilchan" in names
    counts = [c["posts"] for c in listed]
    assert counts == sorted(counts, reverse=True)
    one = ok(client, "/api/v1/channels/mfarussia")
    assert one["username"] == "MFARussia" and one["posts"] == listed[0]["posts"]
    # Undated posts (dump 002 has no dates) are in the count, not on the timeline.
    assert 0 < sum(one["volume"]["series"]["channel:MFARussia"]) < one["posts"]
    assert one["top"]["kinds"][0]["count"] >= one["top"]["kinds"][-1]["count"]
    described = ok(client, "/api/v1/channels/tchantest")
    assert described["description"] == "Test channel for tchan Python library/CLI"
    error(client, "/api/v1/channels/nosuchchannel", 404, "not_found")


def test_entities(client: TestClient) -> None:
    countries = ok(client, "/api/v1/entities")["entities"]
    assert countries[0] == {"type": "country", "value": "RU", "label": "Russian Federation",
                            "posts": countries[0]["posts"]}  # fmt: skip
    people = ok(client, "/api/v1/entities", type="person", q="lavrov")["entities"]
    assert people[0]["label"] == "Sergey Lavrov" and people[0]["value"] == "sergey lavrov"
    orgs = ok(client, "/api/v1/entities", type="organization", limit=3)["entities"]
    assert len(orgs) == 3 and all(o["type"] == "organization" for o in orgs)
    error(client, "/api/v1/entities", 422, "invalid_parameter", type="planet")
    error(client, "/api/v1/entities", 400, "limit_exceeded", limit=500)


def test_entity_profiles(client: TestClient) -> None:
    vietnam = ok(client, "/api/v1/entities/country/Vietnam")
    assert vietnam["value"] == "VN" and vietnam["label"] == "Vietnam"
    assert 0 < sum(vietnam["timeline"]["series"]["country:VN"]) <= vietnam["posts"]
    assert vietnam["contacts"][0]["value"] == "RU" and vietnam["contacts"][0]["events"] > 0
    assert "RU" in [c["value"] for c in vietnam["comentions"]["country"]]
    lavrov = ok(client, "/api/v1/entities/person/Sergei Lavrov")  # another spelling
    assert lavrov["label"] == "Sergey Lavrov" and lavrov["contacts"]
    assert all(c["type"] == "person" for c in lavrov["contacts"])
    nato = ok(client, "/api/v1/entities/organization/nato")
    assert nato["value"] == "NATO" and nato["contacts"] == [] and nato["posts"] > 0
    error(client, "/api/v1/entities/person/Nobody Atall", 404, "not_found")
    error(client, "/api/v1/entities/country/Atlantis", 400, "invalid_query")
    error(client, "/api/v1/entities/planet/Mars", 422, "invalid_parameter")


def test_entity_lists_download(client: TestClient) -> None:
    import csv
    import io
    import json

    import pyarrow.parquet as pq

    vietnam = ok(client, "/api/v1/entities/country/Vietnam")
    named = ok(client, "/api/v1/entities/country/Vietnam/comentions")["comentions"]
    assert named == [e for es in vietnam["comentions"].values() for e in es] and named
    contacts = ok(client, "/api/v1/entities/country/Vietnam/contacts")["contacts"]
    assert contacts == vietnam["contacts"] and contacts
    got = client.get("/api/v1/entities/country/Vietnam/comentions", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert [(r["value"], int(r["posts"])) for r in rows] == [
        (e["value"], e["posts"]) for e in named
    ]
    got = client.get("/api/v1/entities/country/Vietnam/contacts", params={"format": "jsonl"})
    lines = [json.loads(line) for line in got.text.splitlines()]
    assert [(c["value"], c["events"], c["types"]) for c in lines] == [
        (c["value"], c["events"], c["types"]) for c in contacts
    ]
    got = client.get("/api/v1/entities/country/Vietnam/contacts", params={"format": "parquet"})
    table = pq.read_table(io.BytesIO(got.content))
    assert table.column("value").to_pylist() == [c["value"] for c in contacts]
    error(client, "/api/v1/entities/country/Atlantis/contacts", 400, "invalid_query")


# -- timeline, graph, top, digest ----------------------------------------------------


def test_timeline(client: TestClient, web_db: Path) -> None:
    body = ok(client, "/api/v1/timeline", series=["country:VN", "Lavrov"], interval="week")
    assert body["interval"] == "week" and set(body["series"]) == {"country:VN", "Lavrov"}
    assert all(len(v) == len(body["buckets"]) for v in body["series"].values())
    store = open_store(web_db)
    try:
        expected = timeline(store, [series("country:VN"), series("Lavrov")], interval="week")
    finally:
        store.close()
    assert body == expected.to_dict()
    narrow = ok(client, "/api/v1/timeline", series="Lavrov", since="2026-02-01",
                until="2026-02-28", interval="day")  # fmt: skip
    assert narrow["buckets"][0] >= "2026-02-01" and narrow["buckets"][-1] <= "2026-02-28"
    error(client, "/api/v1/timeline", 422, "invalid_parameter")
    error(client, "/api/v1/timeline", 400, "invalid_query", series='"open')
    error(client, "/api/v1/timeline", 400, "limit_exceeded", series=[f"w{i}" for i in range(9)])
    error(client, "/api/v1/timeline", 400, "invalid_input", series="x", since="soon")


def test_graph(client: TestClient) -> None:
    contacts = ok(client, "/api/v1/graph")
    assert contacts["nodes"][0]["id"] == "RU" and contacts["edges"]
    edge = contacts["edges"][0]
    assert {"source", "target", "weight", "dates", "types"} <= set(edge)
    calls = ok(client, "/api/v1/graph", type="phone_call")
    assert all(set(e["types"]) == {"phone_call"} for e in calls["edges"])
    assert len(calls["edges"]) < len(contacts["edges"])
    people = ok(client, "/api/v1/graph", nodes="people", since="2026-01-01", until="2026-01-31")
    assert people["nodes"] and all(d[:7] == "2026-01" for e in people["edges"] for d in e["dates"])
    mentions = ok(client, "/api/v1/graph", network="comentions")
    assert mentions["edges"][0]["weight"] >= mentions["edges"][-1]["weight"]
    capped = client.get("/api/v1/graph", params={"limit": 1})
    assert capped.status_code == 200 and capped.json()["edges"] == contacts["edges"][:1]
    assert capped.headers["X-Total-Count"] == str(len(contacts["edges"]))
    assert {n["id"] for n in capped.json()["nodes"]} == {edge["source"], edge["target"]}
    assert len(ok(client, "/api/v1/graph", network="comentions", limit=3)["edges"]) == 3
    graphml = client.get("/api/v1/graph", params={"format": "graphml"})
    assert graphml.status_code == 200 and graphml.text.startswith("<?xml")
    error(client, "/api/v1/graph", 400, "invalid_input", type="dinner")
    error(client, "/api/v1/graph", 422, "invalid_parameter", nodes="planets")
    error(client, "/api/v1/graph", 422, "invalid_parameter", limit=0)


def test_top_and_digest(client: TestClient) -> None:
    speakers = ok(client, "/api/v1/top/speakers", limit=3)
    assert speakers["field"] == "speakers" and len(speakers["results"]) == 3
    assert speakers["results"][0]["value"] == "Sergey Lavrov"
    only = ok(client, "/api/v1/top/kinds", channel="tchantest")["results"]
    assert only == [{"value": "other", "count": 24}]
    error(client, "/api/v1/top/planets", 404, "not_found")
    digest = ok(client, "/api/v1/digest", since="2w")
    assert digest["until"] == "2026-03-10" and digest["since"] == "2026-02-25"
    assert digest["posts"] == sum(digest["per_day"].values()) > 0
    assert digest["key_posts"] and digest["kinds"]
    error(client, "/api/v1/digest", 400, "invalid_input", since="a while")


# -- the schema, the envelope, writes -------------------------------------------------


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = set(ok(client, "/openapi.json")["paths"])
    assert paths == {
        "/api/v1/search", "/api/v1/export", "/api/v1/posts/{key}", "/api/v1/posts/{key}/similar",
        "/api/v1/channels", "/api/v1/channels/{name}", "/api/v1/entities",
        "/api/v1/entities/{type}/{value}", "/api/v1/entities/{type}/{value}/comentions",
        "/api/v1/entities/{type}/{value}/contacts", "/api/v1/timeline", "/api/v1/graph",
        "/api/v1/top/{field}", "/api/v1/digest",
    }  # fmt: skip


def test_the_error_envelope_is_locked() -> None:
    assert error_body(404, "no post with key 'x/1'") == {
        "error": {"status": 404, "type": "not_found", "message": "no post with key 'x/1'"}
    }
    assert error_body(400, "too long", "limit_exceeded") == {
        "error": {"status": 400, "type": "limit_exceeded", "message": "too long"}
    }
    assert error_body(422, "bad")["error"]["type"] == "invalid_parameter"
    assert error_body(500, "oops")["error"]["type"] == "internal_error"


def test_routing_errors_use_the_envelope(client: TestClient) -> None:
    error(client, "/api/v1/nothing-here", 404, "not_found")
    response = client.post("/api/v1/search")
    assert response.status_code == 405
    assert response.json()["error"]["type"] == "method_not_allowed"


def test_unexpected_errors_use_the_envelope(web_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api, "search", broken)
    app = create_app(web_db, WebConfig.from_settings())
    client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    response = client.get("/api/v1/search")
    assert response.status_code == 500
    assert response.json() == error_body(500, "internal error; see the server's log")
    assert "secret" not in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


def test_a_server_reads_ahead(web_db: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Served (the lifespan runs), the app reads the index and contact events in the
    # background; requests meanwhile are answered as usual.
    with client_for(web_db) as served:
        assert served.get("/api/v1/graph").status_code == 200
    thread = Archive(web_db).warm()
    thread.join(timeout=60)
    assert not thread.is_alive() and "could not read" not in caplog.text


def test_nothing_writes(client: TestClient, web_db: Path) -> None:
    routes = [r for module in (api, feeds, pages) for r in module.router.routes]
    assert len(routes) > 20
    assert {m for r in routes if isinstance(r, APIRoute) for m in r.methods} == {"GET"}
    schema = ok(client, "/openapi.json")
    assert {m for ops in schema["paths"].values() for m in ops} == {"get"}
    before = web_db.read_bytes()
    ok(client, "/api/v1/search", q="Lavrov")
    ok(client, "/api/v1/posts/evilchan/1")
    store = client.app.state.archive.store()  # type: ignore[attr-defined]
    with pytest.raises(Exception, match="readonly"):
        store.conn.execute("CREATE TABLE intruder (x)")
    assert web_db.read_bytes() == before
