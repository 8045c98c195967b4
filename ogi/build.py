"""`dbt build` and `dbt docs generate` against one warehouse, run as a subprocess.

The warehouse is built into a temporary file next to the target and renamed over it only when dbt
succeeds, so a failed or killed build leaves the previous warehouse intact.

`ogi build` runs the models and their data tests; the SQL unit tests of the models (fixtures in, rows
out) test our code, not the data, so they run in `make test` (`unit_tests`), as dbt advises, rather
than in every production build.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from loaders import staging
from loaders.executors import die_with_parent
from ogi.paths import PROJECT_DIR, Warehouse

DBT = Path(sys.executable).with_name("dbt")
# dbt's line for a node that finished: "12 of 209 OK created sql table model main.fct_x ... [OK in 0.1s]".
# Only failures are printed, the rest is progress.
NODE_DONE = re.compile(r"\b(\d+) of (\d+) (?!START)(?:OK|PASS|FAIL|ERROR|WARN|SKIP|NO-OP)\S* (?:created |loaded )?(.*?)[ .]*\[")


@dataclass
class DbtRun:
    returncode: int
    statuses: Counter = field(default_factory=Counter)  # (resource type, status) -> count
    failures: list[str] = field(default_factory=list)
    skipped: bool = False  # the warehouse was already built from this staging content and project


def _dbt(args: list[str], warehouse: Warehouse, db_path: Path, echo: Callable[[str], None],
         progress: Callable[[int, int, str], None] | None = None, snapshot: Path | None = None) -> DbtRun:
    target = warehouse.work_dir / "target"
    env = {
        **os.environ,
        # The snapshot itself, not the `current` link: a load that commits during the build must
        # not change what the build reads halfway through (and the warehouse's views keep reading it).
        # It goes into a SQL string literal (models/staging/_staging.yml): quotes are doubled.
        "OGI_STAGING_DIR": str(snapshot or staging.current_dir(warehouse.staging).resolve()).replace("'", "''"),
        "OGI_DB_PATH": str(db_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(DBT), "--no-use-colors", *args,
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(target),
        "--log-path", str(warehouse.work_dir / "logs"),
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=die_with_parent
    )
    assert process.stdout is not None
    finished = 0
    for line in process.stdout:
        line = line.rstrip()
        node = NODE_DONE.search(line)
        if node and "hook:" not in line:
            finished += 1
            if progress:
                progress(finished, int(node.group(2)), node.group(3).split()[-1].rsplit(".", 1)[-1])
        if any(word in line for word in (" ERROR ", " FAIL ", " WARN ", "Error")):
            echo("  dbt | " + line.split("  ", 1)[-1].strip())
    run = DbtRun(process.wait())
    results = target / "run_results.json"
    if results.exists():
        for r in json.loads(results.read_text())["results"]:
            resource = r["unique_id"].split(".")[0]
            run.statuses[(resource, r["status"])] += 1
            if r["status"] in ("error", "fail"):
                run.failures.append(f"{r['unique_id']}: {r.get('message') or r['status']}")
    return run


def _project_digest() -> str:
    """The dbt project: models, seeds, macros, dbt tests and configuration."""
    digest = hashlib.sha256()
    for folder in ("models", "seeds", "macros", "tests/dbt"):
        staging.add_files(digest, PROJECT_DIR, folder)
    for name in ("dbt_project.yml", "profiles.yml"):
        digest.update((PROJECT_DIR / name).read_bytes())
    return digest.hexdigest()


class WarehouseDamaged(Exception):
    """The warehouse file is not the one its last build wrote; the message says how to repair it."""


def _warehouse_changed(warehouse: Warehouse, last: dict) -> str | None:
    """What is wrong with the warehouse file, compared with what its last build wrote; None when it
    is that file."""
    if not warehouse.db.exists():
        return "is missing"
    recorded = last.get("warehouse_sha256")
    if recorded and staging.sha256_file(warehouse.db) != recorded:
        return "does not match the file its last build wrote (damaged, overwritten or changed since)"
    return None


def _opens(db: Path) -> bool:
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            con.execute("select count(*) from information_schema.tables").fetchone()
        return True
    except duckdb.Error:
        return False


def _last_build(warehouse: Warehouse) -> dict:
    record = warehouse.work_dir / "built_from.json"
    try:
        last = json.loads(record.read_text())
    except (OSError, ValueError):
        return {}
    return last if isinstance(last, dict) else {}


def was_built(warehouse: Warehouse) -> bool:
    """Whether `ogi build` wrote this warehouse file (it recorded its digest)."""
    return bool(_last_build(warehouse).get("warehouse_sha256"))


def verify_built(warehouse: Warehouse) -> str | None:
    """Before the gate reads the warehouse: it is the file its last build wrote, and the staging
    snapshot its views read matches its manifest. Raises WarehouseDamaged or StagingDamaged. Returns the
    file's digest, None when `ogi build` did not write it here."""
    last = _last_build(warehouse)
    if not last.get("warehouse_sha256"):
        return None  # not built by `ogi build` here (or by an older one): nothing to compare with
    problem = _warehouse_changed(warehouse, last)
    if problem:
        raise WarehouseDamaged(f"the warehouse {warehouse.db} {problem}; rebuild it with `ogi build`")
    if last.get("snapshot"):
        staging.check(warehouse.staging, Path(last["snapshot"]))
    return last["warehouse_sha256"]


def build(warehouse: Warehouse, echo: Callable[[str], None], force: bool = False,
          progress: Callable[[int, int, str], None] | None = None) -> DbtRun:
    """Build into a temporary file renamed over the warehouse on success. With the same dbt project as
    the last build, the temporary file starts as a copy of the warehouse so that incremental models
    only add new reports (macros/incremental_by_report.sql); with the same staging content too, there
    is nothing to do. What the build reads is verified first: the staging snapshot against its
    manifest (damaged: StagingDamaged, naming the load that repairs it), and the warehouse against
    the digest its last build recorded (changed: built again, from scratch when it cannot be opened).
    The snapshot built from is pinned (loaders.staging): the warehouse's views read it, so no later
    load removes it."""
    if not staging.current_dir(warehouse.staging).exists():
        raise FileNotFoundError(f"no staging data in {warehouse.staging}: run `ogi load` first")
    record = warehouse.work_dir / "built_from.json"
    last = _last_build(warehouse) if warehouse.db.exists() else {}
    current = staging.current_dir(warehouse.staging).resolve()
    staging.check(warehouse.staging, current)
    inputs = {"staging": staging.content_digest(current), "project": _project_digest()}
    changed = _warehouse_changed(warehouse, last) if last else None
    if changed:
        echo(f"build: the warehouse {warehouse.db} {changed}: building it again")
    if not force and not changed and inputs["staging"] and _same_inputs(last, inputs, current):
        return DbtRun(0, skipped=True)
    incremental = not force and last.get("project") == inputs["project"] and (not changed or _opens(warehouse.db))
    warehouse.db.parent.mkdir(parents=True, exist_ok=True)
    warehouse.work_dir.mkdir(parents=True, exist_ok=True)
    # One build of a warehouse at a time. The temporary file keeps one name, so that dbt's profile
    # (which holds its path) stays the same from build to build and dbt re-parses only what changed
    # (a full parse of the project costs seconds); a file left by a killed build is replaced.
    with open(warehouse.work_dir / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        snapshot = staging.pin_current(warehouse.staging, warehouse.db)
        built = None
        try:
            if snapshot != current:  # a load committed since the check above
                staging.check(warehouse.staging, snapshot)
            inputs = {"staging": staging.content_digest(snapshot), "project": inputs["project"], "snapshot": str(snapshot)}
            building = warehouse.db.with_name(f".{warehouse.db.name}.building")
            _remove_database(building)
            if incremental:
                shutil.copyfile(warehouse.db, building)
            run = _dbt(["build", "--exclude-resource-type", "unit_test"], warehouse, building, echo, progress, snapshot)
            if run.returncode == 0:
                # Fold the write-ahead log into the file before it replaces the warehouse.
                with duckdb.connect(str(building)) as con:
                    con.execute("checkpoint")
                inputs["warehouse_sha256"] = staging.sha256_file(building)
                os.replace(building, warehouse.db)
                built = snapshot
                partial = record.with_name(record.name + ".partial")
                partial.write_text(json.dumps(inputs))
                os.replace(partial, record)
            _remove_database(building)
        finally:
            staging.pin_built(warehouse.staging, warehouse.db, built)
    return run


def _same_inputs(last: dict, inputs: dict, current: Path) -> bool:
    """The last build read the same staging content with the same project, and the snapshot its
    views read is still there and whole."""
    snapshot = Path(last.get("snapshot") or "/nonexistent")
    return (
        last.get("staging") == inputs["staging"] and last.get("project") == inputs["project"]
        and snapshot.is_dir() and (snapshot == current or not staging.verify(snapshot))
    )


def unit_tests(warehouse: Warehouse, echo: Callable[[str], None]) -> DbtRun:
    """The dbt unit tests of the models, run against a built warehouse (dbt reads the column types of
    a model's inputs from it; the rows come from the tests' fixtures). The warehouse is not changed:
    the run-end hook records test results for `dbt build` only."""
    _require_warehouse(warehouse)
    return _dbt(["test", "--select", "test_type:unit"], warehouse, warehouse.db, echo)


def docs(warehouse: Warehouse, out_dir: Path, echo: Callable[[str], None],
         progress: Callable[[int, int, str], None] | None = None) -> DbtRun:
    """The docs site in `out_dir`: index.html is dbt's single-file page (manifest and catalog inlined),
    so it opens from disk without a server; manifest.json and catalog.json are kept for tools."""
    _require_warehouse(warehouse)
    run = _dbt(["docs", "generate", "--static"], warehouse, warehouse.db, echo, progress)
    if run.returncode == 0:
        out_dir.mkdir(parents=True, exist_ok=True)
        target = warehouse.work_dir / "target"
        for source, name in (("static_index.html", "index.html"), ("manifest.json", "manifest.json"),
                             ("catalog.json", "catalog.json")):
            shutil.copy2(target / source, out_dir / name)
    return run


def compile_analyses(warehouse: Warehouse, echo: Callable[[str], None]) -> tuple[DbtRun, Path]:
    """`dbt compile` of the analyses/ against the warehouse; returns the run and dbt's target folder."""
    _require_warehouse(warehouse)
    run = _dbt(["compile", "--select", "resource_type:analysis"], warehouse, warehouse.db, echo)
    return run, warehouse.work_dir / "target"


def _require_warehouse(warehouse: Warehouse) -> None:
    if not warehouse.db.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse.db}: run `ogi build` first")


def _remove_database(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)
