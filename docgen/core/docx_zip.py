"""Writing .docx packages fast: unchanged parts are compressed once per batch.

zipfile recompresses every part of every document; for a batch the parts
that do not depend on the data (styles, theme, fonts, images) are the same
bytes each time, so they are deflated once and copied as they are.
"""

from __future__ import annotations

import struct
import time
import zlib
from dataclasses import dataclass

_ALREADY_COMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".emf", ".wmf", ".jpe", ".tif", ".tiff")
_UTF8_NAMES = 0x0800


@dataclass(frozen=True)
class Entry:
    name: bytes
    method: int  # 0 stored, 8 deflated
    crc: int
    size: int
    data: bytes  # as written (compressed or not)


def make_entry(name: str, content: bytes, level: int = 6) -> Entry:
    if name.lower().endswith(_ALREADY_COMPRESSED):
        return Entry(name.encode("utf-8"), 0, zlib.crc32(content), len(content), content)
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return Entry(name.encode("utf-8"), 8, zlib.crc32(content), len(content), data)


def _dos_time() -> tuple[int, int]:
    now = time.localtime()
    return ((now.tm_hour << 11) | (now.tm_min << 5) | (now.tm_sec // 2),
            ((now.tm_year - 1980) << 9) | (now.tm_mon << 5) | now.tm_mday)


def write_zip(entries: list[Entry]) -> bytes:
    """A zip archive of `entries` in order (no zip64: documents stay far below 4 GiB)."""
    mod_time, mod_date = _dos_time()
    out, central = [], []
    offset = 0
    for entry in entries:
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, _UTF8_NAMES, entry.method, mod_time, mod_date,
                             entry.crc, len(entry.data), entry.size, len(entry.name), 0)
        out += (header, entry.name, entry.data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, _UTF8_NAMES, entry.method,
                                   mod_time, mod_date, entry.crc, len(entry.data), entry.size,
                                   len(entry.name), 0, 0, 0, 0, 0, offset) + entry.name)
        offset += len(header) + len(entry.name) + len(entry.data)
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join(out) + directory + end
