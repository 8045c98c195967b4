"""Consecutive years of the same organs, rendered from the template, for the identities across two
years (T3-06, T2-02, T2-03, T2-05, T2-06): the samples have no such pair.

青田县 (a jurisdiction summary) 2019 and 2020 (v2019), 2021 and 2022 (v2021); the office of its
government (an agency) 2019, published twice with the same figures, and 2020; its education bureau
2019, another organ. Each table adds up within its year. Planted across years, and nothing else:
- 2020: carried_over commercial 0 where 2019 carried 1 forward (T3-06 commercial and total); penalties
  prior_year_items 104 where 2019 printed 100 + 5 (T2-03); rules total_published 11 where 2019's 10 and
  none newly published make 10 (T2-02; normative_documents 50 = 48 + 2 holds);
- 2021 (the first v2021 year): rules in_force 10 where 2020's 11 published and none issued or repealed
  make 11 (T2-05; normative_documents 50 = 50 holds);
- 2022: normative_documents in_force 52 where 2021's 50 + 5 issued - 2 repealed make 53 (T2-06).
"""
from __future__ import annotations

from tests.report_text import Report

APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")


def _six(values: dict[str, int]) -> list[int]:
    return [values.get(a, 0) for a in APPLICANTS]


def consistent_table3(new: dict[str, int], carried_over: dict[str, int], carried_forward: dict[str, int]) -> dict:
    """Flow rows as given, every request handled in the year granted: T3-01 and T3-02 hold."""
    processed = {a: new.get(a, 0) + carried_over.get(a, 0) - carried_forward.get(a, 0) for a in APPLICANTS}
    return {
        "new_received": _six(new), "carried_over": _six(carried_over), "total_processed": _six(processed),
        "granted": _six(processed), "carried_forward": _six(carried_forward),
    }


def reports() -> dict[str, Report]:
    office = "青田县人民政府办公室"
    return {
        "qingtian_2019.txt": Report(
            "2019年青田县政府信息公开工作年度报告",
            applications=consistent_table3({"natural_person": 10, "commercial": 2}, {"natural_person": 1},
                                           {"natural_person": 3, "commercial": 1}),
            disclosures={("licensing", "prior_year_items"): 277, ("licensing", "change"): -11,
                         ("penalties", "prior_year_items"): 100, ("penalties", "change"): 5,
                         ("rules", "total_published"): 10, ("normative_documents", "total_published"): 48},
        ),
        "qingtian_2020.txt": Report(
            "2020年青田县政府信息公开工作年度报告",
            applications=consistent_table3({"natural_person": 8}, {"natural_person": 3}, {"natural_person": 2}),
            disclosures={("licensing", "prior_year_items"): 266, ("penalties", "prior_year_items"): 104,
                         ("rules", "total_published"): 11, ("normative_documents", "new_made"): 2,
                         ("normative_documents", "new_published"): 2, ("normative_documents", "total_published"): 50},
        ),
        "qingtian_2021.txt": Report(
            "2021年青田县政府信息公开工作年度报告", template="v2021",
            applications=consistent_table3({"natural_person": 6}, {"natural_person": 2}, {"natural_person": 1}),
            disclosures={("rules", "in_force"): 10, ("normative_documents", "in_force"): 50},
        ),
        "qingtian_2022.txt": Report(
            "2022年青田县政府信息公开工作年度报告", template="v2021",
            applications=consistent_table3({"natural_person": 4}, {"natural_person": 1}, {}),
            disclosures={("rules", "issued"): 3, ("rules", "repealed"): 1, ("rules", "in_force"): 12,
                         ("normative_documents", "issued"): 5, ("normative_documents", "repealed"): 2,
                         ("normative_documents", "in_force"): 52},
        ),
        "qingtian_office_2019.txt": Report(
            f"{office}2019年政府信息公开工作年度报告",
            applications=consistent_table3({"natural_person": 5}, {}, {"natural_person": 4}),
        ),
        "qingtian_office_2019_reissued.txt": Report(
            f"{office}2019年政府信息公开工作年度报告",
            applications=consistent_table3({"natural_person": 5}, {}, {"natural_person": 4}),
            prose=["（本报告重新发布，更正了联系方式。）"],
        ),
        "qingtian_office_2020.txt": Report(
            f"{office}2020年政府信息公开工作年度报告",
            applications=consistent_table3({"natural_person": 7}, {"natural_person": 4}, {}),
        ),
        "qingtian_education_2019.txt": Report(
            "青田县教育局2019年政府信息公开工作年度报告",
            applications=consistent_table3({"natural_person": 9}, {}, {"natural_person": 9}),
        ),
    }


# The failed checks across years, (file, check, scope) -> (lhs, rhs).
EXPECTED_FAILURES = {
    ("qingtian_2020.txt", "T3-06", "commercial"): (0, 1),
    ("qingtian_2020.txt", "T3-06", "total"): (3, 4),
    ("qingtian_2020.txt", "T2-03", "penalties"): (104, 105),
    ("qingtian_2020.txt", "T2-02", "rules"): (11, 10),
    ("qingtian_2021.txt", "T2-05", "rules"): (10, 11),
    ("qingtian_2022.txt", "T2-06", "normative_documents"): (52, 53),
}
# The reports compared with last year's, and with which file.
EXPECTED_PAIRS = {
    "qingtian_2020.txt": "qingtian_2019.txt",
    "qingtian_2021.txt": "qingtian_2020.txt",
    "qingtian_2022.txt": "qingtian_2021.txt",
    "qingtian_office_2020.txt": ("qingtian_office_2019.txt", "qingtian_office_2019_reissued.txt"),
}
