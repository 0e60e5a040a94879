"""Headless Chromium for tests that look at HTML outputs as a reader would.

The browser is Debian's ``chromium`` (installed by ``scripts/install_browser.sh`` from
``bash run.sh test``), driven by Playwright for Python through ``executable_path``; Playwright's
own browser download is never used. Where no Chromium can be found the tests that need it skip
with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

#: Flags for a root user on a machine without network beyond package registries: no sandbox
#: (root), no GPU, and no background connections that would be refused.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The Chromium binary to drive: ``GREENINDEX_CHROMIUM`` or ``chromium`` on the PATH."""
    env = os.environ.get("GREENINDEX_CHROMIUM")
    if env and os.access(env, os.X_OK):
        return env
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def browser_page(width: int = 1280, height: int = 800) -> Iterator[tuple[Any, list[str]]]:
    """Yield a Playwright page in headless Chromium and the list its console errors go to.

    Skips the calling test when Playwright or Chromium is missing.
    """
    exe = chromium_path()
    if exe is None:
        pytest.skip("no Chromium found: run scripts/install_browser.sh or set GREENINDEX_CHROMIUM")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            yield page, errors
        finally:
            browser.close()
