"""Text that runs the template's labels together, cut back at the labels before the tables are read.

Crawlers save a page's text with no separators at all, tables included
(`…法律服务机构其他一、本年新收政府信息公开申请数量230 000023二、上年结转…`); converters put a group
heading and its first row in one cell. The template's labels are known, so such text is cut at them:

- every label of the registry (table rows, group and column headings, 第二十条 blocks, section
  headings, legacy statistics rows) is looked for in the text's *skeleton* (the text without spaces,
  punctuation and short bracketed notes, as labels are matched), with one compiled pattern;
- a *chain* is a run of labels separated only by figures, numbering, notes or short text without
  clause punctuation (a mistyped label, a unit, a footer); a chain of two labels or more with
  figures is table text, and so is a section heading after its number (五、存在的主要问题…), which is
  cut from the prose it runs into. Prose, which has commas and full stops, never makes a chain and
  stays whole;
- a chain is cut into its labels (each with the numbering before it and the bracketed note after
  it), its runs of figures (one value per space-separated word, with its unit: the lost-separator
  arithmetic decides where cells begin inside a word) and the text between them, which the tables
  treat as unknown text. Figures that run on into the next sentence stop at a year (`20000022025年`
  is `2000002` and `2025年`); a month or a day is not a cell (`1月11日`); a digit before `.` or `、`
  and a label is the label's numbering (`3700000372.没有现成…` is `370000037` and `2.没有现成…`).

A label of one or two characters (其他, 总计) counts only where figures, another label or the end
follow it: inside a longer word (`其他法律行政止公开`, a mistyped label) it is not a label.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from loaders import normalize
from loaders.registry import MAX_NOTE_LENGTH, Registry
from loaders.tokens import TEXT, VALUE, Token, cell_tokens
from loaders.values import is_value

# Tokens shorter than this hold at most one label and its figures: not worth cutting.
MIN_CUT_LENGTH = 12
# A line of text and values cut by wide gaps is joined back when it is at least this long.
MIN_JOINED_LENGTH = 40
# Text between two labels of a chain: at most this long once notes and figures are dropped.
MAX_TEXT_IN_CHAIN = 40
SHORT_LABEL = 2
_LINE = attrgetter("line")

_CLAUSE_PUNCTUATION = re.compile(r"[,，。;；!！?？]")
# A bracketed note after a label (（区分处理的，…）, （单位：万元）), but not the next label's numbering (（一）).
_NOTE = re.compile(rf"\((?![一二三四五六七八九十\d]{{1,3}}\))[^()]{{0,{MAX_NOTE_LENGTH}}}\)")
# Closing quotes and brackets that end a label (危及“三安全一稳定”).
_CLOSING = re.compile(r"[”’」』)\]]+")
# Template numbering right before a label: 一、 (一) 1. 1、 ① and runs of them.
_NUMBERING_BEFORE = re.compile(
    r"(?:[一二三四五六七八九十]+[、.．]|\([一二三四五六七八九十\d]{1,3}\)|(?<!\d)\d[.、．]|\d[.、．](?=\s*$)|[\u2460-\u2473])+\s*$"
)
# Matched at a position of the text (pattern.match(text, position)), not on a copy of its rest:
# a run of figures may be followed by the whole of a long text.
_YEAR_AFTER = re.compile(r"\s*年")
_DAY_AFTER = re.compile(r"\s*[月日号时]")
_DAY_DIGITS = re.compile(r"\d{1,2}$")
_NUMBERING_AFTER = re.compile(r"[.、．]\s*[^\d\s]")
_SPACES = re.compile(r"\s*")
_SECTION_NUMBER = re.compile(r"[一二三四五六七八九十][、.．]\s*$")
# A chain has figures, or is a section heading after its number: text with neither is never cut.
_WORTH_CUTTING = re.compile(r"[0-9０-９]|[一二三四五六七八九十][、.．]")


@dataclass(frozen=True)
class _Hit:
    start: int  # in the standardised text
    end: int
    key: str
    heading: bool = False  # a section heading of the template, after its numbering (三、…)


def _skeleton(standard: str, drop: re.Pattern) -> tuple[str, list[int], list[int]]:
    """(skeleton, starts in the skeleton, starts in the text) of the kept pieces: the text without
    white space, punctuation and short bracketed notes, as labels are matched."""
    kept, sk_starts, text_starts = [], [], []
    position = length = 0
    for m in drop.finditer(standard):
        if m.start() > position:
            kept.append(standard[position:m.start()])
            sk_starts.append(length)
            text_starts.append(position)
            length += m.start() - position
        position = m.end()
    if position < len(standard):
        kept.append(standard[position:])
        sk_starts.append(length)
        text_starts.append(position)
    return "".join(kept), sk_starts, text_starts


def _to_text(index: int, sk_starts: list[int], text_starts: list[int]) -> int:
    piece = bisect.bisect_right(sk_starts, index) - 1
    return text_starts[piece] + index - sk_starts[piece]


def _hits(standard: str, registry: Registry) -> list[_Hit]:
    vocabulary = registry.segment_vocabulary
    skeleton, sk_starts, text_starts = _skeleton(standard, vocabulary.drop)
    headings = registry.marker_label_keys.get("section_heading", frozenset())
    hits = []
    for sk_start, sk_end, label in vocabulary.label_spans(skeleton):
        start = _to_text(sk_start, sk_starts, text_starts)
        end = _to_text(sk_end - 1, sk_starts, text_starts) + 1
        heading = label in headings and bool(_SECTION_NUMBER.search(standard, 0, start))
        hits.append(_Hit(start, end, label, heading))
    return hits


def _core(text: str) -> str:
    """What is left of a gap once notes, numbering, white space and punctuation are dropped."""
    return normalize.key_of_standard(text) if text else ""


def _split_gap(gap: str, figures: re.Pattern) -> list[tuple[str, str]]:
    """('figures' | 'text', piece) for the text between two labels (`figures`: a run of figures, with
    their units). A run followed by 年 loses the year it ends with (`20000022025年`: `2000002`, then
    `2025年`), one followed by 月 or 日 its day or month."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for m in figures.finditer(gap):
        start, end = m.start(), m.end()
        if start < position:
            continue
        run = gap[start:end]
        if _YEAR_AFTER.match(gap, end):
            digits = run.rstrip()
            year = digits[-4:]
            if len(year) == 4 and year.isdigit() and 1990 <= int(year) <= 2099:
                end = start + len(digits) - 4
                run = gap[start:end]
        elif _DAY_AFTER.match(gap, end):
            digits = run.rstrip()
            day = _DAY_DIGITS.search(digits).group()
            end = start + len(digits) - len(day)  # a date (1月11日), not a cell
            run = gap[start:end]
        if _NUMBERING_AFTER.match(gap, end) and run[-1:].isdigit():
            end -= 1  # the last digit numbers the text after it (00000007.属于行政执法案件)
            run = gap[start:end]
        if not run.strip():
            continue
        if gap[position:start].strip():
            pieces.append(("text", gap[position:start]))
        pieces.append(("figures", run))
        position = end
    if gap[position:].strip():
        pieces.append(("text", gap[position:]))
    return pieces


def _numbering_start(gap: str) -> int:
    """Where the numbering of the label after `gap` begins inside it (len(gap) when it has none)."""
    m = _NUMBERING_BEFORE.search(gap)
    return m.start() if m else len(gap)


def _note_end(text: str, start: int) -> int:
    """The end of the closing quotes and bracketed notes right after a label (危及“三安全一稳定”,
    （区分处理的，…）, （单位：万元）)."""
    closing = _CLOSING.match(text, start)
    position = closing.end() if closing else start
    while True:
        note = _NOTE.match(text, _SPACES.match(text, position).end())
        if not note:
            return position
        position = note.end()


def _linkable(gap: str, figures: re.Pattern) -> bool:
    """True when the text between two labels keeps them in one chain: no clause punctuation outside
    notes, and no more text than a label."""
    bare = _NOTE.sub("", gap)
    if _CLAUSE_PUNCTUATION.search(bare):  # prose, mostly: tested first, as numbering holds none
        return False
    bare = bare[:_numbering_start(bare)]
    return all(len(_core(p)) <= MAX_TEXT_IN_CHAIN for kind, p in _split_gap(bare, figures) if kind == "text")


def _valid(hits: list[_Hit], standard: str, figures: re.Pattern) -> list[_Hit]:
    """Hits without the short labels that sit inside a longer word (其他 of 其他法律行政止公开)."""
    kept = []
    for n, hit in enumerate(hits):
        if len(hit.key) <= SHORT_LABEL:
            end = _note_end(standard, hit.end)
            following = standard[end:hits[n + 1].start] if n + 1 < len(hits) else standard[end:]
            first = _split_gap(following[:_numbering_start(following)], figures)[:1]
            if first and first[0][0] == "text" and _core(first[0][1]):
                continue
        kept.append(hit)
    return kept


def _chains(hits: list[_Hit], standard: str, figures: re.Pattern) -> list[list[_Hit]]:
    chains: list[list[_Hit]] = []
    for hit in hits:
        if chains and _linkable(standard[chains[-1][-1].end:hit.start], figures):
            chains[-1].append(hit)
        else:
            chains.append([hit])

    def figures_in(chain: list[_Hit]) -> bool:
        after = standard[chain[-1].end:chain[-1].end + 40]
        gaps = [standard[a.end:b.start] for a, b in zip(chain, chain[1:])] + [after[:_figures_prefix_end(after, figures)]]
        return any(kind == "figures" for g in gaps for kind, _ in _split_gap(g, figures))

    return [c for c in chains if (len(c) >= 2 and figures_in(c)) or (len(c) == 1 and c[0].heading)]


def _figures_prefix_end(gap: str, figures: re.Pattern) -> int:
    """The end of the chain's last cells at the start of `gap` (the text after its last label): its
    notes, figures, and any short text followed by figures (a unit, a row whose label is not known),
    before the prose that follows."""
    position = end = _note_end(gap, 0)
    pieces = _split_gap(gap[position:], figures)
    for n, (kind, piece) in enumerate(pieces):
        start = gap.index(piece, position)
        if kind == "text":
            followed = n + 1 < len(pieces) and pieces[n + 1][0] == "figures"
            if not followed or _CLAUSE_PUNCTUATION.search(piece) or len(_core(piece)) > MAX_TEXT_IN_CHAIN:
                break
        position = start + len(piece)
        if kind == "figures":
            end = position
    return end


def _tokens_of(standard: str, chains: list[list[_Hit]], line: int, registry: Registry) -> list[Token]:
    out: list[Token] = []
    figures_pattern = registry.segment_vocabulary.figures

    def text(piece: str) -> None:
        if _core(piece) or is_value(piece.strip(), registry):
            out.extend(cell_tokens(piece, line, registry))

    def figures(piece: str) -> None:
        out.extend(Token(VALUE, word, line) for word in piece.split())

    def gap(piece: str) -> None:
        for kind, part in _split_gap(piece, figures_pattern):
            (figures if kind == "figures" else text)(part)

    position = 0
    for chain in chains:
        first = chain[0]
        before = standard[position:first.start]
        label_start = position + _numbering_start(before)
        if standard[position:label_start].strip():
            out.append(Token(TEXT, standard[position:label_start].strip(), line))
        for n, hit in enumerate(chain):
            end = _note_end(standard, hit.end)
            if n + 1 < len(chain):
                following = standard[end:chain[n + 1].start]
                numbering = _numbering_start(following)
            else:
                following = standard[end:]
                numbering = _figures_prefix_end(following, figures_pattern)
            out.append(Token(TEXT, standard[label_start:end].strip(), line))
            gap(following[:numbering])
            label_start = end + numbering
        position = label_start
    if standard[position:].strip():
        out.append(Token(TEXT, standard[position:].strip(), line))
    return out


def _may_hold_a_chain(text: str, registry: Registry) -> bool:
    """A cheap test before the text is standardised (NFKC, script) and searched in full: as printed,
    it names two labels, or a section heading. Text in traditional script is always searched in full.
    A chain whose labels are each spaced or punctuated inside (行 政 复 议) is not looked for."""
    if registry.script.traditional.search(text):
        return True
    found = registry.segment_vocabulary.labels_in(text)
    headings = registry.marker_label_keys.get("section_heading", frozenset())
    return len(found) >= 2 or not headings.isdisjoint(found)


def cut_token(token: Token, registry: Registry) -> list[Token]:
    """The token cut at the labels of its chains, or [token] when it holds none."""
    if token.kind != TEXT or len(token.text) < MIN_CUT_LENGTH or not _WORTH_CUTTING.search(token.text):
        return [token]
    if not _may_hold_a_chain(token.text, registry):
        return [token]
    standard = normalize.standardize(token.text, registry.script)
    figures = registry.segment_vocabulary.figures
    hits = _valid(_hits(standard, registry), standard, figures)
    if len(hits) < 2:
        return [token]
    chains = _chains(hits, standard, figures)
    if not chains:
        return [token]
    return _tokens_of(standard, chains, token.line, registry)


def _joined(run: list[Token]) -> Token | None:
    """The pieces of a line of text and values joined back with spaces, when they may hold a chain
    of labels that the gaps cut apart: several pieces, no empty cells or grid breaks (which carry
    the table's cell boundaries), and text long enough."""
    if len(run) < 3 or any(t.kind not in (TEXT, VALUE) for t in run):
        return None
    text = " ".join(t.text for t in run)
    return Token(TEXT, text, run[0].line) if len(text) >= MIN_JOINED_LENGTH else None


def cut_at_labels(tokens: list[Token], registry: Registry) -> list[Token]:
    """The tokens with every text that runs labels together cut at them. The pieces of one line of
    text that wide gaps cut apart (text, values, text …) are cut as one text."""
    out: list[Token] = []
    for _, pieces in groupby(tokens, _LINE):  # the tokens of one line, grouped in C
        run = list(pieces)
        if len(run) >= 3 and (whole := _joined(run)) is not None and len(cut := cut_token(whole, registry)) > 1:
            out.extend(cut)
            continue
        for t in run:
            if t.kind == TEXT and len(t.text) >= MIN_CUT_LENGTH:
                out.extend(cut_token(t, registry))
            else:
                out.append(t)
    return out
