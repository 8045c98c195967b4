"""The code registry: the seed CSVs that dbt loads are read here too, so a label lives in one place.

`load_registry(seeds_dir)` returns an immutable `Registry`; callers build it once and pass it down.
Every label and variant is stored in its matching form (see `normalize.label_key`), so both sides of
a comparison go through the same normalisation.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick_rs

from loaders import normalize
from loaders.divisions import DivisionIndex
from loaders.identities import Identity, load_identities
from loaders.normalize import trie_pattern
from loaders.project import SEEDS_DIR as DEFAULT_SEEDS_DIR


def read_seed(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    with open(seeds_dir / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class RowSpec:
    row_code: str
    outcome_group: str | None
    templates: frozenset[str]
    label_zh: str


@dataclass(frozen=True)
class MeasureSpec:
    measure: str
    value_kind: str  # count | signed_count | amount_yuan
    default_unit: str | None


@dataclass(frozen=True)
class FactKeyword:
    fact: str
    keyword: str  # in matching form
    direction: str  # after: keyword then number; before: number then keyword
    context: str | None = None  # the fact the keyword follows (维持 after review_total: review_upheld)


@dataclass(frozen=True)
class SegmentVocabulary:
    """Every label of the template, for cutting text that runs labels together (loaders.segment)."""

    pattern: re.Pattern  # one alternation of the labels' matching forms, longest first at each start
    drop: re.Pattern  # what a label's matching form leaves out: punctuation, spaces, short bracketed notes
    figures: re.Pattern  # a run of figures (each with its unit) separated by spaces
    # The same labels as a compiled Aho-Corasick automaton, finding what `pattern` finds (the longest
    # label at the leftmost start, then on after it) in about half the time: the regex engine tries
    # the alternatives one by one at every common ideograph of the text, and the text is all prose.
    labels: tuple[str, ...]
    automaton: ahocorasick_rs.AhoCorasick | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        automaton = ahocorasick_rs.AhoCorasick(self.labels, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        object.__setattr__(self, "automaton", automaton)

    def labels_in(self, text: str) -> list[str]:
        """The labels found in `text`, as `pattern.findall` finds them."""
        return self.automaton.find_matches_as_strings(text)

    def label_spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, label) of the labels found in `text`, as `pattern.finditer` finds them."""
        labels = self.labels
        return [(start, end, labels[k]) for k, start, end in self.automaton.find_matches_as_indexes(text)]


# Kinds of text markers that are labels of a table or section (the others are prose markers).
# A bracketed note dropped from a label's matching form when text is cut at labels: at most this long.
MAX_NOTE_LENGTH = 60
# The words that sign a printed value (增加5, 减少2): loaders.values reads them before the number.
SIGN_WORDS = ("增加", "减少", "增", "减")
SEGMENT_MARKER_KINDS = ("table2_header", "table2_block", "table3_header", "table4_header", "subtotal_row",
                        "section_heading", "statistics_header")
SEGMENT_LABEL_DOMAINS = ("application_row", "applicant", "outcome_group", "disclosure_item", "disclosure_measure",
                         "proceeding", "review_result")


# Label domains whose labels head table 4's columns (with the table4_header markers).
TABLE4_HEADER_DOMAINS = ("proceeding", "review_result")


@dataclass(frozen=True)
class KeywordIndex:
    """The narrative keywords as one trie regex (so that `finditer` yields the non-overlapping
    occurrences, leftmost first and longest at each position), with the seed rows of
    each keyword that read a figure, and the row of those that may say there was none (`absent`)."""

    pattern: re.Pattern
    rows: dict[str, tuple[FactKeyword, ...]]
    absent: dict[str, FactKeyword]
    # No keyword holds a figure, so writing counts in Arabic figures (loaders.narrative) never makes
    # one: text whose key names no keyword has no fact.
    figure_free: bool = True


@dataclass(frozen=True)
class Indexes:
    """Lookups derived from the seeds, built once with the registry."""

    marker_values: dict[str, tuple[str, ...]]  # kind -> its markers as printed in the seed
    marker_search_keys: dict[str, tuple[str, ...]]  # kind -> its markers' search keys
    labels_by_length: dict[str, dict[int, tuple[tuple[str, str], ...]]]  # domain -> length -> labels
    # domain -> label key -> its code (the first in `Registry.labels` order when a key has several)
    label_codes: dict[str, dict[str, str]]
    # Every proper beginning and end of the label keys of table 3's group headings and column headings
    # (what is left of a heading broken in two): one set lookup instead of a scan of the headings.
    table3_heading_fragments: frozenset[str]
    table4_heading_keys: tuple[str, ...]  # label keys of table 4's column headings
    # Any common CJK ideograph that no cell value holds once standardised: text holding one is no value
    # (loaders.values), without normalising it.
    not_in_values: re.Pattern
    # A character that standardises into 报, which every title ending (report_title markers) and
    # every title names: text without one is no title, without normalising it.
    report_word: re.Pattern
    # One part of a run of figures (loaders.tables.fused.lex): figures with their decimals and unit,
    # or a not-applicable marker; [unsigned, signed].
    figure_parts: tuple[re.Pattern, re.Pattern]
    keywords: KeywordIndex


@dataclass(frozen=True)
class Registry:
    script: normalize.ScriptMap
    application_rows: tuple[RowSpec, ...]
    applicants: tuple[str, ...]
    proceedings: tuple[str, ...]  # the three template proceedings, in print order
    review_results: tuple[str, ...]
    disclosure_layout: dict[tuple[str, str], tuple[str, ...]]  # (template, item) -> measures in order
    measures: dict[str, MeasureSpec]
    units: dict[str, float]  # unit -> multiplier
    unit_kinds: dict[str, str]  # unit -> currency | count
    unit_pattern: re.Pattern
    # domain -> ((label_key, code), ...) longest first; domains are the seed names plus
    # "outcome_group" for the table-3 group headers.
    labels: dict[str, tuple[tuple[str, str], ...]]
    # domain -> {beginning of a label key: codes whose labels begin so}, for labels cut short
    label_prefixes: dict[str, dict[str, frozenset[str]]]
    markers: dict[str, tuple[tuple[str, str], ...]]  # kind -> ((marker, value), ...)
    marker_label_keys: dict[str, frozenset[str]]  # kind -> label keys of its markers
    fact_keywords: tuple[FactKeyword, ...]
    # legacy statistics table: label key -> ((fact, context_fact), ...); a label such as 被依法纠错数
    # means a review or a lawsuit figure depending on the section it is printed under.
    statistic_rows: dict[str, tuple[tuple[str, str | None], ...]]
    # the template's section headings: (label key, section number 一 … 六), longest first
    section_headings: tuple[tuple[str, str], ...]
    # prose facts that are a table-4 total (review_total -> review), from legacy_outcome_map: a legacy
    # report's review and litigation counts are kept as those cells
    table4_total_facts: dict[str, str]
    # legacy statistics table headings: (label key, column role), longest first
    statistics_headers: tuple[tuple[str, str], ...]
    divisions: DivisionIndex
    segment_vocabulary: SegmentVocabulary
    indexes: Indexes = field(default=None, compare=False, repr=False)  # type: ignore[assignment]
    # The reconciliation identities with their operands (the identities and identity_operands seeds).
    identities: tuple[Identity, ...] = ()
    seeds_dir: Path = field(default=DEFAULT_SEEDS_DIR)
    # Results of `labels.match_label` ((text, domain) -> match or None) and `values.parse_value` for
    # short strings (loaders.memo).
    label_matches: dict = field(default_factory=dict, compare=False, repr=False)
    parsed_values: dict = field(default_factory=dict, compare=False, repr=False)

    def rows_for(self, template: str) -> tuple[RowSpec, ...]:
        return tuple(r for r in self.application_rows if template in r.templates)

    def marker_values(self, kind: str) -> tuple[str, ...]:
        return self.indexes.marker_values.get(kind, ())


def _label_entries(script, pairs) -> tuple[tuple[str, str], ...]:
    entries = {(normalize.label_key(label, script), code) for code, label in pairs}
    return tuple(sorted((e for e in entries if e[0]), key=lambda e: (-len(e[0]), e)))


def _prefixes(entries: tuple[tuple[str, str], ...]) -> dict[str, frozenset[str]]:
    """Every proper beginning of every label key, with the codes it may stand for."""
    out: dict[str, set[str]] = {}
    for label, code in entries:
        for end in range(1, len(label)):
            out.setdefault(label[:end], set()).add(code)
    return {k: frozenset(v) for k, v in out.items()}


def _statistic_rows(script, rows, variants) -> dict[str, tuple[tuple[str, str | None], ...]]:
    pairs = [(r["label_zh"], r["fact"], r["context_fact"] or None) for r in rows]
    pairs += [(label, code, None) for code, label in variants.get("legacy_statistic", [])]
    out: dict[str, list[tuple[str, str | None]]] = {}
    for label, fact, context in pairs:
        out.setdefault(normalize.label_key(label, script), []).append((fact, context))
    return {k: tuple(v) for k, v in out.items()}


def _proper_affixes(keys) -> frozenset[str]:
    """Every beginning and end of each key, shorter than the key and not empty."""
    return frozenset(k[:n] for k in keys for n in range(1, len(k))) | frozenset(k[n:] for k in keys for n in range(1, len(k)))


def _not_in_values(script: normalize.ScriptMap, value_words: list[str]) -> re.Pattern:
    """Any common CJK ideograph (U+4E00..U+9FFF) that no cell value holds once standardised. A value
    holds only the ideographs of its sign words, units and not-applicable markers (`value_words`); a
    traditional character or a phrase may standardise into those, so every character that
    standardises into anything but other ideographs is allowed too. Such ideographs are their own
    NFKC form and never compose with what follows, so text holding another one is no value."""
    allowed = {c for word in value_words for c in normalize.clean_cell(word)}

    def may_turn_into_value_text(standard: str) -> bool:
        return not standard or any(c in allowed or not "\u4e00" <= c <= "\u9fff" for c in standard)
    allowed |= {chr(cp) for cp, simplified in script.chars.items() if may_turn_into_value_text(simplified)}
    for variant, standard in script.phrase_standards.items():
        if may_turn_into_value_text(standard.translate(script.chars)):
            allowed |= set(variant)
    return re.compile(normalize.char_class(cp for cp in range(0x4E00, 0xA000) if chr(cp) not in allowed))


def _figure_part(units, not_applicable: tuple[str, ...], signed: bool) -> re.Pattern:
    alternation = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    markers = "|".join(re.escape(m) for m in sorted(not_applicable, key=len, reverse=True))
    sign = r"(?P<sign>[+\-−])?" if signed else "(?P<sign>)"
    digits = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
    return re.compile(
        rf"\s*(?:{sign}(?P<digits>{digits})(?P<tail>(?:\.\d+)?(?:{alternation})?)|(?P<marker>{markers}))\s*"
    )


def _report_word(script: normalize.ScriptMap, title_endings: tuple[str, ...]) -> re.Pattern:
    if not all("报" in ending for ending in title_endings):
        return re.compile("")  # an ending without 报: every text may be a title
    return re.compile("[" + "".join(sorted(map(re.escape, normalize.chars_standardised_into("报", script)))) + "]")


def _keyword_index(keywords: tuple[FactKeyword, ...]) -> KeywordIndex:
    grouped: dict[str, list[FactKeyword]] = {}
    for k in keywords:  # already longest first
        grouped.setdefault(k.keyword, []).append(k)
    return KeywordIndex(
        # A trie tries each character of the text once, where an alternation tries every keyword.
        re.compile(trie_pattern(grouped)),
        {k: tuple(r for r in v if r.direction != "absent") for k, v in grouped.items()},
        {k: next(r for r in v if r.direction == "absent") for k, v in grouped.items() if any(r.direction == "absent" for r in v)},
        figure_free=not any(c.isdigit() for k in grouped for c in k),
    )


def _indexes(script: normalize.ScriptMap, labels: dict, markers: dict, marker_label_keys: dict,
             fact_keywords: tuple[FactKeyword, ...], units: dict[str, float]) -> Indexes:
    by_length: dict[str, dict[int, list[tuple[str, str]]]] = {}
    for domain, entries in labels.items():
        for label, code in entries:
            by_length.setdefault(domain, {}).setdefault(len(label), []).append((label, code))
    marker_values = {kind: tuple(m for m, _ in v) for kind, v in markers.items()}
    label_codes: dict[str, dict[str, str]] = {domain: {} for domain in labels}
    for domain, entries in labels.items():
        for label, code in entries:
            label_codes[domain].setdefault(label, code)
    return Indexes(
        marker_values=marker_values,
        marker_search_keys={kind: tuple(normalize.search_key(m, script) for m in v) for kind, v in marker_values.items()},
        labels_by_length={d: {n: tuple(v) for n, v in lengths.items()} for d, lengths in by_length.items()},
        label_codes=label_codes,
        table3_heading_fragments=_proper_affixes(
            {label for label, _ in labels["outcome_group"]} | marker_label_keys.get("table3_header", frozenset())),
        table4_heading_keys=tuple(
            {label for d in TABLE4_HEADER_DOMAINS for label, _ in labels[d]} | marker_label_keys.get("table4_header", frozenset())),
        not_in_values=_not_in_values(script, [*SIGN_WORDS, *units, *marker_values.get("not_applicable", ())]),
        report_word=_report_word(script, marker_values.get("report_title", ())),
        figure_parts=(_figure_part(units, marker_values.get("not_applicable", ()), signed=False),
                      _figure_part(units, marker_values.get("not_applicable", ()), signed=True)),
        keywords=_keyword_index(fact_keywords),
    )


def load_registry(seeds_dir: Path | str = DEFAULT_SEEDS_DIR) -> Registry:
    seeds_dir = Path(seeds_dir)
    # CJK radicals that a PDF's text layer prints for whole characters (⺠ for 民, ⻘ for 青) and that
    # NFKC leaves alone are mapped like traditional characters.
    radicals = [{"traditional": r["radical"], "simplified": r["ideograph"]} for r in read_seed(seeds_dir, "radical_char_map")]
    # Taiwan wording (資訊 for 信息) is folded like the script's own phrases, before the characters.
    vocabulary = [{"variant": v["variant"], "standard": v["standard"]} for v in read_seed(seeds_dir, "vocabulary_variants")]
    script = normalize.ScriptMap.from_rows(
        read_seed(seeds_dir, "script_char_map") + radicals, read_seed(seeds_dir, "script_phrase_map") + vocabulary
    )
    variants: dict[str, list[tuple[str, str]]] = {}
    for v in read_seed(seeds_dir, "label_variants"):
        variants.setdefault(v["domain"], []).append((v["code"], v["variant"]))

    rows = read_seed(seeds_dir, "application_rows")
    rows.sort(key=lambda r: int(r["sort_order"]))
    application_rows = tuple(
        RowSpec(r["row_code"], r["outcome_group"] or None, frozenset(r["templates"].split()), r["label_zh"])
        for r in rows
    )
    applicants = sorted(read_seed(seeds_dir, "applicants"), key=lambda r: int(r["sort_order"]))
    proceedings = sorted(read_seed(seeds_dir, "proceedings"), key=lambda r: int(r["sort_order"]))
    results = sorted(read_seed(seeds_dir, "review_results"), key=lambda r: int(r["sort_order"]))
    items = read_seed(seeds_dir, "disclosure_items")
    measures = read_seed(seeds_dir, "disclosure_measures")
    groups = read_seed(seeds_dir, "outcome_groups")

    layout: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for r in read_seed(seeds_dir, "disclosure_layout"):
        layout.setdefault((r["template"], r["item"]), []).append((int(r["position"]), r["measure"]))

    def labelled(domain: str, seed_rows: list[dict[str, str]], code_column: str):
        pairs = [(r[code_column], r["label_zh"]) for r in seed_rows] + variants.get(domain, [])
        return _label_entries(script, pairs)

    labels = {
        "application_row": labelled("application_row", rows, "row_code"),
        "applicant": labelled("applicant", applicants, "applicant"),
        "outcome_group": labelled("outcome_group", groups, "outcome_group"),
        "disclosure_item": labelled("disclosure_item", items, "item"),
        "disclosure_measure": labelled("disclosure_measure", measures, "measure"),
        "proceeding": labelled("proceeding", proceedings, "proceeding"),
        "review_result": labelled("review_result", results, "result"),
    }
    unit_rows = read_seed(seeds_dir, "units")
    units = {u["unit"]: float(u["multiplier"]) for u in unit_rows}
    unit_alternation = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    markers: dict[str, list[tuple[str, str]]] = {}
    for m in read_seed(seeds_dir, "text_markers"):
        markers.setdefault(m["kind"], []).append((m["marker"], m["value"]))

    marker_label_keys = {
        k: frozenset(normalize.label_key(m, script) for m, _ in v) - {""} for k, v in markers.items()
    }
    statistic_rows = _statistic_rows(script, read_seed(seeds_dir, "legacy_statistics_rows"), variants)
    fact_keywords = tuple(
        sorted(
            (
                FactKeyword(
                    k["fact"], normalize.search_key(k["keyword"], script), k["direction"], k["context_fact"] or None
                )
                for k in read_seed(seeds_dir, "narrative_fact_keywords")
            ),
            key=lambda k: -len(k.keyword),
        )
    )
    segment_labels = ({label for d in SEGMENT_LABEL_DOMAINS for label, _ in labels[d]}
                  | {key for kind in SEGMENT_MARKER_KINDS for key in marker_label_keys.get(kind, ())}
                  | set(statistic_rows))
    return Registry(
        script=script,
        application_rows=application_rows,
        applicants=tuple(a["applicant"] for a in applicants),
        proceedings=tuple(p["proceeding"] for p in proceedings if p["proceeding"] != "litigation_unsplit"),
        review_results=tuple(r["result"] for r in results),
        disclosure_layout={k: tuple(m for _, m in sorted(v)) for k, v in layout.items()},
        measures={
            m["measure"]: MeasureSpec(m["measure"], m["value_kind"], m["default_unit"] or None) for m in measures
        },
        units=units,
        unit_kinds={u["unit"]: u["unit_kind"] for u in unit_rows},
        unit_pattern=re.compile(rf"(?P<unit>{unit_alternation})$"),
        labels=labels,
        label_prefixes={domain: _prefixes(entries) for domain, entries in labels.items()},
        markers={k: tuple(v) for k, v in markers.items()},
        marker_label_keys=marker_label_keys,
        fact_keywords=fact_keywords,
        statistic_rows=statistic_rows,
        section_headings=tuple(sorted(
            ((normalize.label_key(m, script), section) for m, section in markers.get("section_heading", ())),
            key=lambda h: -len(h[0]))),
        table4_total_facts={
            m["fact"]: m["proceeding"] for m in read_seed(seeds_dir, "legacy_outcome_map") if m["result"] == "total"
        },
        statistics_headers=tuple(sorted(
            ((normalize.label_key(m, script), role) for m, role in markers.get("statistics_header", ())),
            key=lambda h: -len(h[0]))),
        divisions=DivisionIndex.from_seed(seeds_dir, script),
        segment_vocabulary=SegmentVocabulary(
            re.compile(trie_pattern(sorted(segment_labels))),
            re.compile(rf"\([^()]{{0,{MAX_NOTE_LENGTH}}}\)|{normalize.DROP_FOR_LABEL_CLASS}+"),
            re.compile(rf"[+\-−]?\d+(?:\.\d+)?(?:{unit_alternation})?(?:[ \t\u00a0\u3000]+[+\-−]?\d+(?:\.\d+)?(?:{unit_alternation})?)*"),
            tuple(sorted(segment_labels)),
        ),
        indexes=_indexes(script, labels, markers, marker_label_keys, fact_keywords, units),
        identities=load_identities(seeds_dir),
        seeds_dir=seeds_dir,
    )
