"""The mutation test: every kind of planted error is caught by the gate, the unchanged reports pass,
and the catch rate is printed. See tests/mutations.py for how errors are planted."""
from collections import Counter, defaultdict

import pandas as pd

from tests.mutations import KINDS

# What the unchanged samples may show: Yiwu's publication error, nothing else.
YIWU_KNOWN = {("T3-01", "natural_person"), ("T3-01", "legal_services"), ("T3-02", "natural_person"), ("T3-02", "legal_services")}


def _findings(gate_corpus) -> pd.DataFrame:
    return pd.read_csv(gate_corpus.run.db.parent / "ogi.gate" / "findings.csv")


def _counted_e(findings: pd.DataFrame, path: str) -> set[tuple[str, str]]:
    rows = findings[(findings["source_path"] == path) & findings["counted"] & (findings["severity"] == "E")]
    return set(zip(rows["check_id"], rows["scope"]))


def test_unchanged_reports_pass(gate_corpus):
    findings = _findings(gate_corpus)
    for name in ("jinyun_2019_tabbed.txt", "luzhou_2020_traditional.txt", "wenzhou_2019_no_tables.txt", "dongyang_2017_legacy.txt"):
        assert not (findings["source_path"] == f"corpus/unchanged/{name}").any(), name
    assert _counted_e(findings, "corpus/unchanged/yiwu_2020_office.txt") == YIWU_KNOWN


def test_every_planted_error_is_caught_and_named(gate_corpus, capsys):
    run, mutants = gate_corpus.run, gate_corpus.mutants
    assert run.returncode == 1
    assert "check: FAILED: strict, any E finding fails" in run.output
    findings = _findings(gate_corpus)
    base_findings = {m.base: _counted_e(findings, f"corpus/unchanged/{m.base}") for m in mutants}
    planted, caught, caught_by, missed = Counter(), Counter(), defaultdict(Counter), []
    for m in mutants:
        path = f"corpus/mutants/{m.name}"
        new = _counted_e(findings, path) - base_findings[m.base]
        kind = (m.kind if m.detectable else f"{m.kind} (blind spot)", m.table)
        planted[kind] += 1
        if new:
            caught[kind] += 1
            caught_by[kind].update(check for check, _ in new)
            assert f"  {path} [" in run.output, f"{path} not named in the strict gate's output"
        elif m.detectable:
            missed.append(f"{m.name}: {m.change}")

    required = [k for k in planted if not k[0].endswith("(blind spot)")]
    detected = sum(caught[k] for k in required)
    total = sum(planted[k] for k in required)
    lines = [f"mutation test: caught {detected} of {total} planted errors ({detected / total:.0%})"]
    for kind in sorted(planted):
        by = ", ".join(f"{check} {n}" for check, n in sorted(caught_by[kind].items()))
        lines.append(f"  {kind[0]:<28} {kind[1]}: {caught[kind]}/{planted[kind]} caught" + (f" (by {by})" if by else ""))
    with capsys.disabled():
        print("\n" + "\n".join(lines))

    assert not missed, missed
    assert {k[0] for k in required} == set(KINDS), "every kind of error is planted at least once"
    assert all(caught[k] == 0 for k in planted if k not in required), "the blind spot is caught now: update the docs"


def test_a_dropped_row_is_named_with_the_loaders_reason(gate_corpus, registry):
    """A row left out cannot be added up: the report lists the loader's reason first, then every
    check that can no longer be verified."""
    dropped = next(m for m in gate_corpus.mutants if m.kind == "dropped_row" and m.base == "jinyun_2019_tabbed.txt")
    row = dropped.change.removeprefix("row ").removesuffix(" left out")
    out = gate_corpus.run.output
    block = out[out.index(f"  corpus/mutants/{dropped.name} ["):].split("\n")
    assert block[1].startswith("    8 findings (8 checks, 8 counted): table 3 column natural_person (自然人), ")
    assert block[1].endswith(f", table 3 row {row} ({next(r.label_zh for r in registry.application_rows if r.row_code == row)})")
    assert block[2].startswith("    parse error: line ") and block[2].endswith(f"row_missing: table 3: row {row} not found")
    assert block[3:5] == ["    table 3 column natural_person (自然人)", "      T3-02 E unverifiable: a cell it needs is unreadable or missing"]
