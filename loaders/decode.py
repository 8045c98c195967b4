"""Bytes -> text, with the encoding that was detected (UTF-8 with or without BOM, UTF-16/32,
GB18030/GBK, Big5). Never raises: undecodable input is decoded with replacement characters and
reported, so that the report still gets its row."""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    problems: list[str] = field(default_factory=list)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    # ASCII-heavy UTF-16 has NULs in every other byte; CJK-heavy UTF-16 has none, so this only
    # catches the former and the strict decoders below handle the rest.
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _cjk_plausibility(text: str) -> float:
    """Share of characters that are common CJK, ASCII or CJK punctuation: mis-decoded GBK-as-Big5
    (or the reverse) produces rare ideographs and private-use characters."""
    if not text:
        return 0.0
    good = sum(
        1
        for c in text
        if c.isascii() or "\u4e00" <= c <= "\u9fa5" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
    )
    return good / len(text)


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
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            candidates.append((_cjk_plausibility(data.decode(encoding)), encoding))
        except UnicodeDecodeError:
            continue
    if candidates:
        _, encoding = max(candidates)
        return Decoded(_normalise_newlines(data.decode(encoding)), encoding)
    text = data.decode("utf-8", errors="replace")
    return Decoded(
        _normalise_newlines(text),
        "utf-8",
        [f"not valid UTF-8, UTF-16, GB18030 or Big5: {text.count(chr(0xFFFD))} bytes replaced"],
    )
