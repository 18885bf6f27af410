"""Downloads (CSV, JSONL, Parquet) and Atom feeds: they parse back, hold what the
search finds, and stop at the export limit."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from communique import export
from communique.web import WebConfig, create_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def client(web_db: Path) -> TestClient:
    return TestClient(create_app(web_db, WebConfig.from_settings()), base_url="http://127.0.0.1")


def download(client: TestClient, url: str, **params: object) -> tuple[bytes, dict[str, str]]:
    response = client.get(url, params=params)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return response.content, dict(response.headers)


def test_posts_as_csv_jsonl_and_parquet(client: TestClient) -> None:
    found = client.get("/api/v1/search", params={"q": "Lavrov", "limit": 100, "sort": "date"})
    keys = [h["key"] for h in found.json()["results"]]
    body, headers = download(client, "/api/v1/export", q="Lavrov", sort="date", format="csv")
    assert headers["content-type"] == "text/csv; charset=utf-8"
    assert headers["x-total-count"] == "148" and headers["x-truncated"] == "false"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert len(rows) == 148 and [r["key"] for r in rows[:100]] == keys
    assert list(rows[0]) == list(export.FIELDS)
    assert json.loads(rows[0]["countries"]) and rows[0]["edited"] in ("true", "false")

    body, headers = download(client, "/api/v1/export", q="Lavrov", sort="date", format="jsonl")
    lines = [json.loads(line) for line in body.decode("utf-8").splitlines()]
    assert [r["key"] for r in lines] == [r["key"] for r in rows]
    assert list(lines[0]) == list(export.FIELDS)

    body, headers = download(client, "/api/v1/export", q="Lavrov", sort="date", format="parquet")
    assert headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(body))
    assert table.column_names == list(export.FIELDS) and table.num_rows == 148
    first = table.slice(0, 1).to_pylist()[0]
    assert first["key"] == rows[0]["key"] and first["countries"] == json.loads(rows[0]["countries"])
    assert isinstance(first["message_id"], int) and json.loads(first["people"]) == json.loads(
        rows[0]["people"]
    )


def test_exports_keep_the_post_contract(client: TestClient) -> None:
    body, _ = download(client, "/api/v1/export", channel="evilchan", format="jsonl")
    (post,) = [json.loads(line) for line in body.decode("utf-8").splitlines()]
    shown = client.get("/api/v1/posts/evilchan/1").json()
    assert post == {k: shown[k] for k in export.FIELDS}
    assert post["text"].startswith("<script>alert(1)</script>")


def test_exports_stop_at_the_limit(web_db: Path, client: TestClient) -> None:
    capped = TestClient(create_app(web_db, replace(WebConfig.from_settings(), max_export_rows=5)),
                        base_url="http://127.0.0.1")  # fmt: skip
    for fmt in ("csv", "jsonl", "parquet"):
        body, headers = download(capped, "/api/v1/export", q="Lavrov", format=fmt)
        assert headers["x-total-count"] == "148" and headers["x-truncated"] == "true"
        if fmt == "parquet":
            assert pq.read_table(io.BytesIO(body)).num_rows == 5
        else:
            text = body.decode("utf-8")
            rows = list(csv.DictReader(io.StringIO(text))) if fmt == "csv" else text.splitlines()
            assert len(rows) == 5
    body, headers = download(client, "/api/v1/export", q="Lavrov", rows=3, format="jsonl")
    assert len(body.splitlines()) == 3 and headers["x-truncated"] == "true"
    response = capped.get("/api/v1/export", params={"rows": 6})
    assert response.status_code == 400 and response.json()["error"]["type"] == "limit_exceeded"
    empty, headers = download(client, "/api/v1/export", q="zzzqqq", format="parquet")
    assert pq.read_table(io.BytesIO(empty)).num_rows == 0 and headers["x-total-count"] == "0"


def test_lists_download_as_files(client: TestClient) -> None:
    body, _ = download(client, "/api/v1/timeline", series=["country:VN", "Lavrov"], format="csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    timeline = client.get("/api/v1/timeline", params={"series": ["country:VN", "Lavrov"]}).json()
    assert len(rows) == 2 * len(timeline["buckets"])
    assert sum(int(r["count"]) for r in rows if r["series"] == "Lavrov") == sum(
        timeline["series"]["Lavrov"]
    )
    body, _ = download(client, "/api/v1/graph", format="parquet")
    edges = pq.read_table(io.BytesIO(body)).to_pylist()
    graph = client.get("/api/v1/graph").json()
    assert len(edges) == len(graph["edges"]) and edges[0]["dates"] == graph["edges"][0]["dates"]
    assert json.loads(edges[0]["types"]) == graph["edges"][0]["types"]
    body, _ = download(client, "/api/v1/graph", format="jsonl", type="phone_call")
    assert all(json.loads(line)["types"] == {"phone_call": json.loads(line)["weight"]}
               for line in body.decode("utf-8").splitlines())  # fmt: skip
    body, _ = download(client, "/api/v1/channels", format="csv")
    channels = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert channels[0]["username"] == "MFARussia" and "posts" in channels[0]
    body, _ = download(client, "/api/v1/entities", type="person", format="jsonl")
    people = [json.loads(line) for line in body.decode("utf-8").splitlines()]
    assert len(people) > 20 and people[0]["label"] == "Sergey Lavrov"


def test_atom_feed(client: TestClient) -> None:
    response = client.get("/feed.atom", params={"q": "Lavrov", "country": "VN"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "communique: Lavrov"
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None
    assert self_link.get("href") == "http://127.0.0.1/feed.atom?q=Lavrov&country=VN"
    entries = feed.findall(f"{ATOM}entry")
    total = client.get("/api/v1/search", params={"q": "Lavrov", "country": "VN"}).json()["total"]
    assert len(entries) == total > 0
    dates = [e.findtext(f"{ATOM}published") for e in entries]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and feed.findtext(f"{ATOM}updated") == dated[0]
    assert all(e.findtext(f"{ATOM}updated") for e in entries)
    for entry in entries:
        assert entry.findtext(f"{ATOM}id", "").startswith("urn:communique:post:")
        assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}summary")
        page = entry.find(f"{ATOM}link[@rel='alternate']")
        assert page is not None and page.get("href", "").startswith("http://127.0.0.1/posts/")
    originals = [e.find(f"{ATOM}link[@rel='related']") for e in entries]
    linked = [o.get("href", "") for o in originals if o is not None]
    assert len(linked) == len(dated) and all(u.startswith("https://t.me/") for u in linked)


def test_atom_feed_size_and_escaping(web_db: Path, client: TestClient) -> None:
    small = TestClient(create_app(web_db, replace(WebConfig.from_settings(), feed_size=3)),
                       base_url="http://127.0.0.1")  # fmt: skip
    assert len(ET.fromstring(small.get("/feed.atom").content).findall(f"{ATOM}entry")) == 3
    response = client.get("/feed.atom", params={"q": "alert"})
    assert b"<script>" not in response.content
    (entry,) = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}summary", "").startswith("<script>alert(1)</script>")
    nothing = ET.fromstring(client.get("/feed.atom", params={"q": "zzzqqq"}).content)
    assert nothing.findall(f"{ATOM}entry") == [] and nothing.findtext(f"{ATOM}updated")
    assert client.get("/feed.atom", params={"q": '"open'}).status_code == 400
