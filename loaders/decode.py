"""Bytes -> text, with the encoding that was detected (UTF-8 with or without BOM, UTF-16/32,
GB18030/GBK, Big5). Never raises: undecodable input is decoded with replacement characters and
reported, so that the report still gets its row."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# Below this share of plausible characters a decoding is taken to be the wrong one.
_MIN_PLAUSIBILITY = 0.8
# A UTF-8 file with at most this many invalid bytes (one damaged character makes up to 3), or this
# share of its characters, is UTF-8 with damage, not another encoding.
_MAX_DAMAGED_UTF8_BYTES = 3
_MAX_DAMAGED_UTF8_SHARE = 0.001
# Legacy CJK encodings, tried strictly; the Big5 extensions (HKSCS, Microsoft's cp950) after Big5.
_LEGACY_CJK = ("gb18030", "big5", "big5hkscs", "cp950")
# Runs of characters that are not ASCII, common CJK ideographs, CJK punctuation or full-width forms.
_IMPLAUSIBLE_RUNS = re.compile("[^\x00-\x7f\u4e00-\u9fa5\u3000-\u303f\uff00-\uffef]+")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    problems: list[str] = field(default_factory=list)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark. Text in UTF-8, GB18030 or Big5 never holds a NUL byte,
    while UTF-16 holds one for every ASCII character. The byte order is the one under which the
    text has line breaks (read in the wrong order, U+000A becomes U+0A00, which Chinese text never
    holds), then the one that reads as more plausible text."""
    sample = data[:8000]
    sample = sample[: len(sample) // 2 * 2]
    if b"\x00" not in sample:
        return None
    readings = []
    for encoding in ("utf-16-le", "utf-16-be"):
        text = sample.decode(encoding, errors="replace")
        readings.append((text.count("\n"), _cjk_plausibility(text), encoding))
    _, plausibility, encoding = max(readings)
    return encoding if plausibility >= _MIN_PLAUSIBILITY else None


def _cjk_plausibility(text: str) -> float:
    """Share of characters that are common CJK, ASCII or CJK punctuation: mis-decoded GBK-as-Big5
    (or the reverse) produces rare ideographs and private-use characters."""
    if not text:
        return 0.0
    # Counted in C: the implausible characters are few in a right decoding, so the runs are few.
    implausible = sum(map(len, _IMPLAUSIBLE_RUNS.findall(text)))
    return (len(text) - implausible) / len(text)


def _strict_readings(data: bytes, encodings: tuple[str, ...]) -> list[tuple[str, str]]:
    """(encoding, text) for each encoding that decodes the bytes without an error, in order."""
    readings = []
    for encoding in encodings:
        try:
            readings.append((encoding, data.decode(encoding)))
        except UnicodeDecodeError:
            continue
    return readings


def _most_plausible(readings: list[tuple[str, str]]) -> tuple[str, str]:
    """The reading with the most plausible text, the first of equals (so GB18030 wins ties and Big5
    comes before its extensions). Most files decode in one encoding only: then nothing is counted."""
    if len(readings) == 1:
        return readings[0]
    return max(readings, key=lambda reading: _cjk_plausibility(reading[1]))


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding.replace("-sig", ""), errors="replace")
            problems = ["undecodable bytes replaced"] if "\ufffd" in text else []
            return Decoded(_normalise_newlines(text), encoding, problems)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Decoded(_normalise_newlines(data.decode(utf16, errors="replace")), utf16)
    try:
        return Decoded(_normalise_newlines(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    damaged = data.decode("utf-8", errors="replace")
    replaced = damaged.count("\ufffd")
    if replaced <= max(_MAX_DAMAGED_UTF8_BYTES, len(damaged) * _MAX_DAMAGED_UTF8_SHARE):
        return Decoded(_normalise_newlines(damaged), "utf-8", [f"invalid UTF-8: {replaced} bytes replaced"])
    readings = _strict_readings(data, _LEGACY_CJK)
    if readings:
        encoding, text = _most_plausible(readings)
        return Decoded(_normalise_newlines(text), encoding)
    return Decoded(
        _normalise_newlines(damaged),
        "utf-8",
        [f"not valid UTF-8, UTF-16, GB18030 or Big5: {replaced} bytes replaced"],
    )
