"""A small PNG reader for the page test (no Pillow): 8-bit RGB or RGBA, not interlaced.

:func:`read_png` returns the pixels as a ``(height, width, channels)`` uint8 array;
:func:`mask` says which pixels have one exact colour.
"""
from __future__ import annotations

import struct
import zlib

import numpy as np

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {2: 3, 6: 4}  # colour type → channels


def read_png(path) -> np.ndarray:
    """The image at ``path`` as ``(height, width, 3 or 4)`` uint8; ValueError for other PNGs."""
    with open(path, "rb") as stream:
        data = stream.read()
    if not data.startswith(_SIGNATURE):
        raise ValueError(f"{path}: not a PNG file")
    pos, compressed, header = len(_SIGNATURE), [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError(f"{path}: no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in _CHANNELS or interlace:
        raise ValueError(f"{path}: only 8-bit RGB/RGBA, non-interlaced PNGs are read here")
    channels = _CHANNELS[colour]
    stride = width * channels
    raw = zlib.decompress(b"".join(compressed))
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    previous = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:]
        if kind == 0:
            row = line.copy()
        elif kind == 1:  # Sub: a running sum per channel, modulo 256
            row = (np.cumsum(line.reshape(width, channels).astype(np.int64), axis=0) & 0xFF)
            row = row.astype(np.uint8).reshape(stride)
        elif kind == 2:  # Up
            row = line + previous
        elif kind in (3, 4):
            row = _sequential(kind, bytes(line), bytes(previous), channels)
        else:
            raise ValueError(f"{path}: unknown filter {kind} on row {y}")
        out[y] = row
        previous = out[y]
    return out.reshape(height, width, channels)


def _sequential(kind: int, line: bytes, above: bytes, bpp: int) -> np.ndarray:
    """Average (3) and Paeth (4) filters, which need the byte just decoded to their left."""
    row = bytearray(len(line))
    for i, value in enumerate(line):
        left = row[i - bpp] if i >= bpp else 0
        up = above[i]
        if kind == 3:
            row[i] = (value + ((left + up) >> 1)) & 0xFF
            continue
        corner = above[i - bpp] if i >= bpp else 0
        estimate = left + up - corner
        pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
        best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
        row[i] = (value + best) & 0xFF
    return np.frombuffer(bytes(row), dtype=np.uint8)


def hex_colour(text: str) -> tuple[int, int, int]:
    """``"#ffe28f"`` → ``(255, 226, 143)``."""
    text = text.strip().lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def mask(pixels: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    """``(height, width)`` booleans: where the pixel is exactly ``colour`` (alpha ignored)."""
    return np.all(pixels[:, :, :3] == np.array(colour, dtype=np.uint8), axis=2)
