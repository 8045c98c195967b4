"""Staging snapshots: the same inputs give byte-identical files and the same report ids, however
they are loaded (fresh, incrementally, with one worker or two), and a re-run parses only what
changed and says so."""
import filecmp
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from ogi.synth import Options, generate
from tests.integration.conftest import ogi


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(Options(60, seed=11, formats=("text",), duplicate_share=0.05, republished_share=0.05), out, processes=1)
    return out / "reports"


def load(inputs: Path, staging: Path, *extra: str) -> str:
    done = ogi("load", str(inputs), "--staging", str(staging), *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def parts(staging: Path) -> dict[str, Path]:
    """Every file of the current snapshot that the data contract covers (not the loader's state)."""
    current = (staging / "current").resolve()
    return {str(p.relative_to(current)): p for p in sorted(current.rglob("*.parquet")) if not p.relative_to(current).parts[0].startswith("_")}


def assert_identical(a: Path, b: Path) -> None:
    pa_, pb = parts(a), parts(b)
    assert sorted(pa_) == sorted(pb)
    different = [name for name in pa_ if not filecmp.cmp(pa_[name], pb[name], shallow=False)]
    assert not different


def report_ids(staging: Path) -> list[str]:
    with duckdb.connect() as con:
        return [r[0] for r in con.execute(f"select report_id from read_parquet('{staging}/current/reports/*.parquet') order by 1").fetchall()]


def test_same_folder_twice_gives_identical_files_and_ids(corpus, tmp_path):
    load(corpus, tmp_path / "a")
    load(corpus, tmp_path / "b", "--workers", "1")
    load(corpus, tmp_path / "c", "--workers", "0")  # in-process
    assert_identical(tmp_path / "a", tmp_path / "b")
    assert_identical(tmp_path / "a", tmp_path / "c")
    ids = report_ids(tmp_path / "a")
    assert ids == report_ids(tmp_path / "b") and len(ids) == len(set(ids)) > 50


def test_rerun_with_nothing_changed_parses_nothing(corpus, tmp_path):
    staging = tmp_path / "staging"
    first = load(corpus, staging)
    before = {name: p.stat().st_ino for name, p in parts(staging).items()}
    again = load(corpus, staging)
    assert "files: 0 parsed" in again and "0 changed" in again
    assert first.split(" in ")[0] == again.split(" in ")[0]  # the same counts of files, reports, cells
    # The row tables' parts are the previous ones, linked.
    after = {name: p.stat().st_ino for name, p in parts(staging).items()}
    linked = [n for n in after if n.split("/")[0] in ("application_cells", "disclosure_cells") and after[n] == before.get(n)]
    assert linked


def test_incremental_changes_match_a_fresh_load(corpus, tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(corpus, inputs)
    staging = tmp_path / "staging"
    load(inputs, staging)
    # Files whose bytes no other file has (the corpus holds duplicates, which change the counts).
    files = sorted(p for p in inputs.rglob("*") if p.is_file())
    contents = [p.read_bytes() for p in files]
    files = [p for p, data in zip(files, contents) if contents.count(data) == 1]
    changed, removed, renamed = files[0], files[1], files[2]
    changed.write_bytes(changed.read_bytes() + b"\n")
    removed.unlink()
    renamed.rename(renamed.with_name("aaa-renamed " + renamed.name))
    (inputs / "copy of first.txt").write_bytes(files[3].read_bytes())
    out = load(inputs, staging)
    assert "files: 3 parsed" in out  # the changed file, the renamed one, the copy (sorts before its original)
    assert "1 changed" in out and "1 reports dropped (files gone), 1 replaced (files changed)" in out
    fresh = tmp_path / "fresh"
    load(inputs, fresh)
    assert_identical(staging, fresh)
    assert report_ids(staging) == report_ids(fresh)


def test_touched_file_is_not_parsed_again(corpus, tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(corpus, inputs)
    staging = tmp_path / "staging"
    load(inputs, staging)
    touched = next(p for p in sorted(inputs.rglob("*")) if p.is_file())
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    out = load(inputs, staging)
    # Read again (its metadata changed) but not parsed: its bytes are the ones already parsed.
    assert "files: 0 parsed" in out and "1 changed" in out


def test_republished_and_duplicate_files_are_marked(corpus, tmp_path):
    from ogi.synth import read_manifest

    staging = tmp_path / "staging"
    load(corpus, staging)
    manifest = {row["path"]: row for row in read_manifest(corpus.parent)}
    with duckdb.connect() as con:
        rows = con.execute(
            f"""select f.source_path, r.report_id, r.is_current_version, r.version_count, r.version_reason, r.source_path
                from read_parquet('{staging}/current/source_files/*.parquet') f
                join read_parquet('{staging}/current/reports/*.parquet') r using (report_id)"""
        ).fetchall()
    report_of = {os.path.relpath(row[0], corpus): row[1] for row in rows}
    kinds = {"republished": 0, "duplicate": 0}
    for path, report_id, current, count, reason, report_path in rows:
        truth = manifest[os.path.relpath(path, corpus)]
        assert current == (truth["expected_current"] == "True"), (path, reason)
        if truth["kind"] == "republished":
            kinds["republished"] += 1
            assert count == 2 and reason.startswith("latest publication"), reason
            assert report_of[truth["of_path"]] != report_id
        if truth["kind"] == "duplicate":
            kinds["duplicate"] += 1
            # One report for both names, read from the first name in sort order.
            assert report_of[truth["of_path"]] == report_id
            assert report_path == min(path, str(corpus / truth["of_path"]))
    assert kinds["republished"] >= 1 and kinds["duplicate"] >= 1


def test_many_buckets_hold_the_same_rows_and_each_spool_file_is_read_once(corpus, tmp_path, monkeypatch):
    """A load cut into 32 buckets in 8 groups has the rows of a one-bucket load; the bucket writer
    reads each spool file once (it read every task's file once per bucket before)."""
    from collections import Counter

    import pyarrow.parquet as pq

    from loaders import batch, staging
    from loaders.executors import SerialExecutor

    batch.load([corpus], tmp_path / "one", executor=SerialExecutor())
    reads = Counter()
    read_fragment = batch._read_fragment
    monkeypatch.setattr(batch, "_read_fragment", lambda path: reads.update([path]) or read_fragment(path))
    monkeypatch.setattr(staging, "FILES_PER_BUCKET", 2)
    monkeypatch.setattr(batch, "BUCKETS_PER_GROUP", 4)
    batch.load([corpus], tmp_path / "many", executor=SerialExecutor())
    assert len(list((tmp_path / "many" / "current" / "application_cells").iterdir())) > 16  # of 32 buckets
    assert set(reads.values()) == {1} and len(reads) > len(staging.ROW_TABLES) * 4
    for name in staging.ROW_TABLES:
        one = sorted(map(repr, pq.read_table(tmp_path / "one" / "current" / name / staging.part_name(0)).to_pylist()))
        many = sorted(map(repr, (r for p in sorted((tmp_path / "many" / "current" / name).glob("*.parquet"))
                                 for r in pq.read_table(p).to_pylist())))
        assert one == many, name
        assert one or name == "parse_issues", name  # the synthetic reports raise no issue
