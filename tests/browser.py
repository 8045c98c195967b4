"""Headless Chromium for tests that open HTML outputs (the docs site; the HTML report): Debian's
`chromium` package, installed by `make test`, driven through playwright. Playwright never downloads a
browser here: it is pointed at /usr/bin/chromium.

    with chromium_page() as page:
        page.goto(file_url(path))
        save_screenshot(page, "docs-model-page")
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Screenshots and other evidence of the browser tests, for CI to keep.
ARTIFACTS_DIR = Path(__file__).resolve().parents[1] / "test-artifacts"
# Flags that work on a headless machine with no network but the package registries.
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@contextmanager
def chromium_page(width: int = 1400, height: int = 900) -> Iterator[Page]:
    """A page in a fresh headless Chromium profile, closed afterwards."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with tempfile.TemporaryDirectory(prefix="ogi-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS,
            viewport={"width": width, "height": height},
        )
        try:
            yield context.new_page()
        finally:
            context.close()


def file_url(path: Path) -> str:
    return path.resolve().as_uri()


def save_screenshot(page: Page, name: str, full_page: bool = False) -> Path:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def block_network(page: Page) -> list[str]:
    """Abort every request that is not for a local file; the returned list fills with their URLs, so
    a test can assert that a page needs no network."""
    attempted: list[str] = []

    def refuse(route):
        attempted.append(route.request.url)
        route.abort()

    page.route(lambda url: not url.startswith(("file:", "data:", "blob:", "about:")), refuse)
    return attempted


def drawn_svg_marks(page: Page, container: str, marks: str = "path, rect, line, circle, text") -> int:
    """SVG elements matching `marks` (e.g. Vega's bars: `.mark-rect path`) inside the SVG drawings of
    `container` that have a non-zero size on screen: a drawing that exists but is empty or collapsed
    counts 0."""
    return page.evaluate(
        """([container, marks]) => Array.from(document.querySelectorAll(container + ' svg'))
            .flatMap(svg => Array.from(svg.querySelectorAll(marks)))
            .filter(e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; }).length""",
        [container, marks],
    )


def painted_pixels(page: Page, selector: str) -> int:
    """Non-transparent pixels drawn on the canvases matching `selector` (0 when nothing was drawn)."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector)).filter(c => c.width > 0).map(c => {
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
            return n;
        }).reduce((a, b) => a + b, 0)""",
        selector,
    )
