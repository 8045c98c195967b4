"""A folder of every kind of bad input loads with exit status 0: every file has a row with a status
and a reason, and the good reports in it are parsed with their real figures."""
import os
import sys
from pathlib import Path

import duckdb
import pytest

from tests.integration import bad_inputs
from tests.integration.conftest import ogi


@pytest.fixture(scope="module")
def bad_load(tmp_path_factory):
    work = tmp_path_factory.mktemp("bad_input")
    expected = bad_inputs.build(work / "in")
    # The default limits: every file here is read to its end or refused on any machine, however busy
    # (time limits are tested with files that never finish: test_hostile_files.py).
    done = ogi("load", "in", "--staging", "staging", cwd=work)
    with duckdb.connect() as con:
        rows = con.execute(
            f"""
            select files.source_path, reports.report_id, reports.parse_status, reports.status_reason,
                   reports.source_path as report_path, reports.is_current_version, reports.version_reason,
                   (select list(code || ': ' || message) from read_parquet('{work}/staging/current/parse_issues/*.parquet') i
                    where i.report_id = reports.report_id) as issues
            from read_parquet('{work}/staging/current/source_files/*.parquet') files
            join read_parquet('{work}/staging/current/reports/*.parquet') reports using (report_id)
            """
        ).fetchall()
    by_path = {r[0]: dict(zip(["path", "report_id", "status", "reason", "report_path", "current", "version_reason", "issues"], r)) for r in rows}
    return work, expected, done, by_path


def _stored(rel: str) -> str:
    """How the loader stores a path it was given as in/<rel> (undecodable bytes escaped)."""
    return os.fsencode(os.path.join("in", rel)).decode("utf-8", "backslashreplace")


def test_exit_status_zero_and_every_file_has_a_row(bad_load):
    work, expected, done, by_path = bad_load
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(by_path) == sorted(_stored(rel) for rel in expected)
    assert f"load: {len(expected)} files" in done.stdout


def test_every_file_has_its_status_and_a_reason_naming_it(bad_load):
    _, expected, _, by_path = bad_load
    for rel, want in expected.items():
        row = by_path[_stored(rel)]
        assert row["status"] in want.statuses, (rel, row)
        if row["status"] == "ok":
            continue
        assert row["reason"], (rel, row)
        if row["status"] == "failed":
            # The reason of a failed report names its file (the first path with those bytes).
            assert row["reason"].startswith(row["report_path"] + ": "), (rel, row["reason"])
        if want.reason:
            said = " ".join([row["reason"]] + list(row["issues"] or []))
            assert want.reason in said, (rel, said)


def test_good_reports_have_their_figures(bad_load):
    work, expected, _, by_path = bad_load
    with duckdb.connect() as con:
        def cell(report_id, row_code, applicant):
            return con.execute(
                f"select value from read_parquet('{work}/staging/current/application_cells/*.parquet') "
                "where report_id = ? and row_code = ? and applicant = ?", [report_id, row_code, applicant]
            ).fetchone()[0]

        luzhou = by_path[_stored("good/luzhou.txt")]["report_id"]
        assert [cell(luzhou, r, "total") for r in ("new_received", "carried_over", "total_processed", "carried_forward")] == [380, 18, 376, 22]
        jinyun_gb = by_path[_stored("good/jinyun in GB18030.txt")]["report_id"]
        assert cell(jinyun_gb, "new_received", "total") == 75
        yiwu = by_path[_stored("good/义乌 市 (2020).txt")]["report_id"]
        assert cell(yiwu, "new_received", "natural_person") == 30
    # The shell-hostile name was only ever data: nothing ran.
    assert not list(work.rglob("pwned")) and not Path("pwned").exists()


def test_duplicates_and_damaged_copies(bad_load):
    _, _, _, by_path = bad_load
    original, copy = by_path[_stored("good/luzhou.txt")], by_path[_stored("good/luzhou copy.txt")]
    assert original["report_id"] == copy["report_id"]
    assert original["report_path"] == _stored("good/luzhou copy.txt")  # the first name in sort order
    # Damaged copies of the same report (NUL bytes, truncated) are other versions of the same organ
    # and year; the complete one is the version the marts use.
    damaged = by_path[_stored("junk/nul inside.txt")]
    assert damaged["report_id"] != original["report_id"]
    assert not damaged["current"] and original["current"]
    assert damaged["version_reason"].startswith(f"superseded by {original['report_id']}: most complete parse (ok)")


def test_limits_are_reported(bad_load):
    _, _, done, by_path = bad_load
    assert "file_too_large 1" in done.stdout and "zip_bomb 1" in done.stdout and "file_time_limit" not in done.stdout


def test_a_worker_that_dies_costs_only_its_file(tmp_path, samples_dir):
    """A file whose parse kills the worker process (here: a hook that SIGKILLs it) gets a failed row
    saying so; the other files of its task are parsed."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for sample in samples_dir.glob("*.txt"):
        (inputs / sample.name).write_bytes(sample.read_bytes())
    (inputs / "crash.txt").write_text("CRASH-THE-WORKER")
    script = (
        "import os, signal, sys\n"
        "import loaders.batch as batch\n"
        "from loaders.executors import ProcessPoolExecutor\n"
        "real = batch.parse_report\n"
        "def parse_or_die(data, path, registry, *identity_and_notes):\n"
        "    if data == b'CRASH-THE-WORKER':\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(data, path, registry, *identity_and_notes)\n"
        "batch.parse_report = parse_or_die\n"
        "if __name__ == '__main__':\n"
        "    with ProcessPoolExecutor(2) as pool:\n"
        "        s = batch.load([sys.argv[1]], sys.argv[2], executor=pool)\n"
        "    print(s.status['ok'], s.status['failed'], dict(s.refused))\n"
    )
    (tmp_path / "run.py").write_text(script)
    import subprocess

    done = subprocess.run([sys.executable, str(tmp_path / "run.py"), str(inputs), str(tmp_path / "staging")],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    ok, failed, refused = done.stdout.split(maxsplit=2)
    assert (int(ok), int(failed)) == (4, 1)  # the samples as always (Wenzhou partial); crash.txt failed
    assert "worker_lost" in refused
    with duckdb.connect() as con:
        reason = con.execute(
            f"select status_reason from read_parquet('{tmp_path}/staging/current/reports/*.parquet') where source_path like '%crash.txt'"
        ).fetchone()[0]
    assert "the parser's worker process stopped on this file (worker process killed by SIGKILL)" in reason


SECRET = "SECRET-MARKER-4f1c9e"


def _xxe_docx(secret_path: Path) -> bytes:
    import io
    import zipfile

    document = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret_path}">'
        '<!ENTITY net SYSTEM "http://127.0.0.1:9/ogi.dtd">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>2020年某县人民政府政府信息公开工作年度报告 &xxe; &net;</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         '<Default Extension="xml" ContentType="application/xml"/></Types>')
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def test_input_is_data_only(tmp_path):
    """External entities in XML/HTML are never resolved (no file or network read), nothing in a file
    runs, and output paths never come from file contents: the staging folder holds only its own
    structure, whatever the titles say."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "xxe.docx").write_bytes(_xxe_docx(secret))
    (inputs / "xxe.html").write_text(
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]><html><body><p>&xxe;</p>'
        '<img src="http://127.0.0.1:9/x.png"><script>document.write("x")</script>'
        "<table><tr><td>本年新收政府信息公开申请数量</td><td>1</td></tr></table></body></html>"
    )
    (inputs / "traversal.txt").write_text("../../../../tmp/evil 2020年__import__('os').system('touch pwned')政府信息公开工作年度报告\n")
    done = ogi("load", str(inputs), "--staging", str(tmp_path / "staging"))
    assert done.returncode == 0, done.stdout + done.stderr
    written = [p for p in (tmp_path / "staging").rglob("*") if p.is_file()]
    own = {".lock", ".pins.lock", "files.parquet", "manifest.json"}  # the staging folder's own files
    assert written and all(p.name in own or (p.name.startswith("part-") and p.suffix == ".parquet") for p in written)
    assert all(p.parent.name == "_loader" for p in written if p.name in ("files.parquet", "manifest.json"))
    with duckdb.connect() as con:
        for table in ("reports", "parse_issues", "narrative_facts"):
            text = con.execute(f"select string_agg(cast(columns(*) as varchar), '|') from read_parquet('{tmp_path}/staging/current/{table}/*.parquet')").fetchall()
            assert SECRET not in str(text)
    assert not list(tmp_path.rglob("pwned")) and not Path("/tmp/evil").exists()


def test_no_code_from_input_is_ever_run():
    """No eval/exec, and nothing unpickled or unmarshalled that a file could have written."""
    import re

    root = Path(__file__).resolve().parents[2]
    dangerous = re.compile(r"(?<![\w.])(eval|exec|compile)\(|pickle\.loads?\(|marshal\.loads?\(|yaml\.load\(|__import__\(|os\.system\(|shell=True")
    for folder in ("loaders", "ogi", "expectations"):
        for path in (root / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                assert not dangerous.search(line), f"{path}:{number}: {line.strip()}"
