"""Images attached to a user message: read, checked and measured without Pillow.

The format comes from the file's magic bytes (never its name) and the size from its header, so a
renamed BMP or a truncated PNG is refused with a clear reason before anything is sent.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # OpenAI's and Anthropic's documented per-image upload limit


class ImageFormat(enum.Enum):
    """The four formats both OpenAI and Anthropic accept."""

    PNG = "image/png"
    JPEG = "image/jpeg"
    GIF = "image/gif"
    WEBP = "image/webp"

    @property
    def media_type(self) -> str:
        return self.value


class Detail(enum.Enum):
    """OpenAI's ``detail`` field; ``auto`` is costed as ``high`` (the worst case)."""

    AUTO = "auto"
    LOW = "low"
    HIGH = "high"


class ImageError(Exception):
    """An image we cannot send; the message is meant for the user."""


@dataclass(frozen=True)
class Image:
    """One attached image: its bytes and what we read from its header."""

    data: bytes
    format: ImageFormat
    width: int
    height: int
    sha256: str

    @property
    def media_type(self) -> str:
        return self.format.media_type

    @property
    def size_bytes(self) -> int:
        return len(self.data)

    def base64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")

    def data_url(self) -> str:
        return f"data:{self.media_type};base64,{self.base64()}"

    def ref(self) -> ImageRef:
        return ImageRef(self.sha256, self.format, self.width, self.height, self.size_bytes)

    def describe(self) -> str:
        """A short label for View code and lists: never the base64 itself."""
        kib = self.size_bytes / 1024
        return f"{self.format.name} {self.width}×{self.height}, {kib:,.0f} KiB, sha256 {self.sha256[:12]}"


@dataclass(frozen=True)
class ImageRef:
    """What a stored message keeps of an image: enough to find its bytes and to describe it."""

    sha256: str
    format: ImageFormat
    width: int
    height: int
    size_bytes: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "media_type": self.format.value,
            "width": self.width,
            "height": self.height,
            "size_bytes": self.size_bytes,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImageRef:
        fmt = ImageFormat(data["media_type"])
        return cls(str(data["sha256"]), fmt, int(data["width"]), int(data["height"]), int(data["size_bytes"]))

    def describe(self) -> str:
        return (
            f"{self.format.name} {self.width}×{self.height}, {self.size_bytes / 1024:,.0f} KiB (not stored)"
        )


def read_image_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Image:
    """Read and check an image file; raises ImageError with a reason a user can act on."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImageError(f"Cannot read {path.name}: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise ImageError(_too_big(path.name, size, max_bytes))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImageError(f"Cannot read {path.name}: {exc.strerror or exc}") from exc
    return read_image(data, max_bytes=max_bytes, name=path.name)


def read_image(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES, name: str = "the image") -> Image:
    """Check bytes from a file, the clipboard or history and measure them."""
    if len(data) > max_bytes:
        raise ImageError(_too_big(name, len(data), max_bytes))
    fmt = sniff_format(data)
    if fmt is None:
        raise ImageError(
            f"{name} is not a PNG, JPEG, GIF or WebP image"
            f"{_known_other(data)}; convert it to one of those first."
        )
    try:
        width, height = _DIMENSIONS[fmt](data)
    except (struct.error, IndexError, ValueError) as exc:
        raise ImageError(f"{name} looks like a {fmt.name} but is damaged or cut short.") from exc
    if not _complete(fmt, data):
        raise ImageError(f"{name} is a {fmt.name} that is cut short (its end is missing).")
    if width <= 0 or height <= 0:
        raise ImageError(f"{name} says it is {width}×{height} pixels; it is damaged.")
    return Image(data, fmt, width, height, hashlib.sha256(data).hexdigest())


def sniff_format(data: bytes) -> ImageFormat | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ImageFormat.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return ImageFormat.JPEG
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return ImageFormat.GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ImageFormat.WEBP
    return None


def _known_other(data: bytes) -> str:
    if data.startswith(b"BM"):
        return " (it is a BMP)"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return " (it is a TIFF)"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return " (it is a HEIC)"
    return ""


def _complete(fmt: ImageFormat, data: bytes) -> bool:
    """The format's end marker is there: a half-downloaded file is refused, not sent."""
    tail = data[-1024:]
    if fmt is ImageFormat.PNG:
        return b"IEND" in tail
    if fmt is ImageFormat.JPEG:
        return b"\xff\xd9" in tail
    if fmt is ImageFormat.GIF:
        return tail.rstrip(b"\x00").endswith(b";")
    return int.from_bytes(data[4:8], "little") + 8 <= len(data)


def _too_big(name: str, size: int, limit: int) -> str:
    return f"{name} is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB per image."


def _png_size(data: bytes) -> tuple[int, int]:
    if data[12:16] != b"IHDR":
        raise ValueError("no IHDR")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _gif_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack("<HH", data[6:10])
    return int(width), int(height)


_SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Walk the segments to the first start-of-frame, which holds the size."""
    pos = 2
    while True:
        while data[pos] != 0xFF:  # IndexError at the end: cut short
            pos += 1
        while data[pos] == 0xFF:
            pos += 1
        marker = data[pos]
        pos += 1
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            continue  # markers without a length
        if marker == 0xD9:
            raise ValueError("end of image before a frame header")
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if marker in _SOF_MARKERS:
            height, width = struct.unpack(">HH", data[pos + 3 : pos + 7])
            return int(width), int(height)
        pos += length


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        if len(data) < 30:
            raise ValueError("cut short")
        return width, height
    if chunk == b"VP8 ":
        if data[23:26] != b"\x9d\x01\x2a":
            raise ValueError("bad VP8 frame")
        width, height = struct.unpack("<HH", data[26:30])
        return int(width) & 0x3FFF, int(height) & 0x3FFF
    if chunk == b"VP8L":
        if data[20] != 0x2F:
            raise ValueError("bad VP8L signature")
        bits = int.from_bytes(data[21:25], "little")
        if len(data) < 25:
            raise ValueError("cut short")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise ValueError("unknown WebP chunk")


_DIMENSIONS = {
    ImageFormat.PNG: _png_size,
    ImageFormat.GIF: _gif_size,
    ImageFormat.JPEG: _jpeg_size,
    ImageFormat.WEBP: _webp_size,
}
