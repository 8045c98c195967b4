"""`ogi export`: the marts and the findings as open files that any tool opens, with a data dictionary.

    <out>/parquet/<table>.parquet   one file per table (zstd)
    <out>/csv/<table>.csv           the same as CSV in UTF-8 with a byte-order mark, so that Excel in a
                                    Chinese locale reads the labels instead of guessing GBK
    <out>/data_dictionary.csv       every exported table (column_position 0) and column: type and
                                    description (English with the Chinese label), from the warehouse's
                                    comments (and .parquet when Parquet is written)

What is exported: every mart (`dim_*` and `fct_*` tables), the code list `code_labels` that names their
codes, and `findings`, the checks that failed or could not be verified as the gate lists them in
findings.csv (expectations.warehouse.findings: the mart fct_findings in report order).

The export is written into a temporary folder next to `<out>` and renamed over it when complete.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ogi.paths import replace_folder

FORMATS = ("parquet", "csv")
FINDINGS = "findings"
CODE_LISTS = ("code_labels",)
BOM = "\ufeff".encode("utf-8")
DICTIONARY = "data_dictionary"
DICTIONARY_COLUMNS = ["table_name", "column_position", "column_name", "data_type", "description"]
FINDINGS_DESCRIPTION = (
    "Every identity check that failed or could not be verified (勾稽问题), one row per report, identity and scope, "
    "as `ogi check` lists them in findings.csv: the mart fct_findings, in report order."
)


@dataclass
class ExportResult:
    out_dir: Path
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows
    files: list[Path] = field(default_factory=list)


def exported_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The marts and code lists of the warehouse, in name order."""
    names = [r[0] for r in con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and schema_name = 'main' "
        "order by table_name"
    ).fetchall()]
    return [n for n in names if n.startswith(("dim_", "fct_")) or n in CODE_LISTS]


def dictionary_rows(con: duckdb.DuckDBPyConnection, tables: list[str]) -> list[tuple]:
    """(table, column position, column, data type, description) of every exported table (position 0,
    no column: the table's own description) and column."""
    return con.execute(
        """
        select table_name, 0, '', '', coalesce(comment, '')
        from duckdb_tables()
        where database_name = current_database() and schema_name = 'main' and table_name in (select unnest(?::varchar[]))
        union all
        select table_name, column_index, column_name, data_type, coalesce(comment, '')
        from duckdb_columns()
        where database_name = current_database() and schema_name = 'main' and table_name in (select unnest(?::varchar[]))
        order by 1, 2
        """,
        [tables, tables],
    ).fetchall()


def export(db: Path, out_dir: Path, formats: tuple[str, ...] = FORMATS,
           progress: Callable[[int, int, str], None] | None = None) -> ExportResult:
    """Write every exported table in `formats` and the data dictionary under `out_dir`."""
    from expectations import warehouse

    out_dir = out_dir.absolute()
    building = out_dir.with_name(f".{out_dir.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    result = ExportResult(out_dir)
    try:
        with warehouse.connect(db) as con:
            tables = exported_tables(con)
            con.register(FINDINGS, warehouse.findings(con))
            for fmt in formats:
                (building / fmt).mkdir(parents=True, exist_ok=True)
            for table in [*tables, FINDINGS]:
                for fmt in formats:
                    path = building / fmt / f"{table}.{fmt}"
                    _copy(con, f'select * from "{table}"', path, fmt)
                    result.files.append(out_dir / path.relative_to(building))
                result.tables[table] = con.execute(f'select count(*) from "{table}"').fetchone()[0]
                if progress:
                    progress(len(result.tables), len(tables) + 1, table)
            rows = dictionary_rows(con, tables) + _findings_dictionary(con)
            con.register(DICTIONARY, pd.DataFrame(rows, columns=DICTIONARY_COLUMNS))
            for fmt in formats:
                path = building / f"{DICTIONARY}.{fmt}"
                _copy(con, f"select * from {DICTIONARY}", path, fmt)
                result.files.append(out_dir / path.name)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    replace_folder(building, out_dir)
    return result


def _findings_dictionary(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The findings' columns, described as in fct_findings, the mart they are read from."""
    described = {c: d for _, _, c, _, d in dictionary_rows(con, ["fct_findings"])}
    columns = con.execute(f"describe select * from {FINDINGS}").fetchall()
    return [(FINDINGS, 0, "", "", FINDINGS_DESCRIPTION)] + [
        (FINDINGS, position, name, kind, described.get(name, ""))
        for position, (name, kind, *_) in enumerate(columns, start=1)
    ]


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path, fmt: str) -> None:
    if fmt == "parquet":
        con.execute(f"copy ({query}) to '{_sql_path(path)}' (format parquet, compression zstd)")
        return
    # DuckDB writes UTF-8 without a byte-order mark: write it, then the CSV behind the mark.
    plain = path.with_name(path.name + ".plain")
    con.execute(f"copy ({query}) to '{_sql_path(plain)}' (format csv, header true)")
    with open(path, "wb") as target, open(plain, "rb") as source:
        target.write(BOM)
        shutil.copyfileobj(source, target, 1 << 20)
    plain.unlink()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")

