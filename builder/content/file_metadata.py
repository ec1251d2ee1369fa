"""Hidden details in the documents and videos the site publishes as they are.

Pictures are cleaned (image_store). Videos and PDFs are published byte for byte, and they can
carry details their makers never meant to publish:

- a video recorded on a phone usually holds the place where it was recorded (GPS). That
  breaks the promise that no location is published by accident, so such a video stops the
  build, as a HEIC photo does. We looked for a well-kept Python library that removes it
  without re-encoding and found none (mutagen edits only the iTunes-style tags, not the
  3GPP or Apple location); ffmpeg does it, and the message says how.
- a PDF often holds its author's name (the Author property, or the XMP dc:creator list).
  That is a name, not a location, and many councils mean to publish it, so `localoffer
  check` warns and the build goes on. pypdf could rewrite the properties, but a rewritten
  PDF is not the file the council checked (its tags for screen readers, its signature), and
  the pictures inside it would still not be cleaned; the warning sends the officer to the
  program that made it instead.

Videos are recognised by their content (an ISO/QuickTime box header), whatever they are
called; only files whose name says they are a picture or an office document are not opened.
"""

from __future__ import annotations

import logging
import os
import struct
from pathlib import Path
from typing import BinaryIO, Iterator

from builder.content.sniff import PICTURE_SUFFIXES
from builder.errors import ContentError

# Files never opened here: pictures (cleaned by image_store), SVG, PDF and text documents.
_NOT_VIDEO = PICTURE_SUFFIXES | {".svg", ".pdf", ".csv", ".txt", ".md", ".yml", ".yaml", ".json", ".doc", ".docx",
                                 ".odt", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".rtf", ".zip", ".html", ".ics",
                                 ".mp3", ".wav", ".ogg"}
# QuickTime/ISO boxes that hold other boxes, down to where a location is written.
_CONTAINERS = {b"moov", b"trak", b"udta", b"meta", b"mdia", b"minf"}
_TOP_LEVEL = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"uuid", b"meta"}
_PICTURE_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis", b"crx "}
# A location: Android's and 3GPP's ©xyz and loci boxes; Apple's key; XMP's GPS properties.
_LOCATION_BOXES = {b"\xa9xyz", b"loci"}
_LOCATION_TEXT = (b"com.apple.quicktime.location", b"GPSLatitude", b"GPSCoordinates")
_MOST = 64 * 1024 * 1024  # a moov box bigger than this is not read (no phone writes one)

VIDEO_LOCATION = "is a video that holds the place where it was recorded (its GPS location), which would be published with it"
VIDEO_HINT = ("remove the location and add the video again: on an iPhone, share it with Options > Location turned off; "
              "or, with the free program ffmpeg: ffmpeg -i VIDEO -map_metadata -1 -c copy CLEAN-VIDEO. "
              "To stop it happening, turn off location in the phone's camera settings")
PDF_AUTHOR = 'is a PDF whose properties name its author ("{names}"), which anyone who downloads it can see'
PDF_HINT = ("if that should not be published, remove it and save the PDF again: in Word, File > Info > Check for "
            "Issues > Inspect Document > Document Properties and Personal Information > Remove All, then save as PDF; "
            "in Adobe Acrobat, File > Properties > Description, clear Author")


def located_videos(site_dir: Path, static_files) -> list[ContentError]:
    """An error for each published video that holds a location (see the module's docstring)."""
    errors = []
    for rel in sorted(static_files):
        if os.path.splitext(rel)[1].lower() in _NOT_VIDEO:
            continue
        try:
            with open(os.path.join(site_dir, rel), "rb") as file:
                if _has_location(file):
                    errors.append(ContentError(rel, VIDEO_LOCATION, None, VIDEO_HINT))
        except (OSError, struct.error, ValueError):
            continue  # unreadable or cut short: not a video we can read, and the empty-file check says the rest
    return errors


def _has_location(file: BinaryIO) -> bool:
    head = file.read(12)
    if len(head) < 12 or head[4:8] not in _TOP_LEVEL:
        return False
    if head[4:8] == b"ftyp" and head[8:12] in _PICTURE_BRANDS:
        return False  # a HEIC or AVIF picture: the image stage refuses it, saying why
    size = file.seek(0, os.SEEK_END)
    for kind, start, end in _boxes(file, 0, size):
        if kind in (b"moov", b"uuid", b"meta") and end - start <= _MOST:
            file.seek(start)
            if _located(kind, file.read(end - start)):
                return True
    return False


def _boxes(file: BinaryIO, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, box end) for each top-level box, read from the file's headers only."""
    at = start
    while at + 8 <= end:
        file.seek(at)
        size, kind = struct.unpack(">I4s", file.read(8))
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", file.read(8))[0], 16
        elif size == 0:
            size = end - at
        if size < header:
            return
        yield kind, at + header, min(at + size, end)
        at += size


def _located(kind: bytes, payload: bytes, depth: int = 0) -> bool:
    """Whether a box's payload holds a location, looking into the boxes it contains."""
    if kind in _LOCATION_BOXES:
        return True
    if kind in (b"keys", b"uuid", b"XMP_"):  # text tables: Apple's metadata keys, XMP packets
        return any(text in payload for text in _LOCATION_TEXT)
    if kind not in _CONTAINERS or depth > 8:
        return False
    at = 4 if kind == b"meta" and payload[4:8] != b"hdlr" else 0  # ISO's meta has version and flags first
    while at + 8 <= len(payload):
        size, child = struct.unpack(">I4s", payload[at:at + 8])
        header = 8
        if size == 1 and at + 16 <= len(payload):
            size, header = struct.unpack(">Q", payload[at + 8:at + 16])[0], 16
        elif size == 0:
            size = len(payload) - at
        if size < header:
            return False
        if _located(child, payload[at + header:at + size], depth + 1):
            return True
        at += size
    return False


def pdf_author_warnings(site_dir: Path, static_files, ours: tuple[str, ...] = ()) -> list[ContentError]:
    """A warning for each published PDF whose properties name an author (for `localoffer check`),
    other than the site or council itself (ours: site.toml's title and organisation)."""
    ours_folded = {name.strip().casefold() for name in ours if name.strip()}
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    warnings = []
    for rel in sorted(static_files):
        path = Path(site_dir, rel)
        try:
            with open(path, "rb") as file:
                if file.read(5) != b"%PDF-":
                    continue
            names = [name for name in _pdf_authors(PdfReader(path)) if name.casefold() not in ours_folded]
        except Exception:  # a damaged PDF is still published; it just cannot be looked into
            continue
        if names:
            warnings.append(ContentError(rel, PDF_AUTHOR.format(names=", ".join(names)), None, PDF_HINT))
    return warnings


def _pdf_authors(reader) -> list[str]:
    names = []
    info = reader.metadata or {}
    if str(info.get("/Author") or "").strip():
        names.append(str(info["/Author"]).strip())
    xmp = reader.xmp_metadata
    for name in (xmp.dc_creator or []) if xmp is not None else []:
        if str(name).strip() and str(name).strip() not in names:
            names.append(str(name).strip())
    return names
