"""`ogi score`: the extraction measured against hand-checked answer keys. The development corpus
(tests/fixtures/devcorpus: 19 real reports, one crawler's single-line dumps and legacy reports) and the
five samples must hold every keyed figure; the scorer itself names every mismatch and exits 1 below
--min."""
import json
from pathlib import Path

import pytest

from tests.integration.conftest import ogi

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEVCORPUS = FIXTURES / "devcorpus"
SAMPLES_KEY = FIXTURES / "samples" / "key.json"


@pytest.fixture(scope="module")
def devcorpus_staging(tmp_path_factory) -> Path:
    staging = tmp_path_factory.mktemp("devcorpus") / "staging"
    done = ogi("load", str(DEVCORPUS / "raw"), "--staging", str(staging), "--workers", "0")
    assert done.returncode == 0, done.stdout + done.stderr
    return staging


@pytest.fixture(scope="module")
def samples_staging(tmp_path_factory, samples_dir) -> Path:
    staging = tmp_path_factory.mktemp("samples") / "staging"
    done = ogi("load", str(samples_dir), "--staging", str(staging), "--workers", "0")
    assert done.returncode == 0, done.stdout + done.stderr
    return staging


def test_every_keyed_figure_of_the_development_corpus(devcorpus_staging):
    done = ogi("score", str(devcorpus_staging), "--key", str(DEVCORPUS / "key.json"), "--min", "100")
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().splitlines() == ["figures: 225/225 matched (100.0%)"]


def test_every_keyed_figure_of_the_samples(samples_staging):
    done = ogi("score", str(samples_staging), "--key", str(SAMPLES_KEY), "--min", "100")
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().splitlines() == ["figures: 86/86 matched (100.0%)"]


def test_mismatches_are_named_with_file_and_field_and_min_fails(devcorpus_staging, tmp_path):
    key = json.loads((DEVCORPUS / "key.json").read_text(encoding="utf-8"))
    gongan = next(e for e in key if e["file"] == "pingtan_gongan_2022_flat.txt")
    wrong = [
        {**gongan, "new_total": 2, "natural_person_new": None},  # one wrong figure; a null is not checked
        {"file": "not_loaded.txt", "year": 2020, "narrative": {"granted": 3}},
        {"file": "pingtan_gongan_2014_legacy.txt", "narrative": {"requests_received": 5}, "mystery_total": 1},
    ]
    path = tmp_path / "key.json"
    path.write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    done = ogi("score", str(devcorpus_staging), "--key", str(path), "--min", "95")
    lines = done.stdout.rstrip().splitlines()
    assert done.returncode == 1
    assert "  pingtan_gongan_2022_flat.txt: new_total: key 2, staging 1 (number, printed '1000001', line 10)" in lines
    assert "  not_loaded.txt: year: key 2020, staging no report loaded from this file" in lines
    assert "  not_loaded.txt: narrative.granted: key 3, staging no report loaded from this file" in lines
    assert any(line.startswith("  pingtan_gongan_2014_legacy.txt: narrative.requests_received: key 5, staging prose figures [0.0")
               for line in lines)
    assert "  not scored, a field this scorer does not know: pingtan_gongan_2014_legacy.txt: mystery_total" in lines
    # gongan 2022: year, template, division_code and 9 figures (natural_person_new null), new_total wrong;
    # the file not loaded: year and one prose figure; the legacy report: one prose figure.
    assert lines[-1] == "figures: 11/15 matched (73.3%)"


def test_an_unreadable_key_is_a_usage_error(devcorpus_staging, tmp_path):
    path = tmp_path / "key.json"
    path.write_text("{not json", encoding="utf-8")
    done = ogi("score", str(devcorpus_staging), "--key", str(path))
    assert done.returncode == 2 and "cannot read the key" in done.stdout
    assert ogi("score", str(tmp_path / "nothing"), "--key", str(DEVCORPUS / "key.json")).returncode == 2
