"""The live sync of t.me/s previews, against a fake t.me served by httpx.MockTransport.

The fake's pages are built from the real fragments in shared/data/tme_html (a
message's markup, the channel header, the "No posts found" page), with the texts of
the real seed posts (shared/seeds) put into the messages, so the sync reads markup
Telegram really serves. No test touches the network or waits: ``sleep`` is a list's
``append``, so the waits asked for are asserted instead of spent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

import httpx
import pytest

from communique import identity
from communique.errors import InputError
from communique.models import Post, RawPost
from communique.normalise import normalise
from communique.sources import dump
from communique.store import Store, open_store
from communique.sync import (
    END,
    KNOWN,
    LIMIT,
    MAX_ATTEMPTS,
    SINCE,
    USER_AGENT,
    EmptyChannel,
    FetchFailed,
    NoPublicPreview,
    PaginationLoop,
    SyncReport,
    make_client,
    retry_after,
    sync,
    sync_channel,
)
from conftest import DUMP_000, DUMP_002, TME_HTML

CHANNEL = "MFARussia"
TITLE = "Russian MFA 🇷🇺"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PAGE_SIZE = 20
FIRST_ID = 28001
# 69 posts: 28001-28070 without 28050, a post deleted where the first two pages meet.
IDS = [i for i in range(FIRST_ID, 28071) if i != 28050]
BASE = f"https://t.me/s/{CHANNEL}"

# -- Real markup, real texts ---------------------------------------------------------

MESSAGE = (TME_HTML / "parse_unsigned_text_message.html").read_text(encoding="utf-8")
HEADER = (TME_HTML / "channel_info.html").read_text(encoding="utf-8")
NO_POSTS = (TME_HTML / "parse_no_posts_found.html").read_text(encoding="utf-8")


def _swap(html: str, old: str, new: str) -> str:
    """Replace ``old``, failing loudly if the fragment no longer has it."""
    assert old in html, f"fragment lacks {old!r}"
    return html.replace(old, new)


def seed_texts() -> list[list[str]]:
    """The lines of every seed post, as ingest would store them."""
    texts = []
    for path in (DUMP_000, DUMP_002):
        for item in dump.read(path):
            post = normalise(item) if isinstance(item, RawPost) else item
            if isinstance(post, Post):
                texts.append(post.text.split("\n"))
    return texts


SEED_TEXTS = seed_texts()


@dataclass
class FakePost:
    id: int
    date: str
    lines: list[str]


def fake_posts(ids: list[int]) -> list[FakePost]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        FakePost(i, (start + timedelta(hours=6 * n)).isoformat(), SEED_TEXTS[n % len(SEED_TEXTS)])
        for n, i in enumerate(ids)
    ]


def message_html(channel: str, post: FakePost) -> str:
    html = _swap(MESSAGE, "tchantest/6", f"{channel}/{post.id}")
    html = _swap(html, "2023-02-24T07:30:39+00:00", post.date)
    return _swap(html, "Unsigned message\n", "<br/>".join(escape(line) for line in post.lines))


def header_html(channel: str) -> str:
    html = _swap(HEADER, "tchantest", channel)
    html = _swap(html, "tchan&#39;s test channel 👍", TITLE)
    return html.replace("[...]", "")


def page_html(channel: str, posts: list[FakePost], before: int | None) -> str:
    # As t.me draws it: the header, the "load older" link, then messages oldest first.
    more = (
        f'<div class="tgme_widget_message_centered js-messages_more_wrap">'
        f'<a href="/s/{channel}?before={before}" data-before="{before}" '
        f'class="tme_messages_more js-messages_more"></a></div>'
        if before is not None
        else ""
    )
    messages = "".join(message_html(channel, p) for p in sorted(posts, key=lambda p: p.id))
    return f"<html><head></head><body>{header_html(channel)}{more}{messages}</body></html>"


# -- A fake t.me --------------------------------------------------------------------

Fault = Callable[[httpx.Request], httpx.Response]


def status(code: int, **headers: str) -> Fault:
    return lambda request: httpx.Response(code, headers=headers)


def raising(error: type[httpx.TransportError]) -> Fault:
    def fault(request: httpx.Request) -> httpx.Response:
        raise error("simulated", request=request)

    return fault


@dataclass
class FakeTelegram:
    """t.me/s/CHANNEL with PAGE_SIZE posts a page, and knobs for misbehaving."""

    channel: str = CHANNEL
    posts: list[FakePost] = field(default_factory=lambda: fake_posts(IDS))
    # Answers served before the real page, by the page's ?before= (None: newest page).
    faults: dict[int | None, list[Fault]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    skip: int = 0  # the older-posts link skips this many ids below the page's oldest
    ignore_before: bool = False  # always serve the newest page
    links: dict[int | None, int] = field(default_factory=dict)  # forced data-before
    renamed: dict[str, str] = field(default_factory=dict)  # old username -> new
    unnamed: set[int] = field(default_factory=set)  # ids drawn without their data-post

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        raw = request.url.params.get("before")
        before = int(raw) if raw and not self.ignore_before else None
        queue = self.faults.get(before)
        if queue:
            return queue.pop(0)(request)
        old = request.url.path.removeprefix("/s/")
        if old in self.renamed:
            moved = request.url.copy_with(path=f"/s/{self.renamed[old]}")
            return httpx.Response(301, headers={"Location": str(moved)})
        if request.url.path != f"/s/{self.channel}":
            return self.no_preview(request)
        page = sorted(
            (p for p in self.posts if before is None or p.id < before), key=lambda p: p.id
        )[-PAGE_SIZE:]
        if not page:
            return html_response(NO_POSTS.replace("</main>", header_html(self.channel) + "</main>"))
        older = any(p.id < page[0].id for p in self.posts)
        link = self.links.get(before, page[0].id - self.skip if older else None)
        html = page_html(self.channel, page, link)
        for i in self.unnamed:
            html = html.replace(f' data-post="{self.channel}/{i}"', "")
        return html_response(html)

    def no_preview(self, request: httpx.Request) -> httpx.Response:
        """t.me's answer for a name without a public preview: off to the app's page."""
        if request.url.path.startswith("/s/"):
            name = request.url.path.removeprefix("/s/")
            return httpx.Response(302, headers={"Location": f"https://t.me/{name}"})
        return html_response('<html><body><div class="tgme_page">Open in app</div></body></html>')

    def add(self, ids: list[int]) -> None:
        self.posts += fake_posts([p.id for p in self.posts] + ids)[len(self.posts) :]


def html_response(html: str) -> httpx.Response:
    return httpx.Response(200, text=html, headers={"Content-Type": "text/html; charset=utf-8"})


def url(before: int | None = None) -> str:
    return BASE if before is None else f"{BASE}?before={before}"


# The pages of the fake channel and the probe past its oldest post.
FULL_WALK = [url(), url(28051), url(28030), url(28010), url(28001)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    archive = open_store(tmp_path / "a.db")
    yield archive
    archive.close()


def run(
    store: Store, server: FakeTelegram, slept: list[float] | None = None, **kw: Any
) -> SyncReport:
    with make_client(transport=httpx.MockTransport(server.handler)) as client:
        return sync_channel(
            store,
            kw.pop("username", CHANNEL),
            client=client,
            sleep=(slept if slept is not None else []).append,
            now=lambda: NOW,
            **kw,
        )


def stored_ids(store: Store) -> list[int]:
    return sorted(p.message_id for p in store.posts() if p.message_id is not None)


# -- A whole channel ----------------------------------------------------------------


def test_full_sync_fetches_each_page_once_and_stores_every_post(store: Store) -> None:
    server = FakeTelegram()
    slept: list[float] = []
    report = run(store, server, slept)
    assert server.requests == FULL_WALK
    assert (report.pages, report.new, report.merged, report.unchanged) == (5, 69, 0, 0)
    assert (report.stopped_because, report.errors, report.skipped) == (END, [], [])
    assert (report.newest_id, report.oldest_id, report.gaps) == (28070, 28001, 1)
    # Polite: the delay before every request but the first, nothing else.
    assert slept == [1.0] * 4
    for fake in server.posts:
        post = store.get_by_message(CHANNEL, fake.id)
        assert post is not None, fake.id
        assert (post.date, post.text.split("\n")) == (fake.date, fake.lines)
        assert post.url == f"https://t.me/{CHANNEL}/{fake.id}"


def test_posts_name_the_page_they_were_fetched_from(store: Store) -> None:
    run(store, FakeTelegram())
    newest, second_page = store.get_by_message(CHANNEL, 28070), store.get_by_message(CHANNEL, 28049)
    assert newest is not None and second_page is not None
    assert (newest.source.kind, newest.source.path) == ("web", url())
    assert (second_page.source.kind, second_page.source.path) == ("web", url(28051))
    assert newest.text_kind == "web"


def test_channel_record_and_sync_mark_are_stored(store: Store) -> None:
    run(store, FakeTelegram())
    channel = store.channel(CHANNEL)
    assert channel is not None
    assert (channel.title, channel.subscribers) == (TITLE, 1)
    assert (channel.last_synced_id, channel.last_synced_at) == (28070, NOW.isoformat())


def test_second_run_stops_at_known_posts(store: Store) -> None:
    server = FakeTelegram()
    run(store, server)
    server.requests.clear()
    again = run(store, server)
    assert server.requests == [url()]
    assert (again.new, again.unchanged, again.stopped_because) == (0, 20, KNOWN)

    server.add([28071, 28072, 28073])
    server.requests.clear()
    later = run(store, server)
    assert server.requests == [url()]
    assert (later.new, later.stopped_because) == (3, KNOWN)
    channel = store.channel(CHANNEL)
    assert channel is not None and channel.last_synced_id == 28073


def test_new_posts_beyond_one_page_are_all_fetched(store: Store) -> None:
    server = FakeTelegram()
    run(store, server)
    server.add(list(range(28071, 28096)))  # 25 new posts: more than a page
    server.requests.clear()
    report = run(store, server)
    assert server.requests == [url(), url(28076)]
    assert (report.new, report.stopped_because) == (25, KNOWN)
    assert len(stored_ids(store)) == 69 + 25


# -- Windows: --limit and --since ------------------------------------------------------


def test_limit_stores_the_newest_posts_and_stops(store: Store) -> None:
    server = FakeTelegram()
    report = run(store, server, limit=25)
    assert server.requests == [url(), url(28051)]
    assert (report.posts, report.stopped_because) == (25, LIMIT)
    assert stored_ids(store) == IDS[-25:]


def test_since_stops_once_posts_are_older(store: Store) -> None:
    server = FakeTelegram()
    since = "2026-01-06"  # posts are 6 hours apart from 2026-01-01 00:00
    report = run(store, server, since=since)
    expected = [p.id for p in server.posts if p.date >= "2026-01-06"]
    assert server.requests == [url(), url(28051), url(28030)]
    assert report.stopped_because == SINCE
    assert stored_ids(store) == expected and len(expected) == 49


def test_a_wider_window_reaches_below_an_earlier_limited_run(store: Store) -> None:
    server = FakeTelegram()
    run(store, server, limit=10)
    report = run(store, server, limit=45)
    assert (report.new, report.unchanged, report.stopped_because) == (35, 10, LIMIT)
    assert stored_ids(store) == IDS[-45:]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"since": "last tuesday"}, "--since: not an ISO date"),
        ({"limit": 0}, "--limit must be at least 1"),
        ({"username": "no spaces allowed"}, "not a channel username"),
    ],
)
def test_bad_options_are_input_errors(store: Store, options: dict[str, Any], message: str) -> None:
    server = FakeTelegram()
    with pytest.raises(InputError, match=message):
        run(store, server, **options)
    assert server.requests == []


# -- Politeness and robustness ---------------------------------------------------------


def test_429_waits_as_retry_after_says(store: Store) -> None:
    server = FakeTelegram(faults={28051: [status(429, **{"Retry-After": "7"})]})
    slept: list[float] = []
    report = run(store, server, slept)
    assert slept == [1.0, 7.0, 1.0, 1.0, 1.0]
    assert server.requests == [url(), url(28051), *FULL_WALK[1:]]
    assert (report.new, report.errors) == (69, [])


def test_429_with_an_http_date(store: Store) -> None:
    when = format_datetime(NOW + timedelta(seconds=30), usegmt=True)
    server = FakeTelegram(faults={None: [status(429, **{"Retry-After": when})]})
    slept: list[float] = []
    run(store, server, slept)
    assert slept[0] == 30.0


def test_429_asking_too_long_a_wait_gives_up_at_once(store: Store) -> None:
    server = FakeTelegram(faults={28051: [status(429, **{"Retry-After": "3600"})]})
    with pytest.raises(FetchFailed, match="allowed for one page") as caught:
        run(store, server)
    assert server.requests == [url(), url(28051)]
    assert caught.value.report is not None and caught.value.report.new == 20


def test_server_errors_are_retried_with_backoff(store: Store) -> None:
    server = FakeTelegram(faults={None: [status(503), status(502)]})
    slept: list[float] = []
    report = run(store, server, slept)
    assert slept[:2] == [2.0, 4.0]
    assert (report.new, report.stopped_because) == (69, END)


def test_timeouts_are_retried(store: Store) -> None:
    faults: dict[int | None, list[Fault]] = {
        28030: [raising(httpx.ReadTimeout), raising(httpx.ConnectTimeout)]
    }
    server = FakeTelegram(faults=faults)
    report = run(store, server)
    assert server.requests.count(url(28030)) == 3
    assert (report.new, report.stopped_because) == (69, END)


def test_exhausted_retries_fail_clearly_and_keep_earlier_pages(store: Store) -> None:
    server = FakeTelegram(faults={28030: [status(500)] * MAX_ATTEMPTS})
    slept: list[float] = []
    with pytest.raises(FetchFailed) as caught:
        run(store, server, slept)
    assert f"gave up after {MAX_ATTEMPTS} attempts: HTTP 500" in str(caught.value)
    assert slept == [1.0, 1.0, 2.0, 4.0, 8.0, 16.0]
    report = caught.value.report
    assert report is not None
    assert (report.pages, report.new, report.errors) == (2, 40, [str(caught.value)])
    assert stored_ids(store) == IDS[-40:]
    # The walk did not finish: no mark, so the next run walks down again.
    channel = store.channel(CHANNEL)
    assert channel is not None and channel.last_synced_id is None


def test_client_errors_are_not_retried(store: Store) -> None:
    server = FakeTelegram(faults={None: [status(403)]})
    with pytest.raises(FetchFailed, match="HTTP 403"):
        run(store, server)
    assert server.requests == [url()]


def test_redirects_stay_on_t_me(store: Store) -> None:
    away = status(302, Location="https://example.com/s/MFARussia")
    server = FakeTelegram(faults={None: [away]})
    with pytest.raises(FetchFailed, match="redirected away from t.me"):
        run(store, server)
    assert server.requests == [url()]


def test_redirects_within_t_me_are_followed(store: Store) -> None:
    server = FakeTelegram(renamed={"OldName": CHANNEL})
    report = run(store, server, username="OldName", limit=5)
    assert server.requests == ["https://t.me/s/OldName", url()]
    assert (report.new, report.stopped_because) == (5, LIMIT)


# -- Channels that cannot be synced ------------------------------------------------------


def test_channel_without_public_preview(store: Store) -> None:
    server = FakeTelegram()
    with pytest.raises(NoPublicPreview, match="@Ghost_channel has no public web preview"):
        run(store, server, username="Ghost_channel")
    assert server.requests == ["https://t.me/s/Ghost_channel", "https://t.me/Ghost_channel"]
    assert store.count() == 0


def test_page_that_is_not_a_preview(store: Store) -> None:
    not_preview = lambda request: html_response("<html><body>Hello</body></html>")  # noqa: E731
    server = FakeTelegram(faults={None: [not_preview]})
    with pytest.raises(NoPublicPreview, match="shows none"):
        run(store, server)


def test_empty_channel(store: Store) -> None:
    server = FakeTelegram(posts=[])
    with pytest.raises(EmptyChannel, match=f"@{CHANNEL} has no posts") as caught:
        run(store, server)
    assert caught.value.report is not None and caught.value.report.pages == 1
    channel = store.channel(CHANNEL)
    assert channel is not None and channel.title == TITLE


# -- Pagination gone wrong -------------------------------------------------------------


def test_a_page_of_posts_already_seen_is_a_loop(store: Store) -> None:
    server = FakeTelegram(ignore_before=True)
    with pytest.raises(PaginationLoop, match="only posts already seen"):
        run(store, server)
    assert server.requests == [url(), url(28051)]
    assert stored_ids(store) == IDS[-20:]


def test_a_cursor_that_does_not_go_down_is_a_loop(store: Store) -> None:
    server = FakeTelegram(links={28051: 28060})
    with pytest.raises(PaginationLoop, match="not to older posts"):
        run(store, server)
    assert server.requests == [url(), url(28051)]
    assert stored_ids(store) == IDS[-40:]


def test_gaps_between_pages_are_counted(store: Store) -> None:
    server = FakeTelegram(posts=fake_posts(list(range(1, 61))), skip=3)
    report = run(store, server)
    # Pages 41-60, 18-37 (before=38) and 1-14 (before=15): ids 38-40 and 15-17 missed.
    assert server.requests == [url(), url(38), url(15)]
    assert (report.gaps, report.new, report.stopped_because) == (6, 54, END)


def test_a_message_without_identity_is_skipped_not_fatal(store: Store) -> None:
    server = FakeTelegram(unnamed={28040})
    report = run(store, server)
    assert [(s.reason, s.source.kind, s.source.path) for s in report.skipped] == [
        ("message without data-post", "web", url(28051))
    ]
    assert (report.new, report.stopped_because) == (68, END)
    assert 28040 not in stored_ids(store)


# -- Crash and resume --------------------------------------------------------------------


def test_crash_keeps_whole_pages_and_rerun_completes(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = identity.save
    calls = 0

    def crashing_save(archive: Store, post: Post, **options: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 45:  # the fifth post of the third page
            raise RuntimeError("power cut")
        return real_save(archive, post, **options)

    server = FakeTelegram()
    monkeypatch.setattr(identity, "save", crashing_save)
    with pytest.raises(RuntimeError):
        run(store, server)
    assert stored_ids(store) == IDS[-40:]
    monkeypatch.setattr(identity, "save", real_save)

    server.requests.clear()
    report = run(store, server)
    assert server.requests == FULL_WALK
    assert (report.new, report.unchanged, report.stopped_because) == (29, 40, END)
    assert stored_ids(store) == IDS
    channel = store.channel(CHANNEL)
    assert channel is not None and channel.last_synced_id == 28070


# -- Several channels, progress, the client ------------------------------------------------


def test_sync_goes_on_past_a_channel_that_fails(store: Store) -> None:
    server = FakeTelegram()
    slept: list[float] = []
    with make_client(transport=httpx.MockTransport(server.handler)) as client:
        reports = sync(
            store, [CHANNEL, "Ghost_channel"], client=client, sleep=slept.append, now=lambda: NOW
        )
    assert [(r.channel, r.new, r.stopped_because) for r in reports] == [
        (CHANNEL, 69, END),
        ("Ghost_channel", 0, None),
    ]
    assert "has no public web preview" in reports[1].errors[0]
    # The delay also separates the two channels (redirects are followed at once).
    assert slept == [1.0] * 5


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    def file(self, path: str, lines: int) -> None:
        self.events.append(("file", (path, lines)))

    def at(self, line: int) -> None:
        self.events.append(("at", line))


def test_progress_reports_posts_after_each_page(store: Store) -> None:
    progress = Recorder()
    run(store, FakeTelegram(), progress=progress)
    assert progress.events == [
        ("file", (f"@{CHANNEL}", 0)),
        ("at", 20),
        ("at", 40),
        ("at", 60),
        ("at", 69),
        ("at", 69),
    ]


def test_make_client_is_descriptive_and_bounded() -> None:
    with make_client(timeout=12.0) as client:
        assert client.headers["User-Agent"] == USER_AGENT
        assert re.match(r"communique/\S+ \(", USER_AGENT)
        assert client.timeout.read == 12.0 and client.timeout.connect == 10.0
        assert client.follow_redirects is False


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("7", 7.0),
        ("0", 0.0),
        (format_datetime(NOW + timedelta(minutes=2), usegmt=True), 120.0),
        (format_datetime(NOW - timedelta(minutes=2), usegmt=True), 0.0),
        ("soon", None),
        ("-5", None),
        (None, None),
    ],
)
def test_retry_after(value: str | None, seconds: float | None) -> None:
    assert retry_after(value, NOW) == seconds
