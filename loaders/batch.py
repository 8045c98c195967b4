"""A batch load: discover input files, parse each one, write one staging snapshot.

Every input file ends up in `source_files`, and every distinct content in `reports`, whatever
happened to it: unreadable files get a failed report row with the reason. Files with the same bytes
are parsed once (the report id is derived from the bytes) and all their names are kept.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from loaders import PARSER_VERSION, staging
from loaders.parse import ParsedReport, parse_report
from loaders.registry import Registry

CELL_TABLES = ("disclosure_cells", "application_cells", "review_litigation_cells")
ROW_TABLES = CELL_TABLES + ("narrative_facts", "parse_issues")


class Executor(Protocol):
    """Runs the per-file work. The only seam between the loader and where that work runs."""

    def map(self, fn: Callable, items: Iterable) -> Iterator: ...


class SerialExecutor:
    def map(self, fn: Callable, items: Iterable) -> Iterator:
        return map(fn, items)


@dataclass
class LoadSummary:
    files: int = 0
    reports: int = 0
    status: Counter = field(default_factory=Counter)
    cells: int = 0
    facts: int = 0
    issues: Counter = field(default_factory=Counter)
    snapshot: Path | None = None
    # (source format, parse status) -> reports: how well each input format was read
    by_format: Counter = field(default_factory=Counter)


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and every file below the folders named, in a stable order."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() or (f.is_symlink() and not f.is_dir())))
        else:
            found.append(p)
    return sorted(dict.fromkeys(found), key=str)


@dataclass(frozen=True)
class _Job:
    path: str
    registry: Registry


def _read_and_parse(job: _Job) -> tuple[str, str | None, int, ParsedReport]:
    """(path, sha256, size, parsed). A file that cannot be read still yields a failed report."""
    try:
        data = Path(job.path).read_bytes()
    except OSError as exc:
        reason = f"{job.path}: cannot read file: {exc.strerror or exc}"
        report_id = "unreadable-" + hashlib.sha256(job.path.encode()).hexdigest()[:16]
        report = {
            "report_id": report_id, "source_path": job.path, "parser_version": PARSER_VERSION,
            "parse_status": "failed", "status_reason": reason,
        }
        issue = {"report_id": report_id, "source_path": job.path, "severity": "error", "code": "unreadable_file",
                 "message": reason, "line": None}
        return job.path, None, 0, ParsedReport(report, parse_issues=[issue])
    parsed = parse_report(data, job.path, job.registry)
    return job.path, parsed.report["source_sha256"], len(data), parsed


def load(
    paths: Iterable[str | Path],
    staging_dir: Path,
    registry: Registry,
    executor: Executor | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> LoadSummary:
    files = discover(paths)
    executor = executor or SerialExecutor()
    summary = LoadSummary(files=len(files))
    rows: dict[str, list[dict]] = {name: [] for name in staging.TABLES}
    seen_reports: set[str] = set()
    for done, (path, sha256, size, parsed) in enumerate(
        executor.map(_read_and_parse, (_Job(str(f), registry) for f in files)), start=1
    ):
        report_id = parsed.report["report_id"]
        rows["source_files"].append(
            {"source_path": path, "report_id": report_id, "source_sha256": sha256, "size_bytes": size}
        )
        if report_id not in seen_reports:
            seen_reports.add(report_id)
            rows["reports"].append(parsed.report)
            for name in ROW_TABLES:
                rows[name].extend(getattr(parsed, name))
            summary.status[parsed.report["parse_status"]] += 1
            summary.by_format[parsed.report.get("source_format") or "unknown", parsed.report["parse_status"]] += 1
        if progress:
            progress(done, len(files), path)
    summary.reports = len(rows["reports"])
    summary.cells = sum(len(rows[t]) for t in CELL_TABLES)
    summary.facts = len(rows["narrative_facts"])
    summary.issues = Counter(i["severity"] for i in rows["parse_issues"])
    summary.snapshot = staging.write_snapshot(
        staging_dir, {name: staging.to_table(name, r) for name, r in rows.items()}
    )
    return summary
