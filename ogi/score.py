"""`ogi score`: how many hand-keyed figures a staging snapshot holds exactly.

An answer key (the format of tests/fixtures/devcorpus/README.md, "Key fields") is a JSON list with
one object per file. Each field other than the notes names one value of the staging tables; a field
that is absent or null is not checked (a blank cell is never keyed as 0). A keyed value matches when
the staging tables hold exactly one row for it with the same value. Legacy reports key their prose
figures under `narrative`: each must be among the report's prose figures (`narrative_facts`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from loaders.staging import current_dir, read_table

# key field -> (staging table, row column, row value, column column, column value)
_CELL_FIELDS: dict[str, tuple[str, str, str, str, str]] = {
    "new_total": ("application_cells", "row_code", "new_received", "applicant", "total"),
    "carried_total": ("application_cells", "row_code", "carried_over", "applicant", "total"),
    "granted_total": ("application_cells", "row_code", "granted", "applicant", "total"),
    "partial_total": ("application_cells", "row_code", "partially_granted", "applicant", "total"),
    "outcome_total": ("application_cells", "row_code", "total_processed", "applicant", "total"),
    "carried_forward_total": ("application_cells", "row_code", "carried_forward", "applicant", "total"),
    "natural_person_new": ("application_cells", "row_code", "new_received", "applicant", "natural_person"),
    "natural_person_outcome_total": ("application_cells", "row_code", "total_processed", "applicant", "natural_person"),
    "legal_services_outcome_total": ("application_cells", "row_code", "total_processed", "applicant", "legal_services"),
    "review_total": ("review_litigation_cells", "proceeding", "review", "result", "total"),
    "review_corrected": ("review_litigation_cells", "proceeding", "review", "result", "corrected"),
    "litigation_direct_total": ("review_litigation_cells", "proceeding", "litigation_direct", "result", "total"),
    "litigation_direct_pending": ("review_litigation_cells", "proceeding", "litigation_direct", "result", "pending"),
    "litigation_after_review_total": ("review_litigation_cells", "proceeding", "litigation_after_review", "result", "total"),
    "licensing_decisions": ("disclosure_cells", "item", "licensing", "measure", "decisions"),
    "licensing_change": ("disclosure_cells", "item", "licensing", "measure", "change"),
    "coercive_measures_change": ("disclosure_cells", "item", "coercive_measures", "measure", "change"),
    "procurement_items": ("disclosure_cells", "item", "central_procurement", "measure", "procurement_items"),
    "procurement_amount_yuan": ("disclosure_cells", "item", "central_procurement", "measure", "procurement_amount_yuan"),
    "normative_documents_total_published": ("disclosure_cells", "item", "normative_documents", "measure", "total_published"),
}
_REPORT_FIELDS = {"year": "report_year", "template": "template", "division_code": "division_code", "scope": "report_scope"}
# Fields for the reader only.
_UNSCORED = {"file", "notes", "jurisdiction", "identity_failures"}
_ROW_SUFFIX = "_total"  # <row_code>_total: that row's total column


@dataclass(frozen=True)
class Mismatch:
    file: str
    field: str
    expected: object
    found: str


@dataclass
class Score:
    matched: int = 0
    keyed: int = 0
    mismatches: list[Mismatch] | None = None
    unknown_fields: list[str] | None = None

    @property
    def percent(self) -> float:
        return 100.0 * self.matched / self.keyed if self.keyed else 100.0


class KeyError_(ValueError):
    """The key cannot be read or names a field the scorer does not know."""


def _snapshot(staging: Path) -> Path:
    """A staging folder (its `current` snapshot) or a snapshot folder itself."""
    current = current_dir(staging)
    return current if current.exists() else staging


def _rows_by_report(table: pa.Table) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in table.to_pylist():
        out.setdefault(row["report_id"], []).append(row)
    return out


class Staging:
    """The staging tables of one snapshot, indexed by report and by file name."""

    def __init__(self, staging: Path):
        snapshot = _snapshot(Path(staging))
        if not (snapshot / "reports").is_dir():
            raise FileNotFoundError(f"no staging snapshot at {staging} (run `ogi load` first)")
        reports = read_table(snapshot, "reports").to_pylist()
        self.reports = {r["report_id"]: r for r in reports}
        self.by_file: dict[str, list[str]] = {}
        for f in read_table(snapshot, "source_files").to_pylist():
            self.by_file.setdefault(Path(f["source_path"]).name, []).append(f["report_id"])
        self.rows = {name: _rows_by_report(read_table(snapshot, name))
                     for name in ("application_cells", "review_litigation_cells", "disclosure_cells", "narrative_facts")}

    def cells(self, table: str, report_id: str, row_column: str, row: str, column_column: str, column: str) -> list[dict]:
        return [c for c in self.rows[table].get(report_id, ()) if c[row_column] == row and c[column_column] == column]


def _cell_spec(field: str) -> tuple[str, str, str, str, str] | None:
    if field in _CELL_FIELDS:
        return _CELL_FIELDS[field]
    if field.endswith(_ROW_SUFFIX):
        return ("application_cells", "row_code", field[: -len(_ROW_SUFFIX)], "applicant", "total")
    return None


def _shown(cells: list[dict]) -> str:
    if not cells:
        return "no cell"
    return "; ".join(
        f"{c['value'] if c['value'] is not None else 'NULL'} ({c['cell_state']}, printed {c['raw_text']!r}, line {c['line']})"
        for c in cells
    )


def _same(expected, value) -> bool:
    return value is not None and float(value) == float(expected)


def score_entry(entry: dict, staging: Staging, known_rows: set[str]) -> tuple[int, int, list[Mismatch], list[str]]:
    """(matched, keyed, mismatches, unknown fields) for one file of the key."""
    file = entry["file"]
    ids = staging.by_file.get(file, [])
    matched = keyed = 0
    mismatches: list[Mismatch] = []
    unknown: list[str] = []

    def miss(field: str, expected, found: str) -> None:
        mismatches.append(Mismatch(file, field, expected, found))

    report_id = ids[0] if len(set(ids)) == 1 else None
    found = "no report loaded from this file" if not ids else f"{len(set(ids))} reports loaded from this name"
    for field, expected in entry.items():
        if field in _UNSCORED or expected is None:
            continue
        if field == "narrative":
            facts = staging.rows["narrative_facts"].get(report_id, []) if report_id else []
            values = {f["value"] for f in facts}
            for fact, value in expected.items():
                if value is None:
                    continue
                keyed += 1
                if report_id and float(value) in values:
                    matched += 1
                else:
                    miss(f"narrative.{fact}", value, f"prose figures {sorted(values)}" if report_id else found)
            continue
        spec = None if field in _REPORT_FIELDS or field == "all_blank" else _cell_spec(field)
        if spec is not None and spec[0] == "application_cells" and spec[2] not in known_rows:
            spec = None  # <something>_total that names no row of table 3
        if spec is None and field not in _REPORT_FIELDS and field != "all_blank":
            unknown.append(field)
            continue
        keyed += 1
        if report_id is None:
            miss(field, expected, found)
            continue
        if field in _REPORT_FIELDS:
            value = staging.reports[report_id].get(_REPORT_FIELDS[field])
            if value is not None and str(value) == str(expected):
                matched += 1
            else:
                miss(field, expected, repr(value))
        elif field == "all_blank":
            held = [c for c in staging.rows["application_cells"].get(report_id, ()) if c["value"] is not None]
            if bool(expected) == (not held):
                matched += 1
            else:
                miss(field, expected, f"{len(held)} cells hold a value")
        else:
            cells = staging.cells(spec[0], report_id, *spec[1:])
            if len(cells) == 1 and _same(expected, cells[0]["value"]):
                matched += 1
            else:
                miss(field, expected, _shown(cells))
    return matched, keyed, mismatches, unknown


def read_key(path: Path) -> list[dict]:
    try:
        key = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KeyError_(f"{path}: cannot read the key: {exc}") from exc
    if not isinstance(key, list) or not all(isinstance(e, dict) and isinstance(e.get("file"), str) for e in key):
        raise KeyError_(f"{path}: a key is a JSON list of objects, each with a 'file' name")
    return key


def score(staging_dir: Path, key_path: Path, known_rows: set[str]) -> Score:
    staging = Staging(staging_dir)
    result = Score(mismatches=[], unknown_fields=[])
    for entry in read_key(key_path):
        matched, keyed, mismatches, unknown = score_entry(entry, staging, known_rows)
        result.matched += matched
        result.keyed += keyed
        result.mismatches.extend(mismatches)
        result.unknown_fields.extend(f"{entry['file']}: {f}" for f in unknown)
    return result
