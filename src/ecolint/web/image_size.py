"""The size in pixels of a bitmap, read from its own header (PNG, GIF, JPEG, BMP).

The bitmap check weighs an image against its pixel count. An ``<img>`` gives it
(``naturalWidth``), a CSS background does not, so the downloaded bytes are read instead:
without it a 1900×1267 background JPEG would be judged as if it had no pixels at all.
"""

from __future__ import annotations

import struct

# JPEG start-of-frame markers (baseline, progressive, lossless…), which carry the size;
# C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding) are not frames.
_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def pixel_count(data: bytes) -> int | None:
    """``width × height``, or None when the format is not recognised or the header is cut."""
    try:
        size = _size(data)
    except (struct.error, IndexError):
        return None
    if size is None or size[0] <= 0 or size[1] <= 0:
        return None
    return size[0] * size[1]


def _size(data: bytes) -> tuple[int, int] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"BM"):
        width, height = struct.unpack("<ii", data[18:26])
        return width, abs(height)  # a negative height means rows stored top-down
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG segments up to the first start-of-frame."""
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    return None
