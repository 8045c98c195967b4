"""The identities are declared once, in the identities and identity_operands seeds: every operand names
codes of the other seeds, and the lost-separator solver splits fused rows by the identities the seed
declares (and by no others)."""
import csv
import shutil

from loaders import identities
from loaders.registry import DEFAULT_SEEDS_DIR, load_registry, read_seed
from tests.unit.test_lost_separators import fused_in_label, parse, render, table3

PLACEHOLDERS = {identities.SCOPE, identities.ANY, identities.MAPPED}


def test_every_identity_is_declared_with_its_operands_severity_and_labels(registry):
    seeds = DEFAULT_SEEDS_DIR
    codes = {
        ("table2", "row"): {r["item"] for r in read_seed(seeds, "disclosure_items")},
        ("table2", "column"): {r["measure"] for r in read_seed(seeds, "disclosure_measures")},
        ("table3", "row"): {r["row_code"] for r in read_seed(seeds, "application_rows")},
        ("table3", "column"): {r["applicant"] for r in read_seed(seeds, "applicants")},
        ("table4", "row"): {r["proceeding"] for r in read_seed(seeds, "proceedings")},
        ("table4", "column"): {r["result"] for r in read_seed(seeds, "review_results")},
        ("prose", "row"): {r["fact"] for r in read_seed(seeds, "narrative_fact_codes")},
        ("prose", "column"): {""},
        ("parse_issues", "row"): {"table_printed_twice"},
        ("parse_issues", "column"): {identities.SCOPE},
    }
    assert len(registry.identities) == 22
    for identity in registry.identities:
        assert identity.severity in ("E", "W", "I") and identity.label_zh and identity.rule_en, identity.check_id
        assert identity.test in ("equal", "at_most", "non_negative", "zero"), identity.check_id
        assert identity.operands, identity.check_id
        sides = {o.side for o in identity.operands}
        assert sides == ({"lhs"} if identity.test in ("non_negative", "zero") else {"lhs", "rhs"}), identity.check_id
        for o in identity.operands:
            assert o.row_key in codes[o.source, "row"] | PLACEHOLDERS, (identity.check_id, o)
            assert o.column_key in codes[o.source, "column"] | PLACEHOLDERS, (identity.check_id, o)
            # A check's scope is fixed, or one key of the operand ranges over it.
            assert o.scope or identities.SCOPE in (o.row_key, o.column_key) or o.row_key == identities.MAPPED
    assert {i.check_id for i in registry.identities if i.spans_years} == {"T3-06", "T2-02", "T2-03", "T2-05", "T2-06"}


def test_the_solver_takes_the_template_arithmetic_from_the_seed(registry):
    by_id = identities.by_id(registry.identities)
    assert [i.check_id for i in identities.within_table(registry.identities, "table3")] == ["T3-01", "T3-02", "T3-03", "T3-05"]
    assert identities.sums(identities.coefficients(by_id["T3-03"], set(registry.applicants), "column"), registry.applicants) \
        == {6: (0, 1, 2, 3, 4, 5)}
    v2019 = {r.row_code for r in registry.rows_for("v2019")}
    assert identities.coefficients(by_id["T3-01"], v2019) == {
        "new_received": 1, "carried_over": 1, "total_processed": -1, "carried_forward": -1}
    t3_02 = identities.coefficients(by_id["T3-02"], v2019)
    assert t3_02["total_processed"] == 1 and t3_02["other_handling"] == -1 and len(t3_02) == 1 + 19
    v2021 = identities.coefficients(by_id["T3-02"], {r.row_code for r in registry.rows_for("v2021")})
    assert "other_handling" not in v2021 and v2021["other_other"] == -1  # the sub-rows, not the group row
    assert identities.coefficients(by_id["T3-05"], v2019) is None  # v2019 has no sub-rows


def test_the_solver_splits_a_fused_row_by_the_column_identities_of_the_seed(registry, tmp_path):
    """'122001015' adds up within its row two ways; T3-01 and T3-02 of the columns decide it. With a seed
    that no longer declares them, the same row is left unreadable, with the splits that fit."""
    figures = table3(registry)
    data = render(registry, figures, fused_in_label)
    _, cells = parse(registry, data)
    assert [cells["partially_granted", a] for a in registry.applicants] == [
        (v, "inferred") for v in (12, 2, 0, 0, 1, 0, 15)]

    seeds = tmp_path / "seeds"
    shutil.copytree(DEFAULT_SEEDS_DIR, seeds)
    with open(seeds / "identity_operands.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(seeds / "identity_operands.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["check_id"] not in ("T3-01", "T3-02"))
    without = load_registry(seeds)
    parsed, cells = parse(without, data)
    assert {cells["partially_granted", a] for a in without.applicants} == {(None, "unreadable")}
    assert any(i["code"] == "separators_ambiguous" and "partially_granted" in i["message"] for i in parsed.parse_issues)
