"""Corruption of each kind is detected, named, and repaired: a staging part with other figures or
flipped bytes, a damaged loader state or manifest, a warehouse overwritten or truncated. The load
parses again what a damaged part held (the repaired staging equals a fresh load, byte for byte), the
build never believes a damaged warehouse is up to date, and the gate names the damage in one line."""
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from loaders import staging
from tests.integration.conftest import ogi
from tests.integration.test_staging import assert_identical

APPLICATION_CELLS = "select count(*), sum(value) from stg_ogi__application_cells"


def run(*args: str) -> str:
    done = ogi(*args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def fails(*args: str) -> str:
    """The one line (standard error, exit status 2) of a command that stopped on damage."""
    done = ogi(*args)
    said = (done.stdout + done.stderr).strip()
    assert done.returncode == 2 and done.stdout == "" and len(said.splitlines()) == 1, said
    assert "Traceback" not in said, said
    return said


@pytest.fixture(scope="module")
def built(tmp_path_factory, samples_dir):
    """The samples loaded and built; returns (inputs, staging, db, the figures the warehouse holds).
    Shared: each test damages something, and leaves staging and warehouse repaired."""
    tmp_path = tmp_path_factory.mktemp("corruption")
    inputs = tmp_path / "in"
    shutil.copytree(samples_dir, inputs)
    staging_dir, db = tmp_path / "staging", tmp_path / "ogi.duckdb"
    run("load", str(inputs), "--staging", str(staging_dir))
    run("build", "--staging", str(staging_dir), "--db", str(db))
    with duckdb.connect(str(db), read_only=True) as con:
        figures = con.execute(APPLICATION_CELLS).fetchone()
    return inputs, staging_dir, db, figures


def current_part(staging_dir: Path, table: str) -> Path:
    return sorted((staging_dir / "current" / table).glob("part-*.parquet"))[0]


@pytest.mark.parametrize("kind", ["other figures", "flipped bytes"])
def test_a_damaged_staging_part_is_named_and_parsed_again(built, tmp_path, kind, adversarial):
    inputs, staging_dir, db, figures = built
    part = current_part(staging_dir, "application_cells")
    if kind == "other figures":  # a valid Parquet file whose every figure is one more: reads without error
        cells = pq.read_table(part)
        cells = cells.set_column(cells.schema.get_field_index("value"), "value", pa_plus_one(cells["value"]))
        pq.write_table(cells, part)
    else:
        data = bytearray(part.read_bytes())
        data[len(data) // 2] ^= 0xFF
        part.write_bytes(bytes(data))
    args = ("--staging", str(staging_dir), "--db", str(db))
    # The build reads the snapshot: it stops and says which part and the load that repairs it.
    said = fails("build", *args)
    assert f"application_cells/{part.name} does not match its checksum" in said
    assert said.endswith(f"repair it with `ogi load {inputs} --staging {staging_dir}`")
    # The gate reads the same snapshot through the warehouse's views: it says so too.
    assert "does not match its checksum" in fails("check", *args)
    loaded = run("load", str(inputs), "--staging", str(staging_dir))
    assert "repaired: the previous staging snapshot" in loaded and "the reports of its bucket are parsed again" in loaded
    assert "files: 5 parsed" in loaded
    run("load", str(inputs), "--staging", str(tmp_path / "fresh"))
    assert_identical(staging_dir, tmp_path / "fresh")
    assert "build: ok" in run("build", *args)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(APPLICATION_CELLS).fetchone() == figures
    # Nothing damaged was carried into the new snapshot (a hard link would have).
    assert not staging.verify((staging_dir / "current").resolve())
    adversarial("corruption", f"a staging part: {kind}", "build and check name the part and the load that repairs it; "
                "the load parses its bucket again (= a fresh load)")


def pa_plus_one(column):
    import pyarrow.compute as pc

    return pc.add(column, 1)


@pytest.mark.parametrize("damaged", ["_loader/files.parquet", "_loader/manifest.json"])
def test_a_damaged_loader_state_or_manifest_makes_the_load_parse_everything(built, tmp_path, damaged, adversarial):
    inputs, staging_dir, db, _ = built
    path = staging_dir / "current" / damaged
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert "is damaged" in fails("build", "--staging", str(staging_dir), "--db", str(db))
    loaded = run("load", str(inputs), "--staging", str(staging_dir))
    assert "every file is parsed again" in loaded and "files: 5 parsed" in loaded
    run("load", str(inputs), "--staging", str(tmp_path / "fresh"))
    assert_identical(staging_dir, tmp_path / "fresh")
    adversarial("corruption", f"{damaged} cut in half", "the build names it; the load parses everything again (= a fresh load)")


@pytest.mark.parametrize("kind", ["truncated", "overwritten with junk", "another warehouse"])
def test_a_damaged_warehouse_is_never_up_to_date(built, tmp_path, kind, adversarial):
    inputs, staging_dir, db, figures = built
    args = ("--staging", str(staging_dir), "--db", str(db))
    if kind == "truncated":
        db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    elif kind == "overwritten with junk":
        db.write_bytes(b"\0junk" * 100_000)
    else:  # a valid DuckDB file, but not the one the build wrote
        db.unlink()
        with duckdb.connect(str(db)) as con:
            con.execute("create table dim_reports as select 1 as report_id")
    said = fails("check", *args)
    assert said.startswith(f"ogi check: the warehouse {db} ") and said.endswith("; rebuild it with `ogi build`"), said
    rebuilt = run("build", *args)
    assert "does not match the file its last build wrote" in rebuilt and "build: ok" in rebuilt
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(APPLICATION_CELLS).fetchone() == figures
    assert run("check", *args).startswith("check: PASSED")
    assert "build: up to date" in run("build", *args)
    adversarial("corruption", f"the warehouse file: {kind}", "check says so in one line; the build is not skipped "
                "and rebuilds it; the gate passes")
