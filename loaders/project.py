"""Where the dbt project is (dbt_project.yml, models/, seeds/, macros/, analyses/, tests/dbt/,
profiles.yml): beside the packages in a checkout; in an installed wheel, in the `ogi_project` folder
next to them (pyproject.toml packs it). The seeds in it are the code registry the loaders read."""
from __future__ import annotations

from pathlib import Path

_BESIDE = Path(__file__).resolve().parents[1]
PROJECT_DIR = _BESIDE if (_BESIDE / "dbt_project.yml").is_file() else _BESIDE / "ogi_project"
SEEDS_DIR = PROJECT_DIR / "seeds"
