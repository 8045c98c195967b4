"""A bounded fuzz run of the loader's per-file entry point (guard, then parser) on mutated real and
synthetic reports: no exception escapes, every file gets a record, and no file comes near the
per-file time limit. Seeded, so a failure reproduces; a few hundred cases, so it takes seconds."""
import random

import pytest

from loaders import guard
from loaders.batch import read_and_parse
from ogi.synth import Options, files_for

CASES = 300
# Far above the few milliseconds a report takes: a case that hits it is a hang, not slowness.
LIMITS = guard.Limits(seconds=10)


def _mutate(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(9)
    if not data:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
    i = rng.randrange(len(data))
    if kind == 0:  # flip bits
        b = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            j = rng.randrange(len(b))
            b[j] ^= 1 << rng.randrange(8)
        return bytes(b)
    if kind == 1:  # truncate
        return data[:i]
    if kind == 2:  # insert random bytes
        return data[:i] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 50))) + data[i:]
    if kind == 3:  # delete a span
        return data[:i] + data[i + rng.randint(1, 500):]
    if kind == 4:  # duplicate a span (tables printed twice, repeated rows)
        j = min(len(data), i + rng.randint(1, 3000))
        return data[:j] + data[i:j] + data[j:]
    if kind == 5:  # shuffle lines
        lines = data.split(b"\n")
        rng.shuffle(lines)
        return b"\n".join(lines)
    if kind == 6:  # NUL bytes and control characters
        return data[:i] + bytes(rng.choice([0, 1, 8, 27, 127]) for _ in range(rng.randint(1, 10))) + data[i:]
    if kind == 7:  # re-encode what decodes
        try:
            return data.decode("utf-8").encode(rng.choice(["gb18030", "utf-16", "big5", "utf-8-sig"]), errors="replace")
        except UnicodeDecodeError:
            return data[::-1]
    return data.replace(b"\n", rng.choice([b"\t", b"|", b"\r", b"\n\n", b" "]))


@pytest.fixture(scope="module")
def seeds(samples_dir):
    synthetic = [f.data for i in range(12) for f in files_for(i, Options(12, seed=9))]
    return [p.read_bytes() for p in sorted(samples_dir.glob("*.txt"))] + synthetic


def test_fuzz_the_per_file_entry_point(seeds, tmp_path, registry):
    rng = random.Random(20240601)
    path = tmp_path / "case"
    outcomes = {}
    for case in range(CASES):
        data = rng.choice(seeds)
        for _ in range(rng.randint(1, 3)):
            data = _mutate(data, rng)
        path.write_bytes(data)
        record, parsed = read_and_parse(str(path), f"case-{case}", None, registry, LIMITS)
        assert record.outcome in ("parsed", "refused"), (case, record)
        assert record.refusal != "file_time_limit", case
        if parsed is not None:
            report = parsed.report
            assert report["parse_status"] in ("ok", "partial", "failed")
            assert report["parse_status"] == "ok" or report["status_reason"], case
        outcomes[record.outcome] = outcomes.get(record.outcome, 0) + 1
    assert outcomes.get("parsed", 0) > CASES // 2  # most mutants are still read as reports
