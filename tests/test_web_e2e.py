"""End to end: the app served by uvicorn on the real samples, used in a real headless
Chromium as an analyst would: search, narrow with a facet, read a post, open an
entity and its chart, draw the contact graph, download an export.

Every page is saved as a full-page screenshot under build/test-artifacts/screenshots/
(look at them: a test cannot see a broken layout). Every page must load without a
console error, an uncaught exception, a dialog or a Content-Security-Policy violation.
Without Chromium these tests fail, never skip: see tests/e2e.py.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from communique.web import WebConfig
from conftest import HOSTILE_TEXT, ROOT
from e2e import CHROMIUM, MISSING_CHROMIUM, launch_options, serve

SCREENSHOTS = ROOT / "build" / "test-artifacts" / "screenshots"
# Generous: a slow CI machine, a cold Chromium, a graph layout in JavaScript.
TIMEOUT_MS = 30_000
# Chromium reports a CSP violation in the console, but only as text; this listener,
# added before any page script runs, names the directive and the blocked resource.
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture(scope="module")
def base_url(web_db: Path) -> Iterator[str]:
    with serve(web_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        yield browser
        browser.close()


class Tab:
    """One page of a fresh browser context that records what goes wrong on it."""

    def __init__(self, context: BrowserContext):
        self.context = context
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("dialog", self._dialog)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog on {self.page.url}: {dialog.message!r}")
        dialog.dismiss()

    def api(self, url: str) -> Any:
        response = self.context.request.get(url)
        assert response.ok, (url, response.status, response.text()[:500])
        return response.json()

    def shot(self, name: str) -> None:
        """Save the page as it is now, then check nothing went wrong on it so far."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
        assert not self.problems, self.problems


@pytest.fixture
def tab(browser: Browser, base_url: str) -> Iterator[Tab]:
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(REPORT_CSP)
    tab = Tab(context)
    yield tab
    context.close()
    assert not tab.problems, tab.problems


def search(tab: Tab, query: str) -> int:
    """Type ``query`` in the search box of the home page and submit it; the total."""
    page = tab.page
    page.goto("/")
    page.get_by_test_id("query").fill(query)
    page.get_by_test_id("query").press("Enter")
    page.wait_for_url(re.compile(r"/\?q="))
    return int(page.get_by_test_id("result-count").get_attribute("data-total") or "-1")


def result_keys(page: Page) -> list[str]:
    return [k or "" for k in page.get_by_test_id("result").evaluate_all(
        "items => items.map(item => item.dataset.key)")]  # fmt: skip


def test_search(tab: Tab) -> None:
    page = tab.page
    total = search(tab, "Lavrov")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["Lavrov"]
    expected = tab.api("/api/v1/search?q=Lavrov&limit=20")
    assert total == expected["total"] > 20
    expect(page.get_by_test_id("result-count")).to_contain_text(f"1–20 of {total} posts")
    assert result_keys(page) == [hit["key"] for hit in expected["results"]]
    snippets = page.get_by_test_id("snippet")
    expect(snippets).to_have_count(20)
    for i in range(20):
        marks = snippets.nth(i).locator("mark").all_inner_texts()
        assert marks and all(m.casefold().startswith("lavrov") for m in marks), (i, marks)
    expect(page.locator("mark").first).to_be_visible()
    # The form's blank and default fields are redirected away: one search, one URL.
    assert urlsplit(page.url).query == "q=Lavrov"
    # The button reads in the search box's font.
    font = "el => [getComputedStyle(el).fontSize, getComputedStyle(el).fontFamily]"
    assert page.get_by_test_id("search-submit").evaluate(font) == page.get_by_test_id(
        "query"
    ).evaluate(font)
    facets = page.get_by_test_id("facet-link")
    assert {f for f in facets.evaluate_all("links => links.map(a => a.dataset.facet)")} == {
        "kind", "channel", "country", "speaker", "month"}  # fmt: skip
    tab.shot("search")

    page.get_by_test_id("page-next").click()
    page.wait_for_url(re.compile(r"offset=20"))
    expect(page.get_by_test_id("result-count")).to_contain_text(f"21–40 of {total} posts")
    assert set(result_keys(page)).isdisjoint(hit["key"] for hit in expected["results"])
    tab.shot("search-page-2")


def test_search_on_a_narrow_screen(tab: Tab) -> None:
    """At 420 px the results come before the facets (dozens of rows)."""
    page = tab.page
    page.set_viewport_size({"width": 420, "height": 900})
    search(tab, "Lavrov")
    first = page.get_by_test_id("result").first.bounding_box()
    facets = page.get_by_test_id("facets").bounding_box()
    assert first and facets and first["y"] < facets["y"], (first, facets)
    assert first["y"] < 900  # the first result is on the first screen
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 420, width  # nothing wider than the screen
    tab.shot("search-narrow")


def test_facet_narrows_the_search(tab: Tab) -> None:
    page = tab.page
    total = search(tab, "Lavrov")
    searched = parse_qs(urlsplit(page.url).query)
    # The biggest kind that is not every result: narrowing by it must shrink the total.
    kinds = page.locator("[data-testid=facet-link][data-facet=kind]")
    counts = kinds.evaluate_all("links => links.map(a => [a.dataset.value,"
                                " Number(a.nextElementSibling.textContent)])")  # fmt: skip
    kind, count = max((c for c in counts if 0 < c[1] < total), key=lambda c: c[1])
    kinds.and_(page.locator(f"[data-value='{kind}']")).click()
    page.wait_for_url(re.compile(rf"kind={kind}"))
    # Only the kind is added (the form's defaults were redirected away).
    assert parse_qs(urlsplit(page.url).query) == searched | {"kind": [kind]}
    narrowed = int(page.get_by_test_id("result-count").get_attribute("data-total") or "-1")
    assert narrowed == count < total
    expect(page.get_by_test_id("remove-filter")).to_contain_text(f"kind: {kind}")
    keys = result_keys(page)
    assert len(keys) == min(count, 20)
    for link in page.get_by_test_id("result-link").all():
        post = tab.api("/api/v1" + (link.get_attribute("href") or ""))
        assert post["kind"] == kind and post["key"] in keys, post["key"]
    tab.shot("search-facet")

    page.get_by_test_id("remove-filter").click()
    page.wait_for_url(lambda url: "kind=" not in url)
    assert parse_qs(urlsplit(page.url).query) == searched
    assert page.get_by_test_id("result-count").get_attribute("data-total") == str(total)


def test_post_and_its_entities(tab: Tab) -> None:
    page = tab.page
    search(tab, '"telephone conversation" Vietnam')
    first = page.get_by_test_id("result-link").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/posts/"))
    post = tab.api("/api/v1" + urlsplit(page.url).path)
    expect(page.get_by_test_id("post-title")).to_have_text(title)
    shown = page.get_by_test_id("post-text").inner_text()
    assert shown.split() == post["text"].split()
    expect(page.get_by_test_id("original-link")).to_have_attribute("href", post["url"])
    assert post["url"] == f"https://t.me/{post['channel']}/{post['message_id']}"

    links = page.get_by_test_id("entity-link")
    marked = links.evaluate_all("links => links.map(a => [a.dataset.type, a.textContent,"
                                " a.getAttribute('href')])")  # fmt: skip
    assert {t for t, _, _ in marked} >= {"country", "person"}, marked
    linked: dict[str, set[str]] = {}
    for kind, text, href in marked:
        assert text.strip() and href.startswith(f"/entities/{kind}/"), (kind, text, href)
        linked.setdefault(kind, set()).add(unquote(href.rsplit("/", 1)[1]))
    # Each mark opens one of the entities the post is filed under.
    assert linked["country"] <= set(post["countries"]), (linked, post["countries"])
    assert linked["person"] <= {p["name"] for p in post["people"]}, (linked, post["people"])
    expect(links.first).to_be_visible()
    tab.shot("post")

    # Flags are marked too (🇻🇳 links to Vietnam): follow the link, not the text.
    country = page.locator("[data-testid=entity-link][data-type=country]").first
    href = country.get_attribute("href") or ""
    country.click()
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    label = tab.api("/api/v1" + href)["label"]
    expect(page.get_by_test_id("entity-name")).to_have_text(label)


def test_entity_page_and_its_chart(tab: Tab) -> None:
    page = tab.page
    page.goto("/entities")
    page.get_by_test_id("entity-filter").fill("Viet")
    page.get_by_test_id("entity-filter").press("Enter")
    page.wait_for_url(re.compile(r"q=Viet"))
    page.get_by_test_id("entity-list").get_by_test_id("entity-link").first.click()
    page.wait_for_url(re.compile(r"/entities/country/VN"))
    entity = tab.api("/api/v1/entities/country/VN")
    expect(page.get_by_test_id("entity-name")).to_have_text(entity["label"])

    chart = page.locator("#entity-chart svg")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100, box
    bars = chart.locator("rect").evaluate_all(
        "bars => bars.map(b => [b.getBBox().height, b.querySelector('title').textContent])"
    )
    counts = entity["timeline"]["series"]["country:VN"]
    # Posts without a date are named but not charted.
    assert len(bars) == len(counts) and 0 < sum(counts) <= entity["posts"]
    assert [int(tip.rsplit(": ", 1)[1]) for _, tip in bars] == counts
    assert [height > 0 for height, _ in bars] == [n > 0 for n in counts]
    expect(page.get_by_test_id("contacts").locator("[data-testid=contact-link]").first)\
        .to_be_visible()  # fmt: skip
    expect(page.get_by_test_id("comentions").locator("a").first).to_be_visible()
    tab.shot("entity")


def painted(page: Page) -> int:
    """How many pixels the graph's canvases paint (any that is not fully transparent)."""
    return int(
        page.locator("#graph canvas").evaluate_all("""canvases => canvases.reduce(
        (sum, c) => {
          if (!c.width || !c.height) return sum;
          const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]) n++;
          return sum + n;
        }, 0)""")
    )


# The names the graph shows (cytoscape keeps its instance on the container as
# _cyreg.cy): those with a label drawn at least min-zoomed-font-size, their boxes in
# the graph's coordinates, and the pairs of them that overlap.
SHOWN_LABELS = """graph => {
  const cy = graph._cyreg.cy;
  const shown = cy.nodes().filter(n => n.style("label") &&
    parseFloat(n.style("font-size")) * cy.zoom() >= parseFloat(n.style("min-zoomed-font-size")));
  const boxes = shown.map(n => [n.data("label"),
    n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true})]);
  const overlaps = [];
  boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
    if (p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2) overlaps.push([a, b]);
  }));
  return {nodes: cy.nodes().length, shown: boxes.map(([a]) => a), overlaps: overlaps,
          background: cy.nodes()[0].style("text-background-opacity")};
}"""


def shown_labels(page: Page) -> dict[str, Any]:
    labels: dict[str, Any] = page.get_by_test_id("graph").evaluate(SHOWN_LABELS)
    return labels


def test_contact_graph(tab: Tab) -> None:
    page = tab.page
    page.goto("/graph")
    graph = page.get_by_test_id("graph")
    expect(graph).to_have_attribute("data-ready", "true")
    expected = tab.api("/api/v1/graph")
    assert len(expected["nodes"]) > 2 and expected["edges"]
    expect(graph).to_have_attribute("data-nodes", str(len(expected["nodes"])))
    expect(page.get_by_test_id("graph-status")).to_contain_text(
        f"{len(expected['nodes'])} countries, {len(expected['edges'])} links"
    )
    assert page.locator("#graph canvas").count() > 0
    box = graph.bounding_box()
    assert box and box["width"] > 400 and box["height"] > 300, box
    assert painted(page) > 500
    # Names on a background, none over another; the heaviest named first of all.
    labels = shown_labels(page)
    assert float(labels["background"]) > 0.5
    assert not labels["overlaps"], labels
    assert expected["nodes"][0]["label"] in labels["shown"]
    tab.shot("graph")

    # Redrawn for people when the form changes, and the export links follow the form.
    page.get_by_test_id("graph-nodes").select_option("people")
    expect(graph).to_have_attribute("data-ready", "true")
    people = tab.api("/api/v1/graph?nodes=people")
    expect(graph).to_have_attribute("data-nodes", str(len(people["nodes"])))
    expect(page.get_by_test_id("export-csv")).to_have_attribute(
        "href", re.compile(r"nodes=people.*format=csv")
    )
    assert "nodes=people" in page.url
    # Too many to name them all: the most active are named, none over another...
    labels = shown_labels(page)
    assert 10 <= len(labels["shown"]) < len(people["nodes"]), labels
    assert not labels["overlaps"], labels
    tab.shot("graph-people")
    # ... and the pointer names any other.
    unnamed = next(n["label"] for n in people["nodes"] if n["label"] not in labels["shown"])
    spot = graph.evaluate(
        "(graph, label) => graph._cyreg.cy.nodes().filter(n => n.data('label') === label)"
        "[0].renderedPosition()",
        unnamed,
    )
    page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
    expect(page.get_by_test_id("graph-status")).to_contain_text(unnamed)
    assert unnamed in shown_labels(page)["shown"]
    tab.shot("graph-people-hover")


def test_export_and_feed(tab: Tab) -> None:
    page = tab.page
    total = search(tab, "Lavrov")
    first_page = result_keys(page)
    with page.expect_download() as info:
        page.get_by_test_id("export-csv").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == min(total, WebConfig.from_settings().max_export_rows)
    keys = [row["key"] for row in rows]
    assert len(set(keys)) == len(keys) and set(first_page) <= set(keys)
    assert "evilchan/1" in keys  # the hostile post is among the matches

    # The feed: advertised to feed readers in <head>, linked on the page, and valid.
    feed = page.get_by_test_id("feed-link").get_attribute("href")
    alternate = page.locator("link[rel=alternate][type='application/atom+xml']")
    expect(alternate).to_have_attribute("href", feed or "")
    response = tab.context.request.get(feed or "")
    assert response.ok and "atom" in response.headers["content-type"]
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.fromstring(response.body()).findall(f"{atom}entry")
    assert len(entries) == min(total, WebConfig.from_settings().feed_size)
    tab.shot("export")


def test_hostile_post_is_text(tab: Tab) -> None:
    """In a real browser: the post whose text is script and markup runs nothing (the
    tab records any dialog) and reads as the text it is."""
    page = tab.page
    page.goto("/posts/evilchan/1")
    shown = page.get_by_test_id("post-text").inner_text()
    assert shown.split() == (HOSTILE_TEXT + ", edited").split()
    assert page.locator("main script, main img, main b").count() == 0
    tab.shot("post-hostile")
