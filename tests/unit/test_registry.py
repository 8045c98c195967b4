"""The seeds are the contract of docs/ogi-report-spec.md; these tests pin the codes it lists."""
import csv
import io

from loaders.divisions import SEED_COLUMNS, build_division_records
from loaders.registry import DEFAULT_SEEDS_DIR


def test_table3_rows_per_template(registry):
    assert len(registry.rows_for("v2019")) == 23
    assert len(registry.rows_for("v2021")) == 25
    assert registry.applicants == (
        "natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"
    )


def test_table4_and_table2_codes(registry):
    assert registry.proceedings == ("review", "litigation_direct", "litigation_after_review")
    assert registry.review_results == ("upheld", "corrected", "other", "pending", "total")
    assert sum(len(m) for (t, _), m in registry.disclosure_layout.items() if t == "v2019") == 22
    assert registry.disclosure_layout["v2021", "fees"] == ("fee_amount_yuan",)
    assert registry.measures["fee_amount_yuan"].default_unit == "万元"


def test_division_seed_is_generated_from_the_bundled_data():
    expected = io.StringIO()
    writer = csv.DictWriter(expected, fieldnames=SEED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(build_division_records())
    assert (DEFAULT_SEEDS_DIR / "division_records.csv").read_text(encoding="utf-8") == expected.getvalue()


def test_division_validity_by_year(registry):
    divisions = registry.divisions
    assert divisions.valid("110103", 2008).name == "崇文区"  # retired in 2010
    assert divisions.valid("110103", 2011) is None
    assert divisions.valid("330782", 2020).prefecture_code == "330700"


def test_names_found_in_text_respect_the_year(registry):
    def codes(text, year):
        return {m.division.code for m in registry.divisions.mentions(text, year)}

    assert "110103" in codes("北京市崇文区人民政府", 2008)
    assert "110103" not in codes("北京市崇文区人民政府", 2012)
