"""The three reports behind the format fixtures (tests/fixtures/formats), one per template, with
their figures as printed. `tools/build_format_fixtures.py` renders each into every format; the
tests parse every rendering and compare what was read with these figures.

The figures follow the spec (docs/ogi-report-spec.md): both reports add up (T3-01, T3-02, T3-03,
T4) except where a test says otherwise; "" is an empty cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field

APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")


@dataclass(frozen=True)
class Report:
    template: str
    year: int
    place: str
    division_code: str
    title: str
    intro: tuple[str, ...]
    table2: dict[tuple[str, str], str] = field(default_factory=dict)
    table3: dict[str, tuple[str, ...]] = field(default_factory=dict)
    table4: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()


def _zeros(template_rows: tuple[str, ...], given: dict[str, tuple[str, ...]], empty_column: int | None) -> dict:
    """Every template row: the given figures, "0" elsewhere; one column printed empty throughout."""
    rows = {}
    for code in template_rows:
        cells = list(given.get(code, ("0",) * 7))
        if empty_column is not None:
            cells[empty_column] = ""
        rows[code] = tuple(cells)
    return rows


_COMMON_ROWS = (
    "new_received", "carried_over", "granted", "partially_granted",
    "withheld_state_secret", "withheld_prohibited_by_law", "withheld_security_stability",
    "withheld_third_party_rights", "withheld_internal_affairs", "withheld_deliberative",
    "withheld_enforcement_file", "withheld_administrative_inquiry",
    "unavailable_not_held", "unavailable_needs_creation", "unavailable_still_unclear",
    "not_processed_complaint", "not_processed_repeat", "not_processed_publication",
    "not_processed_mass_repetitive", "not_processed_confirm_reissue",
)
V2019_ROWS = _COMMON_ROWS + ("other_handling", "total_processed", "carried_forward")
V2021_ROWS = _COMMON_ROWS + ("other_overdue_correction", "other_unpaid_fee", "other_other", "total_processed", "carried_forward")

V2021 = Report(
    template="v2021",
    year=2021,
    place="龙泉市",
    division_code="331181",
    title="龙泉市2021年政府信息公开工作年度报告",
    intro=(
        "本报告根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号要求编制。本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。",
        "一、总体情况",
        "2021年，龙泉市共收到政府信息公开申请134件，上年结转6件，予以公开67件。",
        "二、主动公开政府信息情况",
    ),
    table2={
        ("rules", "issued"): "2", ("rules", "repealed"): "1", ("rules", "in_force"): "15",
        ("normative_documents", "issued"): "12", ("normative_documents", "repealed"): "3",
        ("normative_documents", "in_force"): "86",
        ("licensing", "decisions"): "5432",
        ("penalties", "decisions"): "1287",
        ("coercive_measures", "decisions"): "46",
        ("fees", "fee_amount_yuan"): "35.6",
    },
    table3=_zeros(
        V2021_ROWS,
        {
            "new_received": ("120", "8", "1", "0", "3", "2", "134"),
            "carried_over": ("5", "1", "0", "0", "0", "0", "6"),
            "granted": ("60", "4", "1", "0", "1", "1", "67"),
            "partially_granted": ("10", "1", "0", "0", "0", "0", "11"),
            "withheld_third_party_rights": ("3", "0", "0", "0", "0", "0", "3"),
            "withheld_deliberative": ("2", "0", "0", "0", "0", "0", "2"),
            "unavailable_not_held": ("25", "2", "0", "0", "1", "1", "29"),
            "unavailable_needs_creation": ("4", "0", "0", "0", "0", "0", "4"),
            "unavailable_still_unclear": ("2", "0", "0", "0", "0", "0", "2"),
            "not_processed_complaint": ("6", "1", "0", "0", "0", "0", "7"),
            "not_processed_repeat": ("3", "0", "0", "0", "0", "0", "3"),
            "other_overdue_correction": ("2", "0", "0", "0", "1", "0", "3"),
            "other_unpaid_fee": ("0", "1", "0", "0", "0", "0", "1"),
            "other_other": ("1", "0", "0", "0", "0", "0", "1"),
            "total_processed": ("118", "9", "1", "0", "3", "2", "133"),
            "carried_forward": ("7", "0", "0", "0", "0", "0", "7"),
        },
        empty_column=3,  # 社会公益组织 left empty throughout, as many offices print it
    ),
    table4=("4", "1", "0", "1", "6", "2", "0", "1", "1", "4", "1", "0", "0", "0", "1"),
    closing=(
        "五、存在的主要问题及改进情况",
        "2021年，我市政府信息公开工作仍存在一些不足，下一步将加强培训。",
        "六、其他需要报告的事项",
        "本年度依据《政府信息公开信息处理费管理办法》收取信息处理费0元。",
    ),
)

V2019 = Report(
    template="v2019",
    year=2020,
    place="开化县",
    division_code="330824",
    title="开化县2020年政府信息公开工作年度报告",
    intro=(
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）编制。本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。",
        "一、总体情况",
        "2020年，开化县共收到政府信息公开申请94件，予以公开45件。",
        "二、主动公开政府信息情况",
    ),
    table2={
        ("rules", "new_made"): "0", ("rules", "new_published"): "0", ("rules", "total_published"): "3",
        ("normative_documents", "new_made"): "15", ("normative_documents", "new_published"): "15",
        ("normative_documents", "total_published"): "92",
        ("licensing", "prior_year_items"): "356", ("licensing", "change"): "+12", ("licensing", "decisions"): "18560",
        ("other_services", "prior_year_items"): "40", ("other_services", "change"): "-3",
        ("other_services", "decisions"): "2231",
        ("penalties", "prior_year_items"): "120", ("penalties", "change"): "0", ("penalties", "decisions"): "1532",
        ("coercive_measures", "prior_year_items"): "18", ("coercive_measures", "change"): "-2",
        ("coercive_measures", "decisions"): "37",
        ("fees", "prior_year_items"): "12", ("fees", "change"): "-1",
        ("central_procurement", "procurement_items"): "68",
        ("central_procurement", "procurement_amount_yuan"): "1523.6万元",
    },
    table3=_zeros(
        V2019_ROWS,
        {
            "new_received": ("85", "6", "0", "1", "2", "0", "94"),
            "carried_over": ("3", "0", "0", "0", "0", "0", "3"),
            "granted": ("40", "3", "0", "1", "1", "0", "45"),
            "partially_granted": ("8", "0", "0", "0", "0", "0", "8"),
            "withheld_state_secret": ("1", "0", "0", "0", "0", "0", "1"),
            "withheld_internal_affairs": ("2", "0", "0", "0", "0", "0", "2"),
            "unavailable_not_held": ("20", "2", "0", "0", "1", "0", "23"),
            "unavailable_still_unclear": ("3", "0", "0", "0", "0", "0", "3"),
            "not_processed_repeat": ("5", "0", "0", "0", "0", "0", "5"),
            "other_handling": ("4", "1", "0", "0", "0", "0", "5"),
            "total_processed": ("83", "6", "0", "1", "2", "0", "92"),
            "carried_forward": ("5", "0", "0", "0", "0", "0", "5"),
        },
        empty_column=None,
    ),
    table4=("3", "1", "0", "0", "4", "1", "0", "0", "1", "2", "0", "0", "0", "0", "0"),
    closing=(
        "五、存在的主要问题及改进情况",
        "政府信息公开工作与群众期待仍有差距。",
        "六、其他需要报告的事项",
        "无。",
    ),
)

LEGACY = Report(
    template="legacy",
    year=2016,
    place="云和县",
    division_code="331125",
    title="云和县2016年政府信息公开工作年度报告",
    intro=(
        "本报告根据《中华人民共和国政府信息公开条例》编制，统计期限自2016年1月1日起至2016年12月31日止。",
        "一、概述",
        "2016年，我县继续深化政府信息公开工作。",
        "二、政府信息依申请公开情况",
        "2016年全县共收到政府信息公开申请58件，其中当面申请20件，网络申请30件，信函申请8件。",
        "受理的申请中，同意公开的35件，同意部分公开的6件，不同意公开的4件，申请信息不存在的9件，告知作出更改补充的3件，告知通过其他途径办理的1件。",
        "三、政府信息公开的收费及减免情况",
        "我县对政府信息公开免收费。",
        "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
        "全年发生涉及政府信息公开的行政复议申请2件，行政诉讼1件。",
        "五、存在的主要问题和改进措施",
        "公开内容还不够全面，下一步将加强督查。",
    ),
)

# The legacy report's prose figures, as the narrative fact codes.
LEGACY_FACTS = {
    "requests_total": 58, "channel_in_person": 20, "channel_online": 30, "channel_letter": 8,
    "granted": 35, "partially_granted": 6, "withheld": 4, "information_not_exist": 9,
    "change_or_supplement": 3, "other_route": 1, "review_total": 2, "litigation_total": 1,
}
