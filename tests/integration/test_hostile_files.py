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
