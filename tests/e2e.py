"""What the end-to-end tests (test_web_e2e.py) need beside pytest: the app served by a
real uvicorn in a background thread, and Debian's Chromium driven by Playwright.

Playwright's own browsers are never used: `playwright install` downloads them, and
the machines that run the tests have no network. Chromium comes from the `chromium`
package (`.ci/run` installs it).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from communique.web import WebConfig, create_app

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking switches Chromium calls Google at start (component updates,
# sync, QUIC probes); the closed network refuses it and the log fills with errors.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = (
    f"Chromium is missing: the end-to-end tests drive {CHROMIUM}. Install Debian's package "
    "(sudo apt-get install --no-install-recommends chromium; .ci/run does it). "
    "Do not run `playwright install`: it downloads other browsers."
)


def launch_options() -> dict[str, Any]:
    """What ``playwright.chromium.launch`` takes to start Debian's Chromium headless."""
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True}


@contextmanager
def serve(db: Path, timeout: float = 30.0) -> Iterator[str]:
    """Serve the archive ``db`` on 127.0.0.1 until the block ends; yields its base URL.

    The socket is bound here, on a port the system picks, and handed to uvicorn, so no
    other process can take the port between choosing it and listening on it.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(db, WebConfig.from_settings())
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    # Not in the main thread, uvicorn installs no signal handlers: Ctrl+C stays pytest's.
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("uvicorn stopped before it started serving")
            if time.monotonic() > deadline:
                raise TimeoutError(f"uvicorn did not start within {timeout} s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
