"""One renderer prints every report the tests and the benchmark make (ogi.printing): `ogi synth`, the
fixtures rendered at test time and the format fixtures' tool all go through it, print no label of
the template of their own (the labels come from the seeds, through it), and the tool imports no test.
The committed text fixtures are what it prints, byte for byte."""
import ast
import csv
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RENDERERS = ("ogi/synth.py", "tests/report_text.py", "tests/fixtures/report_text.py", "tools/build_format_fixtures.py")


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return names | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}


def template_labels() -> set[str]:
    labels = set()
    for seed, column in (("application_rows", "label_zh"), ("review_results", "label_zh"), ("proceedings", "label_zh"),
                         ("disclosure_measures", "label_zh"), ("outcome_groups", "label_zh")):
        with open(ROOT / "seeds" / f"{seed}.csv", encoding="utf-8", newline="") as f:
            labels |= {row[column] for row in csv.DictReader(f) if len(row[column]) >= 4}
    return labels


def test_the_tools_import_no_test():
    for path in (ROOT / "tools").glob("*.py"):
        assert not [m for m in imports(path) if m == "tests" or m.startswith("tests.")], path


@pytest.mark.parametrize("module", RENDERERS)
def test_every_report_maker_prints_through_the_one_renderer(module):
    path = ROOT / module
    assert any(m == "ogi.printing" or m.startswith("ogi.printing.") for m in imports(path)), module
    literals = [node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    labels = template_labels()
    assert len(labels) > 30
    # A table cell's label, bare or numbered as the template numbers it (一、 （三） 1. 1．).
    numbered = re.compile(r"^(?:[一二三四五六七]、|（[一二三四五六七]）|\d[.．])?(.*)$", re.S)
    assert not [text for text in literals if numbered.match(text).group(1) in labels], module


def test_the_committed_text_fixtures_are_what_the_renderer_prints():
    sys.path.insert(0, str(ROOT))
    from tools.build_format_fixtures import OUT, texts

    fixtures = texts()
    assert len(fixtures) == 9
    for name, (content, encoding) in fixtures.items():
        assert content.encode(encoding) == (OUT / name).read_bytes(), name
