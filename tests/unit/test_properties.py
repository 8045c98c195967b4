"""Property-based tests of the parsing entry points (hypothesis): whatever the bytes, no exception
escapes, the outcome is well formed, and the fast paths compute exactly what the plain code does."""
import hashlib
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import guard, normalize
from loaders.batch import read_and_parse
from loaders.decode import decode_bytes
from loaders.parse import parse_report
from loaders.staging import SCHEMAS
from loaders.values import parse_value

# Derandomised: the same examples on every run, so CI is reproducible; bounded, so it stays fast.
PROPERTY = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
STATES = {"number", "blank", "not_applicable", "inferred", "unreadable"}

LABELS = [
    "2020年某某县人民政府政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况", "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量", "（一）予以公开", "（三）不予公开", "1．属于国家秘密", "（七）总计", "四、结转下年度继续办理",
    "第二十条第（一）项", "信息内容", "本年新制作数量", "规章", "行政许可", "行政复议", "行政诉讼", "结果维持", "总计",
    "自然人", "商业企业", "法人或其他组织", "收到申请120件", "予以公开30件", "統計期限為2020年1月1日至2020年12月31日",
    "本年收费金额（单位：万元）", "發佈日期：2021-01-20",
]
CELLS = ["0", "12", "-3", "+4", "3.23亿", "26769万元", "5629元", "减少8", "-", "/", "无", "—", "", " ", "１２", "1,234"]
SEPARATORS = ["\n", "\n\n", "\t", "|", " ", "\r\n", "\u3000"]

report_like_text = st.lists(
    st.one_of(st.sampled_from(LABELS), st.sampled_from(CELLS), st.sampled_from(SEPARATORS), st.text(max_size=20)),
    max_size=120,
).map("".join)
report_like_bytes = st.tuples(report_like_text, st.sampled_from(["utf-8", "gb18030", "utf-16", "big5"])).map(
    lambda te: te[0].encode(te[1], errors="replace")
)
any_bytes = st.one_of(st.binary(max_size=3000), report_like_bytes)


def _well_formed(parsed, data: bytes) -> None:
    report = parsed.report
    assert report["report_id"] == hashlib.sha256(data).hexdigest()[:16]
    assert report["parse_status"] in ("ok", "partial", "failed")
    if report["parse_status"] != "ok":
        assert report["status_reason"]
    if report["parse_status"] == "failed":
        assert any(i["severity"] == "error" for i in parsed.parse_issues)
    for name in ("disclosure_cells", "application_cells", "review_litigation_cells", "narrative_facts", "parse_issues"):
        for row in getattr(parsed, name):
            assert row["report_id"] == report["report_id"]
            assert set(row) <= set(SCHEMAS[name].names)
    for name in ("disclosure_cells", "application_cells", "review_litigation_cells"):
        for row in getattr(parsed, name):
            assert row["cell_state"] in STATES
            assert (row["value"] is None) or row["cell_state"] in ("number", "inferred")


@PROPERTY
@given(any_bytes)
def test_parse_report_never_raises_and_is_well_formed(registry, data):
    _well_formed(parse_report(data, "fuzz.txt", registry), data)


@PROPERTY
@given(any_bytes)
def test_decode_never_raises(data):
    decoded = decode_bytes(data)
    assert isinstance(decoded.text, str) and "\r" not in decoded.text


@PROPERTY
@given(st.one_of(any_bytes, st.binary(min_size=1, max_size=64).map(lambda b: b"PK\x03\x04" + b), st.binary(max_size=64).map(lambda b: b"%PDF-1.4" + b)))
def test_guard_never_raises_and_only_removes_bytes(data):
    verdict = guard.inspect(data, guard.Limits())
    assert (verdict.data is None) == (verdict.refusal is not None)
    if verdict.refusal:
        assert verdict.reason
    else:
        assert len(verdict.data) <= len(data)
        # NUL bytes survive only where they belong: PDF and ZIP containers, UTF-16/32 text.
        if b"\x00" in verdict.data:
            assert data.startswith((b"%PDF", b"PK")) or guard._utf16_like(data[:65536])


def test_guard_and_parse_of_a_file_never_raise(tmp_path, registry):
    """The per-file entry point the loader uses, on files: a record whatever the file is."""
    path = tmp_path / "f.txt"
    for data in (b"", b"\x00" * 10, "本年新收政府信息公开申请数量\n1\n".encode(), bytes(range(256)) * 10):
        path.write_bytes(data)
        record, parsed = read_and_parse(str(path), "f.txt", None, registry, guard.Limits())
        assert record.report_id and (parsed is None or parsed.report["parse_status"] in ("ok", "partial", "failed"))


# --- the fast paths compute what the plain code computed -----------------------------------------

def _plain_to_simplified(text, script):
    """The script conversion character by character: at each position the longest phrase variant
    beginning there, else the character; then every character through the map."""
    out, i = [], 0
    while i < len(text):
        for variant, standard in script.phrases_by_first_char.get(text[i], ()):
            if text.startswith(variant, i):
                out.append(standard)
                i += len(variant)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out).translate(script.chars)


def _plain_standardize(text, script):
    """NFKC, then the full script conversion (without the quick "no traditional character here" check)."""
    return _plain_to_simplified(unicodedata.normalize("NFKC", text), script)


def _plain_parse_value(raw, registry):
    text = "".join(c for c in unicodedata.normalize("NFKC", raw) if not c.isspace() and c not in "\u200b\ufeff")
    if not text:
        return ("blank",)
    if text in registry.marker_values("not_applicable"):
        return ("not_applicable",)
    simplified = _plain_standardize(text, registry.script)
    match = re.match(r"^(?P<sign>增加|减少|增|减|\+|-|−)?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)", simplified)
    if not match:
        return None
    rest = simplified[match.end():]
    if rest and not (registry.unit_pattern.match(rest) and registry.unit_pattern.match(rest).end() == len(rest)):
        return None
    number = float(match.group("number").replace(",", ""))
    return ("number", -number if match.group("sign") in {"-", "−", "减", "减少"} else number)


def _as_tuple(parsed):
    if parsed is None:
        return None
    return (parsed.state,) if parsed.number is None else (parsed.state, parsed.number)


traditional_or_not = st.text(
    alphabet=st.sampled_from(list("减減增增加少一二三部分公開公开檔案文件規章１２３.,+-−—/无 \t\u3000\u200b0123456789元万億亿件個个")),
    max_size=24,
)


@PROPERTY
@given(st.one_of(traditional_or_not, st.text(max_size=40), st.sampled_from(CELLS + LABELS)))
def test_parse_value_is_the_plain_parse(registry, raw):
    assert _as_tuple(parse_value(raw, registry)) == _plain_parse_value(raw, registry)


@PROPERTY
@given(st.one_of(traditional_or_not, st.text(max_size=200), st.sampled_from(LABELS)))
def test_standardize_and_keys_are_the_plain_ones(registry, text):
    script = registry.script
    assert normalize.standardize(text, script) == _plain_standardize(text, script)
    assert normalize.search_key(text, script) == _plain_standardize(text, script).translate(normalize._SPACE_LIKE)
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    plain_share = sum(1 for c in cjk if ord(c) in script.chars) / len(cjk) if cjk else 0.0
    assert script.traditional_share(text) == pytest.approx(plain_share)
