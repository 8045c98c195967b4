"""`ogi`: load raw reports, build the warehouse, check it, document it, export it.

    ogi load PATH... [--staging DIR] [--workers N] [--file-timeout S] [--max-file-mb M] [--max-memory-mb M]
             [--follow-links-anywhere] [--full] [--executor processes|dask] [--scheduler ADDRESS] [--spool LOCATION]
    ogi build [--staging DIR] [--db FILE] [--force]
    ogi check [--staging DIR] [--db FILE] [--strict] [--threshold SHARE] [--min-checked SHARE] [--json] [--force]
    ogi run PATH... [--staging DIR] [--db FILE] [--strict] [--threshold SHARE] [--min-checked SHARE] [--json] [--force]
    ogi docs [--out DIR] [--staging DIR] [--db FILE]
    ogi analyses [--out FILE] [--db FILE]
    ogi report [--out DIR] [--db FILE]
    ogi export [--out DIR] [--db FILE] [--format parquet,csv]
    ogi synth N --out DIR [--seed S] [--formats text,html,docx,pdf] [--error-share F]
    ogi score STAGING --key KEY.json [--min PERCENT]
    ogi --version

Every command ends with a short summary; on a terminal, the steps a person waits for show their
progress on standard error (`--quiet`: none). The exit status is 0 on success, 1 when a step fails, 2
for a usage error (one line naming the problem and what to do). The gate (`check`, and `run`) exits 0
when it passes, 1 when findings fail it, 3 when coverage fails it (nothing checkable, below
--min-checked, an unverified report with --strict), 4 when the pipeline fails (a pipeline invariant,
or `run`'s load or build); see expectations/__init__.py.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import sys
import time
from pathlib import Path

from ogi.paths import Warehouse
from ogi.progress import Progress


def _echo(message: str = "") -> None:
    print(message, flush=True)


class UsageError(Exception):
    """A mistake in how ogi was called (a wrong path, a file that is not a warehouse, a warehouse in
    use, a bad argument): printed as one line naming the problem and what to do, exit status 2."""

    def __init__(self, message: str, command: str | None = None):
        super().__init__(message)
        self.command = command


def _limits(args: argparse.Namespace):
    from dataclasses import replace

    from loaders.guard import MIB, Limits

    limits = Limits.from_env()
    if args.file_timeout is not None:
        limits = replace(limits, seconds=args.file_timeout)
    if args.max_file_mb is not None:
        limits = replace(limits, max_bytes=int(args.max_file_mb * MIB))
    if args.max_memory_mb is not None:
        limits = replace(limits, memory_bytes=int(args.max_memory_mb * MIB))
    return limits


def _executor(args: argparse.Namespace):
    """Where the parse runs: in this process (--workers 0), a local process pool, or Dask."""
    from loaders.executors import ProcessPoolExecutor, SerialExecutor

    workers = args.workers
    if args.executor == "processes" and args.scheduler:
        raise UsageError("--scheduler is the address of a Dask scheduler: it goes with --executor dask")
    if args.executor != "dask" and not args.scheduler:
        if workers is None and os.environ.get("OGI_WORKERS"):
            workers = int(os.environ["OGI_WORKERS"])
        return SerialExecutor() if workers == 0 else ProcessPoolExecutor(workers)
    if args.scheduler and workers is not None:
        raise UsageError(f"--workers sets the size of a local cluster; the cluster at {args.scheduler} has its own workers")
    if workers is not None and workers < 1:
        raise UsageError("--executor dask runs the parse on Dask workers: give --workers 1 or more (0 is in-process)")
    try:
        from loaders.dask_executor import ClusterProblem, DaskExecutor
    except ImportError as exc:
        raise UsageError(f"--executor dask needs Dask ({exc}): pip install 'ogi-warehouse[dask]'") from None
    try:
        return DaskExecutor(args.scheduler, workers)
    except ClusterProblem as exc:
        raise UsageError(str(exc)) from None
    except (OSError, TimeoutError) as exc:
        if not args.scheduler:
            raise
        raise UsageError(f"cannot reach the Dask scheduler at {args.scheduler} ({exc}); check the address") from None


def cmd_load(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from loaders.batch import load

    started = time.monotonic()
    executor = _executor(args)
    try:
        with args.progress.bar("parse", unit="file", relative=True) as bar:
            summary = load(args.paths, warehouse.staging, executor=executor, limits=_limits(args),
                           progress=bar.advance_to, full=args.full, follow_links_anywhere=args.follow_links_anywhere,
                           spool_at=args.spool)
    finally:
        executor.close()
    status = summary.status
    _echo(
        f"load: {summary.files} files, {summary.reports} reports "
        f"(ok {status['ok']}, partial {status['partial']}, failed {status['failed']}), "
        f"{summary.cells} cells, {summary.facts} prose figures, "
        f"parse issues: {summary.issues['error']} errors, {summary.issues['warning']} warnings "
        f"in {time.monotonic() - started:.1f}s"
    )
    for source_format in sorted({f for f, _ in summary.by_format}):
        counts = {s: summary.by_format[source_format, s] for s in ("ok", "partial", "failed")}
        _echo(f"  {source_format}: {sum(counts.values())} reports (ok {counts['ok']}, partial {counts['partial']}, failed {counts['failed']})")
    _echo(
        f"  files: {summary.parsed} parsed, {summary.reused} unchanged and skipped, {summary.changed} changed, "
        f"{summary.duplicates} duplicates of another file; {summary.dropped} reports dropped (files gone), "
        f"{summary.replaced} replaced (files changed); "
        f"{summary.superseded} superseded versions; {summary.workers} workers"
    )
    if summary.refused:
        _echo("  not parsed: " + ", ".join(f"{code} {n}" for code, n in sorted(summary.refused.items())))
    if description := getattr(executor, "description", None):
        _echo(f"  executor: {description}")
    for repair in summary.repairs:
        _echo(f"  repaired: the previous staging snapshot {repair}")
    _echo(f"  staging: {summary.snapshot}")
    return 0


def cmd_build(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from ogi.build import build

    started = time.monotonic()
    with args.progress.bar("dbt build", unit="node") as bar:
        run = build(warehouse, args.progress.echo, force=getattr(args, "force", False), progress=bar.advance_to)
    if run.skipped:
        _echo(f"build: up to date (staging content and dbt project unchanged since the last build); skipped\n"
              f"  warehouse: {warehouse.db}")
        return 0
    counts = ", ".join(f"{kind} {status}: {n}" for (kind, status), n in sorted(run.statuses.items()))
    _echo(f"build: {'ok' if run.returncode == 0 else 'FAILED'} ({counts}) in {time.monotonic() - started:.1f}s")
    for failure in run.failures:
        _echo(f"  {failure}")
    _echo(f"  warehouse: {warehouse.db}" if run.returncode == 0 else "  the previous warehouse was left in place")
    return 0 if run.returncode == 0 else 1


# Exit status of `ogi run` when its load or build fails (expectations/__init__.py: the gate's statuses).
EXIT_PIPELINE = 4


def cmd_check(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from expectations import verdict
    from ogi.build import verify_built

    inputs = verdict.inputs(verify_built(warehouse), warehouse.gate_dir, args.strict, args.threshold, args.min_checked)
    reused = None if args.force else verdict.reusable(warehouse.gate_dir, inputs)
    if reused:
        print("check: the warehouse, the gate and its rule are unchanged since the last check: its verdict "
              f"and outputs ({warehouse.gate_dir}) stand (--force checks again)", file=sys.stderr, flush=True)
        print(reused.document if args.json else reused.summary, end="", flush=True)
        return reused.exit_code

    from expectations.gate import run_gate
    from expectations.summary import lines, to_json

    result = run_gate(warehouse.db, warehouse.gate_dir, strict=args.strict, threshold=args.threshold,
                      min_checked=args.min_checked, verdict_inputs=inputs)
    if args.json:
        print(to_json(result), end="", flush=True)
    else:
        for line in lines(result):
            _echo(line)
    return result.exit_code


# Beyond this many reports the run summary gives counts instead of one line per report.
_LISTED_REPORTS = 30


def _print_reports(warehouse: Warehouse) -> None:
    import duckdb

    with duckdb.connect(str(warehouse.db), read_only=True) as con:
        rows = con.execute(
            """
            select source_path, report_year, jurisdiction_name, division_code, organ_name, report_scope,
                   template, parse_status, table_cell_count, narrative_fact_count
            from dim_reports order by source_path
            """
        ).fetchall()
    _echo(f"reports: {len(rows)}")
    if len(rows) > _LISTED_REPORTS:
        return
    for path, year, place, code, organ, scope, template, status, cells, facts in rows:
        _echo(f"  {status:<7} {template or '?':<7} {year or '?'} {place or '?'} ({code or '?'}) {organ or '?'} [{scope or '?'}], "
              f"{cells} cells, {facts} prose figures: {path}")


def cmd_run(args: argparse.Namespace, warehouse: Warehouse) -> int:
    # With --json, standard output is the gate's document alone: the steps report on standard error.
    with contextlib.redirect_stdout(sys.stderr) if args.json else contextlib.nullcontext():
        for step in (cmd_load, cmd_build):
            if step(args, warehouse) != 0:
                return EXIT_PIPELINE
        _print_reports(warehouse)
    return cmd_check(args, warehouse)


def cmd_docs(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from ogi.build import docs

    out = Path(args.out).absolute()
    with args.progress.bar("dbt docs", unit="node") as bar:
        run = docs(warehouse, out, args.progress.echo, progress=bar.advance_to)
    _echo(f"docs: {'ok' if run.returncode == 0 else 'FAILED'}: {out / 'index.html'}")
    return 0 if run.returncode == 0 else 1


def cmd_analyses(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from ogi.analyses import AnalysisError, describe_warehouse, read_analyses, render_page, run_analyses
    from ogi.build import compile_analyses

    run, target = compile_analyses(warehouse, _echo)
    if run.returncode != 0:
        _echo("analyses: FAILED to compile")
        return 1
    try:
        results = run_analyses(warehouse.db, read_analyses(target))
    except AnalysisError as exc:
        _echo(f"analyses: FAILED: {exc}")
        return 1
    page = render_page(results, describe_warehouse(warehouse.db))
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.partial")
        partial.write_text(page, encoding="utf-8")
        partial.replace(out)
        _echo(f"analyses: {len(results)} run, {sum(len(r.rows) for r in results)} result rows: {out}")
    else:
        _echo(page)
    return 0


def cmd_report(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from ogi.report import write_report

    started = time.monotonic()
    with args.progress.bar("report", unit="page") as bar:
        result = write_report(warehouse.db, Path(args.out) if args.out else warehouse.report_dir, progress=bar.advance_to)
    _echo(
        f"report: {result.jurisdiction_pages} jurisdiction pages, {result.charts} charts, {result.findings} findings "
        f"in {result.reports_with_findings} reports, {result.source_pages} source copies "
        f"in {time.monotonic() - started:.1f}s"
    )
    for problem in result.sources_missing:
        _echo(f"  no copy of the text: {problem}")
    _echo(f"  open: {result.index}")
    return 0


def cmd_export(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from ogi.export import export

    started = time.monotonic()
    out = Path(args.out) if args.out else warehouse.export_dir
    with args.progress.bar("export", unit="table") as bar:
        result = export(warehouse.db, out, args.format, progress=lambda done, total, table: bar.advance_to(done, total, table))
    _echo(f"export: {len(result.tables)} tables, {sum(result.tables.values())} rows as {' and '.join(args.format)} "
          f"in {time.monotonic() - started:.1f}s")
    for fmt in args.format:
        _echo(f"  {fmt}: {result.out_dir / fmt}")
    _echo(f"  data dictionary: {result.out_dir / 'data_dictionary.csv'}" if "csv" in args.format
          else f"  data dictionary: {result.out_dir / 'data_dictionary.parquet'}")
    return 0


def cmd_score(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from loaders.registry import load_registry
    from ogi.score import KeyError_, score

    try:
        result = score(Path(args.staging_dir), Path(args.key), {r.row_code for r in load_registry().application_rows})
    except (KeyError_, FileNotFoundError) as exc:
        _echo(f"ogi score: {exc}")
        return 2
    for m in result.mismatches:
        _echo(f"  {m.file}: {m.field}: key {m.expected!r}, staging {m.found}")
    for field in result.unknown_fields:
        _echo(f"  not scored, a field this scorer does not know: {field}")
    _echo(f"figures: {result.matched}/{result.keyed} matched ({result.percent:.1f}%)")
    return 1 if args.min is not None and result.percent < args.min else 0


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a share between 0 and 1")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a whole number of 1 or more")
    return value


def _choices(allowed: tuple[str, ...]):
    """A comma-separated subset of `allowed`, as a tuple in the order given."""
    def parse(text: str) -> tuple[str, ...]:
        chosen = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
        unknown = [c for c in chosen if c not in allowed]
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(f"{','.join(unknown) or repr(text)} is not one of {', '.join(allowed)}")
        return chosen
    return parse


def cmd_synth(args: argparse.Namespace, warehouse: Warehouse) -> int:
    from ogi.synth import Options, generate

    started = time.monotonic()
    out = Path(args.out)
    options = Options(args.count, seed=args.seed, formats=args.formats, error_share=args.error_share)
    with args.progress.bar("synth", unit="report") as bar:
        counts = generate(options, out, progress=bar.advance_to)
    _echo(
        f"synth: {counts['reports']} reports, {counts['duplicates']} duplicate files, {counts['republished']} republished "
        f"versions, {counts['planted_errors']} planted errors in {time.monotonic() - started:.1f}s"
    )
    _echo(f"  reports: {out / 'reports'}\n  truth: {out / 'truth'}")
    return 0


class _Parser(argparse.ArgumentParser):
    """Argument errors as one line naming the problem and pointing to --help, exit status 2."""

    def error(self, message: str):
        raise UsageError(f"{message} (see `{self.prog} --help`)", command=self.prog)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ogi-warehouse")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def _parser() -> argparse.ArgumentParser:
    from expectations import DEFAULT_MIN_CHECKED, DEFAULT_THRESHOLD
    from ogi.export import FORMATS as EXPORT_FORMATS
    from ogi.synth import FORMATS as SYNTH_FORMATS

    parser = _Parser(prog="ogi", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"ogi {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, handler, help_text: str, paths: bool = False, gate: bool = False):
        p = commands.add_parser(name, help=help_text)
        p.add_argument("--quiet", action="store_true", help="no progress display (there is none when output is not a terminal)")
        if paths:
            p.add_argument("paths", nargs="+", help="report files or folders (searched recursively)")
        p.add_argument("--staging", help="staging folder (default data/staging)")
        p.add_argument("--db", help="warehouse file (default data/ogi.duckdb)")
        if gate:
            p.add_argument("--strict", action="store_true",
                           help="fail on any E-severity finding and on any report that could not be checked")
            p.add_argument(
                "--threshold", type=_share, default=DEFAULT_THRESHOLD,
                help=f"largest share (0 to 1) of checked reports with E findings that still passes "
                f"(default {DEFAULT_THRESHOLD}; ignored with --strict)",
            )
            p.add_argument(
                "--min-checked", type=_share, default=DEFAULT_MIN_CHECKED,
                help=f"smallest share (0 to 1) of the reports that should print the template tables that must be "
                f"checked (default {DEFAULT_MIN_CHECKED}; with --strict every one)",
            )
            p.add_argument("--json", action="store_true",
                           help="print the gate's summary as a JSON document (also written to summary.json)")
            p.add_argument("--force", action="store_true",
                           help="check again even when the warehouse, the gate and its rule are unchanged since the last "
                           "check (whose verdict otherwise stands); with run, build again too")
        p.set_defaults(handler=handler)
        return p

    for loader in (
        add("load", cmd_load, "parse reports into the staging Parquet tables", paths=True),
        add("run", cmd_run, "load, build and check", paths=True, gate=True),
    ):
        loader.add_argument("--workers", type=int, help="parser processes (default: one per core, or OGI_WORKERS; 0: in-process)")
        loader.add_argument("--file-timeout", type=float, help="seconds of parsing per file before it is stopped "
                            "(default 60, or OGI_FILE_TIMEOUT)")
        loader.add_argument("--max-file-mb", type=float, help="files larger than this are not read (default 64, or OGI_MAX_FILE_MB)")
        loader.add_argument("--max-memory-mb", type=float, help="memory that reading and parsing one file may take before it "
                            "is stopped (default 2048, or OGI_MAX_MEMORY_MB)")
        loader.add_argument("--follow-links-anywhere", action="store_true",
                            help="read symlinks that point outside the input folders (by default they are refused)")
        loader.add_argument("--full", action="store_true", help="parse every file again, ignoring the previous snapshot")
        loader.add_argument("--executor", choices=("processes", "dask"),
                            help="where the parse runs: a pool of local processes (the default) or Dask "
                            "(needs pip install 'ogi-warehouse[dask]'; see docs/scaling.md)")
        loader.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler to run on (implies --executor dask; "
                            "default with --executor dask: a local cluster of --workers processes)")
        loader.add_argument("--spool", metavar="LOCATION", help="where the parse tasks leave their rows: a folder or URL "
                            "every worker reaches (default: inside the staging folder)")
    build_command = add("build", cmd_build, "dbt build: seeds, models and dbt tests into the warehouse")
    build_command.add_argument("--force", action="store_true", help="build even when staging and models are unchanged")
    add("check", cmd_check, "run the expectation suites (the gate)", gate=True)
    synth = commands.add_parser("synth", help="write N realistic synthetic reports and their truth (tests, benchmark)")
    synth.add_argument("count", type=_positive, help="number of reports (1 or more)")
    synth.add_argument("--out", required=True, help="output folder: reports in OUT/reports, truth in OUT/truth")
    synth.add_argument("--seed", type=int, default=20240601)
    synth.add_argument("--formats", type=_choices(SYNTH_FORMATS), default=",".join(SYNTH_FORMATS),
                       help=f"comma-separated: {', '.join(SYNTH_FORMATS)} (default all)")
    synth.add_argument("--error-share", type=_share, default=0.05, help="share (0 to 1) of reports with a planted publication error")
    synth.add_argument("--quiet", action="store_true", help="no progress display")
    synth.set_defaults(handler=cmd_synth)
    scorer = commands.add_parser("score", help="compare a staging snapshot with a hand-checked answer key")
    scorer.add_argument("staging_dir", metavar="STAGING", help="staging folder (or one snapshot of it)")
    scorer.add_argument("--key", required=True, help="answer key (JSON; format in tests/fixtures/devcorpus/README.md)")
    scorer.add_argument("--min", type=float, help="exit 1 when fewer than this percent of the keyed figures match")
    scorer.set_defaults(handler=cmd_score)
    docs = add("docs", cmd_docs, "generate the dbt docs site")
    docs.add_argument("--out", default="data/docs", help="output folder (default data/docs)")
    analyses = add("analyses", cmd_analyses, "run the example analyses (analyses/) and print or write their results")
    analyses.add_argument("--out", help="write the results as a Markdown page to this file (default: print them)")
    report = add("report", cmd_report, "write the HTML report of the warehouse (charts, jurisdictions, findings)")
    report.add_argument("--out", help="output folder (default: next to the warehouse, data/ogi.report)")
    exporter = add("export", cmd_export, "write every mart and the findings as Parquet and CSV, with a data dictionary")
    exporter.add_argument("--out", help="output folder (default: next to the warehouse, data/ogi.export)")
    exporter.add_argument("--format", type=_choices(EXPORT_FORMATS), default=",".join(EXPORT_FORMATS),
                          help=f"comma-separated: {', '.join(EXPORT_FORMATS)} (default both)")
    return parser


# Commands that read the warehouse file, which must then be one.
_READS_WAREHOUSE = ("check", "docs", "analyses", "report", "export")
# The first bytes of a DuckDB database file: 8 bytes of checksum, then the magic.
_DUCKDB_MAGIC = (8, b"DUCK")


def _check_usage(args: argparse.Namespace, warehouse: Warehouse) -> None:
    """The usage errors that can be told before any work starts."""
    for path in getattr(args, "paths", None) or []:
        if not os.path.lexists(path):
            raise UsageError(f"no such file or folder: {path} (give the reports' files or folders)")
    db = warehouse.db
    if db.is_dir():
        raise UsageError(f"--db {db} is a folder: give the warehouse file, e.g. {db / 'ogi.duckdb'}")
    if db.is_file() and not _is_duckdb_file(db):
        from ogi.build import was_built

        if was_built(warehouse):  # the warehouse `ogi build` wrote, damaged since: the build repairs it
            if args.command in _READS_WAREHOUSE:
                raise UsageError(f"the warehouse {db} is damaged (it is no longer a DuckDB file); rebuild it with `ogi build`")
        elif args.command in _READS_WAREHOUSE:
            raise UsageError(f"{db} is not a DuckDB warehouse: give the file `ogi build` wrote with --db (default data/ogi.duckdb)")
        elif args.command in ("build", "run"):
            raise UsageError(f"{db} is not a DuckDB warehouse and would be replaced: give another path with --db")


def _is_duckdb_file(path: Path) -> bool:
    offset, magic = _DUCKDB_MAGIC
    try:
        with open(path, "rb") as f:
            return f.read(offset + len(magic))[offset:] == magic
    except OSError:
        return False


def _usage_problem(exc: BaseException) -> str | None:
    """The usage error behind an exception raised while a command ran, or None when it is not one."""
    import duckdb

    if isinstance(exc, FileNotFoundError) and exc.errno is None:  # ours ("no warehouse at …: run `ogi build` first")
        return str(exc)
    from loaders.staging import StagingBusy, StagingDamaged
    from ogi.build import WarehouseDamaged

    if isinstance(exc, (StagingBusy, StagingDamaged, WarehouseDamaged)):  # each says how to repair
        return str(exc)
    if isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower():
        # DuckDB: Could not set lock on file "…": Conflicting lock is held in /usr/bin/python3 (PID 123)
        file = re.search(r'file "([^"]+)"', str(exc))
        holder = re.search(r"PID (\d+)", str(exc))
        warehouse = f"the warehouse {file.group(1)}" if file else "the warehouse"
        by = f"another process (PID {holder.group(1)})" if holder else "another process"
        return f"{warehouse} is in use by {by}: wait for it to finish, or close the program that has it open, and run this again"
    if isinstance(exc, duckdb.IOException):  # a damaged file that still starts like a DuckDB one
        first = str(exc).strip().split("\n")[0]
        return f"the warehouse cannot be read ({first}); rebuild it with `ogi build`"
    if isinstance(exc, OSError) and exc.errno is not None:  # a full disk, a folder that cannot be written
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or exc}{where}; the previous outputs are left as they were"
    return None


def main(argv: list[str] | None = None) -> int:
    # Behave like other command-line tools when the output is piped into `head`.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    command = "ogi"
    try:
        args = _parser().parse_args(argv)
        command = f"ogi {args.command}"
        warehouse = Warehouse.of(getattr(args, "staging", None), getattr(args, "db", None))
        args.progress = Progress.on_terminal(quiet=getattr(args, "quiet", False))
        _check_usage(args, warehouse)
        return args.handler(args, warehouse)
    except UsageError as exc:
        print(f"{exc.command or command}: {exc}", file=sys.stderr, flush=True)
        return 2
    except Exception as exc:
        problem = _usage_problem(exc)
        if problem is None:
            raise
        print(f"{command}: {problem}", file=sys.stderr, flush=True)
        return 2


if __name__ == "__main__":
    sys.exit(main())
