"""expectations/verdict.py: a check's verdict stands only for the same warehouse, gate code, rule and
output folder, and only while every output is the file that check wrote."""
import json
from pathlib import Path

import pytest

from expectations import verdict


def _outputs(folder: Path, inputs: dict, exit_code: int = 1) -> None:
    (folder / "data_docs").mkdir(parents=True)
    (folder / "data_docs" / "index.html").write_text("<html>docs</html>")
    (folder / "summary.txt").write_text("check: FAILED\n")
    (folder / "summary.json").write_text('{"verdict": "check: FAILED"}')
    verdict.record(folder, inputs, exit_code)


@pytest.fixture
def gate(tmp_path) -> tuple[Path, dict]:
    folder = tmp_path / "ogi.gate"
    inputs = verdict.inputs("a" * 64, folder, strict=False, threshold=0.5, min_checked=0.5)
    _outputs(folder, inputs)
    return folder, inputs


def test_the_same_inputs_and_intact_outputs_give_the_recorded_verdict(gate):
    folder, inputs = gate
    reused = verdict.reusable(folder, inputs)
    assert reused == verdict.Reused(1, "check: FAILED\n", '{"verdict": "check: FAILED"}')
    recorded = json.loads((folder / verdict.RECORD).read_text())
    assert sorted(recorded["outputs"]) == ["data_docs/index.html", "summary.json", "summary.txt"]


@pytest.mark.parametrize("change", [
    {"warehouse_sha256": "b" * 64},
    {"strict": True},
    {"threshold": 0.2},
    {"min_checked": 0.9},
])
def test_another_warehouse_or_rule_is_checked_again(gate, change):
    folder, _ = gate
    args = {"warehouse_sha256": "a" * 64, "out_dir": folder, "strict": False, "threshold": 0.5, "min_checked": 0.5}
    assert verdict.reusable(folder, verdict.inputs(**{**args, **change})) is None


def test_outputs_in_another_folder_are_not_reused(gate, tmp_path):
    folder, inputs = gate
    moved = tmp_path / "elsewhere.gate"
    folder.rename(moved)
    assert verdict.reusable(moved, verdict.inputs("a" * 64, moved, False, 0.5, 0.5)) is None


@pytest.mark.parametrize("tamper", [
    lambda f: (f / "summary.txt").write_text("check: PASSED\n"),
    lambda f: (f / "data_docs" / "index.html").unlink(),
    lambda f: (f / "data_docs" / "extra.html").write_text("x"),
    lambda f: (f / verdict.RECORD).write_text("{not json"),
    lambda f: (f / verdict.RECORD).unlink(),
])
def test_an_output_changed_added_or_missing_is_checked_again(gate, tamper):
    folder, inputs = gate
    tamper(folder)
    assert verdict.reusable(folder, inputs) is None


def test_a_warehouse_not_written_by_ogi_build_is_always_checked(gate):
    folder, _ = gate
    assert verdict.inputs(None, folder, False, 0.5, 0.5) is None
    assert verdict.reusable(folder, None) is None


def test_the_gate_code_is_part_of_the_inputs(gate, monkeypatch):
    folder, inputs = gate
    monkeypatch.setattr(verdict, "_gate_code_digest", lambda: "another release of the suites")
    assert verdict.reusable(folder, verdict.inputs("a" * 64, folder, False, 0.5, 0.5)) is None
