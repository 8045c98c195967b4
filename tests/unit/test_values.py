import pytest

from loaders.values import parse_value


@pytest.mark.parametrize(
    "raw, number, state, unit",
    [
        ("5629元", 5629, "number", "元"),
        ("26769萬元", 26769, "number", "万元"),
        ("3.23亿", 3.23, "number", "亿"),
        ("10921个", 10921, "number", "个"),
        ("+2", 2, "number", None),
        ("-51", -51, "number", None),
        ("减少8", -8, "number", None),
        ("增加3", 3, "number", None),
        ("１２３", 123, "number", None),  # full-width digits
        ("\u00a035\u00a0", 35, "number", None),  # non-breaking spaces around the figure
        ("1,234,592", 1234592, "number", None),
        ("", None, "blank", None),
        ("-", None, "not_applicable", None),
        ("／", None, "not_applicable", None),
        ("无", None, "not_applicable", None),
        ("不适用", None, "not_applicable", None),
    ],
)
def test_cells(registry, raw, number, state, unit):
    parsed = parse_value(raw, registry)
    assert (parsed.number, parsed.state, parsed.unit) == (number, state, unit)


@pytest.mark.parametrize("raw", ["予以公开", "2020年", "占33.5%", "本年新收政府信息公开申请数量", "12abc"])
def test_labels_and_prose_are_not_values(registry, raw):
    assert parse_value(raw, registry) is None
