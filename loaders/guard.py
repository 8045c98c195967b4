"""Pre-flight checks on one input file, before any reader sees its bytes, and the per-file limits.

Scraped collections hold empty files, error pages, images saved as reports, truncated downloads,
archives that expand to gigabytes and files that take a parser forever. Each check here is cheap
and looks at bytes only (never at the file name), so it works whatever the format:

- size: a file above `Limits.max_bytes` is not read at all; text above `max_text_bytes` is refused
  (the text reader's memory grows with it);
- empty files, known binary formats that no reader handles (images, archives, executables, legacy
  OLE2 Word files) and random bytes (a high share of control bytes) are refused with what they are;
- ZIP containers (DOCX) are inspected from their central directory before any ZIP reader opens
  them: corrupt or truncated ones are refused, and so are ZIP bombs (declared uncompressed size or
  compression ratio over the limits; Python's zipfile never inflates past the declared size);
- text with NUL bytes, trailing NUL padding or a UTF-8 character cut at the end is repaired by
  removing those bytes only, with a note that makes the report partial: its figures may be cut;
- PDFs are inspected before pdfminer opens them: too many objects, or Flate streams that inflate
  past the limits (a PDF "Flate bomb": pdfminer inflates a stream whole, in memory), are refused;
  PDFs without an end-of-file marker or with an /Encrypt dictionary are noted for the PDF reader;
- symlinks are followed only to files inside the input folders (`roots`), and devices, sockets and
  FIFOs are refused from their metadata, without being opened.

The reading and parsing of one file run under two limits: `time_limit` (SIGALRM in the process's
main thread, fired again every second until the parse has unwound, so that cleanup code that loops
is stopped too; the process pool also kills a worker whose file outlives the limit, see
loaders.executors) and `memory_limit` (the process's address space, RLIMIT_AS, may grow by at most
`Limits.memory_bytes` while one file is read and parsed: past it, allocations fail with MemoryError).
"""
from __future__ import annotations

import os
import re
import signal
import stat
import threading
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

MIB = 2**20

# Leading bytes of formats that no reader handles: what the file is, for the reason.
_BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", None),  # checked further below: too short a signature on its own
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", None),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy OLE2 Office file (.doc/.xls/.wps) or an encrypted Office file"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"RIFF", "a RIFF media file (WebP/WAV/AVI)"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
    (b"wOFF", "a web font"),
)
_UTF_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_SNIFF = 64 * 1024
# Share of control bytes (other than tab, newline, carriage return, form feed and escape) above
# which bytes are not text in any encoding the decoder knows: random bytes have about 10%, text 0.
_MAX_CONTROL_SHARE = 0.02
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_MIN_ZIP_BOMB_MEMBER = MIB  # ratios are only judged on members that would inflate past this


def _env_number(environ, name: str, default: float) -> float:
    value = environ.get(name)
    return float(value) if value not in (None, "") else default


@dataclass(frozen=True)
class Limits:
    """Per-file limits. Defaults suit published reports (text under 1 MiB, PDFs with scans under
    tens of MiB, parsing under a second); change them with the `ogi load` options or environment."""

    max_bytes: int = 64 * MIB  # --max-file-mb / OGI_MAX_FILE_MB
    max_text_bytes: int = 16 * MIB  # text and HTML: the parser's memory grows with the text
    seconds: float = 60.0  # --file-timeout / OGI_FILE_TIMEOUT: parsing time per file
    zip_max_bytes: int = 256 * MIB  # declared uncompressed size of all members of a ZIP/DOCX
    zip_max_ratio: float = 200.0  # compression ratio of any one member (DOCX XML compresses ~10x)
    zip_max_members: int = 5000
    # --max-memory-mb / OGI_MAX_MEMORY_MB: growth of the address space while one file is read and
    # parsed (a published report needs tens of MiB; 24 GiB hold ten workers at this limit).
    memory_bytes: int = 2048 * MIB
    # All Flate streams of a PDF, inflated (a scan's Flate images compress well past 200x, so only
    # the total is judged).
    pdf_max_inflated: int = 512 * MIB
    pdf_max_objects: int = 500_000

    @classmethod
    def from_env(cls, environ=os.environ) -> "Limits":
        return cls(
            max_bytes=int(_env_number(environ, "OGI_MAX_FILE_MB", cls.max_bytes / MIB) * MIB),
            seconds=_env_number(environ, "OGI_FILE_TIMEOUT", cls.seconds),
            memory_bytes=int(_env_number(environ, "OGI_MAX_MEMORY_MB", cls.memory_bytes / MIB) * MIB),
        )


@dataclass(frozen=True)
class Note:
    """Something the guard changed or noticed; `damaging` notes make an ok report partial."""

    code: str
    message: str
    damaging: bool = False


@dataclass(frozen=True)
class Verdict:
    data: bytes | None  # the bytes to parse (possibly repaired); None when the file is refused
    size: int  # of the file as found (of the link itself for a link that is not followed)
    sha256_of: bytes | None = None  # the bytes as read, for the report id; None when not read
    refusal: str | None = None  # a code such as "empty_file" when refused
    reason: str | None = None
    notes: tuple[Note, ...] = field(default_factory=tuple)
    mtime_ns: int = -1


class FileTimeLimit(BaseException):
    """Raised inside the parse of one file when it outlives its time limit. A BaseException, so
    that the parser's own `except Exception` (which turns bugs into failed rows) lets it through."""


# After the first expiry the alarm fires again at this interval until the parse has unwound: code
# that loops while cleaning up (a PDF library's close() on a malformed file) is stopped too.
_REFIRE_SECONDS = 1.0


@contextmanager
def time_limit(seconds: float | None):
    """Raise FileTimeLimit in this thread after `seconds`. Only the main thread can take signals: in
    any other thread this does nothing and the executor's stall detection is the only limit."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    armed = [True]

    def expire(signum, frame):
        if armed[0]:
            raise FileTimeLimit(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, _REFIRE_SECONDS)
    try:
        yield
    finally:
        try:
            armed[0] = False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _address_space() -> int | None:
    """The bytes of address space this process maps (Linux), or None where that cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextmanager
def memory_limit(nbytes: int | None):
    """Let this process's address space grow by at most `nbytes` until the block ends: allocations
    past it fail (MemoryError in Python; C libraries see malloc fail). The soft limit is lowered and
    then restored, so the process goes on as before."""
    try:
        import resource
    except ImportError:  # not a POSIX system: no limit
        resource = None
    used = _address_space() if nbytes and resource else None
    if used is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + nbytes
    for bound in (soft, hard):
        if bound != resource.RLIM_INFINITY:
            limit = min(limit, bound)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _mib(n: int) -> str:
    return f"{n / MIB:.1f} MiB"


def _binary_kind(head: bytes) -> str | None:
    for magic, kind in _BINARY_MAGIC:
        if head.startswith(magic):
            if magic == b"BM":
                return "a BMP image" if len(head) > 14 and head[6:10] == b"\x00\x00\x00\x00" else None
            if magic == b"MZ":
                return "a Windows executable" if b"PE\x00\x00" in head[:1024] else None
            return kind
    return None


def _utf16_like(head: bytes) -> bool:
    """UTF-16/32 text has NUL bytes on every other position (or three in four) by design."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:4000]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2].count(0) / len(sample[0::2]), sample[1::2].count(0) / len(sample[1::2])
    # ASCII in UTF-16 puts NULs on one parity; CJK characters such as 开 (U+5F00) put a few on the other.
    return (odd > 0.3 and even < odd / 3) or (even > 0.3 and odd < even / 3)


def _inspect_zip(data: bytes, limits: Limits) -> tuple[str, str] | None:
    """(refusal code, reason) for a ZIP that must not be opened, else None."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return "corrupt_zip", f"truncated or corrupt ZIP/DOCX container ({exc})"
    if len(members) > limits.zip_max_members:
        return "zip_bomb", f"ZIP/DOCX with {len(members)} members (limit {limits.zip_max_members})"
    total = sum(m.file_size for m in members)
    if total > limits.zip_max_bytes:
        return "zip_bomb", f"ZIP/DOCX declares {_mib(total)} uncompressed (limit {_mib(limits.zip_max_bytes)}): a ZIP bomb"
    for m in members:
        ratio = m.file_size / max(1, m.compress_size)
        if m.file_size > _MIN_ZIP_BOMB_MEMBER and ratio > limits.zip_max_ratio:
            return "zip_bomb", (
                f"ZIP/DOCX member {m.filename!r} inflates {ratio:.0f}x to {_mib(m.file_size)} "
                f"(limit {limits.zip_max_ratio:.0f}x): a ZIP bomb"
            )
        if m.flag_bits & 0x1:
            return "encrypted_zip", f"ZIP/DOCX member {m.filename!r} is encrypted"
    return None


_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_PDF_OBJECT_STREAM_COUNT = re.compile(rb"/Type\s*/ObjStm\b[^>]*?/N\s+(\d+)|/N\s+(\d+)[^>]*?/Type\s*/ObjStm\b")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_INFLATE_CHUNK = MIB


def _inflated_size(data: bytes, start: int, cap: int) -> int:
    """Bytes that the Flate stream starting at `start` inflates to, counted without keeping them;
    stops counting past `cap`. A stream that is not Flate data counts 0."""
    inflater = zlib.decompressobj()
    total = 0
    pending = data[start:start + _INFLATE_CHUNK]
    offset = start + len(pending)
    try:
        while pending or inflater.unconsumed_tail:
            chunk = inflater.decompress(inflater.unconsumed_tail or pending, _INFLATE_CHUNK)
            total += len(chunk)
            if total > cap or inflater.eof:
                return total
            if not inflater.unconsumed_tail:
                pending = data[offset:offset + _INFLATE_CHUNK]
                offset += len(pending)
    except zlib.error:
        return total
    return total


def _inspect_pdf(data: bytes, limits: Limits) -> tuple[str, str] | None:
    """(refusal code, reason) for a PDF that must not be opened: more objects than the limit, or
    Flate streams that inflate past the limits, else None."""
    objects = sum(1 for _ in _PDF_OBJECT.finditer(data))
    objects += sum(int(a or b) for a, b in _PDF_OBJECT_STREAM_COUNT.findall(data))
    if objects > limits.pdf_max_objects:
        return "pdf_bomb", f"PDF with {objects} objects (limit {limits.pdf_max_objects})"
    total = 0
    for match in _PDF_STREAM.finditer(data):
        if b"Flate" not in data[max(0, match.start() - 512):match.start()]:
            continue
        total += _inflated_size(data, match.end(), limits.pdf_max_inflated - total)
        if total > limits.pdf_max_inflated:
            return "pdf_bomb", (f"PDF streams inflate past {_mib(limits.pdf_max_inflated)}, the limit for all of a "
                                "PDF's Flate streams: a Flate bomb")
    return None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _repair_text(data: bytes) -> tuple[bytes, list[Note]]:
    """Remove NUL bytes and a UTF-8 character cut off at the end; say what was removed and where."""
    notes: list[Note] = []
    stripped = data.rstrip(b"\x00")
    if len(stripped) < len(data):
        notes.append(Note(
            "nul_padding",
            f"file ends in {len(data) - len(stripped)} NUL bytes (an interrupted download?); removed, the report may be cut short",
            damaging=True,
        ))
    nuls = stripped.count(0)
    if nuls:
        first = stripped.index(0)
        notes.append(Note(
            "nul_bytes", f"{nuls} NUL bytes inside the text (first at line {_line_of(stripped, first)}); removed", damaging=True,
        ))
        stripped = stripped.replace(b"\x00", b"")
    cut = _cut_utf8_tail(stripped)
    if cut:
        notes.append(Note(
            "truncated_text", f"file ends in the middle of a UTF-8 character ({cut} bytes removed): a truncated download", damaging=True,
        ))
        stripped = stripped[:-cut]
    return stripped, notes


def _cut_utf8_tail(data: bytes) -> int:
    """How many bytes at the end form an incomplete UTF-8 sequence, when the rest is valid UTF-8."""
    for n in (1, 2, 3):
        if len(data) <= n:
            return 0
        lead = data[-n]
        if lead < 0x80:
            return 0
        if lead >= 0xC0:
            needed = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
            if needed <= n:
                return 0
            try:
                data[:-n].decode("utf-8")
            except UnicodeDecodeError:
                return 0
            return n
    return 0


def inspect(data: bytes, limits: Limits) -> Verdict:
    """Judge bytes already read. Never raises."""
    size = len(data)
    if size == 0:
        return Verdict(None, 0, data, "empty_file", "empty file (0 bytes)")
    head = data[:_SNIFF]
    if head.startswith(b"%PDF"):
        refused = _inspect_pdf(data, limits)
        if refused:
            return Verdict(None, size, data, *refused)
        notes = []
        if b"%%EOF" not in data[-2048:]:
            notes.append(Note("pdf_truncated", "PDF has no %%EOF marker at its end: a truncated download?", damaging=True))
        if b"/Encrypt" in data:
            notes.append(Note("pdf_encrypted", "PDF is encrypted (/Encrypt dictionary)"))
        return Verdict(data, size, data, notes=tuple(notes))
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        refused = _inspect_zip(data, limits)
        if refused:
            return Verdict(None, size, data, *refused)
        return Verdict(data, size, data)
    kind = _binary_kind(head)
    if kind:
        return Verdict(None, size, data, "binary_file", f"binary file: {kind}, not a report")
    if size > limits.max_text_bytes:
        return Verdict(None, size, data, "text_too_large",
                       f"text of {_mib(size)} is above the text limit of {_mib(limits.max_text_bytes)}")
    if head.startswith(_UTF_BOMS) or _utf16_like(head):
        return Verdict(data, size, data)
    repaired, notes = _repair_text(data)
    if not repaired.strip():
        return Verdict(None, size, data, "empty_file", f"no text: {size} bytes of NUL or white space")
    sample = repaired[:_SNIFF]
    control = len(sample) - len(sample.translate(None, _CONTROL))
    if control / len(sample) > _MAX_CONTROL_SHARE:
        return Verdict(None, size, data, "binary_file",
                       f"binary or random bytes ({control} control bytes in the first {len(sample)}), not text")
    return Verdict(repaired, size, data, notes=tuple(notes))


_FILE_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")


def inside(path: str, roots: tuple[str, ...]) -> bool:
    """Whether the real path `path` is one of `roots` or lies below one of them."""
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def read(path: str, limits: Limits, roots: tuple[str, ...] | None = None) -> Verdict:
    """Read one file within the limits: never more than `max_bytes` + 1 bytes. A symlink is followed
    only when its target lies inside `roots` (real paths; None: anywhere); a device, socket, FIFO or
    folder is refused from its metadata, never opened. Raises OSError."""
    link = os.lstat(path)
    if stat.S_ISLNK(link.st_mode) and roots is not None:
        target = os.path.realpath(path)
        if not inside(target, roots):
            return Verdict(None, link.st_size, None, "link_outside_inputs",
                           f"symlink to {target}, outside the input folders: not read (--follow-links-anywhere reads it)",
                           mtime_ns=link.st_mtime_ns)
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        return Verdict(None, 0, None, "not_a_file", f"not a regular file: {_kind(info.st_mode)}; not opened",
                       mtime_ns=info.st_mtime_ns)
    if info.st_size > limits.max_bytes:
        return Verdict(None, info.st_size, None, "file_too_large",
                       f"file of {_mib(info.st_size)} is above the per-file limit of {_mib(limits.max_bytes)} "
                       "(--max-file-mb / OGI_MAX_FILE_MB); not read", mtime_ns=info.st_mtime_ns)
    # O_NONBLOCK: a file swapped for a FIFO after the check above does not block the open.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with open(fd, "rb", closefd=True) as f:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino) or not stat.S_ISREG(opened.st_mode):
            return Verdict(None, 0, None, "not_a_file", "the file changed while it was opened; not read", mtime_ns=info.st_mtime_ns)
        data = f.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:  # the file grew while we looked
        return Verdict(None, len(data), None, "file_too_large",
                       f"file grew above the per-file limit of {_mib(limits.max_bytes)} while being read; not read",
                       mtime_ns=info.st_mtime_ns)
    return replace(inspect(data, limits), size=info.st_size, mtime_ns=info.st_mtime_ns)


_EXTENSION_KINDS = {
    ".pdf": "pdf", ".docx": "zip", ".doc": "ole2", ".txt": "text", ".md": "text", ".html": "text", ".htm": "text",
    ".shtml": "text", ".xhtml": "text",
}


def extension_note(path: str, data: bytes) -> Note | None:
    """A note when the file name's extension says another format than the bytes (the bytes win)."""
    extension = Path(path).suffix.lower()
    expected = _EXTENSION_KINDS.get(extension)
    if expected is None or not data:
        return None
    actual = "pdf" if data.startswith(b"%PDF") else "zip" if data.startswith(b"PK") else (
        "ole2" if data.startswith(b"\xd0\xcf\x11\xe0") else "text")
    if actual == expected:
        return None
    return Note("extension_mismatch", f"named {extension} but the bytes are {actual}; read as {actual}")
