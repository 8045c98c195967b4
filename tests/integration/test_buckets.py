"""A corpus that grows past a bucket boundary (2,000, 4,000 … files: the bucket count doubles) loads
incrementally into exactly the files a fresh load writes. The boundary is lowered here so that a few
dozen files cross two of them; the code path is the one of 2,000 and 4,000 files."""
import shutil
from pathlib import Path

import pytest

from loaders import batch, staging
from loaders.executors import ProcessPoolExecutor
from ogi.synth import Options, generate
from tests.integration.test_staging import assert_identical, report_ids


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("buckets")
    generate(Options(44, seed=17, formats=("text",), duplicate_share=0.05, republished_share=0.05), out, processes=1)
    return sorted(p for p in (out / "reports").rglob("*") if p.is_file())


def _load(inputs: Path, staging_dir: Path) -> batch.LoadSummary:
    with ProcessPoolExecutor(2) as pool:
        return batch.load([inputs], staging_dir, executor=pool)


def test_growing_past_two_bucket_boundaries_equals_a_fresh_load(reports, tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "FILES_PER_BUCKET", 5)  # 10 files: 2 buckets, 20: 4, 40: 8
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    grown = tmp_path / "grown"
    seen_buckets = []
    for count in (8, 12, 24, len(reports)):
        for p in reports[:count]:
            target = inputs / p.name
            if not target.exists():
                shutil.copyfile(p, target)
        summary = _load(inputs, grown)
        seen_buckets.append(staging.read_previous(grown).buckets)
        fresh = tmp_path / f"fresh-{count}"
        _load(inputs, fresh)
        assert_identical(grown, fresh)
        assert report_ids(grown) == report_ids(fresh)
        assert summary.reports == len(report_ids(fresh))
    assert seen_buckets == [1, 2, 4, 8]


def test_shrinking_past_a_bucket_boundary_equals_a_fresh_load(reports, tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "FILES_PER_BUCKET", 5)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for p in reports:
        shutil.copyfile(p, inputs / p.name)
    shrunk = tmp_path / "shrunk"
    _load(inputs, shrunk)
    before = staging.read_previous(shrunk).buckets
    for p in sorted(inputs.iterdir())[:-12]:
        p.unlink()
    _load(inputs, shrunk)
    assert (before, staging.read_previous(shrunk).buckets) == (8, 2)
    _load(inputs, tmp_path / "fresh")
    assert_identical(shrunk, tmp_path / "fresh")
