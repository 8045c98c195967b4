"""The mutation test: every kind of planted error is caught by the gate, each identity catches exactly
what the identities seed says it must (worked out on the mutant's own figures by loaders/identities.py),
the unchanged reports pass, and the catch rates per kind and per identity are printed. See
tests/mutations.py for how errors are planted."""
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

import pandas as pd

from loaders.parse import parse_report
from tests.mutations import KINDS, Grid

# What the unchanged samples may show: Yiwu's publication error, nothing else.
YIWU_KNOWN = {("T3-01", "natural_person"), ("T3-01", "legal_services"), ("T3-02", "natural_person"), ("T3-02", "legal_services")}


def _findings(gate_corpus) -> pd.DataFrame:
    return pd.read_csv(gate_corpus.run.db.parent / "ogi.gate" / "findings.csv")


def _listed(findings: pd.DataFrame, path: str, counted_e_only: bool = False) -> set[tuple[str, str]]:
    rows = findings[findings["source_path"] == path]
    if counted_e_only:
        rows = rows[rows["counted"] & (rows["severity"] == "E")]
    return set(zip(rows["check_id"], rows["scope"]))


def test_unchanged_reports_pass(gate_corpus):
    findings = _findings(gate_corpus)
    for name in ("jinyun_2019_tabbed.txt", "luzhou_2020_traditional.txt", "wenzhou_2019_no_tables.txt", "dongyang_2017_legacy.txt"):
        assert not (findings["source_path"] == f"corpus/unchanged/{name}").any(), name
    assert _listed(findings, "corpus/unchanged/yiwu_2020_office.txt", counted_e_only=True) == YIWU_KNOWN


def test_every_planted_error_is_caught_by_the_identities_that_must_catch_it(gate_corpus, samples_dir, registry, capsys):
    run, mutants = gate_corpus.run, gate_corpus.mutants
    assert run.returncode == 1
    assert "check: FAILED (exit 1, findings): strict, any E finding fails" in run.output
    findings = _findings(gate_corpus)
    junit = ET.parse(run.db.parent / "ogi.gate" / "junit.xml").getroot()
    named_in_junit = {case.get("classname") for case in junit.iter("testcase")}
    expected_base = {base: Grid(parse_report((samples_dir / base).read_bytes(), base, registry), registry).findings()
                     for base in {m.base for m in mutants}}
    planted, caught, caught_by, missed = Counter(), Counter(), defaultdict(Counter), []
    per_identity_expected, per_identity_caught, unexpected = Counter(), Counter(), []
    for m in mutants:
        path = f"corpus/mutants/{m.name}"
        new = _listed(findings, path) - _listed(findings, f"corpus/unchanged/{m.base}")
        expected = Grid(parse_report(m.text.encode("utf-8"), m.name, registry), registry).findings() - expected_base[m.base]
        for check, scope in expected:
            per_identity_expected[check] += 1
            per_identity_caught[check] += (check, scope) in new
        if new - expected:
            unexpected.append(f"{m.name}: {sorted(new - expected)}")
        kind = (m.kind if m.detectable else f"{m.kind} (blind spot)", m.table)
        planted[kind] += 1
        if new:
            caught[kind] += 1
            caught_by[kind].update(check for check, _ in new)
            assert path in named_in_junit, f"{path} is not a test case of junit.xml"
        elif m.detectable:
            missed.append(f"{m.name}: {m.change}")
        assert expected or not m.detectable, f"{m.name}: the identities seed sees nothing planted ({m.change})"

    required = [k for k in planted if not k[0].endswith("(blind spot)")]
    detected = sum(caught[k] for k in required)
    total = sum(planted[k] for k in required)
    lines = [f"mutation test: caught {detected} of {total} planted errors ({detected / total:.0%})"]
    for kind in sorted(planted):
        by = ", ".join(f"{check} {n}" for check, n in sorted(caught_by[kind].items()))
        lines.append(f"  {kind[0]:<28} {kind[1]}: {caught[kind]}/{planted[kind]} caught" + (f" (by {by})" if by else ""))
    lines.append("  per identity: checks the seed says a mutant breaks, and how many the gate listed")
    for check in sorted(per_identity_expected):
        n, k = per_identity_expected[check], per_identity_caught[check]
        lines.append(f"    {check:<6} {k}/{n} caught ({k / n:.0%})")
    with capsys.disabled():
        print("\n" + "\n".join(lines))

    assert not missed, missed
    assert per_identity_caught == per_identity_expected, "an identity missed a check the seed says fails"
    assert not unexpected, unexpected
    assert {k[0] for k in required} == set(KINDS), "every kind of error is planted at least once"
    # The new checks are exercised: sign errors, the prose against the tables, a table printed twice.
    assert {"T2-07", "T4-04", "T3-08", "T4-06", "T3-09", "R-01"} <= set(per_identity_expected)
    assert all(caught[k] == 0 for k in planted if k not in required), "the blind spot is caught now: update the docs"


def test_a_dropped_row_is_named_with_the_loaders_reason(gate_corpus, registry):
    """A row left out cannot be added up: the report lists the loader's reason first, then every
    check that can no longer be verified."""
    dropped = next(m for m in gate_corpus.mutants if m.kind == "dropped_row" and m.base == "jinyun_2019_tabbed.txt")
    row = dropped.change.removeprefix("row ").removesuffix(" left out")
    out = gate_corpus.run.output
    summary = (gate_corpus.run.db.parent / "ogi.gate" / "summary.txt").read_text(encoding="utf-8")
    assert summary.rstrip("\n") in out, "the summary file is what ogi check printed"
    block = summary[summary.index(f"  corpus/mutants/{dropped.name} ["):].split("\n")
    assert block[1].startswith("    8 findings (8 checks, 8 counted): table 3 column natural_person (自然人), ")
    assert block[1].endswith(f", table 3 row {row} ({next(r.label_zh for r in registry.application_rows if r.row_code == row)})")
    assert block[2].startswith("    parse error: line ") and block[2].endswith(f"row_missing: table 3: row {row} not found")
    assert block[3:5] == ["    table 3 column natural_person (自然人)", "      T3-02 E unverifiable: a cell it needs is unreadable or missing"]
