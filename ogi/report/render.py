"""Pages from the Jinja templates (autoescaped: titles, organ names and source text are printed, never
trusted), and the assets every page loads from beside it."""
from __future__ import annotations

import shutil
from pathlib import Path

import jinja2

from ogi.report.pages import Link

PACKAGE_DIR = Path(__file__).resolve().parent
VEGA_BUNDLE = "vega-bundle.js"


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script, the versions of the pinned vl-convert."""
    import vl_convert

    versions = (f"vega {vl_convert.get_vega_version()}, vega-lite {vl_convert.get_vegalite_versions()[-1]}, "
                f"vega-embed {vl_convert.get_vega_embed_version()}")
    return f"/* {versions}, bundled by vl-convert-python {vl_convert.__version__} */\n" + vl_convert.javascript_bundle()


class Renderer:
    def __init__(self, out_dir: Path, **common):
        self.out_dir = out_dir
        self.common = common
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(PACKAGE_DIR / "templates"),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        )
        self.env.tests["link"] = lambda value: isinstance(value, Link)

    def write_assets(self) -> None:
        assets = self.out_dir / "assets"
        assets.mkdir(parents=True)
        (assets / VEGA_BUNDLE).write_text(vega_bundle(), encoding="utf-8")
        for name in ("report.css", "report.js"):
            shutil.copyfile(PACKAGE_DIR / "static" / name, assets / name)

    def page(self, template: str, path: str, context: dict) -> Path:
        target = self.out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.env.get_template(template).render(**self.common, **context), encoding="utf-8")
        return target
