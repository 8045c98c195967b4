"""Hostile and unlucky files, one at a time: each gets its row and a reason, the load goes on, and
nothing outruns its limits (memory, time, the input folders)."""
from pathlib import Path

import duckdb
import pytest

from tests.integration.conftest import ogi

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def staged(staging: Path, sql: str):
    with duckdb.connect() as con:
        for table in ("reports", "source_files", "application_cells", "parse_issues", "narrative_facts"):
            con.execute(f"create view {table} as select * from read_parquet('{staging}/current/{table}/*.parquet')")
        return con.execute(sql).fetchall()


def long_figures() -> bytes:
    """Luzhou's report with table 3's first two figures printed with 20 and 401 digits."""
    lines = (SAMPLES / "luzhou_2020_traditional.txt").read_text(encoding="utf-8").split("\n")
    assert lines[101:103] == ["352", "21"]
    lines[101], lines[102] = "12345678901234567890", "1" + "0" * 400
    return "\n".join(lines).encode()


@pytest.mark.parametrize("workers", ["0", "2"])
def test_figures_beyond_the_staging_types_are_unreadable_cells(tmp_path, workers):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "long figures.txt").write_bytes(long_figures())
    (inputs / "yiwu.txt").write_bytes((SAMPLES / "yiwu_2020_office.txt").read_bytes())
    done = ogi("load", str(inputs), "--staging", str(tmp_path / "staging"), "--workers", workers)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 reports (ok 1, partial 1, failed 0)" in done.stdout
    cells = staged(tmp_path / "staging", """
        select c.applicant, c.value, c.cell_state, c.raw_text from application_cells c join reports r using (report_id)
        where r.source_path like '%long figures.txt' and c.row_code = 'new_received' and c.applicant in ('natural_person', 'commercial')
        order by c.line""")
    assert cells == [("natural_person", None, "unreadable", "12345678901234567890"),
                     ("commercial", None, "unreadable", "1" + "0" * 400)]
    issues = staged(tmp_path / "staging", "select line, message from parse_issues where code = 'value_out_of_range' order by line")
    assert [line for line, _ in issues] == [102, 103]
    assert issues[0][1].endswith("long figures.txt: application_cells.value 12345678901234567890 cannot be stored "
                                 "(beyond the range of the column), read as unreadable")


def by_path(staging: Path) -> dict[str, dict]:
    rows = staged(staging, """
        select f.source_path, f.size_bytes, f.source_sha256, r.parse_status, r.status_reason,
               (select list(i.code || ': ' || i.message) from parse_issues i where i.report_id = r.report_id)
        from source_files f join reports r using (report_id)""")
    keys = ("size", "sha256", "status", "reason", "issues")
    return {Path(path).name: dict(zip(keys, rest)) for path, *rest in rows}


def test_merged_cells_and_bombs_stay_within_the_limits(tmp_path):
    """A 70 kB HTML page of `rowspan=0 colspan=64` cells and a DOCX table of `gridSpan=999` cells are
    read with their spans capped (the grid would take gigabytes), within a 512 MiB memory limit; a
    PDF whose stream inflates to 600 MiB never reaches pdfminer."""
    from tests.integration import bad_inputs

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "rowspan.html").write_bytes(bad_inputs.rowspan_html())
    (inputs / "gridspan.docx").write_bytes(bad_inputs.gridspan_docx())
    (inputs / "bomb.pdf").write_bytes(bad_inputs.flate_bomb_pdf())
    done = ogi("load", str(inputs), "--staging", str(tmp_path / "staging"), "--max-memory-mb", "512")
    assert done.returncode == 0, done.stdout + done.stderr
    files = by_path(tmp_path / "staging")
    for name in ("rowspan.html", "gridspan.docx"):
        assert files[name]["status"] == "partial", files[name]
        said = [i for i in files[name]["issues"] if "grid positions" in i]
        assert said and said[0].endswith(
            "its merged cells would expand past 250,000 grid positions; the spans after that point were read as single cells")
    bomb = files["bomb.pdf"]
    assert bomb["status"] == "failed" and bomb["reason"].endswith(
        "PDF streams inflate past 512.0 MiB, the limit for all of a PDF's Flate streams: a Flate bomb")
    assert "pdf_bomb 1" in done.stdout


HOOKS = '''
import os, signal, sys, time
import loaders.guard as guard
import loaders.parse as parse
from ogi.cli import main

LOG = os.environ["HOOK_LOG"]
read, parse_report = guard.read, parse.parse_report

def hooked_read(path, *args, **kwargs):
    if path.endswith("blocks.txt"):  # a read that blocks and that no alarm interrupts
        with open(LOG, "a") as log:
            log.write(f"read by {os.getpid()}\\n")
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            time.sleep(3600)
    return read(path, *args, **kwargs)

def hooked_parse(data, path, registry, *identity_and_notes):
    if data.startswith(b"ALLOCATE"):  # a parser that asks for 4 GiB at once (calloc: no page is touched)
        data = bytearray(4 * 2**30)
    if data.startswith(b"LOOP"):  # a parser that never finishes (pdfminer did so on a self-referencing PDF)
        while True:
            pass
    return parse_report(data, path, registry, *identity_and_notes)

guard.read = hooked_read
parse.parse_report = hooked_parse
import loaders.batch
loaders.batch.parse_report = hooked_parse
if __name__ == "__main__":
    with open(LOG, "a") as log:
        log.write(f"parent {os.getpid()}\\n")
    sys.exit(main(sys.argv[1:]))
'''


def hooked_ogi(tmp_path: Path, *args: str):
    """`ogi` with a guard whose read of `blocks.txt` never returns and a parser that allocates 4 GiB
    for files starting with ALLOCATE."""
    import os
    import subprocess
    import sys

    script = tmp_path / "hooked_ogi.py"
    script.write_text(HOOKS)
    log = tmp_path / "hook.log"
    # The timeout only ends the test if a load hangs (the bug this guards against); a load that works
    # stops these files within seconds, whatever the machine's speed.
    done = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).resolve().parents[2], env={**os.environ, "HOOK_LOG": str(log)})
    return done, log.read_text().splitlines() if log.exists() else []


@pytest.mark.parametrize("workers", ["0", "2"])
def test_files_that_never_finish_are_stopped(tmp_path, workers):
    """Each file here provably never finishes: a parse that loops for ever (pdfminer did so on a PDF
    whose page size refers to itself; PDFium reads that PDF at once and finds nothing in it), and,
    with workers, a read that blocks with the alarm blocked, which only the parent can stop by
    killing the worker. Both are stopped at the time limit; the lost file is recorded without being
    read again by the parent."""
    from tests.integration import bad_inputs

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "loops.pdf").write_bytes(bad_inputs.self_referencing_pdf())
    (inputs / "loops.txt").write_text("LOOP for ever")
    if workers != "0":
        (inputs / "blocks.txt").write_text("never read to the end")
    done, log = hooked_ogi(tmp_path, "load", str(inputs), "--staging", str(tmp_path / "staging"),
                           "--file-timeout", "1", "--workers", workers)
    assert done.returncode == 0, done.stdout + done.stderr
    files = by_path(tmp_path / "staging")
    assert files["loops.pdf"]["status"] == "failed" and files["loops.pdf"]["reason"].endswith("no OGI report content found (no title, tables or figures)")
    reason = "parsing stopped after 1s, the per-file time limit (--file-timeout / OGI_FILE_TIMEOUT)"
    assert files["loops.txt"]["status"] == "failed" and files["loops.txt"]["reason"].endswith(reason)
    assert files["loops.txt"]["sha256"] is not None  # read, then stopped while parsing
    if workers != "0":
        assert files["blocks.txt"]["status"] == "failed" and files["blocks.txt"]["reason"].endswith(reason)
        assert files["blocks.txt"]["sha256"] is None and files["blocks.txt"]["size"] == len("never read to the end")
        parent = [line.split()[1] for line in log if line.startswith("parent")]
        readers = [line.split()[2] for line in log if line.startswith("read by")]
        assert readers and parent[0] not in readers
    assert f"file_time_limit {len(files) - 1}" in done.stdout


def test_memory_limit_stops_a_file_and_the_load_goes_on(tmp_path, samples_dir):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "allocates.txt").write_text("ALLOCATE 4 GiB")
    (inputs / "luzhou.txt").write_bytes((samples_dir / "luzhou_2020_traditional.txt").read_bytes())
    for workers in ("0", "2"):
        staging = tmp_path / f"staging-{workers}"
        done, _ = hooked_ogi(tmp_path, "load", str(inputs), "--staging", str(staging), "--max-memory-mb", "256",
                             "--workers", workers)
        assert done.returncode == 0, done.stdout + done.stderr
        files = by_path(staging)
        assert files["allocates.txt"]["status"] == "failed" and files["allocates.txt"]["reason"].endswith(
            "parsing needed more than 256 MiB of memory, the per-file memory limit (--max-memory-mb / OGI_MAX_MEMORY_MB)")
        assert files["luzhou.txt"]["status"] == "ok"
        assert "file_memory_limit 1" in done.stdout


def test_symlinks_stay_inside_the_input_folders(tmp_path, samples_dir):
    """A link out of the input folders is refused without reading its target (nothing of it is
    stored) unless --follow-links-anywhere; links inside them are read; devices, sockets and FIFOs
    are refused from their metadata."""
    import os
    import socket

    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_bytes((samples_dir / "yiwu_2020_office.txt").read_bytes())
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    (inputs / "sub" / "luzhou.txt").write_bytes((samples_dir / "luzhou_2020_traditional.txt").read_bytes())
    os.symlink(secret, inputs / "out.txt")
    os.symlink("/etc/passwd", inputs / "passwd.txt")
    os.symlink("sub/luzhou.txt", inputs / "in.txt")
    os.symlink("/dev/zero", inputs / "zero.txt")
    os.mkfifo(inputs / "fifo.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(inputs / "socket.txt"))
    try:
        done = ogi("load", str(inputs), "--staging", str(tmp_path / "staging"))
        anywhere = ogi("load", str(inputs), "--staging", str(tmp_path / "anywhere"), "--follow-links-anywhere")
    finally:
        server.close()
    assert done.returncode == 0 and anywhere.returncode == 0, done.stdout + anywhere.stdout
    files = by_path(tmp_path / "staging")
    for name, target in (("out.txt", str(secret)), ("passwd.txt", "/etc/passwd")):
        assert files[name]["status"] == "failed" and files[name]["sha256"] is None, files[name]
        assert files[name]["reason"].endswith(
            f"symlink to {target}, outside the input folders: not read (--follow-links-anywhere reads it)")
        assert files[name]["size"] == len(os.readlink(inputs / name))  # the link's own size, not its target's
    assert files["in.txt"]["status"] == files["luzhou.txt"]["status"] == "ok"
    followed = by_path(tmp_path / "anywhere")
    kinds = {"fifo.txt": "a named pipe (FIFO)", "socket.txt": "a socket"}
    for name, kind in kinds.items():
        assert files[name]["reason"].endswith(f"not a regular file: {kind}; not opened"), files[name]
    assert followed["zero.txt"]["reason"].endswith("not a regular file: a character device; not opened")
    assert "link_outside_inputs 3" in done.stdout  # out.txt, passwd.txt, zero.txt
    assert followed["out.txt"]["status"] == "ok" and followed["out.txt"]["sha256"] is not None
    assert followed["passwd.txt"]["status"] == "failed" and followed["passwd.txt"]["size"] == os.stat("/etc/passwd").st_size


def test_a_control_character_in_a_cell_and_a_strict_docx_are_read(tmp_path, samples_dir):
    """A vertical tab after a line break in a table cell (lxml keeps it in the text but refuses it
    back in the tree), and a DOCX saved as Strict Open XML: both reports are read whole."""
    from tests.integration import bad_inputs

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
    page = (fixtures / "v2021_gov_page.html").read_bytes()
    assert page.count("本年制发件数".encode()) == 1
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "page.html").write_bytes(page)
    (inputs / "page with a vertical tab.html").write_bytes(page.replace("本年制发件数".encode(), "本年<br>\x0b制发件数".encode()))
    yiwu = (samples_dir / "yiwu_2020_office.txt").read_text(encoding="utf-8")
    (inputs / "strict.docx").write_bytes(bad_inputs.strict_ooxml_docx(yiwu))
    (inputs / "yiwu.txt").write_text(yiwu, encoding="utf-8")
    done = ogi("load", str(inputs), "--staging", str(tmp_path / "staging"))
    assert done.returncode == 0, done.stdout + done.stderr
    counts = dict(staged(tmp_path / "staging", """
        select f.source_path, r.parse_status || ' ' || (select count(*) from application_cells c where c.report_id = r.report_id)
        from source_files f join reports r using (report_id)"""))
    counts = {Path(k).name: v for k, v in counts.items()}
    assert counts["page with a vertical tab.html"] == counts["page.html"] == "ok 175"
    assert counts["strict.docx"] == counts["yiwu.txt"] == "ok 161"
