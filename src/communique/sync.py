"""Live sync of Telegram's public web preview (``t.me/s/CHANNEL``), newest page first.

    fetch page -> parse_page -> choose posts -> store them (one transaction per page)
               -> follow ``?before=ID`` -> ... -> set_synced(newest id stored)

The walk, page by page; the first rule that applies decides:

1. the first page: a redirect away from ``/s/`` or a page that is not a web preview
   is ``NoPublicPreview``; otherwise the channel header is stored (``put_channel``)
   and a page without posts ("No posts found") is ``EmptyChannel``;
2. a later page that brings no post this run has not seen ends the walk ("end of
   channel") when no older-posts link led to it, and is a ``PaginationLoop`` when
   one did; so is a cursor that does not go down;
3. ``since``: posts older than the date are not stored, and the page that has
   them is the last ("reached --since date");
4. ``limit``: at most that many posts, newest first ("reached --limit");
5. without ``since`` and ``limit``: the page that reaches the channel's
   ``last_synced_id`` is the last ("reached known posts");
6. the next cursor is the page's older-posts link, else its oldest id (so a
   change of markup costs one probe request, not the history); a cursor at the
   channel's first id ends the walk ("end of channel").

Ids missing between two consecutive pages (deleted posts, or a cursor that skipped
some) are counted in ``SyncReport.gaps``, never an error.

Resuming. Every page's posts are stored in one transaction, so a crash or a
failure keeps whole pages. ``last_synced_id`` (the newest id stored) is recorded
only when a walk ends by rules 3-6: it promises that everything below it is
stored, down to the channel's start or the window the run was given. A walk that
failed midway records nothing, so the next run walks down again past the pages
already stored (re-reading them changes nothing) and completes. Without ``since``
and ``limit`` a run stops at known posts, so history below where a ``--limit`` or
``--since`` run stopped is fetched only by a later run with a wider window: both
options walk on through known posts. Posts already in the archive do not end a walk
by themselves: after a failed run, the pages it stored above the mark would hide
the posts between them and the mark.

Politeness: one request at a time (the client allows one connection), ``delay``
seconds between requests, exponential backoff on network errors and 5xx, and 429
answered by waiting as ``Retry-After`` says; at most ``MAX_WAIT`` seconds of such
waiting for one page, then ``FetchFailed``. Redirects are followed only within
t.me.

Progress uses ingest's ``Progress``: ``file("@CHANNEL", limit or 0)`` when a channel
begins (0: total unknown), then ``at(posts)`` after each page.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version

import httpx

from communique import identity, textindex
from communique.errors import CommuniqueError, InputError
from communique.extract import annotate
from communique.ingest import Progress
from communique.models import Channel, RawPost, Skipped, SourceRef, channel_username
from communique.normalise import normalise
from communique.sources.tme_html import Page, parse_page
from communique.store.base import Store

# -- Where and how politely --------------------------------------------------------

HOST = "t.me"
# The web preview lives under /s/; t.me/NAME is the "open in app" landing page that
# t.me/s/NAME redirects to when the channel has no public preview.
PREVIEW_PREFIX = "/s/"
TIMEOUT = 30.0  # seconds for reading, writing and waiting for the connection pool
CONNECT_TIMEOUT = 10.0
DELAY = 1.0  # seconds between two requests
MAX_ATTEMPTS = 5  # one try and four retries per page
FIRST_BACKOFF = 2.0  # seconds; doubles on each retry
MAX_BACKOFF = 60.0
MAX_WAIT = 300.0  # seconds of backoff and Retry-After one page may cost before giving up
MAX_REDIRECTS = 5
FIRST_MESSAGE_ID = 1  # a channel's first message ("Channel created")
# Counters read "1.2K subscribers" only in English; parse_page knows no other language.
ACCEPT_LANGUAGE = "en"
RETRY_AFTER_SECONDS = re.compile(r"[0-9]{1,9}")


def _version() -> str:
    try:
        return version("communique")
    except PackageNotFoundError:  # a source tree that was not installed
        return "0+unknown"


USER_AGENT = (
    f"communique/{_version()} (archiver of public Telegram channels; "
    f"one request at a time) python-httpx/{httpx.__version__}"
)

# -- What ended a walk ---------------------------------------------------------------

KNOWN = "reached known posts"
SINCE = "reached --since date"
LIMIT = "reached --limit"
END = "end of channel"


# -- Errors --------------------------------------------------------------------------


class SyncError(CommuniqueError):
    """A channel could not be synced to the end; ``report`` says what was stored.

    Pages stored before the failure stay stored. Its place in the tree of
    ``communique.errors``::

        CommuniqueError
        └── SyncError            also: a later page that is not a preview
            ├── NoPublicPreview  t.me/s/NAME redirects to t.me/NAME, or shows no channel
            ├── EmptyChannel     the preview says "No posts found"
            ├── FetchFailed      retries or waiting exhausted, a 4xx, a redirect off t.me
            └── PaginationLoop   older pages lead back to pages already seen
    """

    def __init__(self, message: str, report: SyncReport | None = None):
        super().__init__(message)
        self.message = message
        self.report = report


class NoPublicPreview(SyncError):
    """t.me/s/CHANNEL does not show the channel (private, a group, or no such name)."""


class EmptyChannel(SyncError):
    """The channel's preview exists but shows no posts."""


class FetchFailed(SyncError):
    """A page could not be fetched: retries exhausted, or an answer not to retry."""


class PaginationLoop(SyncError):
    """Paging older led back to pages already seen: the walk cannot go on."""


# -- Records ---------------------------------------------------------------------------


@dataclass(slots=True)
class SyncReport:
    """What syncing one channel did."""

    channel: str
    pages: int = 0  # pages fetched
    new: int = 0
    merged: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    gaps: int = 0  # message ids missing between consecutive pages
    newest_id: int | None = None  # of the posts this run stored
    oldest_id: int | None = None
    stopped_because: str | None = None  # KNOWN, SINCE, LIMIT or END; None after an error
    errors: list[str] = field(default_factory=list)

    @property
    def posts(self) -> int:
        return self.new + self.merged + self.unchanged


@dataclass(slots=True, frozen=True)
class _Window:
    """Which posts a walk wants, and where it may stop."""

    since: datetime | None = None
    limit: int | None = None
    known: int | None = None  # last_synced_id, when it bounds the walk (rule 5)


@dataclass(slots=True)
class _Walk:
    store: Store
    username: str
    window: _Window
    report: SyncReport
    seen: set[int] = field(default_factory=set)
    cursor: int | None = None  # the ?before= of the page being fetched
    oldest_seen: int | None = None  # the oldest id of the pages taken so far
    linked: bool = True  # whether the page's own older-posts link gave the cursor


# -- Public API ------------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(UTC)


def make_client(
    timeout: float = TIMEOUT, *, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """An HTTP client for t.me: a descriptive User-Agent, timeouts, one connection."""
    return httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept-Language": ACCEPT_LANGUAGE},
        timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
        limits=httpx.Limits(max_connections=1),
        # Redirects are followed by _Fetcher, which allows only t.me -> t.me.
        follow_redirects=False,
        transport=transport,
    )


def sync_channel(
    store: Store,
    username: str,
    *,
    client: httpx.Client,
    since: str | None = None,
    limit: int | None = None,
    delay: float = DELAY,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = _utc_now,
) -> SyncReport:
    """Sync one channel; raises ``SyncError`` (with ``.report``) when it cannot finish."""
    fetcher = _Fetcher(client, delay=delay, sleep=sleep, now=now)
    window = _Window(since=parse_since(since), limit=_check_limit(limit))
    return _sync(store, channel_username(username), fetcher, window, progress)


def sync(
    store: Store,
    usernames: Iterable[str],
    *,
    client: httpx.Client | None = None,
    since: str | None = None,
    limit: int | None = None,
    delay: float = DELAY,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = _utc_now,
) -> list[SyncReport]:
    """Sync channels one after the other; a channel that fails is reported, the rest go on.

    Errors of the archive itself (``StoreError``) stop everything: no channel could
    be stored.
    """
    window = _Window(since=parse_since(since), limit=_check_limit(limit))
    http = client or make_client()
    # One fetcher for all channels: the delay also separates the last request for
    # one channel from the first for the next.
    fetcher = _Fetcher(http, delay=delay, sleep=sleep, now=now)
    reports = []
    try:
        for name in usernames:
            try:
                reports.append(_sync(store, channel_username(name), fetcher, window, progress))
            except SyncError as exc:
                reports.append(exc.report or SyncReport(channel=name, errors=[str(exc)]))
            except InputError as exc:
                reports.append(SyncReport(channel=name, errors=[str(exc)]))
    finally:
        if client is None:
            http.close()
    textindex.keep_up(store)
    return reports


def parse_since(since: str | None) -> datetime | None:
    """``--since`` as an aware datetime; a bare date is midnight UTC."""
    if since is None:
        return None
    try:
        moment = datetime.fromisoformat(since.strip())
    except ValueError:
        raise InputError(f"--since: not an ISO date: {since!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def page_url(username: str, before: int | None = None) -> str:
    url = f"https://{HOST}{PREVIEW_PREFIX}{username}"
    return f"{url}?before={before}" if before is not None else url


def _check_limit(limit: int | None) -> int | None:
    if limit is not None and limit < 1:
        raise InputError(f"--limit must be at least 1, not {limit}")
    return limit


# -- The walk --------------------------------------------------------------------------


def _sync(
    store: Store,
    username: str,
    fetcher: _Fetcher,
    window: _Window,
    progress: Progress | None,
) -> SyncReport:
    report = SyncReport(channel=username)
    state = store.channel(username)
    if window.since is None and window.limit is None and state and state.last_synced_id:
        window = replace(window, known=state.last_synced_id)
    walk = _Walk(store=store, username=username, window=window, report=report)
    if progress is not None:
        progress.file(f"@{username}", window.limit or 0)
    try:
        while report.stopped_because is None:
            url = page_url(username, walk.cursor)
            _step(walk, _fetch_page(fetcher, url, username, first=not report.pages), url)
            if progress is not None:
                progress.at(report.posts)
    except SyncError as exc:
        report.errors.append(str(exc))
        exc.report = report
        raise
    if report.newest_id is not None:
        with store.transaction():
            store.set_synced(username, report.newest_id, _iso(fetcher.now()))
    return report


def _fetch_page(fetcher: _Fetcher, url: str, username: str, *, first: bool) -> Page:
    response = fetcher.get(url)
    if not response.url.path.startswith(PREVIEW_PREFIX):
        raise NoPublicPreview(
            f"@{username} has no public web preview ({url} redirects to {response.url})"
        )
    page = parse_page(response.text, path=url)
    if not page.recognised:
        if first:
            raise NoPublicPreview(f"@{username} has no public web preview ({url} shows none)")
        raise SyncError(f"{url} is not a web preview page")
    return page


def _step(walk: _Walk, page: Page, url: str) -> None:
    """Take one fetched page: store what the window wants, then find the next cursor."""
    report = walk.report
    report.pages += 1
    fresh = [p for p in page.posts if p.message_id not in walk.seen]
    if report.pages == 1:
        _first_page(walk, page)
    elif not fresh:
        if page.posts and walk.linked:
            raise PaginationLoop(
                f"@{walk.username}: {url} shows only posts already seen; stopped paging"
            )
        report.stopped_because = END
        return
    _count_gap(walk, fresh)
    chosen, reason = _choose(fresh, walk.window, report.posts)
    _store(walk, chosen, page.skipped, url)
    walk.seen.update(p.message_id for p in page.posts if p.message_id is not None)
    report.stopped_because = reason or _advance(walk, page)


def _first_page(walk: _Walk, page: Page) -> None:
    with walk.store.transaction():
        walk.store.put_channel(page.channel or Channel(username=walk.username))
    if not page.posts and (page.no_posts or not page.skipped):
        raise EmptyChannel(f"@{walk.username} has no posts in its web preview")


def _count_gap(walk: _Walk, fresh: list[RawPost]) -> None:
    ids = [p.message_id for p in fresh if p.message_id is not None]
    if not ids:
        return
    previous = walk.oldest_seen
    if previous is not None and previous - max(ids) > 1:
        walk.report.gaps += previous - max(ids) - 1
    walk.oldest_seen = min(ids) if previous is None else min(previous, *ids)


def _choose(fresh: list[RawPost], window: _Window, walked: int) -> tuple[list[RawPost], str | None]:
    """The page's posts the window wants, newest first, and why the walk ends here."""
    posts = sorted(fresh, key=lambda p: p.message_id or 0, reverse=True)
    reason = None
    if window.since is not None:
        kept = [p for p in posts if not _older(p, window.since)]
        if len(kept) < len(posts):
            posts, reason = kept, SINCE
    if window.limit is not None and walked + len(posts) >= window.limit:
        posts, reason = posts[: window.limit - walked], LIMIT
    ids = [p.message_id for p in fresh if p.message_id is not None]
    if reason is None and window.known is not None and ids and min(ids) <= window.known:
        reason = KNOWN
    return posts, reason


def _older(post: RawPost, since: datetime) -> bool:
    # An undated post cannot be placed before the date, so it is kept.
    return post.date is not None and datetime.fromisoformat(post.date) < since


def _store(walk: _Walk, chosen: list[RawPost], skipped: list[Skipped], url: str) -> None:
    """One page's posts in one transaction: a crash keeps whole pages, never half."""
    source = SourceRef(kind="web", path=url)
    report = walk.report
    outcomes: list[identity.Outcome] = []
    stored: list[int] = []
    with walk.store.transaction():
        for raw in chosen:
            post = normalise(replace(raw, source=source))
            if isinstance(post, Skipped):
                report.skipped.append(post)
                continue
            outcomes.append(identity.save(walk.store, post, annotate=annotate))
            if post.message_id is not None:
                stored.append(post.message_id)
    # Counted only once committed, so a report never counts what was rolled back.
    for outcome in outcomes:
        setattr(report, outcome.value, getattr(report, outcome.value) + 1)
    report.skipped.extend(replace(s, source=source) for s in skipped)
    ids = stored + [i for i in (report.newest_id, report.oldest_id) if i is not None]
    if ids:
        report.newest_id, report.oldest_id = max(ids), min(ids)


def _advance(walk: _Walk, page: Page) -> str | None:
    """Point the walk at the next older page; END when there is none."""
    cursor = page.before if page.before is not None else page.oldest_id
    if cursor is None or cursor <= FIRST_MESSAGE_ID:
        return END
    if walk.cursor is not None and cursor >= walk.cursor:
        raise PaginationLoop(
            f"@{walk.username}: the page before={walk.cursor} points on to before={cursor}, "
            "not to older posts; stopped paging"
        )
    walk.cursor, walk.linked = cursor, page.before is not None
    return None


# -- Fetching ----------------------------------------------------------------------------


class _Fetcher:
    """GET with pacing, retries, Retry-After and t.me-only redirects."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        delay: float,
        sleep: Callable[[float], None],
        now: Callable[[], datetime],
    ):
        self.client = client
        self.delay = delay
        self.sleep = sleep
        self.now = now
        self.requests = 0

    def get(self, url: str) -> httpx.Response:
        """The page's answer; ``FetchFailed`` after MAX_ATTEMPTS or MAX_WAIT seconds."""
        waited, wait, problem = 0.0, 0.0, ""
        for attempt in range(MAX_ATTEMPTS):
            if attempt and waited + wait > MAX_WAIT:
                raise FetchFailed(
                    f"{url}: {problem}; waiting {wait:.0f} s more would pass the "
                    f"{MAX_WAIT:.0f} s allowed for one page"
                )
            waited += self._pause(wait)
            try:
                response = self._follow(url)
            except httpx.TransportError as exc:
                wait, problem = _backoff(attempt), _describe(exc)
                continue
            if response.status_code != 429 and response.status_code < 500:
                return _checked(response, url)
            hint = retry_after(response.headers.get("Retry-After"), self.now())
            wait = hint if hint is not None else _backoff(attempt)
            problem = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
        raise FetchFailed(f"{url}: gave up after {MAX_ATTEMPTS} attempts: {problem}")

    def _pause(self, wait: float) -> float:
        """Sleep before a request: the retry wait, and never less than the delay."""
        pause = max(wait, self.delay if self.requests else 0.0)
        if pause > 0:
            self.sleep(pause)
        return wait

    def _follow(self, url: str) -> httpx.Response:
        target = httpx.URL(url)
        for _ in range(MAX_REDIRECTS + 1):
            response = self._request(target)
            if not response.is_redirect:
                return response
            target = response.url.join(response.headers["Location"])
            if target.scheme != "https" or target.host != HOST:
                raise FetchFailed(f"{url}: redirected away from {HOST}, to {target}")
        raise FetchFailed(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _request(self, url: httpx.URL) -> httpx.Response:
        self.requests += 1
        try:
            return self.client.get(url, follow_redirects=False)
        except httpx.TransportError:
            raise  # retried by get()
        except httpx.HTTPError as exc:
            raise FetchFailed(f"{url}: {_describe(exc)}") from None


def _checked(response: httpx.Response, url: str) -> httpx.Response:
    if response.status_code == 404:
        raise NoPublicPreview(f"{url}: no such page (HTTP 404)")
    if response.status_code >= 400:
        raise FetchFailed(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
    return response


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number, or an HTTP date); None if unusable."""
    value = (value or "").strip()
    if RETRY_AFTER_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _backoff(attempt: int) -> float:
    return float(min(FIRST_BACKOFF * 2**attempt, MAX_BACKOFF))


def _describe(exc: httpx.HTTPError) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
