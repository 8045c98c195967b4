"""The pre-flight guard and the per-file limits, file kind by file kind."""
import io
import time
import zipfile

import pytest

from loaders import guard
from loaders.guard import Limits

SAMPLE = "2020年义乌市人民政府办公室政府信息公开工作年度报告\n本年新收政府信息公开申请数量\n30\n".encode()


def inspect(data: bytes, **limits) -> guard.Verdict:
    return guard.inspect(data, Limits(**limits))


def test_clean_text_passes_untouched():
    verdict = inspect(SAMPLE)
    assert verdict.data is SAMPLE and not verdict.notes and not verdict.refusal


@pytest.mark.parametrize(
    "data, refusal, words",
    [
        (b"", "empty_file", "empty file (0 bytes)"),
        (b"\x00" * 100, "empty_file", "no text: 100 bytes"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "binary_file", "a PNG image"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "binary_file", "a JPEG image"),
        (b"\x1f\x8b\x08" + bytes(100), "binary_file", "a gzip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "binary_file", "legacy OLE2"),
        (bytes(range(256)) * 40, "binary_file", "binary or random bytes"),
    ],
)
def test_refusals_say_what_the_file_is(data, refusal, words):
    verdict = inspect(data)
    assert verdict.data is None and verdict.refusal == refusal and words in verdict.reason


def test_nul_bytes_are_removed_with_their_line_and_make_the_report_partial():
    verdict = inspect(SAMPLE[:20] + b"\x00\x00" + SAMPLE[20:] + b"\x00" * 50)
    assert verdict.data == SAMPLE
    assert [n.code for n in verdict.notes] == ["nul_padding", "nul_bytes"]
    assert all(n.damaging for n in verdict.notes)
    assert "2 NUL bytes inside the text (first at line 1)" in verdict.notes[1].message


def test_utf16_keeps_its_nul_bytes():
    data = "ab 政府信息公开 12".encode("utf-16-le") * 20
    assert inspect(data).data == data
    assert inspect(b"\xff\xfe" + data).data == b"\xff\xfe" + data


def test_a_utf8_character_cut_at_the_end_is_removed():
    verdict = inspect(SAMPLE + "公".encode()[:2])
    assert verdict.data == SAMPLE and verdict.notes[0].code == "truncated_text"
    # GB18030 bytes are not mistaken for cut UTF-8.
    gb = "政府信息公开".encode("gb18030")
    assert inspect(gb).data == gb


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bombs_are_refused_before_any_reader_opens_them():
    bomb = _zip({"word/document.xml": bytes(8 * 2**20)})
    verdict = inspect(bomb)
    assert verdict.refusal == "zip_bomb" and "inflates" in verdict.reason
    big = _zip({"word/document.xml": b"<w:t>" + "政府".encode() * 600_000 + b"</w:t>"})
    verdict = inspect(big, zip_max_bytes=2**20)
    assert verdict.refusal == "zip_bomb" and "declares" in verdict.reason
    many = _zip({f"word/m{i}.xml": b"x" for i in range(30)})
    assert inspect(many, zip_max_members=10).refusal == "zip_bomb"
    docx = _zip({"word/document.xml": "<w:t>政府信息公开</w:t>".encode() * 100})
    assert inspect(docx).data == docx


def test_truncated_zip_and_pdf():
    docx = _zip({"word/document.xml": "<w:t>政府信息公开</w:t>".encode() * 1000})
    assert inspect(docx[: len(docx) // 2]).refusal == "corrupt_zip"
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\n"
    verdict = inspect(pdf)
    assert verdict.data == pdf and verdict.notes[0].code == "pdf_truncated"
    encrypted = pdf + b"trailer << /Encrypt 5 0 R >>\n%%EOF\n"
    assert [n.code for n in inspect(encrypted).notes] == ["pdf_encrypted"]


def test_size_limits(tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.truncate(3 * 2**20)
    verdict = guard.read(str(path), Limits(max_bytes=2**20))
    assert verdict.refusal == "file_too_large" and "not read" in verdict.reason and verdict.sha256_of is None
    assert inspect(b"a" * 2000, max_text_bytes=1000).refusal == "text_too_large"


def test_extension_mismatch():
    assert guard.extension_note("report.pdf", SAMPLE).message == "named .pdf but the bytes are text; read as text"
    assert guard.extension_note("report.txt", SAMPLE) is None
    assert guard.extension_note("report.docx", b"%PDF-1.4").code == "extension_mismatch"


def test_time_limit_stops_python_code():
    started = time.monotonic()
    with pytest.raises(guard.FileTimeLimit):
        with guard.time_limit(0.2):
            while True:
                pass
    assert time.monotonic() - started < 5
    with guard.time_limit(1):
        pass  # disarmed on exit: nothing fires later
    time.sleep(1.2)


def test_limits_from_the_environment():
    limits = Limits.from_env({"OGI_FILE_TIMEOUT": "5", "OGI_MAX_FILE_MB": "2"})
    assert (limits.seconds, limits.max_bytes) == (5.0, 2 * 2**20)
    assert Limits.from_env({}) == Limits()
