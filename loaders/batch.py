"""A batch load: discover input files, parse what changed, write one partitioned staging snapshot.

    discover: walk the folders, stat every file (whatever it is: every file gets a row)
    plan:     a file whose path, size and mtime match the previous snapshot's state (same parser,
              seeds and limits) is not read again; everything else is parsed
    parse:    tasks of files on the executor; each file goes through the guard (size, binary, ZIP
              bomb, NUL bytes), is parsed under the per-file time limit, and its rows are spooled to
              Arrow files per task (one per group of buckets), sorted by bucket; only small
              per-file records come back
    retry:    a task whose worker died or stalled is retried file by file; a file that kills its
              worker again gets a failed row that says so
    choose:   files with the same bytes are one report (all names go to source_files) whose rows
              come from the first path in sort order; republished versions of the same organ and
              year are marked (loaders.versions)
    write:    bucket-group tasks on the executor write each bucket of every row table, reading
              each spool file once (a bucket where nothing changed is a hard link to the previous
              part); the snapshot becomes current atomically (loaders.staging)

Memory stays bounded whatever the corpus: workers hold one task's rows, the parent holds one
record and one report row per file, and a bucket-group task holds one table of its group of
buckets (an eighth of the rows at most).
"""
from __future__ import annotations

import hashlib
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

import loaders
from loaders import guard, spool, staging
from loaders.executors import Executor, Lost, ProcessPoolExecutor, SerialExecutor
from loaders.guard import Limits
from loaders.parse import CELL_TABLES, Identity, ParsedReport, failed_report, parse_report
from loaders.registry import DEFAULT_SEEDS_DIR, Registry, load_registry
from loaders.versions import Candidate, choose_versions

ROW_TABLES = staging.ROW_TABLES
# Files per parse task: large enough that per-task overhead vanishes, small enough that the work
# spreads over the workers and a lost task costs little to retry.
MAX_TASK_FILES = 128
# Below this many new rows, the bucket parts are written in the parent process.
PARALLEL_WRITE_ROWS = 200_000
# Buckets written by one bucket task. A parse task spools each table's rows in one Arrow file per
# group of buckets, which that group's task alone reads, once: an eighth of the rows at a time at
# most (64 buckets), whatever the corpus.
BUCKETS_PER_GROUP = 8
# Outcomes of a file whose report rows this run produced (as opposed to reused or deduplicated).
PRODUCED = ("parsed", "refused", "unreadable", "time_limit", "memory_limit", "lost")


@dataclass
class LoadSummary:
    files: int = 0
    reports: int = 0
    status: Counter = field(default_factory=Counter)
    cells: int = 0
    facts: int = 0
    issues: Counter = field(default_factory=Counter)
    snapshot: Path | None = None
    parsed: int = 0  # files read and parsed in this run
    reused: int = 0  # files skipped: unchanged since the previous snapshot
    changed: int = 0  # files whose path was known but whose bytes or metadata changed
    dropped: int = 0  # reports of the previous snapshot whose files are gone
    replaced: int = 0  # reports of the previous snapshot whose files now hold other bytes
    duplicates: int = 0  # files whose bytes another file (earlier in sort order) already has
    superseded: int = 0  # reports that are not the current version of their organ and year
    refused: Counter = field(default_factory=Counter)  # guard refusals and limits hit, by code
    workers: int = 0
    # (source format, parse status) -> reports: how well each input format was read
    by_format: Counter = field(default_factory=Counter)
    repairs: list[str] = field(default_factory=list)  # damage found in the previous snapshot, and what was done


@dataclass(frozen=True)
class InputFile:
    path: str  # for the operating system (may hold surrogate escapes of undecodable names)
    display: str  # as stored in staging: always valid UTF-8
    size: int
    mtime_ns: int
    link: bool = False  # a symlink: checked again on every load (where it points may have changed)


def display_path(path: str) -> str:
    """File names that are not valid UTF-8 are kept readable (and unique) with backslash escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def input_roots(paths: Iterable[str | Path]) -> tuple[str, ...]:
    """The real paths of the folders and files named: where input symlinks may point."""
    return tuple(os.path.realpath(p) for p in map(str, paths))


def _input(path: str, roots: tuple[str, ...] | None) -> InputFile:
    """A file's size and modification time as the load records them: of its target for a symlink
    that is followed, of the link itself for one that points outside the inputs (nothing of such a
    target is looked at, let alone stored)."""
    link = os.path.islink(path)
    try:
        outside = link and roots is not None and not guard.inside(os.path.realpath(path), roots)
        info = os.lstat(path) if outside else os.stat(path)
        size, mtime = info.st_size, info.st_mtime_ns
    except OSError:
        size, mtime = -1, -1
    return InputFile(path, display_path(path), size, mtime, link)


def discover(paths: Iterable[str | Path], roots: tuple[str, ...] | None = None) -> list[InputFile]:
    """Files named directly, and every non-folder entry below the folders named (symlinks to files,
    broken symlinks and special files included: each gets a row), sorted by path. `roots`: where
    symlinks may point (None: anywhere)."""
    found: dict[str, InputFile] = {}
    for p in map(str, paths):
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for name in names + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
                    path = os.path.join(root, name)
                    found.setdefault(path, _input(path, roots))
        else:
            found.setdefault(p, _input(p, roots))
    return sorted(found.values(), key=lambda f: f.display)


# --- parse tasks (run on the executor) ----------------------------------------------------------

@dataclass(frozen=True)
class ParseTask:
    number: int
    files: tuple[tuple[str, str, str | None], ...]  # (path, display, report id this path had before)
    spool: str
    limits: Limits
    seeds_dir: str
    buckets: int
    roots: tuple[str, ...] | None = None  # where input symlinks may point (None: anywhere)
    # Set when the parent records files that were lost without reading them again: per file
    # (refusal code, reason, the worker's note about it: "sha256 size mtime_ns", or "- size mtime_ns").
    unread: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class FileRecord:
    source_path: str  # display form
    size_bytes: int
    mtime_ns: int
    source_sha256: str | None
    report_id: str
    outcome: str  # PRODUCED, or reused / unchanged / duplicate
    figures: int
    task: int = -1
    refusal: str | None = None  # why the file was not parsed (a guard code or a limit)


@dataclass
class ParseResult:
    number: int
    files: list[FileRecord]
    reports: pa.Table
    # table -> group -> (Arrow file, offsets of the group's buckets in it)
    fragments: dict[str, dict[int, tuple[str, tuple[int, ...]]]]


@lru_cache(maxsize=2)
def _registry(seeds_dir: str) -> Registry:
    """Built once per process (the registry takes a fraction of a second to build)."""
    return load_registry(seeds_dir)


def _failed(report_id: str, display: str, sha256: str | None, size: int, code: str, reason: str) -> ParsedReport:
    return failed_report(Identity(report_id, sha256, size), display, code, reason)


def _path_id(prefix: str, display: str, size: int) -> str:
    return f"{prefix}-" + hashlib.sha256(f"{display}\0{size}".encode()).hexdigest()[:16]


def time_limit_reason(limits: Limits) -> str:
    return f"parsing stopped after {limits.seconds:g}s, the per-file time limit (--file-timeout / OGI_FILE_TIMEOUT)"


def memory_limit_reason(limits: Limits) -> str:
    return (f"parsing needed more than {limits.memory_bytes / guard.MIB:g} MiB of memory, the per-file memory limit "
            "(--max-memory-mb / OGI_MAX_MEMORY_MB)")


def kill_after(limits: Limits) -> float | None:
    """When the executor kills a worker whose file outlives the time limit: a little after the
    worker's own alarm, which lets the worker carry on without being replaced."""
    return limits.seconds + max(1.0, limits.seconds / 10) if limits.seconds else None


def stall_after(limits: Limits) -> float | None:
    """When the executor kills a worker that gave no tick (started no file, finished no task):
    a stall outside any file's limit, such as writing the task's rows."""
    return limits.seconds + 30 if limits.seconds else None


def unread_record(display: str, code: str, reason: str, note: str) -> tuple[FileRecord, ParsedReport]:
    """The failed row of a file that stopped its worker, from the worker's note about it: the file
    is not read again here (its read may be what never ends)."""
    sha256, size, mtime = note.split(" ")
    sha256, size, mtime = (None if sha256 == "-" else sha256), int(size), int(mtime)
    report_id = sha256[:16] if sha256 else _path_id("unread", display, max(size, 0))
    outcome = {"file_time_limit": "time_limit", "file_memory_limit": "memory_limit"}.get(code, "lost")
    parsed = _failed(report_id, display, sha256, size, code, reason)
    return FileRecord(display, max(size, 0), mtime, sha256, report_id, outcome, 0, refusal=code), parsed


def read_and_parse(path: str, display: str, known_id: str | None, registry: Registry, limits: Limits,
                   parsed_ids: frozenset | set = frozenset(), roots: tuple[str, ...] | None = None,
                   note: Callable[[str], None] | None = None) -> tuple[FileRecord, ParsedReport | None]:
    """One file through the guard and the parser, reading and parsing within the per-file time and
    memory limits. Never raises; a file never yields no record. Bytes parsed before are not parsed
    again: `known_id` is the report id this path had in the previous load, `parsed_ids` those of the
    files already parsed in this task. `note` hears "sha256 size mtime_ns" once the file is read."""
    verdict: guard.Verdict | None = None
    try:
        # The alarm innermost: it is disarmed before the memory limit is lifted, never while.
        with guard.memory_limit(limits.memory_bytes), guard.time_limit(limits.seconds):
            verdict = guard.read(path, limits, roots)
            size, mtime = verdict.size, verdict.mtime_ns
            if verdict.sha256_of is None:
                report_id, sha256 = _path_id("unread", display, size), None
            else:
                sha256 = hashlib.sha256(verdict.sha256_of).hexdigest()
                report_id = sha256[:16]
                if note:
                    note(f"{sha256} {size} {mtime}")
            if verdict.refusal:
                parsed = _failed(report_id, display, sha256, size, verdict.refusal, verdict.reason)
                return FileRecord(display, size, mtime, sha256, report_id, "refused", 0, refusal=verdict.refusal), parsed
            if report_id == known_id:
                return FileRecord(display, size, mtime, sha256, report_id, "unchanged", 0), None
            if report_id in parsed_ids:
                return FileRecord(display, size, mtime, sha256, report_id, "duplicate", 0), None
            notes = tuple(verdict.notes)
            if mismatch := guard.extension_note(display, verdict.sha256_of):
                notes += (mismatch,)
            parsed = parse_report(verdict.data, display, registry, Identity(report_id, sha256, size), notes)
    except OSError as exc:
        report_id = _path_id("unreadable", display, 0)
        parsed = _failed(report_id, display, None, 0, "unreadable_file", f"cannot read file: {exc.strerror or exc}")
        return FileRecord(display, 0, -1, None, report_id, "unreadable", 0, refusal="unreadable_file"), parsed
    except (guard.FileTimeLimit, MemoryError) as exc:
        code, reason = (("file_time_limit", time_limit_reason(limits)) if isinstance(exc, guard.FileTimeLimit)
                        else ("file_memory_limit", memory_limit_reason(limits)))
        if verdict is not None and verdict.sha256_of is not None:
            read = f"{hashlib.sha256(verdict.sha256_of).hexdigest()} {verdict.size} {verdict.mtime_ns}"
        else:  # stopped while reading
            read = f"- {verdict.size if verdict else 0} {verdict.mtime_ns if verdict else -1}"
        return unread_record(display, code, reason, read)
    figures = sum(len(getattr(parsed, t)) for t in CELL_TABLES) + len(parsed.narrative_facts)
    return FileRecord(display, size, mtime, sha256, report_id, "parsed", figures), parsed


def group_of(bucket: int) -> int:
    return bucket // BUCKETS_PER_GROUP


def _write_fragments(name: str, by_bucket: list[tuple[int, list[dict]]], buckets: int,
                     path_of: Callable[[int], str]) -> dict[int, tuple[str, tuple[int, ...]]]:
    """One task's rows of one table, sorted by bucket, as one Arrow file per group of buckets;
    returns per group its file and the offsets of the group's buckets in it."""
    by_bucket.sort(key=lambda b: b[0])  # stable: reports keep their task order within a bucket
    fragments = {}
    for group in sorted({group_of(bucket) for bucket, _ in by_bucket}):
        first = group * BUCKETS_PER_GROUP
        count = min(BUCKETS_PER_GROUP, buckets - first)
        members = [(bucket, rows) for bucket, rows in by_bucket if group_of(bucket) == group]
        offsets = [0] * (count + 1)
        for bucket, report_rows in members:
            offsets[bucket - first + 1] += len(report_rows)
        for b in range(count):
            offsets[b + 1] += offsets[b]
        table = staging.to_table(name, [r for _, report_rows in members for r in report_rows])
        path = path_of(group)
        partial = path.removesuffix(".arrow") + ".partial"
        with spool.open_output(partial) as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        spool.replace(partial, path)
        fragments[group] = (path, tuple(offsets))
    return fragments


def parse_files(task: ParseTask, tick: Callable[[], None]) -> ParseResult:
    """The per-task work: read, guard and parse each file; spool the rows; return small records."""
    registry = _registry(task.seeds_dir)
    records: list[FileRecord] = []
    reports: list[dict] = []
    rows: dict[str, list[tuple[int, list[dict]]]] = {name: [] for name in ROW_TABLES}
    parsed_ids: set[str] = set()  # files with the same bytes in this task are parsed once
    for index, (path, display, known_id) in enumerate(task.files):
        if task.unread:
            tick()
            record, parsed = unread_record(display, *task.unread[index])
        else:
            tick(kill_after(task.limits))
            record, parsed = read_and_parse(path, display, known_id, registry, task.limits, parsed_ids, task.roots, tick.note)
        records.append(replace(record, task=task.number))
        if parsed is None:
            continue
        parsed_ids.add(record.report_id)
        reports.append(parsed.report)
        bucket = staging.bucket_of(record.report_id, task.buckets)
        for name in ROW_TABLES:
            table_rows = getattr(parsed, name)
            if table_rows:
                rows[name].append((bucket, table_rows))
    tick()  # writing the rows: no file's limit applies, only the executor's stall detection
    fragments = {}
    for name, by_bucket in rows.items():
        if by_bucket:
            fragments[name] = _write_fragments(
                name, by_bucket, task.buckets, lambda group: spool.join(task.spool, f"{task.number:06d}-{name}-{group:02d}.arrow"))
    return ParseResult(task.number, records, staging.to_table("reports", reports), fragments)


# --- bucket tasks (run on the executor) ---------------------------------------------------------

@dataclass(frozen=True)
class BucketTask:
    bucket: int
    buckets: int
    sources: tuple[tuple[str, str, int, int, frozenset], ...]  # (table, fragment, start, stop, excluded ids)
    previous: str | None  # the previous snapshot folder
    previous_buckets: int  # the bucket count its parts were cut by
    previous_parts: tuple[str, ...]  # its part names that hold rows of this bucket
    drop_previous: frozenset  # report ids whose previous rows are not kept
    out: str
    damaged: frozenset = frozenset()  # previous parts that fail the manifest ("table/part"): never read


def _read_fragment(path: str) -> pa.Table:
    with spool.open_input(path) as source:
        return pa.ipc.open_file(source).read_all()


def _without(table: pa.Table, report_ids: frozenset) -> pa.Table:
    if not report_ids:
        return table
    return table.filter(pc.invert(pc.is_in(table["report_id"], pa.array(sorted(report_ids), pa.string()))))


def _previous_rows(task: BucketTask, name: str) -> list[pa.Table]:
    """The previous snapshot's rows of this bucket (its parts were cut by another bucket count when
    the corpus grew or shrank past a power of two)."""
    tables = []
    for part in task.previous_parts:
        path = Path(task.previous) / name / part
        if not path.exists() or f"{name}/{part}" in task.damaged:
            continue
        table = pq.read_table(path)
        if task.previous_buckets != task.buckets:
            # A part cut by another bucket count holds rows of other buckets too, whatever its name.
            ids = table["report_id"].to_pylist()
            table = table.filter(pa.array([staging.bucket_of(r, task.buckets) == task.bucket for r in ids], pa.bool_()))
        tables.append(_without(table, task.drop_previous))
    return tables


@dataclass(frozen=True)
class BucketGroup:
    """Bucket tasks of consecutive buckets, written by one task that reads each of the group's
    spool files once."""

    tasks: tuple[BucketTask, ...]


def write_buckets(group: BucketGroup, tick: Callable[[], None]) -> dict[str, Counter]:
    """Write the group's buckets of every row table, one table at a time (its spool files read
    once, for all the group's buckets); returns per table the rows written (and, for parse_issues,
    their severities)."""
    written: dict[str, Counter] = {}
    for name in ROW_TABLES:
        paths = {s[1] for task in group.tasks for s in task.sources if s[0] == name}
        spooled = {path: _read_fragment(path) for path in sorted(paths)}
        for task in group.tasks:
            tick()
            if (counts := _write_part(task, name, spooled)) is not None:
                written.setdefault(name, Counter()).update(counts)
    return written


def _write_part(task: BucketTask, name: str, spooled: dict[str, pa.Table]) -> Counter | None:
    """One bucket of one row table: the previous snapshot's rows that are kept and the new rows
    spooled for the bucket; a bucket where nothing changed is a hard link to the previous part.
    Returns the rows written (for parse_issues, their severities), None when there are none."""
    name_of = staging.part_name(task.bucket)
    unchanged = task.previous is not None and task.previous_buckets == task.buckets and not task.drop_previous
    target = Path(task.out) / name / name_of
    sources = [s for s in task.sources if s[0] == name]
    if unchanged and not sources:
        previous = Path(task.previous) / name / name_of
        if previous.exists() and f"{name}/{name_of}" not in task.damaged:
            staging.link_or_copy(previous, target)
            return _counts(name, target)
        return None
    pieces = _previous_rows(task, name) if task.previous else []
    pieces += [_without(spooled[f].slice(start, stop - start), excluded) for _, f, start, stop, excluded in sources]
    table = staging.sort_by_report(pa.concat_tables(pieces)) if pieces else None
    if table is not None and table.num_rows:
        staging.write_part(table, target)
        return _counts(name, target, table)
    return None


def _counts(name: str, part: Path, table: pa.Table | None = None) -> Counter:
    if name == "parse_issues":
        severities = (table if table is not None else pq.read_table(part, columns=["severity"]))["severity"]
        return Counter(severities.to_pylist())
    return Counter({"rows": table.num_rows if table is not None else pq.read_metadata(part).num_rows})


# --- the load -----------------------------------------------------------------------------------

def fingerprint(seeds_dir: Path, limits: Limits) -> str:
    """What the parse of a file depends on besides its bytes: the loaders' code, the seeds and the
    limits. A load whose fingerprint differs from the previous one parses everything again."""
    digest = hashlib.sha256(f"{loaders.PARSER_VERSION}\0{limits!r}".encode())
    package = Path(loaders.__file__).parent
    for path in sorted(package.rglob("*.py")) + sorted(Path(seeds_dir).glob("*.csv")):
        digest.update(str(path.relative_to(path.parents[1])).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _tasks(files: list[tuple[str, str, str | None]], workers: int, first: int, template: ParseTask) -> list[ParseTask]:
    size = max(1, min(MAX_TASK_FILES, math.ceil(len(files) / (workers * 4))))
    # Absolute paths: workers on other machines (loaders.dask_executor) do not share this one's folder.
    files = [(os.path.abspath(path), display, known) for path, display, known in files]
    return [replace(template, number=first + n, files=tuple(files[i:i + size])) for n, i in enumerate(range(0, len(files), size))]


@dataclass
class _Run:
    """The parent's bookkeeping of one load."""

    records: dict[str, FileRecord] = field(default_factory=dict)  # display path -> record
    reports: list[pa.Table] = field(default_factory=list)
    fragments: dict[int, dict[str, tuple[str, tuple[int, ...]]]] = field(default_factory=dict)
    next_task: int = 0

    def numbered(self, tasks: list[ParseTask]) -> list[ParseTask]:
        out = [replace(t, number=self.next_task + i) for i, t in enumerate(tasks)]
        self.next_task += len(out)
        return out

    def canonical(self) -> dict[str, str]:
        """Report id -> the path whose rows represent it: the first path in sort order."""
        paths: dict[str, str] = {}
        for path, record in self.records.items():
            if record.report_id not in paths or path < paths[record.report_id]:
                paths[record.report_id] = path
        return paths

    def produced(self, path: str) -> bool:
        return self.records[path].outcome in PRODUCED


def _execute(executor: Executor, tasks: list[ParseTask], run: _Run, progress, total: int, inputs: dict[str, InputFile]) -> None:
    """Run parse tasks. A task whose worker was lost is run again without the file it was on; that
    file is retried alone once (unless it outlived the time limit), and recorded, without being read
    again, when it is lost again."""
    while tasks:
        retry: list[ParseTask] = []
        unread: list[ParseTask] = []
        for task, result in executor.map(parse_files, tasks, stall_after(tasks[0].limits)):
            if isinstance(result, Lost):
                again, recorded = _after_loss(task, result, inputs)
                retry += again
                unread += recorded
                continue
            _take(run, result, progress, total)
        # Recording a lost file reads nothing: safe in this process.
        for task, result in SerialExecutor().map(parse_files, run.numbered(unread)):
            _take(run, result, progress, total)
        tasks = run.numbered(retry)


def _take(run: _Run, result: ParseResult, progress, total: int) -> None:
    for record in result.files:
        run.records[record.source_path] = record
    run.reports.append(result.reports)
    run.fragments[result.number] = result.fragments
    if progress:
        progress(len(run.records), total, result.files[-1].source_path)


def _after_loss(task: ParseTask, lost: Lost, inputs: dict[str, InputFile]) -> tuple[list[ParseTask], list[ParseTask]]:
    """(tasks to run again, tasks that record files without reading them) after `task` was lost."""
    files = task.files
    if not 1 <= lost.position <= len(files):  # lost between files (writing their rows)
        if len(files) > 1:
            return [replace(task, files=(f,)) for f in files], []
        culprit, again = files[0], []  # alone, and lost again: blamed
    else:
        culprit = files[lost.position - 1]
        others = files[:lost.position - 1] + files[lost.position:]
        again = [replace(task, files=others)] if others else []
    if lost.timed_out:
        code, reason = "file_time_limit", time_limit_reason(task.limits)
    elif len(files) > 1:  # a first loss: the file is tried alone before it is blamed
        return again + [replace(task, files=(culprit,))], []
    else:
        code, reason = "worker_lost", f"the parser's worker process stopped on this file ({lost.reason})"
    found = inputs[culprit[1]]
    note = lost.note or f"- {found.size} {found.mtime_ns}"
    return again, [replace(task, files=(culprit,), unread=((code, reason, note),))]


def load(
    paths: Iterable[str | Path],
    staging_dir: Path,
    seeds_dir: Path = DEFAULT_SEEDS_DIR,
    executor: Executor | None = None,
    limits: Limits | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    full: bool = False,
    follow_links_anywhere: bool = False,
    spool_at: str | None = None,
) -> LoadSummary:
    """Load the files under `paths` into a new staging snapshot (see the module's docstring).
    Symlinks are followed only to files inside `paths`, unless `follow_links_anywhere`. The tasks
    spool their rows inside the staging folder, or under `spool_at` (a path or URL every worker
    reaches, see loaders.spool)."""
    limits = limits or Limits()
    own_executor = executor is None
    executor = executor or ProcessPoolExecutor()
    paths = list(paths)
    roots = None if follow_links_anywhere else input_roots(paths)
    try:
        return _load(paths, Path(staging_dir), Path(seeds_dir), executor, limits, progress, full, roots, spool_at)
    finally:
        if own_executor:
            executor.close()


def _load(paths, staging_dir: Path, seeds_dir: Path, executor: Executor, limits: Limits, progress, full: bool,
          roots: tuple[str, ...] | None, spool_at: str | None) -> LoadSummary:
    files = discover(paths, roots)
    inputs = {f.display: f for f in files}
    summary = LoadSummary(files=len(files), workers=getattr(executor, "size", 1))
    buckets = staging.bucket_count(len(files))
    current_print = fingerprint(seeds_dir, limits)
    previous = None if full else staging.read_previous(staging_dir)
    summary.repairs = list(previous.repairs) if previous else []
    if previous is not None and previous.fingerprint != current_print:
        previous = None
    known = _known_files(previous)
    # Reports whose rows were in a damaged part of the previous snapshot: parsed again, whatever else.
    damaged = previous.damaged_buckets() if previous else set()
    redo = {r.report_id for r in known.values() if staging.bucket_of(r.report_id, previous.buckets) in damaged} if damaged else set()
    run = _Run()
    to_parse: list[tuple[str, str, str | None]] = []
    for f in files:
        before = known.get(f.display)
        if before and before.report_id in redo:
            to_parse.append((f.path, f.display, None))
        elif before and before.source_sha256 and not f.link and (before.size_bytes, before.mtime_ns) == (f.size, f.mtime_ns):
            run.records[f.display] = FileRecord(f.display, f.size, f.mtime_ns, before.source_sha256,
                                                before.report_id, "reused", before.figures)
        else:
            summary.changed += before is not None
            to_parse.append((f.path, f.display, before.report_id if before else None))

    # Built before the workers fork, so that they inherit them: the registry, and pandas, which
    # pyarrow imports on the first conversion (half a second per process otherwise).
    _registry(str(seeds_dir))
    staging.to_table("reports", [])
    workers = max(1, summary.workers)
    with staging.building(staging_dir) as build, (
            spool.scratch(spool_at, str(staging_dir), build.spool.name) if spool_at else nullcontext(str(build.spool))) as spooled:
        template = ParseTask(0, (), spooled, limits, str(seeds_dir), buckets, roots)
        if progress:  # where this run starts: the files skipped as unchanged
            progress(len(run.records), len(files), "")
        _execute(executor, run.numbered(_tasks(to_parse, workers, 0, template)), run, progress, len(files), inputs)

        previous_reports = previous.reports() if previous else staging.SCHEMAS["reports"].empty_table()
        previous_path = dict(zip(previous_reports["report_id"].to_pylist(), previous_reports["source_path"].to_pylist()))
        # Rows of a report come from its first path. When that path was not parsed in this run and
        # the previous snapshot holds the rows of another path (renamed, deleted, or a new copy
        # sorts first), the first path is parsed now so that rows and paths agree.
        canonical = run.canonical()
        stale = [p for rid, p in canonical.items() if not run.produced(p) and previous_path.get(rid) != p]
        if stale:
            by_display = {f.display: f.path for f in files}
            again = _tasks([(by_display[p], p, None) for p in stale], workers, 0, template)
            _execute(executor, run.numbered(again), run, progress, len(files), inputs)
            canonical = run.canonical()

        figures = {r.report_id: r.figures for r in known.values()}
        figures.update((r.report_id, r.figures) for r in run.records.values() if r.outcome in PRODUCED)
        reports = _choose_reports(run, canonical, previous_reports, figures)
        staging.write_table_parts("reports", reports, build.folder, buckets)
        staging.write_table_parts("source_files", _source_files(run), build.folder, buckets)
        kept_from_previous = {rid for rid, p in canonical.items() if not run.produced(p)}
        dropped = (set(previous_path) | redo) - kept_from_previous
        _write_rows(executor, run, canonical, previous, dropped, buckets, build.folder, summary)
        staging.write_state(build.folder, _state(run, figures), current_print, buckets)
        summary.snapshot = staging.commit(build, {"inputs": [display_path(str(p)) for p in paths], "cwd": os.getcwd()})

    outcomes = Counter(r.outcome for r in run.records.values())
    summary.parsed = sum(outcomes[o] for o in PRODUCED)
    summary.reused = outcomes["reused"] + outcomes["unchanged"]
    summary.duplicates = summary.files - len(canonical)
    # Reports of the previous snapshot that are gone: their files were deleted, or now hold other bytes.
    gone = set(previous_path) - set(canonical)
    replaced = {r.report_id for path, r in known.items() if path in run.records} & gone
    summary.dropped, summary.replaced = len(gone - replaced), len(replaced)
    summary.reports = reports.num_rows
    summary.status = Counter(reports["parse_status"].to_pylist())
    summary.by_format = Counter(zip((f or "unknown" for f in reports["source_format"].to_pylist()), reports["parse_status"].to_pylist()))
    summary.superseded = reports.num_rows - sum(reports["is_current_version"].to_pylist())
    summary.refused = Counter(r.refusal for r in run.records.values() if r.refusal)
    return summary


class _Known(NamedTuple):
    """A file of the previous load, as its state recorded it."""

    size_bytes: int
    mtime_ns: int
    source_sha256: str | None
    report_id: str
    figures: int


def _known_files(previous: staging.Previous | None) -> dict[str, _Known]:
    if previous is None:
        return {}
    state = previous.files
    columns = [state[name].to_pylist() for name in ("source_path",) + _Known._fields]
    return {path: _Known(*rest) for path, *rest in zip(*columns)}


def _choose_reports(run: _Run, canonical: dict[str, str], previous_reports: pa.Table, figures: dict[str, int]) -> pa.Table:
    """One row per report id, from its canonical path, with the version columns filled in."""
    pieces = []
    for table in run.reports:
        if table.num_rows:
            ids, sources = table["report_id"].to_pylist(), table["source_path"].to_pylist()
            keep = [canonical.get(rid) == src and run.produced(src) for rid, src in zip(ids, sources)]
            pieces.append(table.filter(pa.array(keep, pa.bool_())))
    if previous_reports.num_rows:
        ids = previous_reports["report_id"].to_pylist()
        keep = [rid in canonical and not run.produced(canonical[rid]) for rid in ids]
        pieces.append(previous_reports.filter(pa.array(keep, pa.bool_())))
    schema = staging.SCHEMAS["reports"]
    reports = pa.concat_tables([p.select(schema.names).cast(schema) for p in pieces]) if pieces else schema.empty_table()
    columns = [reports[c].to_pylist() for c in ("report_id", "parse_status", "organ_name", "division_code", "report_year", "published_on")]
    versions = choose_versions(Candidate(*row, figures.get(row[0], 0)) for row in zip(*columns))
    ordered = [versions[report_id] for report_id in columns[0]]
    for column, values in (
        ("version_count", [v.version_count for v in ordered]),
        ("is_current_version", [v.is_current_version for v in ordered]),
        ("version_reason", [v.version_reason for v in ordered]),
        ("current_report_id", [v.current_report_id for v in ordered]),
    ):
        field_ = schema.field(column)
        reports = reports.set_column(schema.get_field_index(column), field_, pa.array(values, field_.type))
    return reports


def _source_files(run: _Run) -> pa.Table:
    records = sorted(run.records.values(), key=lambda r: r.source_path)
    schema = staging.SCHEMAS["source_files"]
    return pa.Table.from_pydict({name: [getattr(r, name) for r in records] for name in schema.names}, schema=schema)


def _state(run: _Run, figures: dict[str, int]) -> pa.Table:
    records = sorted(run.records.values(), key=lambda r: r.source_path)
    columns = {name: [getattr(r, name) for r in records] for name in staging.STATE_SCHEMA.names if name != "figures"}
    columns["figures"] = [figures.get(r.report_id, 0) for r in records]
    return pa.Table.from_pydict(columns, schema=staging.STATE_SCHEMA)


def _write_rows(executor: Executor, run: _Run, canonical: dict[str, str], previous: staging.Previous | None,
                dropped_ids: set[str], buckets: int, folder: Path, summary: LoadSummary) -> None:
    """The row tables, one bucket task per bucket; counts go to the summary."""
    for name in ROW_TABLES:
        (folder / name).mkdir(parents=True, exist_ok=True)
    owner_task = {rid: run.records[p].task for rid, p in canonical.items() if run.produced(p)}
    # Report ids parsed by a task that is not their owner (the same bytes in several tasks).
    excluded: dict[int, set[str]] = {}
    for record in run.records.values():
        if record.outcome in PRODUCED and owner_task.get(record.report_id) != record.task:
            excluded.setdefault(record.task, set()).add(record.report_id)
    sources: dict[int, list] = {b: [] for b in range(buckets)}
    for number, fragments in run.fragments.items():
        skip = frozenset(excluded.get(number, ()))
        for name, groups in fragments.items():
            for group, (path, offsets) in groups.items():
                first = group * BUCKETS_PER_GROUP
                for k in range(len(offsets) - 1):
                    if offsets[k + 1] > offsets[k]:
                        sources[first + k].append((name, path, offsets[k], offsets[k + 1], skip))
    drop: dict[int, set[str]] = {b: set() for b in range(buckets)}
    for rid in dropped_ids:
        drop[staging.bucket_of(rid, buckets)].add(rid)
    tasks = [
        BucketTask(b, buckets, tuple(sources[b]), str(previous.folder) if previous else None,
                   previous.buckets if previous else buckets, _previous_parts(b, buckets, previous.buckets) if previous else (),
                   frozenset(drop[b]), str(folder), previous.damaged if previous else frozenset())
        for b in range(buckets)
    ]
    # Buckets that are mostly links or small are quicker written here than shipped to workers.
    if sum(stop - start for b in sources.values() for _, _, start, stop, _ in b) < PARALLEL_WRITE_ROWS:
        executor = SerialExecutor()
    groups = [BucketGroup(tuple(tasks[i:i + BUCKETS_PER_GROUP])) for i in range(0, len(tasks), BUCKETS_PER_GROUP)]
    for _, written in executor.map(write_buckets, groups):
        if isinstance(written, Lost):
            raise RuntimeError(f"writing a staging bucket failed: {written.reason}")
        for name, counts in written.items():
            if name == "parse_issues":
                summary.issues.update(counts)
            elif name == "narrative_facts":
                summary.facts += counts["rows"]
            else:
                summary.cells += counts["rows"]


def _previous_parts(bucket: int, buckets: int, previous_buckets: int) -> tuple[str, ...]:
    """Parts of a snapshot cut into `previous_buckets` that hold rows of `bucket` (powers of two)."""
    if previous_buckets <= buckets:
        return (staging.part_name(bucket % previous_buckets),)
    return tuple(staging.part_name(b) for b in range(bucket, previous_buckets, buckets))
