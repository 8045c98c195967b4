import pytest

from loaders.labels import match_label
from loaders.normalize import detect_script, label_key


@pytest.mark.parametrize(
    "printed, key",
    [
        ("（二）部分公開（區分處理的，只計這一情形，不計其他情形）", "部分公开"),
        ("3.危及“三安全一穩定”", "危及三安全一稳定"),
        ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
        ("（七）總計", "总计"),
        ("4.無正當理由大量反覆申請", "无正当理由大量反复申请"),
    ],
)
def test_label_key(registry, printed, key):
    assert label_key(printed, registry.script) == key


@pytest.mark.parametrize(
    "printed, domain, code",
    [
        ("規範性檔案", "disclosure_item", "normative_documents"),  # Taiwan vocabulary 檔案 for 文件
        ("行政规范性文件", "disclosure_item", "normative_documents"),
        ("2.其它法律行政法规禁止公开", "application_row", "withheld_prohibited_by_law"),
        ("8.屬於行政查詢事項", "application_row", "withheld_administrative_inquiry"),
        ("3.其他", "application_row", "other_other"),
        ("未經複議直接起訴", "proceeding", "litigation_direct"),
        # printing slips and variants, from the label_variants seed
        ("5.要求行政机关确认或重新出具己获取信息", "application_row", "not_processed_confirm_reissue"),
        ("（二）部份公开", "application_row", "partially_granted"),
        ("2.申请人逾期末按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "application_row", "other_unpaid_fee"),
        # labels cut short: the unambiguous beginning of one label
        ("1.申请人无正当理由逾期不补正", "application_row", "other_overdue_correction"),
        ("一、本年新收政府信息公开申请", "application_row", "new_received"),
        ("其他对外管理服务", "disclosure_item", "other_services"),
    ],
)
def test_match_label(registry, printed, domain, code):
    assert match_label(printed, domain, registry).code == code


@pytest.mark.parametrize("printed, domain", [
    ("属于行政", "application_row"),  # the beginning of two labels (执法案卷, 查询事项)
    ("本年新", "disclosure_measure"),  # too short to say
    ("申请人情况", "application_row"),  # a header, not the beginning of 申请人无正当理由…
])
def test_fragments_that_do_not_name_one_label(registry, printed, domain):
    assert match_label(printed, domain, registry) is None


def test_prose_is_never_a_label(registry):
    sentence = "本年新收政府信息公开申请数量较去年增长，主要集中在土地征收领域。"
    assert match_label(sentence, "application_row", registry) is None


def test_detect_script(registry, samples_dir):
    luzhou = (samples_dir / "luzhou_2020_traditional.txt").read_text(encoding="utf-8")
    yiwu = (samples_dir / "yiwu_2020_office.txt").read_text(encoding="utf-8")
    assert detect_script(luzhou, registry.script) == "traditional"
    assert detect_script(yiwu, registry.script) == "simplified"
