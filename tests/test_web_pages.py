"""The HTML pages on the real samples: what each shows, the links between them, and
that a post's text is shown as text, never as markup."""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from communique.web import WebConfig, create_app, pages
from conftest import HOSTILE_TEXT


class Page(HTMLParser):
    """The elements of a page that carry data-testid, with their attributes and text."""

    def __init__(self, html: str):
        super().__init__()
        self.found: dict[str, list[dict[str, str]]] = defaultdict(list)
        self.open: list[dict[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = {k: v or "" for k, v in attrs} | {"tag": tag, "text": ""}
        if "data-testid" in data:
            self.found[data["data-testid"]].append(data)
            if tag not in ("input", "link", "img", "br"):
                self.open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1]["tag"] == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element["text"] += data

    def one(self, testid: str) -> dict[str, str]:
        assert len(self.found[testid]) == 1, (testid, self.found[testid])
        return self.found[testid][0]

    def all(self, testid: str) -> list[dict[str, str]]:
        return self.found[testid]


@pytest.fixture(scope="module")
def client(web_db: Path) -> TestClient:
    return TestClient(create_app(web_db, WebConfig.from_settings()), base_url="http://127.0.0.1")


def page(client: TestClient, url: str, status: int = 200) -> tuple[str, Page]:
    response = client.get(url)
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    return response.text, Page(response.text)


def test_search_page(client: TestClient) -> None:
    html, p = page(client, "/?q=Lavrov")
    assert p.one("query")["value"] == "Lavrov" and p.one("query")["id"] == "q"
    assert p.one("result-count")["data-total"] == "148"  # 147 MFA posts, the hostile one
    results = p.all("result-link")
    assert len(results) == 20 and all(r["href"].startswith("/posts/") for r in results)
    assert len(p.all("snippet")) == 20 and html.count("<mark>Lavrov</mark>") >= 20
    assert p.one("mode-text").get("checked") == "" and "checked" not in p.one("mode-semantic")
    assert p.one("page-next")["href"] == "/?q=Lavrov&offset=20"
    assert not p.found["page-prev"]
    feed = p.one("feed-link")["href"]
    assert feed == "/feed.atom?q=Lavrov"
    assert f'type="application/atom+xml" title="This search as a feed" href="{feed}"' in html
    exports = {fmt: p.one(f"export-{fmt}")["href"] for fmt in ("csv", "jsonl", "parquet")}
    assert exports["csv"] == "/api/v1/export?q=Lavrov&format=csv"
    second = Page(client.get(p.one("page-next")["href"]).text)
    assert second.one("page-prev")["href"] == "/?q=Lavrov"
    assert {r["href"] for r in second.all("result-link")}.isdisjoint({r["href"] for r in results})


def test_search_url_carries_no_blank_or_default_field(client: TestClient) -> None:
    """What the form sends (every field, blank or default) is redirected to the
    search's one URL, and its page's links carry neither."""
    sent = ("/?q=Lavrov&mode=text&sort=relevance&since=&until=&country=&org=&person="
            "&speaker=&kind=&channel=&hashtag=&media=&forwarded=")  # fmt: skip
    response = client.get(sent, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/?q=Lavrov"
    kept = client.get("/?mode=semantic&q=&sort=date&country=VN&country=&offset=0",
                      follow_redirects=False)  # fmt: skip
    assert kept.headers["location"] == "/?mode=semantic&sort=date&country=VN"
    assert client.get("/?q=", follow_redirects=False).headers["location"] == "/"
    assert client.get("/?q=Lavrov&sort=date", follow_redirects=False).status_code == 200
    html, p = page(client, sent)  # followed
    assert p.one("feed-link")["href"] == "/feed.atom?q=Lavrov"
    assert p.one("export-csv")["href"] == "/api/v1/export?q=Lavrov&format=csv"
    assert p.one("json-link")["href"] == "/api/v1/search?q=Lavrov"
    links = [a["href"] for name in ("facet-link", "page-next") for a in p.all(name)]
    assert links and not [u for u in links if re.search(r"=(&|$)|mode=text|sort=relev", u)]


def test_facets_narrow_the_search(client: TestClient) -> None:
    _, p = page(client, "/?q=Lavrov")
    facets = {(f["data-facet"], f["data-value"]): f for f in p.all("facet-link")}
    assert {name for name, _ in facets} == {"kind", "channel", "country", "speaker", "month"}
    link = facets[("kind", "phone_call")]
    assert parse_qs(urlsplit(link["href"]).query) == {"q": ["Lavrov"], "kind": ["phone_call"]}
    _, narrowed = page(client, link["href"])
    total = int(narrowed.one("result-count")["data-total"])
    assert 0 < total < 148
    assert narrowed.one("remove-filter")["href"] == "/?q=Lavrov"
    assert "kind: phone_call" in narrowed.one("remove-filter")["text"]
    month = facets[("month", "2026-01")]["href"]
    assert parse_qs(urlsplit(month).query) == {"q": ["Lavrov"], "since": ["2026-01-01"],
                                               "until": ["2026-01-31"]}  # fmt: skip


def test_search_page_messages(client: TestClient) -> None:
    html, p = page(client, '/?q="Lavrov', status=400)
    assert "unclosed quote" in p.one("search-error")["text"]
    assert p.one("query")["value"] == '"Lavrov'
    _, p = page(client, "/?q=talks&mode=semantic", status=503)
    assert "communique embed" in p.one("search-error")["text"]
    _, p = page(client, "/?q=" + "x" * 1001, status=400)
    assert "web_max_query_chars" in p.one("error-message")["text"]
    _, p = page(client, "/?country=VN&sort=date")
    assert p.one("result-count")["data-total"] == "12"
    assert "country: VN" in p.one("remove-filter")["text"]


def test_search_page_in_semantic_mode(embedded_db: Path) -> None:
    client = TestClient(create_app(embedded_db, WebConfig.from_settings()),
                        base_url="http://127.0.0.1")  # fmt: skip
    _, p = page(client, "/?q=telephone+conversation+with+Vietnam&mode=semantic")
    assert p.one("mode-semantic").get("checked") == "" and len(p.all("result-link")) > 3
    assert not p.found["search-error"] and not p.found["facet-link"]


def test_post_page(client: TestClient) -> None:
    html, p = page(client, "/posts/mfarussia/28105")
    assert "Vladimir Putin had a telephone conversation" in p.one("post-title")["text"]
    assert p.one("original-link")["href"] == "https://t.me/MFARussia/28105"
    marked = {(a["data-type"], a["text"], a["href"]) for a in p.all("entity-link")}
    assert ("country", "Vietnam", "/entities/country/VN") in marked
    assert ("person", "To Lam", "/entities/person/To%20Lam") in marked
    assert ("person", "Vladimir Putin", "/entities/person/Vladimir%20Putin") in marked
    text = p.one("post-text")["text"]
    assert text.startswith("🇷🇺🇻🇳 On January 24 Russia's President")
    assert "phone_call RU–VN on 2026-01-24 (CAMEO 041, CONSULT)" in p.one("post-metadata")["text"]
    assert "No other post carries this text." in p.one("same-text")["text"]
    assert "communique embed" in p.one("similar-error")["text"]
    assert "No earlier text recorded." in p.one("history")["text"]
    # Where it was read: the file names, not this machine's folders.
    files = [f["text"] for f in p.all("source-file")]
    assert files == ["000_499e0aa9a67e31b2.txt", "mfarussia_2025-12_2026-03.csv"], files
    assert "/work/" not in p.one("post-metadata")["text"]


def test_post_page_related_and_history(client: TestClient, embedded_db: Path) -> None:
    _, p = page(client, "/posts/mfarussia/28020")
    twins = [a["href"] for a in p.all("same-text-link")]
    assert len(twins) == 8 and "/posts/mfarussia%2F27889" in twins
    html, p = page(client, "/posts/evilchan/1")
    assert "Before" in p.one("history")["text"] and "edited" not in html.split("Edit history")[1]
    seeded = TestClient(create_app(embedded_db, WebConfig.from_settings()),
                        base_url="http://127.0.0.1")  # fmt: skip
    key = seeded.get("/api/v1/search", params={"q": "Vietnam"}).json()["results"][0]["key"]
    _, p = page(seeded, f"/posts/{key}")
    assert len(p.all("similar-link")) == 10 and not p.found["similar-error"]


def test_result_links_open_posts(client: TestClient) -> None:
    _, p = page(client, "/?q=Lavrov&limit=3")
    for link in p.all("result-link"):
        _, post = page(client, link["href"])
        assert post.one("post-title")["text"] == link["text"]


def test_channel_pages(client: TestClient) -> None:
    _, p = page(client, "/channels")
    links = {a["text"]: a["href"] for a in p.all("channel-link")}
    assert links["MFARussia"] == "/channels/MFARussia" and "tchantest" in links
    _, p = page(client, "/channels/tchantest")
    assert p.one("channel-name")["text"] == "tchan's test channel 👍"
    assert p.one("channel-description")["text"] == "Test channel for tchan Python library/CLI"
    _, p = page(client, "/channels/MFARussia")
    assert "<svg" in str(p.one("channel-chart")) or p.one("channel-chart")["text"]
    assert (
        "statement" in p.one("top-kinds")["text"]
        and "Sergey Lavrov" in p.one("top-speakers")["text"]
    )
    assert len(p.all("result-link")) == 10
    assert p.one("export-csv")["href"] == "/api/v1/export?channel=MFARussia&sort=date&format=csv"
    page(client, "/channels/nosuchchannel", status=404)


def test_entity_pages(client: TestClient) -> None:
    html, p = page(client, "/entities/country/VN")
    assert p.one("entity-name")["text"] == "Vietnam"
    chart = p.one("entity-chart")
    assert chart["id"] == "entity-chart" and "posts per month" in chart["text"]
    assert html.count("<rect") >= 3  # a bar per month
    assert len(p.all("result-link")) == 10
    assert p.one("entity-search")["href"] == "/?country=VN"
    assert "/entities/country/RU" in [a["href"] for a in p.all("contact-link")]
    assert "/entities/person/To%20Lam" in [a["href"] for a in p.all("comention-link")]
    # Named in 12 posts, 2 of them without a date: the chart's 10 say why.
    assert "named in 12 posts" in html
    assert p.one("entity-undated")["text"] == "2 undated posts are not charted."
    # Co-mentions and contacts download like every other list.
    for testid in ("comentions-export-csv", "contacts-export-parquet"):
        href = p.one(testid)["href"]
        assert href.startswith("/api/v1/entities/country/VN/")
        got = client.get(href)
        assert got.status_code == 200 and got.content
    _, p = page(client, "/entities/person/Sergei%20Lavrov")
    assert p.one("entity-name")["text"] == "Sergey Lavrov"
    assert all(a["href"].startswith("/entities/person/") for a in p.all("contact-link"))
    _, p = page(client, "/entities/organization/NATO?interval=week")
    assert "posts per week" in p.one("entity-chart")["text"]
    assert "No meetings, calls or consultations" in p.one("contacts")["text"]
    _, p = page(client, "/entities/person/To%20Lam")
    assert not p.found["entity-undated"]  # every post naming him has a date
    _, p = page(client, "/entities/person/Nobody%20Atall", status=404)
    assert p.one("error-message")["text"] == "no post names the person 'Nobody Atall'"


def test_entity_lists(client: TestClient) -> None:
    _, p = page(client, "/entities")
    assert p.all("entity-link")[0]["href"] == "/entities/country/RU"
    _, p = page(client, "/entities?type=person&q=lavrov")
    assert p.all("entity-link")[0]["href"] == "/entities/person/Sergey%20Lavrov"
    assert p.one("export-parquet")["href"] == "/api/v1/entities?type=person&q=lavrov&format=parquet"


def test_graph_page(client: TestClient) -> None:
    html, p = page(client, "/graph?nodes=people&type=meeting&since=2026-01-01")
    graph = p.one("graph")
    assert graph["id"] == "graph" and graph["data-api"] == "/api/v1/graph"
    # The page draws the heaviest links only (graph.js asks the API for this many).
    assert graph["data-limit"] == str(pages.GRAPH_EDGES)
    assert f"at most the {pages.GRAPH_EDGES} heaviest links" in p.one("graph-limit")["text"]
    assert p.one("graph-form")["id"] == "graph-form"
    assert '<option value="people" selected>' in html
    assert re.search(r'value="meeting" checked', html) and not re.search(
        r'value="visit" checked', html
    )
    assert '<script src="/static/vendor/cytoscape.min.js"></script>' in html
    assert '<script src="/static/js/graph.js"></script>' in html
    for asset in (
        "/static/vendor/cytoscape.min.js",
        "/static/js/graph.js",
        "/static/css/graph.css",
    ):
        assert client.get(asset).status_code == 200


def test_timeline_page(client: TestClient) -> None:
    html, p = page(client, "/timeline?series=country:VN&series=Lavrov&interval=week")
    assert [i["value"] for i in p.all("series-input")] == ["country:VN", "Lavrov", "", ""]
    assert "<polyline" in html and html.count("<polyline") == 2
    assert "country:VN" in p.one("timeline-table")["text"]
    assert p.one("export-csv")["href"] == (
        "/api/v1/timeline?series=country%3AVN&series=Lavrov&interval=week&format=csv"
    )
    _, p = page(client, "/timeline")
    assert not p.found["timeline-chart"]
    _, p = page(client, '/timeline?series="open', status=400)
    assert "unclosed quote" in p.one("timeline-error")["text"]


def test_digest_page(client: TestClient) -> None:
    _, p = page(client, "/digest?since=2w")
    assert p.one("digest-title")["text"] == "Digest 2026-02-25 – 2026-03-10"
    assert p.one("digest-summary")["text"].startswith("94 posts from 1 channel(s): MFARussia (94)")
    assert p.all("result-link") and p.one("digest-since")["value"] == "2w"
    assert p.one("export-csv")["href"].startswith(
        "/api/v1/export?since=2026-02-25&until=2026-03-10"
    )
    page(client, "/digest?since=whenever", status=400)


def test_docs_page_lists_the_api(client: TestClient) -> None:
    html, p = page(client, "/docs")
    schema = client.get("/openapi.json").json()
    operations = [o["text"] for o in p.all("operation")]
    assert len(operations) == sum(len(m) for m in schema["paths"].values())
    assert any("GET /api/v1/search" in o and "web_max_page_size" in o for o in operations)
    assert p.one("openapi-link")["href"] == "/openapi.json"
    assert "swagger" not in html.casefold()


def test_error_pages(client: TestClient) -> None:
    _, p = page(client, "/posts/nope/1", status=404)
    assert p.one("error-message")["text"] == "no post with key 'nope/1'"
    assert "404 · not found" in p.one("error")["text"]
    _, p = page(client, "/no/such/page", status=404)
    page(client, "/entities/planet/Mars", status=422)


# -- escaping ------------------------------------------------------------------------

RAW = ("<script>alert(1)</script>", "<b>bold</b>", "<img src=x")


def assert_escaped(html: str) -> None:
    for raw in RAW:
        assert raw not in html, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "url",
    [
        "/posts/evilchan/1",
        "/?q=alert",
        "/?q=alert&sort=date",
        "/channels/evilchan",
        "/entities/country/VN",
        "/?q=bold&country=VN",
    ],
)
def test_post_text_is_escaped(client: TestClient, url: str) -> None:
    html, _ = page(client, url)
    assert_escaped(html)


def test_hostile_post_reads_as_its_text(client: TestClient) -> None:
    _, p = page(client, "/posts/evilchan/1")
    assert p.one("post-title")["text"] == HOSTILE_TEXT.split("\n")[0]
    assert p.one("post-text")["text"] == HOSTILE_TEXT + ", edited"
    _, p = page(client, "/?q=alert")
    assert "<script>alert(1)</script>" in p.one("snippet")["text"]
    assert "alert" in p.one("result-link")["text"]


def test_search_input_is_escaped(client: TestClient) -> None:
    html, p = page(client, "/?q=%22%3E%3Cscript%3Ealert(3)%3C%2Fscript%3E&country=%3Cb%3E", 400)
    assert "<script>alert(3)" not in html and "<b>" not in html
    assert p.one("query")["value"] == '"><script>alert(3)</script>'


def test_head_answers_as_get_without_the_body(client: TestClient) -> None:
    for url in ("/", "/?q=Lavrov", "/api/v1/search?q=Lavrov", "/static/css/app.css"):
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code == 200, url
        assert head.content == b"" and got.content, url
        assert head.headers["content-type"] == got.headers["content-type"], url
        assert head.headers["content-security-policy"] == got.headers["content-security-policy"]
    for url in ("/?q=%22unclosed", "/api/v1/search?q=%22unclosed", "/posts/nothing/1"):
        assert client.head(url).status_code == client.get(url).status_code >= 400, url
        assert client.head(url).content == b"", url
