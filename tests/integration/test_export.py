"""`ogi export` and the warehouse file, as other tools open them: every mart and the findings as
Parquet and as CSV in UTF-8 with a byte-order mark, a data dictionary, and a warehouse file that
DuckDB 1.x opens (the oldest 1.x release and the latest, installed in scratch environments)."""
import json
import struct
import subprocess

import pyarrow.parquet as pq
import pytest

from tests.integration.conftest import ogi
from tests.scratch_env import venv

BOM = b"\xef\xbb\xbf"
# The DuckDB 1.x releases a warehouse must open in: the first, and the latest at the time of writing.
DUCKDB_1X = ("1.0.0", "1.5.6")


@pytest.fixture(scope="module")
def exported(samples_run, tmp_path_factory):
    assert samples_run.returncode == 0, samples_run.output
    out = tmp_path_factory.mktemp("export") / "ogi.export"
    done = ogi("export", "--db", str(samples_run.db), "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    return out, done.stdout


def marts(run) -> dict[str, int]:
    """Every dim_ and fct_ table of the warehouse with its rows."""
    names = [r[0] for r in run.query("select table_name from duckdb_tables() where table_name like 'dim\\_%' escape '\\' "
                                     "or table_name like 'fct\\_%' escape '\\'")]
    return {name: run.query(f'select count(*) from "{name}"')[0][0] for name in names}


def test_every_mart_and_the_findings_as_parquet_and_csv_with_a_bom(samples_run, exported):
    out, printed = exported
    tables = {**marts(samples_run), "code_labels": samples_run.query("select count(*) from code_labels")[0][0], "findings": 4}
    assert tables["fct_jurisdiction_year"] == 13
    assert {p.name for p in (out / "parquet").iterdir()} == {f"{t}.parquet" for t in tables}
    assert f"export: {len(tables)} tables" in printed
    for table, rows in tables.items():
        parquet = pq.read_table(out / "parquet" / f"{table}.parquet")
        assert parquet.num_rows == rows, table
        data = (out / "csv" / f"{table}.csv").read_bytes()
        assert data.startswith(BOM), table
        lines = data[len(BOM):].decode("utf-8").splitlines()
        assert lines[0].split(",") == parquet.column_names, table
    # A Chinese label reads back in the CSV as printed (Excel in a Chinese locale needs the BOM for it).
    assert "缙云县" in (out / "csv" / "dim_reports.csv").read_text(encoding="utf-8-sig")
    findings = pq.read_table(out / "parquet" / "findings.parquet").to_pylist()
    assert sorted((f["source_path"], f["check_id"], f["scope"]) for f in findings)[:2] == [
        ("data/samples/yiwu_2020_office.txt", "T3-01", "legal_services"),
        ("data/samples/yiwu_2020_office.txt", "T3-01", "natural_person"),
    ]


def test_the_data_dictionary_describes_every_exported_table_and_column(exported):
    out, _ = exported
    rows = pq.read_table(out / "data_dictionary.parquet").to_pylist()
    for table in {r["table_name"] for r in rows}:
        columns = pq.read_table(out / "parquet" / f"{table}.parquet").column_names
        described = [r for r in rows if r["table_name"] == table]
        assert [r["column_name"] for r in described] == ["", *columns], table
        assert all(r["description"] for r in described), [r["column_name"] for r in described if not r["description"]]
    jurisdiction_year = {r["column_name"]: r for r in rows if r["table_name"] == "fct_jurisdiction_year"}
    assert jurisdiction_year["new_received"]["data_type"] == "BIGINT"
    assert "本年新收政府信息公开申请数量" in jurisdiction_year["new_received"]["description"]
    assert (out / "data_dictionary.csv").read_bytes().startswith(BOM)


def test_the_gate_writes_its_findings_csv_with_a_bom(samples_run):
    findings = samples_run.db.parent / "ogi.gate" / "findings.csv"
    data = findings.read_bytes()
    assert data.startswith(BOM)
    assert "义乌市" in data.decode("utf-8-sig")


def test_the_warehouse_is_written_in_a_storage_version_duckdb_1_reads(samples_run):
    # The file header: 8 bytes of checksum, "DUCK", then the storage version (64: DuckDB 1.0's).
    header = samples_run.db.read_bytes()[:20]
    assert header[8:12] == b"DUCK" and struct.unpack("<Q", header[12:20])[0] == 64


OPEN_WITH_DUCKDB_1 = """
import duckdb, json, sys
db, export = sys.argv[1], sys.argv[2]
con = duckdb.connect(db, read_only=True)
tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
counts = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
comment = con.execute("select comment from duckdb_columns() where table_name = 'fct_jurisdiction_year' "
                      "and column_name = 'new_received'").fetchone()[0]
figure = con.execute("select new_received from fct_jurisdiction_year where division_code = '510500' "
                     "and figure_kind = 'own'").fetchall()
exported = con.execute(f"select count(*) from read_parquet('{export}/parquet/fct_jurisdiction_year.parquet')").fetchone()[0]
print(json.dumps({"version": duckdb.__version__, "counts": counts, "comment": comment, "figure": figure, "exported": exported}))
"""


@pytest.mark.parametrize("version", DUCKDB_1X)
def test_duckdb_1_opens_the_warehouse_and_the_export(samples_run, exported, version):
    python = venv(f"duckdb-{version}", [f"duckdb=={version}"])
    out, _ = exported
    done = subprocess.run([str(python), "-c", OPEN_WITH_DUCKDB_1, str(samples_run.db), str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["version"] == version
    tables = {r[0]: r[1] for r in samples_run.query(
        "select table_name, estimated_size from duckdb_tables()")}
    assert set(seen["counts"]) == set(tables)
    assert seen["counts"]["fct_jurisdiction_year"] == 13 and seen["counts"]["dim_reports"] == 5
    assert "本年新收政府信息公开申请数量" in seen["comment"]
    assert seen["figure"] == [[380]]  # 泸州市 2020: 本年新收 380
    assert seen["exported"] == 13
