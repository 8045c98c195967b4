"""The staging Parquet tables of the data contract, written as one atomic, partitioned snapshot.

Layout of a staging folder DIR:

    DIR/current -> snapshots/<id>                       the snapshot that readers (dbt) see
    DIR/snapshots/<id>/<table>/part-<BB>.parquet        hash bucket BB of report_id
    DIR/snapshots/<id>/_loader/files.parquet            the loader's own state (not the contract)

Every row of every table lives in the bucket of its report id, so one report's rows are in one
part of each table, a load that changes a few reports rewrites only their buckets (the others are
hard links to the previous snapshot's parts), and each part can be written on its own. The number
of buckets grows with the corpus (one per thousand files, a power of two, at most 64): a few
files make one part per table, 100,000 make 64 parts of a few MiB. Within a
part, rows are ordered by report id and then as the parser emitted them, and parts are written with
fixed settings: the same inputs give byte-identical files. A table with no rows at all has one
empty part, so that `<table>/*.parquet` always matches.

A load writes a complete new snapshot, then repoints `current` with an atomic rename of a symlink: a
crash at any moment leaves the previous snapshot in place and readable. One load at a time:
`DIR/.lock` is held for the whole load.

Every file of a snapshot is listed with its SHA-256 in `_loader/manifest.json` (itself digested),
written when the snapshot is committed. Readers verify before they trust: a load checks the
previous snapshot (a damaged part: the reports of its bucket are parsed again; a damaged state or
manifest: everything is), a build the snapshot it builds from (damaged: it stops and names the
`ogi load` that repairs it).

A warehouse's staging views read the snapshot it was built from, so that snapshot must outlive the
loads that follow: each warehouse pins the snapshots it reads (`DIR/pins/<key>.json`: the one it was
built from and, during a build, the one being built from). A load removes every snapshot except the
new current one, the one before it, and the pinned ones. A pin goes when its warehouse file is gone
and no build of it is running; pinning and removing take `DIR/.pins.lock`, so that a build never
pins a snapshot that a load is removing.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
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
            # Republished reports (loaders.versions): when the report was published, and which of
            # the versions of the same organ and year the marts use, and why.
            ("published_on", pa.date32()),
            ("version_count", pa.int32()),
            ("is_current_version", pa.bool_()),
            ("version_reason", pa.string()),
            ("current_report_id", pa.string()),
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
ROW_TABLES = ("disclosure_cells", "application_cells", "review_litigation_cells", "narrative_facts", "parse_issues")
CURRENT = "current"
MAX_BUCKETS = 64
FILES_PER_BUCKET = 1000
STATE = "_loader"
PINS = "pins"
# The loader's state per input file: what lets the next load skip files it has already parsed.
STATE_SCHEMA = pa.schema(
    [
        ("source_path", pa.string()),
        ("size_bytes", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("source_sha256", pa.string()),
        ("report_id", pa.string()),
        ("figures", pa.int32()),  # table cells and prose figures of the report, for version choice
    ]
)


def current_dir(staging_dir: Path) -> Path:
    """The folder of the snapshot readers should see (`DIR/current`)."""
    return Path(staging_dir) / CURRENT


def bucket_count(files: int) -> int:
    """Buckets for a load of `files` files: a power of two, so that changing the count splits or
    merges whole buckets."""
    count = 1
    while count < MAX_BUCKETS and files >= 2 * count * FILES_PER_BUCKET:
        count *= 2
    return count


def bucket_of(report_id: str, buckets: int) -> int:
    """Report ids end in hex digits derived from a SHA-256: their last two spread evenly."""
    return int(report_id[-2:], 16) % buckets


def part_name(bucket: int) -> str:
    return f"part-{bucket:02x}.parquet"


def numeric_bounds(name: str) -> tuple[tuple[str, float, float], ...]:
    """(column, lowest, highest) of the numeric columns of a table: what a value the parser produced
    must lie within to be stored (a 20-digit count is past int64; a longer figure is inf, and NaN
    lies within no bounds)."""
    bounds = []
    for field_ in SCHEMAS[name]:
        if pa.types.is_integer(field_.type):
            limit = 2 ** (field_.type.bit_width - 1)
            bounds.append((field_.name, -limit, limit - 1))
        elif pa.types.is_floating(field_.type):
            bounds.append((field_.name, -sys.float_info.max, sys.float_info.max))
    return tuple(bounds)


def to_table(name: str, rows: list[dict]) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.Table.from_pydict({f: [r.get(f) for r in rows] for f in schema.names}, schema=schema)


def write_part(table: pa.Table, path: Path) -> None:
    """Write one part with fixed settings (byte-identical output for identical rows)."""
    pq.write_table(table.combine_chunks(), path, compression="zstd", row_group_size=1 << 20, write_statistics=True)


def sort_by_report(table: pa.Table) -> pa.Table:
    """Rows by report id; a stable sort keeps each report's rows in the order the parser gave."""
    return table.take(pa.compute.sort_indices(table, [("report_id", "ascending")]))


def write_table_parts(name: str, table: pa.Table, folder: Path, count: int) -> None:
    """A whole table (small: reports, source_files) split into its bucket parts."""
    out = folder / name
    out.mkdir(parents=True, exist_ok=True)
    table = sort_by_report(table)
    buckets = pa.array([bucket_of(r, count) for r in table.column("report_id").to_pylist()], pa.int32())
    for bucket in sorted(set(buckets.to_pylist())):
        write_part(table.filter(pa.compute.equal(buckets, bucket)), out / part_name(bucket))
    if table.num_rows == 0:
        write_part(table, out / part_name(0))


def link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


@dataclass(frozen=True)
class Previous:
    """The current snapshot, as the next load sees it."""

    folder: Path
    fingerprint: str | None  # None: no usable state (everything is parsed again)
    buckets: int
    files: pa.Table  # STATE_SCHEMA
    damaged: frozenset[str] = frozenset()  # its files that fail the manifest ("reports/part-03.parquet")
    repairs: tuple[str, ...] = ()  # what was found damaged and what the load does about it

    def reports(self, columns: list[str] | None = None) -> pa.Table:
        return read_table(self.folder, "reports", columns, self.damaged)

    def damaged_buckets(self) -> set[int]:
        return {int(Path(name).stem.split("-")[1], 16) for name in self.damaged if Path(name).name.startswith("part-")}


def read_table(snapshot: Path, name: str, columns: list[str] | None = None, skip: frozenset[str] = frozenset()) -> pa.Table:
    parts = [p for p in sorted((snapshot / name).glob("*.parquet")) if f"{name}/{p.name}" not in skip]
    if not parts:
        return SCHEMAS[name].empty_table() if columns is None else SCHEMAS[name].empty_table().select(columns)
    return pa.concat_tables(pq.read_table(p, columns=columns) for p in parts)


def content_digest(snapshot: Path) -> str | None:
    """The digest of a snapshot's content (see write_state); None when unknown."""
    state = Path(snapshot) / STATE / "files.parquet"
    if not state.exists():
        return None
    return (pq.read_schema(state).metadata or {}).get(b"digest", b"").decode() or None


def read_previous(staging_dir: Path) -> Previous | None:
    """The current snapshot and the loader state it carries, verified against its manifest; None
    when there is no snapshot. A snapshot without a usable state comes back with no fingerprint."""
    current = current_dir(staging_dir)
    if not current.exists():
        return None
    folder = current.resolve()
    damage = verify(folder)
    state_path = f"{STATE}/files.parquet"
    if MANIFEST_PATH in damage or state_path in damage:
        what = damage.get(MANIFEST_PATH) or damage[state_path]
        return Previous(folder, None, 1, STATE_SCHEMA.empty_table(), frozenset(damage),
                        (f"{folder.name}: {what}; every file is parsed again",))
    files = pq.read_table(folder / state_path)
    metadata = files.schema.metadata or {}
    fingerprint = metadata.get(b"fingerprint", b"").decode() or None
    repairs = tuple(f"{folder.name}: {name} {problem}; the reports of its bucket are parsed again"
                    for name, problem in sorted(damage.items()))
    return Previous(folder, fingerprint, int(metadata.get(b"buckets", b"1")), files, frozenset(damage), repairs)


# --- the manifest: a digest of every file of a snapshot ----------------------------------------

MANIFEST_PATH = f"{STATE}/manifest.json"


class StagingDamaged(Exception):
    """A snapshot whose files do not match its manifest; the message says how to repair it."""


class StagingBusy(RuntimeError):
    """Another load holds the staging folder."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def file_digests(folder: Path, leave_out: str) -> dict[str, str]:
    """{path relative to `folder`: SHA-256} of every file under `folder` but `leave_out` (the record
    that lists them)."""
    return {str(p.relative_to(folder)): sha256_file(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and str(p.relative_to(folder)) != leave_out}


def add_files(digest, root: Path, folder: str) -> None:
    """Add every file under root/folder to `digest`, in path order, each as its path relative to
    `root` and its bytes (a fingerprint of code or a project; Python's caches are left out)."""
    for path in sorted((root / folder).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())


def _manifest_digest(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def seal(folder: Path, provenance: dict | None = None) -> None:
    """Write the manifest of the snapshot in `folder`: every file's SHA-256, and what loaded it
    (`provenance`: the input paths and the working folder, for the command that repairs it)."""
    body = {"files": file_digests(Path(folder), leave_out=MANIFEST_PATH), "provenance": provenance or {}}
    out = Path(folder) / MANIFEST_PATH
    out.parent.mkdir(exist_ok=True)
    partial = out.with_suffix(".partial")
    partial.write_text(json.dumps({"manifest_sha256": _manifest_digest(body), **body}, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, out)


def _manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((Path(folder) / MANIFEST_PATH).read_text(encoding="utf-8"))
        body = {"files": manifest["files"], "provenance": manifest["provenance"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return body if manifest.get("manifest_sha256") == _manifest_digest(body) else None


def verify(folder: Path) -> dict[str, str]:
    """The files of a snapshot that fail its manifest, with what is wrong; empty when it is whole."""
    manifest = _manifest(folder)
    if manifest is None:
        found = (Path(folder) / MANIFEST_PATH).exists()
        return {MANIFEST_PATH: "is damaged (it does not match its own digest)" if found else "is missing"}
    damage = {}
    for name, digest in manifest["files"].items():
        path = Path(folder) / name
        if not path.is_file():
            damage[name] = "is missing"
        elif sha256_file(path) != digest:
            damage[name] = "does not match its checksum"
    for path in Path(folder).rglob("*.parquet"):
        if str(path.relative_to(folder)) not in manifest["files"]:
            damage[str(path.relative_to(folder))] = "is not in the manifest"
    return damage


def repair_command(staging_dir: Path, folder: Path) -> str:
    """The command that repairs a damaged snapshot: the load that wrote it, run again."""
    import shlex

    provenance = (_manifest(folder) or {}).get("provenance") or {}
    inputs = provenance.get("inputs") or ["<the input folders>"]
    command = f"ogi load {' '.join(map(shlex.quote, inputs))} --staging {shlex.quote(str(staging_dir))}"
    cwd = provenance.get("cwd")
    return f"cd {shlex.quote(cwd)} && {command}" if cwd and cwd != os.getcwd() else command


def check(staging_dir: Path, folder: Path) -> None:
    """Raise StagingDamaged, naming what is damaged and the command that repairs it, unless the
    snapshot in `folder` matches its manifest."""
    damage = verify(folder)
    if damage:
        listed = "; ".join(f"{name} {problem}" for name, problem in sorted(damage.items())[:3])
        more = f" (and {len(damage) - 3} more)" if len(damage) > 3 else ""
        raise StagingDamaged(f"the staging snapshot {folder} is damaged: {listed}{more}; "
                             f"repair it with `{repair_command(staging_dir, folder)}`")


def write_state(folder: Path, files: pa.Table, fingerprint: str, buckets: int) -> None:
    """The loader's state, with a digest of what determines the snapshot's content (the files' paths
    and bytes, the parser's fingerprint): equal digests, identical staging tables."""
    out = folder / STATE
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(f"{fingerprint}\0{buckets}".encode())
    for path, sha256 in zip(files["source_path"].to_pylist(), files["source_sha256"].to_pylist()):
        digest.update(f"\0{path}\0{sha256}".encode())
    files = files.replace_schema_metadata({"fingerprint": fingerprint, "buckets": str(buckets), "digest": digest.hexdigest()})
    pq.write_table(files, out / "files.parquet", compression="zstd")


@dataclass(frozen=True)
class Building:
    """A snapshot being written: `folder` becomes `snapshots/<id>` on commit."""

    staging_dir: Path
    snapshot_id: str
    folder: Path
    spool: Path  # scratch space of the load, removed on commit or by the next load


@contextmanager
def building(staging_dir: Path):
    """Hold the staging lock, clean what a killed load left behind, and give a folder to build the
    next snapshot in. Nothing outside `.building-*`/`.spool-*` changes until `commit`."""
    staging_dir = Path(staging_dir)
    snapshots = staging_dir / "snapshots"
    snapshots.mkdir(parents=True, exist_ok=True)
    with open(staging_dir / ".lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StagingBusy(f"another `ogi load` is writing {staging_dir}; wait for it to finish") from None
        for leftover in list(snapshots.glob(".building-*")) + list(staging_dir.glob(".spool-*")) + list(staging_dir.glob(f".{CURRENT}-*")):
            if leftover.is_symlink() or leftover.is_file():
                leftover.unlink()
            else:
                shutil.rmtree(leftover, ignore_errors=True)
        snapshot_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**9}"
        folder = snapshots / f".building-{snapshot_id}"
        spool = staging_dir / f".spool-{snapshot_id}"
        folder.mkdir()
        spool.mkdir()
        try:
            yield Building(staging_dir, snapshot_id, folder, spool)
        finally:
            shutil.rmtree(spool, ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)


def commit(build: Building, provenance: dict | None = None) -> Path:
    """Seal the built snapshot (its manifest), make it current (atomically) and remove all but it,
    its predecessor and the pinned ones."""
    for name in TABLES:
        if not any((build.folder / name).glob("*.parquet")):
            (build.folder / name).mkdir(exist_ok=True)
            write_part(SCHEMAS[name].empty_table(), build.folder / name / part_name(0))
    snapshots = build.folder.parent
    final = snapshots / build.snapshot_id
    seal(build.folder, provenance)
    _fsync_tree(build.folder)
    os.rename(build.folder, final)
    _fsync_dir(snapshots)
    current = current_dir(build.staging_dir)
    previous = current.resolve() if current.is_symlink() else None
    link = build.staging_dir / f".{CURRENT}-{build.snapshot_id}"
    os.symlink(Path("snapshots") / build.snapshot_id, link)
    os.replace(link, current)
    _fsync_dir(build.staging_dir)
    with _pins_locked(build.staging_dir):
        keep = {final.name, previous.name if previous else None} | _pinned(build.staging_dir)
        for entry in snapshots.iterdir():
            if entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
    return final


# --- pins: the snapshots that warehouses read -----------------------------------------------------

@contextmanager
def _pins_locked(staging_dir: Path):
    with open(Path(staging_dir) / ".pins.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _pin_path(staging_dir: Path, holder: Path) -> Path:
    return Path(staging_dir) / PINS / (hashlib.sha256(str(holder).encode()).hexdigest()[:16] + ".json")


def _read_pin(path: Path) -> dict:
    try:
        pin = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return pin if isinstance(pin, dict) else {}


def _pinned(staging_dir: Path) -> set[str]:
    """Snapshot ids that some warehouse reads or is being built from; stale pins are removed."""
    ids: set[str] = set()
    for path in sorted((Path(staging_dir) / PINS).glob("*.json")):
        pin = _read_pin(path)
        if not pin.get("building") and not Path(str(pin.get("warehouse", ""))).exists():
            path.unlink(missing_ok=True)  # its warehouse was deleted, and no build of it runs
            continue
        ids |= {pin.get("built"), pin.get("building")} - {None}
    return ids


def _write_pin(staging_dir: Path, holder: Path, built: str | None, building: str | None) -> None:
    path = _pin_path(staging_dir, holder)
    path.parent.mkdir(exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps({"warehouse": str(holder), "built": built, "building": building}), encoding="utf-8")
    os.replace(partial, path)


def pin_current(staging_dir: Path, holder: Path) -> Path:
    """Pin the current snapshot for a build of the warehouse `holder` (next to the snapshot its
    warehouse was built from, still pinned until `pin_built`); returns the snapshot's folder."""
    with _pins_locked(staging_dir):
        folder = current_dir(staging_dir).resolve()
        built = _read_pin(_pin_path(staging_dir, holder)).get("built")
        _write_pin(staging_dir, holder, built, folder.name)
        return folder


def pin_built(staging_dir: Path, holder: Path, snapshot: Path | None) -> None:
    """The warehouse `holder` now reads `snapshot` (None: keep the snapshot it read before)."""
    with _pins_locked(staging_dir):
        built = snapshot.name if snapshot else _read_pin(_pin_path(staging_dir, holder)).get("built")
        _write_pin(staging_dir, holder, built, None)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    """Flush every file of the snapshot before it is published: after a power cut the snapshot
    that `current` names must be whole."""
    for root, _, names in os.walk(folder):
        for name in names:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(root))
