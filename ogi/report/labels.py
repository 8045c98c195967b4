"""The Chinese label and English gloss of every code the report shows, read from the seed tables of
the warehouse itself: the one registry of labels, as the warehouse was built with it."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

# domain -> (seed table, code column, English column, order) for the seeds that list one kind of
# code; every other domain comes from the code_labels seed.
_SEED_DOMAINS = {
    "applicant": ("applicants", "applicant", "gloss_en", "sort_order"),
    "outcome_group": ("outcome_groups", "outcome_group", "gloss_en", "sort_order"),
    "proceeding": ("proceedings", "proceeding", "gloss_en", "sort_order"),
    "result": ("review_results", "result", "gloss_en", "sort_order"),
    "row": ("application_rows", "row_code", "gloss_en", "sort_order"),
    "item": ("disclosure_items", "item", "gloss_en", "sort_order"),
    "disclosure_measure": ("disclosure_measures", "measure", "gloss_en", "row_number() over ()"),
    "fact": ("narrative_fact_codes", "fact", "gloss_en", "sort_order"),
    "identity": ("identities", "check_id", "rule_en", "coalesce(table_no, 0)"),
}
UNKNOWN = "未知"


@dataclass(frozen=True)
class Label:
    zh: str
    en: str
    order: int = 1_000

    def __str__(self) -> str:
        return f"{self.zh} {self.en}" if self.zh != self.en else self.zh


class Labels:
    def __init__(self, by_domain: dict[str, dict[str, Label]]):
        self._by_domain = by_domain

    def of(self, domain: str, code) -> Label:
        """The label of a code; a NULL code is unknown, a code missing from the seeds shows as itself."""
        if code is None or code != code:  # None or NaN
            return Label(UNKNOWN, "unknown", 10_000)
        return self._by_domain.get(domain, {}).get(str(code), Label(str(code), str(code)))

    def text(self, domain: str, code) -> str:
        return str(self.of(domain, code))

    def codes(self, domain: str) -> list[str]:
        """The codes of a domain in their display order."""
        labels = self._by_domain.get(domain, {})
        return sorted(labels, key=lambda code: (labels[code].order, code))


def read_labels(con: duckdb.DuckDBPyConnection) -> Labels:
    queries = [
        f"select '{domain}', {code}, {order}, label_zh, {gloss} from {table}"
        for domain, (table, code, gloss, order) in _SEED_DOMAINS.items()
    ]
    queries.append("select domain, code, sort_order, label_zh, gloss_en from code_labels")
    by_domain: dict[str, dict[str, Label]] = {}
    for domain, code, order, zh, en in con.execute(" union all ".join(queries)).fetchall():
        by_domain.setdefault(domain, {})[str(code)] = Label(zh, en, int(order))
    return Labels(by_domain)
