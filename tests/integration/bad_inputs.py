"""A folder of every kind of bad input a scraped collection holds, next to good reports.

`build(folder)` writes the files and returns what each one is, so that a test can check that every
file is accounted for. Files too big to keep in the repository (a 100 MB file, a ZIP bomb) are made
here, in a temporary folder, in well under a second.
"""
from __future__ import annotations

import io
import os
import random
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ogi.printing.pdf import assemble, scanned_pdf

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
# A file name made of what breaks shell scripts: spaces, quotes, $(…), ;, |, &, a newline, CJK.
SHELL_NAME = "报告 $(touch pwned); rm -rf ~ `id` 'q' \"d\" |&\n.txt"


@dataclass(frozen=True)
class Expected:
    kind: str
    statuses: tuple[str, ...]  # acceptable parse statuses
    reason: str | None = None  # text the status reason (or a parse issue) must contain
    sample: str | None = None  # the good sample report it holds, if any


def encrypted_pdf() -> bytes:
    """A PDF whose text is encrypted with the standard security handler (an owner password)."""
    content = b"BT /F1 12 Tf 72 720 Td (\x8f\x1a\x03\xd2) Tj ET"
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <" + b"a1" * 32 + b"> /U <" + b"b2" * 32 + b"> /P -3904 >>",
        ],
        trailer_extra=b"/Encrypt 6 0 R /ID [<" + b"c3" * 16 + b"> <" + b"c3" * 16 + b">] ",
    )


def zip_bomb_docx() -> bytes:
    """A DOCX whose document.xml inflates from a few KiB to 64 MiB of zeros."""
    member = zipfile.ZipInfo("word/document.xml")
    member.compress_type = zipfile.ZIP_DEFLATED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(member, "w", force_zip64=False) as f:
            zeros = bytes(1 << 20)
            for _ in range(64):
                f.write(zeros)
    return buffer.getvalue()


def truncated_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "政府信息公开" * 2000 + "</w:document>")
    data = buffer.getvalue()
    return data[: len(data) * 2 // 3]


def deep_html() -> bytes:
    depth = 50_000
    return ("<html><body>" + "<div>" * depth + "<table><tr><td>本年新收政府信息公开申请数量</td><td>1</td></tr></table>"
            + "</div>" * depth + "</body></html>").encode()


def malformed_html() -> bytes:
    return ("<html><head><title>政府信息公开工作年度报告</head><body><table><tr><td rowspan='x' colspan=-3>自然人<td>"
            "<tr><td>本年新收政府信息公开申请数量<td>5<td><td>7</table></table></body><p>未闭合 <b><i>" * 50).encode()


def error_page() -> bytes:
    return ("<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
            "<p>您访问的页面不存在或已被删除。</p><hr><center>nginx</center></body></html>").encode()


def build(folder: Path) -> dict[str, Expected]:
    """Write the bad (and good) inputs under `folder`; return the expectation per relative path."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    sample = {p.name: p.read_bytes() for p in SAMPLES.glob("*.txt")}
    luzhou, yiwu = sample["luzhou_2020_traditional.txt"], sample["yiwu_2020_office.txt"]
    files: dict[str, tuple[bytes | None, Expected]] = {
        # good reports, some under names or extensions that should not matter
        "good/luzhou.txt": (luzhou, Expected("good report", ("ok",), sample="luzhou_2020_traditional.txt")),
        "good/jinyun in GB18030.txt": (
            sample["jinyun_2019_tabbed.txt"].decode("utf-8").encode("gb18030"),
            Expected("good report in GB18030", ("ok",), sample="jinyun_2019_tabbed.txt"),
        ),
        "good/义乌 市 (2020).txt": (yiwu, Expected("good report, CJK and spaces in the name", ("ok",), sample="yiwu_2020_office.txt")),
        "good/" + SHELL_NAME: (sample["dongyang_2017_legacy.txt"],
                               Expected("good report, shell metacharacters in the name", ("ok",), sample="dongyang_2017_legacy.txt")),
        "good/luzhou copy.txt": (luzhou, Expected("duplicate bytes under another name", ("ok",), sample="luzhou_2020_traditional.txt")),
        "wrong_ext/jinyun.pdf": (sample["jinyun_2019_tabbed.txt"], Expected(
            "text report named .pdf", ("ok",), "named .pdf but the bytes are text", sample="jinyun_2019_tabbed.txt")),
        # junk
        "junk/empty.txt": (b"", Expected("empty file", ("failed",), "empty file")),
        "junk/blank.txt": (b" \n\t\n\r\n" * 10, Expected("white space only", ("failed",), "no text")),
        "junk/random.bin": (bytes(rng.randrange(256) for _ in range(20_000)), Expected("random bytes", ("failed",), "binary or random bytes")),
        "junk/image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(3000)),
                           Expected("PNG named .txt", ("failed",), "a PNG image")),
        "junk/legacy.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(5000), Expected("OLE2 .doc", ("failed",), "legacy OLE2")),
        "junk/nul inside.txt": (luzhou[:4000] + b"\x00\x00\x00" + luzhou[4000:], Expected("NUL bytes inside text", ("partial",), "NUL bytes")),
        "junk/nul padded.txt": (yiwu + bytes(4096), Expected("NUL padding after the text", ("partial",), "NUL bytes")),
        "junk/nul only.txt": (bytes(3000), Expected("NUL bytes only", ("failed",), "no text")),
        "junk/truncated mid-char.txt": (luzhou[: len(luzhou) // 2 + 1], Expected("truncated in a UTF-8 character", ("partial",), "truncated")),
        "junk/truncated.txt": (yiwu[:9000], Expected("truncated before its tables", ("partial",))),
        "junk/error page.html": (error_page(), Expected("HTML error page saved as a report", ("failed", "partial"))),
        "junk/deep.html": (deep_html(), Expected("deeply nested HTML", ("failed", "partial"))),
        "junk/malformed.htm": (malformed_html(), Expected("malformed HTML", ("failed", "partial"))),
        "junk/scanned.pdf": (scanned_pdf(), Expected("scanned PDF without a text layer", ("failed",), "PDF without a text layer")),
        "junk/encrypted.pdf": (encrypted_pdf(), Expected("encrypted PDF", ("failed",), "encrypted PDF")),
        "junk/truncated.pdf": (scanned_pdf()[:400], Expected("truncated PDF", ("failed", "partial"), "no %%EOF")),
        "junk/bomb.docx": (zip_bomb_docx(), Expected("DOCX zip bomb", ("failed",), "ZIP bomb")),
        "junk/truncated.docx": (truncated_docx(), Expected("truncated DOCX", ("failed",), "truncated or corrupt ZIP")),
        "junk/huge.txt": (None, Expected("100 MB file", ("failed",), "above the per-file limit")),
        "junk/broken link.txt": (None, Expected("broken symlink", ("failed",), "cannot read file")),
        "junk/fifo": (None, Expected("named pipe", ("failed",), "not a regular file")),
        os.fsdecode(b"junk/bad-\xff-name.txt"): (yiwu[:3000], Expected("file name that is not UTF-8", ("partial", "failed"))),
    }
    for rel, (data, _) in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is not None:
            path.write_bytes(data)
    with open(folder / "junk/huge.txt", "wb") as f:
        f.truncate(100 * 2**20)  # sparse: stat says 100 MiB, the disk holds nothing
    os.symlink("does-not-exist.txt", folder / "junk/broken link.txt")
    os.mkfifo(folder / "junk/fifo")
    return {rel: expected for rel, (_, expected) in files.items()}


# --- hostile files: each aims at one per-file limit ------------------------------------------------

def rowspan_html(rows: int = 1500) -> bytes:
    """About 45 kB of `<td rowspan="0" colspan="64">` rows: each cell covers 64 columns down to the
    table's end, so a grid taken at its word grows with the square of the rows (4-5 GiB here)."""
    body = "".join(f'<tr><td rowspan="0" colspan="64">{i}</td></tr>' for i in range(rows))
    return f"<html><body><p>2020年某县人民政府政府信息公开工作年度报告</p><table>{body}</table></body></html>".encode()


OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _docx(document_xml: str, office_document: str = OFFICE_DOCUMENT) -> bytes:
    """A DOCX package around this word/document.xml (`office_document`: the main part's relationship type)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{office_document}" Target="word/document.xml"/></Relationships>'))
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def gridspan_docx(rows: int = 400, cells: int = 200) -> bytes:
    """A DOCX table whose every cell spans 999 grid columns: 80 million positions taken at its word."""
    rng = random.Random(3)
    row = lambda: "<w:tr>" + "".join(
        f'<w:tc><w:tcPr><w:gridSpan w:val="999"/></w:tcPr><w:p><w:r><w:t>{rng.randrange(10**6)}</w:t></w:r></w:p></w:tc>'
        for _ in range(cells)) + "</w:tr>"
    return _docx(f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>2020年某县人民政府政府信息公开工作年度报告</w:t></w:r></w:p>'
                 f'<w:tbl>{"".join(row() for _ in range(rows))}</w:tbl></w:body></w:document>')


def flate_bomb_pdf(mib: int = 600) -> bytes:
    """A 600 KiB PDF whose one content stream inflates to `mib` MiB of zeros."""
    squeeze = zlib.compressobj(9)
    zeros = bytes(2**20)
    stream = b"".join(squeeze.compress(zeros) for _ in range(mib)) + squeeze.flush()
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ])


def self_referencing_pdf() -> bytes:
    """A page whose MediaBox is an object that refers to itself: pdfminer resolved the reference for
    ever (and again when the document was closed); PDFium, which reads PDFs now, gives up at once."""
    content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox 6 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"6 0 R",
    ])


def strict_ooxml_docx(text: str) -> bytes:
    """A DOCX saved as Strict Open XML (ISO 29500 Strict): other namespaces and relationship types."""
    paragraphs = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{line}</w:t></w:r></w:p>" for line in text.split("\n"))
    return _docx('<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main" w:conformance="strict">'
                 f"<w:body>{paragraphs}</w:body></w:document>",
                 "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
