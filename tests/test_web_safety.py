"""The web app's safety: headers on every response, nothing loaded from elsewhere,
no inline script or style, Host checks, limits, and a read-only archive."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from communique.web import WebConfig, create_app
from communique.web.errors import CSP
from communique.web.templating import HERE

# Every page, with parameters that fill it; the hostile post's pages included.
PAGES = [
    "/",
    "/?q=Lavrov&country=VN&sort=date",
    "/?q=talks&mode=semantic",
    "/posts/mfarussia/28105",
    "/posts/mfarussia/28020",
    "/posts/evilchan/1",
    "/channels",
    "/channels/MFARussia",
    "/channels/tchantest",
    "/entities",
    "/entities?type=person",
    "/entities/country/VN",
    "/entities/person/Sergey%20Lavrov",
    "/entities/organization/NATO",
    "/graph",
    "/timeline?series=country:VN&series=Lavrov",
    "/digest?since=1m",
    "/docs",
    "/posts/nope/1",
]
STATIC = sorted(p.relative_to(HERE / "static") for p in (HERE / "static").rglob("*") if p.is_file())
# URLs that name things without loading them: the SVG namespace of inline charts.
NAMESPACES = ("http://www.w3.org/2000/svg",)


@pytest.fixture(scope="module")
def client(web_db: Path) -> TestClient:
    return TestClient(create_app(web_db, WebConfig.from_settings()), base_url="http://127.0.0.1")


def assert_secured(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-security-policy"] == CSP
    assert "frame-ancestors 'none'" in CSP and "script-src 'self';" in CSP
    assert "unsafe" not in CSP and "http" not in CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "url",
    [*PAGES, "/api/v1/search?q=Lavrov", "/api/v1/posts/nope/1", "/api/v1/search?limit=0",
     "/api/v1/export?q=Lavrov&format=csv", "/feed.atom?q=Lavrov", "/openapi.json",
     "/static/css/app.css", "/static/missing.js"],
)  # fmt: skip
def test_every_response_carries_the_security_headers(client: TestClient, url: str) -> None:
    assert_secured(client.get(url))


class Resources(HTMLParser):
    """Everything in a page that would load or run something."""

    def __init__(self, html: str):
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self.scripts = 0
        self.in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href", "action", "poster", "data", "formaction", "srcset"):
            if values.get(name):
                self.urls.append(str(values[name]))
        self.inline += [
            f"{tag} {name}" for name in values if name == "style" or name.startswith("on")
        ]
        if tag == "style":
            self.inline.append("style element")
        if tag == "script":
            self.scripts += 1
            self.in_script = True

    def handle_endtag(self, tag: str) -> None:
        self.in_script = self.in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.inline.append("inline script")


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_nothing_from_elsewhere_and_run_nothing_inline(
    client: TestClient, url: str
) -> None:
    html = client.get(url).text
    found = Resources(html)
    assert found.inline == []
    for link in found.urls:
        local = link.startswith(("/", "#", "?")) and not link.startswith("//")
        assert local or link.startswith("https://t.me/"), link
    # URLs that appear as text (a post's links) are text: never an attribute above.
    for tag in re.findall(r"<[^>]+https?://[^>]+>", html):
        assert tag.startswith(('<a href="https://t.me/', "<svg")), tag


def test_original_links_are_the_only_external_ones(client: TestClient) -> None:
    html = client.get("/posts/mfarussia/28105").text
    assert "http://en.kremlin.ru/events/president/news/79039" in html  # shown as text
    assert 'href="http://en.kremlin.ru' not in html
    assert '<a href="https://t.me/MFARussia/28105"' in html


@pytest.mark.parametrize("asset", STATIC, ids=str)
def test_assets_reach_nothing_outside(client: TestClient, asset: Path) -> None:
    response = client.get(f"/static/{asset}")
    assert response.status_code == 200
    text = response.content.decode("utf-8", errors="replace")
    # Licence banners (/*! ... */) may cite a web page; code and styles may not.
    code = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    urls = [u for u in re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"')]*", code)
            if not u.startswith(NAMESPACES)]  # fmt: skip
    assert urls == [], urls
    if asset.suffix == ".css":
        assert "@import" not in code and not re.search(r"url\((?!['\"]?/)", code)
    if asset.suffix == ".js":
        assert not re.search(r"\beval\(|new Function\(", code) or "vendor" in str(asset)


def test_vendored_library_is_shipped_with_its_licence() -> None:
    vendor = HERE / "static" / "vendor"
    library = (vendor / "cytoscape.min.js").read_text(encoding="utf-8")
    assert len(library) > 100_000 and '"3.34.4"' in library
    assert "Permission is hereby granted" in (vendor / "cytoscape.LICENSE").read_text("utf-8")
    package = (HERE / "frontend" / "package.json").read_text(encoding="utf-8")
    assert '"cytoscape": "3.34.4"' in package


def test_unknown_hosts_are_refused(client: TestClient, web_db: Path) -> None:
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000"):
        assert client.get("/api/v1/search", headers={"host": host}).status_code == 200
    response = client.get("/api/v1/search", headers={"host": "attacker.example"})
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "bad_host"
    assert_secured(response)
    anywhere = create_app(web_db, WebConfig.from_settings(host="0.0.0.0"))
    other = TestClient(anywhere, base_url="http://archive.lan")
    assert other.get("/api/v1/search").status_code == 200


def test_limits_come_from_the_settings(web_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMUNIQUE_HOST", "0.0.0.0")  # read by the CLI only
    config = WebConfig.from_settings()
    assert (config.page_size, config.max_page_size, config.max_query_chars) == (20, 100, 1000)
    assert (config.max_export_rows, config.feed_size, config.max_series) == (10_000, 50, 8)
    small = replace(config, max_page_size=5, max_query_chars=10, page_size=3)
    client = TestClient(create_app(web_db, small), base_url="http://127.0.0.1")
    assert len(client.get("/api/v1/search").json()["results"]) == 3
    assert client.get("/api/v1/search", params={"limit": 6}).status_code == 400
    assert client.get("/api/v1/search", params={"q": "x" * 11}).status_code == 400
    assert client.get("/api/v1/search", params={"q": "x" * 10}).status_code == 200
    assert client.get("/api/v1/timeline", params={"series": "x" * 11}).status_code == 400
    assert client.get("/entities", params={"q": "x" * 11}).status_code == 400


def test_a_missing_archive_is_refused(tmp_path: Path) -> None:
    from communique.errors import StoreError

    with pytest.raises(StoreError, match="no archive there"):
        create_app(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()
