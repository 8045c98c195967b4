"""Text normalisation shared by every matcher: width, script and punctuation.

`standardize` folds full-width forms (NFKC) and traditional script (with Taiwan vocabulary such as
檔案 for 文件) into the simplified mainland forms that the seeds use. `label_key` further drops
numbering, bracketed notes, spaces and punctuation so that "（二）部分公開（區分處理的…）" and
"部分公开" meet. The maps themselves are seeds (script_char_map, script_phrase_map).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from loaders import memo

# Every character with a compatibility or canonical decomposition (NFKC may change it), in the BMP
# and in the supplements of CJK compatibility and enclosed ideographs.
_DECOMPOSABLE = tuple(
    chr(cp) for block in (range(0x10000), range(0x1F100, 0x1F300), range(0x2F800, 0x2FA20))
    for cp in block if unicodedata.decomposition(chr(cp))
)

# Every punctuation, symbol, separator and control character: none of them carries meaning in a
# label. Computed once from the Unicode database (a constant, not state).
_DROP_FOR_LABEL = {
    cp: None for cp in range(0x10000) if unicodedata.category(chr(cp))[0] in "PSZC"
}
_QUOTES = "“”‘’\"'「」『』"
_SPACE_LIKE = {cp: None for cp in range(0x10000) if unicodedata.category(chr(cp))[0] in "ZC"}
for _quote in _QUOTES:
    _SPACE_LIKE[ord(_quote)] = None


def char_class(code_points) -> str:
    """A regex character class of the given code points, as ranges (so that the regex engine
    builds a bitmap: one step per character of the text, whatever the class size)."""
    points = sorted(code_points)
    ranges, start = [], None
    for i, cp in enumerate(points):
        if start is None:
            start = cp
        if i + 1 == len(points) or points[i + 1] != cp + 1:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(cp)) if cp != start else ""))
            start = None
    return "[" + "".join(ranges) + "]"


# The deletion of the space-like characters in two steps: white space by str.split (every white
# space character is in the BMP and space-like), then the rest (quotes, zero-width and other format or
# control characters), which are few. One regex over all of them is several times slower on whole
# documents (a step per match), str.translate slower still (a dict lookup per character).
assert all(cp in _SPACE_LIKE for cp in range(0x10000) if chr(cp).isspace())
_NOT_WHITE_SPACE_LIKE_RE = re.compile(char_class(cp for cp in _SPACE_LIKE if not chr(cp).isspace()) + "+")


def _without_space_like(text: str) -> str:
    """`text` without its space-like characters (_SPACE_LIKE)."""
    text = "".join(text.split())
    return _NOT_WHITE_SPACE_LIKE_RE.sub("", text) if _NOT_WHITE_SPACE_LIKE_RE.search(text) else text


# The same deletions as regexes: str.translate looks every character up in a dict, which is several
# times slower on whole documents.
# Every character that a label's matching form drops, as a regex character class.
DROP_FOR_LABEL_CLASS = char_class(_DROP_FOR_LABEL)
_DROP_FOR_LABEL_RE = re.compile(DROP_FOR_LABEL_CLASS + "+")
_CJK_RUN_RE = re.compile("[\u4e00-\u9fff]+")
# Where a sentence ends (in printed or standardised text).
SENTENCE_END = re.compile(r"[。；;!！?？]")

_CJK_NUMERAL = "一二三四五六七八九十"
# Template numbering in front of a label: 一、 （一） (1) 1. 1、 ① and runs of them.
_NUMBERING = re.compile(
    rf"^(?:[{_CJK_NUMERAL}]+[、.,]|\([{_CJK_NUMERAL}]+\)|\(\d+\)|\d{{1,2}}[、.)](?!\d)|[\u2460-\u2473])+"
)
_BRACKETED = re.compile(r"\([^()]*\)|【[^【】]*】|〔[^〔〕]*〕")
_UNCLOSED_BRACKET = re.compile(r"\([^)]*$")


def trie_pattern(words) -> str:
    """A regex matching any of `words`, built as a trie so that it matches the longest word at each
    start and the regex engine can skip positions by their first character."""
    trie: dict = {}
    for word in words:
        node = trie
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body
    return build(trie) or "(?!)"


@dataclass(frozen=True)
class ScriptMap:
    """Traditional -> simplified characters, and vocabulary phrases applied before them."""

    chars: dict[int, str]
    phrases_by_first_char: dict[str, tuple[tuple[str, str], ...]]
    traditional: re.Pattern  # any BMP character of `chars`, or any character beyond the BMP
    cjk_traditional_run: re.Pattern  # runs of those among the common CJK ideographs (U+4E00..U+9FFF)
    # Every phrase variant as one trie regex (the longest variant at each position, as the phrases
    # are applied), and the standard form of each variant (the first given, when a variant repeats).
    phrases: re.Pattern = field(default=re.compile("(?!)"), compare=False, repr=False)
    phrase_standards: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    # Results of `standardize`, `search_key` and `label_key` for short strings (loaders.memo).
    standardized: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    search_keys: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    label_keys: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_rows(cls, char_rows, phrase_rows) -> "ScriptMap":
        chars = {ord(r["traditional"]): r["simplified"] for r in char_rows if len(r["traditional"]) == 1}
        grouped: dict[str, list[tuple[str, str]]] = {}
        for r in phrase_rows:
            grouped.setdefault(r["variant"][0], []).append((r["variant"], r["standard"]))
        # Only BMP characters in the class (a class with others cannot be a bitmap); text with
        # characters beyond the BMP, which are rare, always takes the full path.
        bmp = [cp for cp in chars if cp < 0x10000]
        phrases_by_first_char = {k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in grouped.items()}
        standards: dict[str, str] = {}
        for group in phrases_by_first_char.values():
            for variant, standard in group:
                standards.setdefault(variant, standard)
        return cls(
            chars=chars,
            phrases_by_first_char=phrases_by_first_char,
            phrases=re.compile(trie_pattern(standards)),
            phrase_standards=standards,
            traditional=re.compile(char_class(bmp) + "|[\U00010000-\U0010ffff]" if bmp else "[\U00010000-\U0010ffff]"),
            cjk_traditional_run=re.compile(char_class([cp for cp in bmp if 0x4E00 <= cp <= 0x9FFF]) + "+" if bmp else "(?!)"),
        )

    def to_simplified(self, text: str) -> str:
        """The phrases replaced left to right (the longest at each position), then the characters."""
        if not self.traditional.search(text):
            return text
        standards = self.phrase_standards
        return self.phrases.sub(lambda m: standards[m.group()], text).translate(self.chars)

    def traditional_share(self, text: str) -> float:
        # Without a traditional character the share is 0: one search instead of counting every run.
        if not self.traditional.search(text):
            return 0.0
        # Counted by runs (one match object per run of characters, not one string per character).
        cjk = sum(map(len, _CJK_RUN_RE.findall(text)))
        if not cjk:
            return 0.0
        return sum(map(len, self.cjk_traditional_run.findall(text))) / cjk


def chars_folding_into(chars: str) -> frozenset[str]:
    """Every character other than `chars` whose NFKC form holds one of them."""
    return frozenset(c for c in _DECOMPOSABLE
                     if c not in chars and any(x in unicodedata.normalize("NFKC", c) for x in chars))


def chars_standardised_into(char: str, script: ScriptMap) -> frozenset[str]:
    """Every character whose standardised form may hold the ideograph `char` (it, its traditional
    forms, the phrases that standardise into it, and what NFKC folds into those): text with none of
    them never holds `char` once standardised, so it can be passed over without standardising it."""
    sources = {char} | {chr(cp) for cp, simplified in script.chars.items() if char in simplified}
    for variant, standard in script.phrase_standards.items():
        if char in standard.translate(script.chars):
            sources |= set(variant)
    sources |= {c for c in _DECOMPOSABLE if any(s in unicodedata.normalize("NFKC", c) for s in sources)}
    return frozenset(sources)


# The full-width ASCII forms and the ideographic space, most of what NFKC changes in Chinese text, to
# their NFKC forms: translating them first leaves most texts already normalised, which NFKC checks
# quickly, instead of recomposing every character (a constant of the Unicode database, not state).
_FULL_WIDTH = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in [*range(0xFF01, 0xFF5F), 0x3000]}
# Their runs: translating only the runs is faster than looking every character of the text up.
_FULL_WIDTH_RUN = re.compile("[\uff01-\uff5e\u3000]+")


# The full-width forms that Chinese prose prints most (a comma every few words, brackets, the full
# stop of numbering, colons, semicolons): each replaced in one pass by str.replace, in C, where a
# callback per run of full-width forms would cost more than the rest of the normalisation.
_COMMON_FULL_WIDTH = tuple((c, _FULL_WIDTH[ord(c)]) for c in "，（）．：；")


def _half_width(m: re.Match) -> str:
    return m.group().translate(_FULL_WIDTH)


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), several times as fast on Chinese text with full-width
    punctuation (the result is the same: each replaced character is replaced by its own NFKC form)."""
    for full_width, half_width in _COMMON_FULL_WIDTH:
        if full_width in text:
            text = text.replace(full_width, half_width)
    if _FULL_WIDTH_RUN.search(text):
        text = _FULL_WIDTH_RUN.sub(_half_width, text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


# White space (str.isspace) and the zero-width characters that word processors leave in cells.
_INVISIBLE = re.compile(r"[\s\u200b\ufeff]+")


def clean_cell(raw: str) -> str:
    """A cell's text as compared with values and markers: NFKC, without white or invisible space."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", raw))


def standardize(text: str, script: ScriptMap) -> str:
    """NFKC (full-width digits and brackets to ASCII) then simplified script."""
    found = script.standardized.get(text)
    if found is None:
        found = memo.remember_short(script.standardized, text, script.to_simplified(nfkc(text)))
    return found


def search_key(text: str, script: ScriptMap) -> str:
    """Standardised text without spaces or quotes: for finding markers and keywords in prose."""
    found = script.search_keys.get(text)
    if found is None:
        found = memo.remember_short(script.search_keys, text, _without_space_like(standardize(text, script)))
    return found


def simplified_search_key(text: str, script: ScriptMap) -> str | None:
    """`search_key` of a text with no traditional character; None for one with any. The conversion
    of a traditional text depends on all of it (a phrase is converted only in text that holds a
    traditional character), so the key of a part of such a text is not the same part of its key."""
    folded = nfkc(text)
    return None if script.traditional.search(folded) else _without_space_like(folded)


def label_key(text: str, script: ScriptMap) -> str:
    """The matching form of a label: no numbering, no bracketed notes, no punctuation or spaces."""
    found = script.label_keys.get(text)
    if found is None:
        found = memo.remember_short(script.label_keys, text, key_of_standard(standardize(text, script)))
    return found


def key_of_standard(standard: str) -> str:
    """`label_key` of a text already standardised."""
    t = _without_space_like(standard)
    t = _NUMBERING.sub("", t)
    previous = None
    while previous != t:
        previous, t = t, _BRACKETED.sub("", t)
    t = _UNCLOSED_BRACKET.sub("", t)
    return _DROP_FOR_LABEL_RE.sub("", t)


def detect_script(text: str, script: ScriptMap) -> str:
    # Traditional-only characters make up a fifth or more of traditional prose and almost none of
    # simplified prose (a few in personal or place names); 5% separates the two comfortably.
    return "traditional" if script.traditional_share(text) >= 0.05 else "simplified"
