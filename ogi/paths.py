"""Where things live. Every command takes --staging and --db, so warehouses can live side by side;
the folders derived from the warehouse file (dbt's target, the gate's outputs) sit next to it."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from loaders.project import PROJECT_DIR  # noqa: F401 - where the rest of ogi finds the dbt project

DEFAULT_STAGING = Path("data/staging")
DEFAULT_DB = Path("data/ogi.duckdb")


@dataclass(frozen=True)
class Warehouse:
    staging: Path
    db: Path

    @classmethod
    def of(cls, staging: str | Path | None, db: str | Path | None) -> "Warehouse":
        return cls(Path(staging or DEFAULT_STAGING).absolute(), Path(db or DEFAULT_DB).absolute())

    @property
    def work_dir(self) -> Path:
        """dbt's target and logs for this warehouse: data/ogi.duckdb -> data/.ogi.dbt/."""
        return self.db.parent / f".{self.db.stem}.dbt"

    @property
    def gate_dir(self) -> Path:
        """The gate's Data Docs and findings: data/ogi.duckdb -> data/ogi.gate/."""
        return self.db.parent / f"{self.db.stem}.gate"

    @property
    def report_dir(self) -> Path:
        """The HTML report: data/ogi.duckdb -> data/ogi.report/."""
        return self.db.parent / f"{self.db.stem}.report"

    @property
    def export_dir(self) -> Path:
        """The marts as Parquet and CSV: data/ogi.duckdb -> data/ogi.export/."""
        return self.db.parent / f"{self.db.stem}.export"


def replace_folder(building: Path, out_dir: Path) -> None:
    """Put a folder written in full (`building`) in place of `out_dir`, whose old content is removed only
    once the new one is there."""
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(building, out_dir)
    shutil.rmtree(old, ignore_errors=True)
