"""One registry of settings: name, default, help.

The CLI, the docs (docs/settings.md) and a test that every setting is documented all
read ``SETTINGS``. A setting is read from the environment variable named in it, when
one is named, else it takes its default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Setting:
    name: str
    default: int | str
    help: str
    env: str | None = None

    def value(self) -> int | str:
        raw = os.environ.get(self.env) if self.env else None
        if raw is None or raw == "":
            return self.default
        return int(raw) if isinstance(self.default, int) else raw


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting(
            "db",
            "communique.db",
            "Path of the SQLite archive used when --db is not given.",
            env="COMMUNIQUE_DB",
        ),
        Setting(
            "max_line_chars",
            1_000_000,
            "Longest line, in characters, a text input may have; a longer one means the "
            "file is not line-based text (or is damaged) and the file is refused.",
        ),
        Setting(
            "max_file_bytes",
            4 * 1024**3,
            "Largest input file, in bytes, ingest accepts.",
        ),
        Setting(
            "sync_delay",
            "1.0",
            "Seconds between two requests to t.me during a sync (be polite).",
            env="COMMUNIQUE_SYNC_DELAY",
        ),
        Setting(
            "ingest_batch",
            2000,
            "Posts stored per transaction when a file is ingested in batches.",
        ),
        Setting(
            "check_whole_bytes",
            4 * 1024**2,
            "Files larger than this are read once to check them before any batch is "
            "stored, so a broken one is still refused whole.",
        ),
        Setting(
            "search_engine",
            "tantivy",
            "Index that ranks, counts and facets full-text searches: 'tantivy' (a ranking "
            "index beside the archive, ARCHIVE.tantivy, kept up to date from it) or "
            "'fts5' (SQLite's own full-text index; slower on large archives).",
            env="COMMUNIQUE_SEARCH_ENGINE",
        ),
        Setting(
            "sniff_bytes",
            65_536,
            "How many bytes of a file format detection reads.",
        ),
        Setting(
            "web_host",
            "127.0.0.1",
            "Address `communique serve` binds to when --host is not given; only this "
            "machine can reach the default.",
            env="COMMUNIQUE_HOST",
        ),
        Setting(
            "web_port",
            8000,
            "Port `communique serve` listens on when --port is not given.",
            env="COMMUNIQUE_PORT",
        ),
        Setting(
            "web_page_size",
            20,
            "Results per page of the web app's lists, and the API's default limit.",
        ),
        Setting(
            "web_max_page_size",
            100,
            "Largest page (limit) the web app and the API serve.",
        ),
        Setting(
            "web_max_query_chars",
            1000,
            "Longest query text, series or filter value, in characters, the web app and "
            "the API accept.",
        ),
        Setting(
            "web_max_export_rows",
            10_000,
            "Most rows one web or API export (CSV, JSONL, Parquet) holds; a larger "
            "result is cut there and says so in its X-Total-Count and X-Truncated headers.",
        ),
        Setting(
            "web_feed_size",
            50,
            "Entries in a search's Atom feed (the newest posts).",
        ),
        Setting(
            "web_max_series",
            8,
            "Most series one timeline comparison draws.",
        ),
    ]
}


def get(name: str) -> int | str:
    return SETTINGS[name].value()


def get_int(name: str) -> int:
    value = get(name)
    assert isinstance(value, int), name
    return value


def get_str(name: str) -> str:
    return str(get(name))
