"""The gate's Data Docs, self-contained: Great Expectations' pages link Bootstrap, bootstrap-table (which
fills the pages' lists), jQuery, Font Awesome and more from public CDNs, so offline, or where those hosts
are blocked, they render unstyled with empty lists. After the site is built, the shipped copies of those
files (data_docs_assets/, see its SOURCES.md) are put in the site's static/vendor/ folder and every page
points at them; the Vega scripts, which only draw data profiles that these suites do not have, are
dropped, and the logo comes from the site's own static/images. Any other resource a page would fetch
from the network is dropped too, so no page of the site loads anything from outside it.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "data_docs_assets"
VENDOR = "static/vendor"

# The CDN address a page links (without its query) -> the shipped file under static/vendor; None: dropped.
_LOCAL = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table-filter-control.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker.min.js",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "bootstrap-prefers-dark.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/vega@5": None,
    "https://cdn.jsdelivr.net/npm/vega-lite@5": None,
    "https://cdn.jsdelivr.net/npm/vega-embed@6": None,
}
# GX's logo, from its web-assets bucket: the site ships a copy in static/images.
_LOGO_HOST = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
_SITE_LOGO = "static/images/logo-long.png"

# A tag that loads something: <script src=…>, <link href=…>, <img src=…>, with an http(s) address.
_LOADING_TAG = re.compile(
    r"""<(?P<tag>script|link|img)\b(?P<attrs>[^>]*?)\b(?P<attr>src|href)=(?P<q>["'])(?P<url>https?://[^"']*)(?P=q)(?P<rest>[^>]*)>"""
    r"""(?P<close>\s*</script>)?""",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"""url\((?P<q>["']?)(?P<url>https?://[^"')]*)(?P=q)\)""")
_INTEGRITY = re.compile(r"""\s(?:integrity|crossorigin)=(["'])[^"']*\1""")


def _local(url: str, root: str) -> str | None:
    if url.startswith(_LOGO_HOST):
        return root + _SITE_LOGO
    name = _LOCAL.get(url.split("?")[0])
    return root + f"{VENDOR}/{name}" if name else None


def offline_page(html: str, root: str) -> str:
    """The page with every loaded resource local: `root` is the way from the page to the site's root."""
    def tag(m: re.Match) -> str:
        local = _local(m.group("url"), root)
        if local is None:
            return ""  # a resource the site does not ship: not fetched either
        attrs = _INTEGRITY.sub("", f"{m.group('attrs')}{m.group('attr')}={m.group('q')}{local}{m.group('q')}{m.group('rest')}")
        return f"<{m.group('tag')}{attrs}>" + (m.group("close") or "")

    html = _LOADING_TAG.sub(tag, html)
    return _CSS_URL.sub(lambda m: f"url('{_local(m.group('url'), root) or ''}')", html)


def make_offline(site: Path) -> None:
    """Ship the assets into the built site and point every page and style sheet at them."""
    shutil.copytree(ASSETS, site / VENDOR, ignore=shutil.ignore_patterns("*.md"), dirs_exist_ok=True)
    for path in list(site.rglob("*.html")) + list((site / "static" / "styles").glob("*.css")):
        root = "../" * (len(path.relative_to(site).parts) - 1)
        text = path.read_text(encoding="utf-8")
        path.write_text(offline_page(text, root), encoding="utf-8")
