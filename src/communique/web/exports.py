"""Downloads: posts and tables as CSV, JSONL or Parquet.

Posts keep the export contract (docs/export.md): CSV and JSONL are written by
``communique.export``; Parquet has the same columns, typed, with the lists of
strings (media, hashtags, links, countries, organizations) as lists and the
objects (reply_to, source, people, events, ...) as JSON text, as in the CSV.

A download is written whole to a spooled temporary file in the handler's thread
(memory up to ``SPOOL_BYTES``, disk past it), then streamed from there: the store
is never read from another thread, and a failure becomes an error response, not
half a file. Its size is capped by the caller (setting web_max_export_rows);
``X-Total-Count`` says how many rows matched and ``X-Truncated`` whether the
download holds fewer.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from tempfile import SpooledTemporaryFile
from typing import IO, Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from fastapi.responses import StreamingResponse

from communique import export
from communique.models import Post

FORMATS = ("csv", "jsonl", "parquet")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}
SPOOL_BYTES = 16 * 1024**2
CHUNK = 64 * 1024
PARQUET_BATCH = 1000

_LISTS = ("media", "hashtags", "links", "countries", "organizations")
_INTS = ("message_id", "views", "views_rounding")
POST_SCHEMA = pa.schema(
    [
        pa.field(
            name,
            pa.list_(pa.string())
            if name in _LISTS
            else pa.int64()
            if name in _INTS
            else pa.bool_()
            if name == "edited"
            else pa.string(),
        )
        for name in export.FIELDS
    ]
)


def posts_download(
    posts: Iterable[Post], format: str, name: str, *, total: int
) -> StreamingResponse:
    """The posts as a file to download, ``name``.FORMAT."""
    spool = _spool()
    if format == "parquet":
        count = _posts_parquet(posts, spool)
    else:
        count = _text(spool, lambda out: export.write(posts, out, format))
    return _download(spool, format, name, total=total, truncated=count < total)


def rows_download(
    rows: Sequence[dict[str, Any]], fields: Sequence[str], format: str, name: str
) -> StreamingResponse:
    """A table (timeline counts, graph edges, channels, entities) as a file."""
    spool = _spool()
    if format == "parquet":
        columns = {f: [_parquet_cell(r.get(f)) for r in rows] for f in fields}
        pq.write_table(pa.table(columns), spool)
    elif format == "csv":
        _text(spool, lambda out: _csv_rows(rows, fields, out))
    else:
        _text(spool, lambda out: _jsonl_rows(rows, fields, out))
    return _download(spool, format, name, total=len(rows), truncated=False)


def _posts_parquet(posts: Iterable[Post], out: IO[bytes]) -> int:
    count = 0
    with pq.ParquetWriter(out, POST_SCHEMA) as writer:
        batch: list[dict[str, Any]] = []
        for post in posts:
            batch.append(_post_row(post))
            count += 1
            if len(batch) == PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=POST_SCHEMA))
                batch = []
        if batch or not count:
            writer.write_table(pa.Table.from_pylist(batch, schema=POST_SCHEMA))
    return count


def _post_row(post: Post) -> dict[str, Any]:
    row = post.to_dict()
    return {
        name: value
        if name in _LISTS or not isinstance(value, list | dict)
        else json.dumps(value, ensure_ascii=False)
        for name, value in ((name, row[name]) for name in export.FIELDS)
    }


def _parquet_cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value


def _csv_rows(rows: Sequence[dict[str, Any]], fields: Sequence[str], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_csv_cell(row.get(f)) for f in fields])
    return len(rows)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _jsonl_rows(rows: Sequence[dict[str, Any]], fields: Sequence[str], out: IO[str]) -> int:
    for row in rows:
        out.write(json.dumps({f: row.get(f) for f in fields}, ensure_ascii=False) + "\n")
    return len(rows)


def _spool() -> SpooledTemporaryFile[bytes]:
    return SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")


def _text(spool: IO[bytes], write: Any) -> int:
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    count = int(write(text))
    text.flush()
    text.detach()  # leave the spool open for reading
    return count


def _download(
    spool: IO[bytes], format: str, name: str, *, total: int, truncated: bool
) -> StreamingResponse:
    spool.seek(0)
    headers = {
        "Content-Disposition": f'attachment; filename="{name}.{format}"',
        "X-Total-Count": str(total),
        "X-Truncated": "true" if truncated else "false",
    }
    return StreamingResponse(_chunks(spool), media_type=MEDIA_TYPES[format], headers=headers)


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()
