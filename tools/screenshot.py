"""Take the README's screenshot of the search page, on an archive of the real samples.

python tools/screenshot.py                      # writes docs/img/search.png
python tools/screenshot.py --query "Vietnam" --out /tmp/vietnam.png

Builds a throwaway archive from ../shared (the seed dumps, the CSV, the saved t.me
pages), serves it with uvicorn on 127.0.0.1 and photographs the search page in
Debian's headless Chromium (the same set-up as tests/test_web_e2e.py). Flags in
posts need an emoji font (Debian: fonts-noto-color-emoji), or they show as boxes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

from communique import ingest, open_store

ROOT = Path(__file__).resolve().parent.parent
# The server and browser set-up is the end-to-end tests', kept in one place.
sys.path.insert(0, str(ROOT / "tests"))
from e2e import CHROMIUM, MISSING_CHROMIUM, launch_options, serve  # noqa: E402

VIEWPORT = {"width": 1280, "height": 900}


def build_archive(shared: Path, db: Path) -> None:
    seeds = sorted((shared / "seeds").glob("*.txt"))
    store = open_store(db)
    try:
        ingest(store, seeds, channel="MFARussia")
        report = ingest(store, [*sorted((shared / "data").glob("*.csv")), shared / "data/tme_html"])
        if report.failed:
            raise SystemExit("\n".join(f"{f.path}: {f.error}" for f in report.failed))
    finally:
        store.close()


def screenshot(db: Path, query: str, out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    with serve(db) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        page = browser.new_page(base_url=base_url, viewport=VIEWPORT)
        page.goto("/?" + urlencode({"q": query}))
        page.get_by_test_id("result").first.wait_for()
        # The caret blinks in the focused search box: blur it so each run draws the same.
        page.get_by_test_id("query").blur()
        page.screenshot(path=out)
        browser.close()
    return out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--query", default="Lavrov")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "search.png")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(MISSING_CHROMIUM)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "sample.db"
        build_archive(args.shared, db)
        size = screenshot(db, args.query, args.out)
    print(f"{args.out}: {size // 1024} KB")


if __name__ == "__main__":
    main()
