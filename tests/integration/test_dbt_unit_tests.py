"""The dbt unit tests of the models (rates, rollups, residuals, the legacy mapping, …): fixtures in,
expected rows out. `ogi build` leaves them to the test suite; here every one of them runs and passes."""
import json

from ogi.build import unit_tests
from ogi.paths import Warehouse


def test_every_dbt_unit_test_passes(samples_run):
    assert samples_run.returncode == 0, samples_run.output
    warehouse = Warehouse.of(samples_run.staging, samples_run.db)
    printed: list[str] = []
    run = unit_tests(warehouse, printed.append)
    assert run.returncode == 0, "\n".join(printed + run.failures)
    manifest = json.loads((warehouse.work_dir / "target" / "manifest.json").read_text())
    defined = len(manifest["unit_tests"])
    assert defined >= 17  # every non-trivial model has one (see the models' YAML)
    assert {k: n for k, n in run.statuses.items() if k[0] == "unit_test"} == {("unit_test", "pass"): defined}, run.failures
