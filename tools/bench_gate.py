"""Benchmark of the gate (`ogi check`) at scale: copies the reports of a built warehouse until it
holds N reports, runs the gate on the copy and prints where the time goes.

    .venv/bin/python tools/bench_gate.py [--reports 100000] [--db data/ogi.duckdb]

The copy keeps the source's mix of findings (on the samples: one report in three checked fails).
"""
from __future__ import annotations

import argparse
import math
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from expectations import warehouse  # noqa: E402
from expectations.gate import run_gate  # noqa: E402

# Tables with one row per report (or more): copied `copies` times with a new report id each time.
SCALED = ("dim_reports", "fct_reconciliation_checks", "fct_findings", "fct_report_coverage", "fct_pipeline_invariants",
          "stg_ogi__parse_issues")


def scaled_copy(source: Path, target: Path, reports: int) -> int:
    with duckdb.connect(str(target)) as con:
        con.execute(f"attach '{source}' as src (read_only)")
        have = con.execute("select count(*) from src.dim_reports").fetchone()[0]
        copies = math.ceil(reports / have)
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'src' and table_schema = 'main'"
        ).fetchall()]
        for table in tables:
            if table in SCALED:
                columns = [r[0] for r in con.execute(f"describe src.{table}").fetchall()]
                ids = [c for c in ("report_id", "related_report_id", "current_report_id") if c in columns]
                replace = ", ".join(f"{c} || '-' || copy as {c}" for c in ids)
                con.execute(
                    f"create table {table} as select * replace ({replace}) "
                    f"from src.{table}, range({copies}) as copies(copy)"
                )
            elif not table.startswith("stg_"):
                con.execute(f"create table {table} as select * from src.{table}")
        return con.execute("select count(*) from dim_reports").fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--db", default="data/ogi.duckdb", help="a built warehouse to copy from")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        started = time.monotonic()
        reports = scaled_copy(Path(args.db).absolute(), db, args.reports)
        print(f"warehouse: {reports} reports, copied in {time.monotonic() - started:.1f}s")
        with warehouse.connect(db) as con:
            checks = con.execute("select count(*) from fct_reconciliation_checks").fetchone()[0]
            started = time.monotonic()
            identities = [i.check_id for i in warehouse.identities(con) if i.severity == "E"]
            frame = warehouse.report_frame(con, identities)
            invariants = warehouse.invariant_frame(con)
            print(f"checks: {checks} rows -> report frame {len(frame)} rows, invariant frame {len(invariants)} rows "
                  f"in {time.monotonic() - started:.1f}s")
        started = time.monotonic()
        result = run_gate(db, Path(tmp) / "bench.gate")
        elapsed = time.monotonic() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"gate: {'PASSED' if result.passed else f'FAILED (exit {result.exit_code})'} in {elapsed:.1f}s "
              f"({elapsed / reports * 1e6:.0f} µs per report), {len(result.findings)} findings rows, peak RSS {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
