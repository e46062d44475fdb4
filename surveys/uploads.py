"""What an interview attachment may be, decided by its content (magic bytes), never by its name.

A PDF renamed ``foto.jpg`` is a PDF and is refused as a photo only if PDFs were not allowed; an
``.exe`` renamed ``acta.pdf`` starts with ``MZ`` and is refused. The sniffed content type is what
the download view sends back, so a browser never guesses.
"""

import codecs
from dataclasses import dataclass

from surveys.models import Attachment

# Enough bytes to see every signature below (MP4's brand sits at 8..12, WebM's doctype within 64).
HEAD_BYTES = 64


@dataclass(frozen=True)
class Sniffed:
    kind: str
    content_type: str
    extension: str


def _mp3_frame(head: bytes) -> bool:
    # An MPEG audio frame header: 11 sync bits, a layer that is not "reserved", a bitrate that is not "bad".
    if len(head) < 3 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer, bitrate = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11, head[2] >> 4
    return version != 0b01 and layer != 0b00 and bitrate != 0b1111


MP4_AUDIO_BRANDS = (b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"iso2", b"dash", b"MSNV", b"3gp4", b"3gp5")


VIDEO_BRANDS = (b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"3gp4", b"3gp5", b"3g2a", b"qt  ", b"M4V ", b"dash")


def sniff(head: bytes, *, name: str = "", video: bool = False) -> Sniffed | None:
    """The kind of file these first bytes start, or None when it is none we accept.

    MP4 and WebM containers hold sound or pictures alike; with ``video`` (a video question) they are read as
    video. A CSV named ``*.csv`` whose first bytes are text is a data file (Collect's audit log)."""
    photo, audio, pdf = Attachment.Kind.PHOTO, Attachment.Kind.AUDIO, Attachment.Kind.PDF
    if video:
        if head[4:8] == b"ftyp" and head[8:12] in VIDEO_BRANDS:
            return Sniffed(Attachment.Kind.VIDEO, "video/mp4", "mp4")
        if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:HEAD_BYTES]:
            return Sniffed(Attachment.Kind.VIDEO, "video/webm", "webm")
    if name.lower().endswith(".csv") and head and b"\x00" not in head:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a character may be cut at the end
        except UnicodeDecodeError:
            return None
        return Sniffed(Attachment.Kind.DATA, "text/csv", "csv")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(photo, "image/jpeg", "jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(photo, "image/png", "png")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed(photo, "image/webp", "webp")
    if head.startswith(b"%PDF-"):
        return Sniffed(pdf, "application/pdf", "pdf")
    if head.startswith(b"ID3") or _mp3_frame(head):
        return Sniffed(audio, "audio/mpeg", "mp3")
    if head.startswith(b"OggS"):
        return Sniffed(audio, "audio/ogg", "ogg")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Sniffed(audio, "audio/wav", "wav")
    if head[4:8] == b"ftyp" and head[8:12] in MP4_AUDIO_BRANDS:
        return Sniffed(audio, "audio/mp4", "m4a")
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:HEAD_BYTES]:
        return Sniffed(audio, "audio/webm", "webm")
    return None


# Other extensions that name each stored type (a ".jpeg" photo keeps its name).
EXTENSION_ALIASES = {
    "jpg": {"jpg", "jpeg", "jpe"},
    "m4a": {"m4a", "mp4"},
    "ogg": {"ogg", "oga", "opus"},
    "mp4": {"mp4", "m4v"},
}


def named_for(name: str, sniffed: Sniffed) -> str:
    """The file name with an extension that says what the content is: a JPEG sent as ``evil.html`` is
    ``evil.jpg``. Downloads, and the file in storage, carry it, so that nothing opens it as something else."""
    stem, dot, extension = name.rpartition(".")
    if dot and stem and extension.lower() in EXTENSION_ALIASES.get(sniffed.extension, {sniffed.extension}):
        return name
    base = stem if dot and stem else name
    return f"{base[: 255 - len(sniffed.extension) - 1]}.{sniffed.extension}"


# The extension of each type sniff() finds, for files stored before names followed their content.
EXTENSION_OF_TYPE = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/wav": "wav",
    "audio/mp4": "m4a",
    "audio/webm": "webm",
    "video/mp4": "mp4",
    "video/webm": "webm",
    "text/csv": "csv",
}


def download_name(attachment) -> str:
    """The name an attachment is downloaded under: its own, with the extension of its stored type."""
    extension = EXTENSION_OF_TYPE.get(attachment.content_type)
    if extension is None:
        return attachment.original_name
    return named_for(attachment.original_name, Sniffed(attachment.kind, attachment.content_type, extension))


def megabytes(size):
    """A size in bytes as people read it in a message: 2.5, 10 (MB)."""
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")
