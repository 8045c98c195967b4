"""The gate's verdict kept with what it was computed from, so that `ogi check` on a warehouse that has not
changed answers without validating again.

A verdict is a function of the warehouse file, the gate's code and its rule (mode, threshold,
min-checked). When all three are the same as at the last check, and every output of that check is still
the file it wrote, those outputs are the answer. Validating again costs seconds (Great Expectations
takes most of them to import), which was most of a no-change re-run of load, build and check.

This module does not import Great Expectations: the point is not to pay for it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from loaders.staging import add_files, file_digests

# In the gate's output folder; every other file of the folder is listed in it with its digest.
RECORD = "verdict.json"
_GATE_CODE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Reused:
    exit_code: int
    summary: str  # summary.txt as the check printed it
    document: str  # summary.json, what --json printed


def _gate_code_digest() -> str:
    """The suites, the summary and the Data Docs' assets, and the Great Expectations release."""
    digest = hashlib.sha256(version("great_expectations").encode())
    add_files(digest, _GATE_CODE.parent, _GATE_CODE.name)
    return digest.hexdigest()


def inputs(warehouse_sha256: str | None, out_dir: Path, strict: bool, threshold: float,
           min_checked: float) -> dict | None:
    """What a verdict and its outputs depend on (the outputs name the folder they are in); None when
    the warehouse's content is not known (not written by `ogi build`), so that the gate validates."""
    if not warehouse_sha256:
        return None
    return {"warehouse_sha256": warehouse_sha256, "gate_code": _gate_code_digest(), "out_dir": str(out_dir),
            "rule": {"strict": strict, "threshold": threshold, "min_checked": min_checked}}


def record(folder: Path, verdict_inputs: dict, exit_code: int) -> None:
    """Write the record into the complete output folder, before it replaces the previous one."""
    document = {"inputs": verdict_inputs, "exit_code": exit_code, "outputs": file_digests(folder, leave_out=RECORD)}
    (folder / RECORD).write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")


def reusable(folder: Path, verdict_inputs: dict | None) -> Reused | None:
    """The last check's verdict when it was computed from these inputs and its outputs are intact
    (none missing, changed or added); else None."""
    if verdict_inputs is None:
        return None
    try:
        last = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        if last["inputs"] != verdict_inputs or last["outputs"] != file_digests(folder, leave_out=RECORD):
            return None
        return Reused(int(last["exit_code"]), (folder / "summary.txt").read_text(encoding="utf-8"),
                      (folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
