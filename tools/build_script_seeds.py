"""Regenerate seeds/script_char_map.csv and seeds/script_phrase_map.csv from OpenCC dictionaries.

Usage: python tools/build_script_seeds.py PATH/TO/opencc/dictionary

The dictionaries come from OpenCC (Apache-2.0), e.g. the `opencc/dictionary` folder of the
opencc-python-reimplemented 0.1.7 wheel. Only the derived CSVs are committed; see seeds/SOURCES.md.

Only script is reversed here (TSCharacters, and TSPhrases for characters whose simplified form
depends on the word, such as 反覆 -> 反复). Taiwan vocabulary (檔案 for 文件) is not: reversing it is
ambiguous (檔案 is also the plain traditional form of 档案, 查詢 of 查询), so the few variants that
matter for labels are listed in seeds/label_variants.csv instead.

The character map also folds the CJK radical code points that stand for whole characters
(`RADICAL_FORMS`, from Unicode's EquivalentUnifiedIdeograph.txt): PDF writers whose fonts share one
glyph between a radical and its character extract 龙 as ⻰ (U+2EF0) or 民 as ⺠ (U+2EA0). NFKC folds the
Kangxi radicals (U+2F00..) but not these.
"""
import csv
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


# CJK Radicals Supplement code points -> the unified ideograph (simplified) they stand for.
RADICAL_FORMS = {
    "⺠": "民", "⺩": "王", "⺮": "竹", "⻁": "虎", "⻄": "西", "⻅": "见", "⻆": "角", "⻉": "贝", "⻋": "车",
    "⻑": "长", "⻓": "长", "⻔": "门", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞",
    "⻝": "食", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄",
    "⻪": "黾", "⻬": "齐", "⻮": "齿", "⻰": "龙",
}


def read_pairs(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        source, targets = line.split("\t", 1)
        pairs.append((source, targets.split(" ")[0]))
    return pairs


def main(dictionary_dir: str) -> None:
    folder = Path(dictionary_dir)
    chars = {s: t for s, t in read_pairs(folder / "TSCharacters.txt") if s != t and len(s) == 1}
    chars.update(RADICAL_FORMS)

    def to_simplified(text: str) -> str:
        return "".join(chars.get(c, c) for c in text)

    phrases: dict[str, str] = {}
    for source, target in read_pairs(folder / "TSPhrases.txt"):
        phrases[source] = target
    with open(SEEDS / "script_char_map.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["traditional", "simplified"])
        w.writerows(sorted(chars.items()))
    with open(SEEDS / "script_phrase_map.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["variant", "standard"])
        w.writerows(sorted((s, t) for s, t in phrases.items() if to_simplified(s) != t))


if __name__ == "__main__":
    main(sys.argv[1])
