"""The staging Parquet tables of the data contract, written as one atomic snapshot.

Layout of a staging folder DIR:

    DIR/snapshots/<id>/<table>/part-0.parquet   one folder per table, every table always present
    DIR/current -> snapshots/<id>                the snapshot that readers (dbt) see

A load writes a complete new snapshot, then repoints `current` with an atomic rename of a symlink:
a crash at any moment leaves the previous snapshot in place and readable. Older snapshots are
removed once `current` has moved on.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMAS: dict[str, pa.Schema] = {
    "reports": pa.schema(
        [
            ("report_id", pa.string()),
            ("source_path", pa.string()),
            ("source_sha256", pa.string()),
            ("size_bytes", pa.int64()),
            ("source_format", pa.string()),
            ("encoding", pa.string()),
            ("script", pa.string()),
            ("title", pa.string()),
            ("title_line", pa.int32()),
            ("report_year", pa.int32()),
            ("template", pa.string()),
            ("jurisdiction_name", pa.string()),
            ("division_code", pa.string()),
            ("jurisdiction_evidence", pa.string()),
            ("organ_name", pa.string()),
            ("report_scope", pa.string()),
            ("parse_status", pa.string()),
            ("status_reason", pa.string()),
            ("parser_version", pa.string()),
        ]
    ),
    "source_files": pa.schema(
        [
            ("source_path", pa.string()),
            ("report_id", pa.string()),
            ("source_sha256", pa.string()),
            ("size_bytes", pa.int64()),
        ]
    ),
    "disclosure_cells": pa.schema(
        [
            ("report_id", pa.string()),
            ("item", pa.string()),
            ("measure", pa.string()),
            ("value", pa.float64()),
            ("cell_state", pa.string()),
            ("raw_text", pa.string()),
            ("line", pa.int32()),
        ]
    ),
    "application_cells": pa.schema(
        [
            ("report_id", pa.string()),
            ("row_code", pa.string()),
            ("applicant", pa.string()),
            ("value", pa.int64()),
            ("cell_state", pa.string()),
            ("raw_text", pa.string()),
            ("line", pa.int32()),
        ]
    ),
    "review_litigation_cells": pa.schema(
        [
            ("report_id", pa.string()),
            ("proceeding", pa.string()),
            ("result", pa.string()),
            ("value", pa.int64()),
            ("cell_state", pa.string()),
            ("raw_text", pa.string()),
            ("line", pa.int32()),
        ]
    ),
    "narrative_facts": pa.schema(
        [
            ("report_id", pa.string()),
            ("fact", pa.string()),
            ("value", pa.float64()),
            ("unit", pa.string()),
            ("sentence", pa.string()),
            ("line", pa.int32()),
        ]
    ),
    "parse_issues": pa.schema(
        [
            ("report_id", pa.string()),
            ("source_path", pa.string()),
            ("severity", pa.string()),
            ("code", pa.string()),
            ("message", pa.string()),
            ("line", pa.int32()),
        ]
    ),
}
TABLES = tuple(SCHEMAS)
CURRENT = "current"


def current_dir(staging_dir: Path) -> Path:
    """The folder of the snapshot readers should see (`DIR/current`)."""
    return Path(staging_dir) / CURRENT


def to_table(name: str, rows: list[dict]) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.Table.from_pylist([{f: r.get(f) for f in schema.names} for r in rows], schema=schema)


def write_snapshot(staging_dir: Path, tables: dict[str, pa.Table]) -> Path:
    """Write every staging table into a new snapshot and make it current atomically."""
    staging_dir = Path(staging_dir)
    snapshots = staging_dir / "snapshots"
    snapshots.mkdir(parents=True, exist_ok=True)
    snapshot_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**9}"
    building = snapshots / f".building-{snapshot_id}"
    for name in TABLES:
        table = tables.get(name) or to_table(name, [])
        (building / name).mkdir(parents=True)
        pq.write_table(table, building / name / "part-0.parquet", compression="zstd")
    final = snapshots / snapshot_id
    os.rename(building, final)
    _fsync_dir(snapshots)
    link = staging_dir / f".{CURRENT}-{snapshot_id}"
    os.symlink(Path("snapshots") / snapshot_id, link)
    os.replace(link, current_dir(staging_dir))
    _fsync_dir(staging_dir)
    _remove_stale(snapshots, keep=final)
    return final


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale(snapshots: Path, keep: Path) -> None:
    for entry in snapshots.iterdir():
        if entry != keep:
            shutil.rmtree(entry, ignore_errors=True)
