"""What a file in content/ really is, told by its first bytes rather than by its name.

A phone or a browser names files as it likes: Chrome on Windows saves JPEG photos as .jfif,
some programs write .jpe or .JPG, and a screenshot tool may save a PNG as .jpg. A file named
by its extension alone could therefore reach the site with the place it was taken (GPS) in
it. Every file is looked at, so every picture is cleaned whatever it is called.

Pillow decides in the end whether a JPEG, PNG, GIF or WebP can be read (image_store cleans
those); this module only sorts files by fixed signatures. The formats that can carry a
location but that the builder cannot clean (TIFF and camera raw files, HEIC and AVIF, JPEG
2000, JPEG XL, Photoshop) are refused with a message saying what to do. We measured a
sniffing library (puremagic 1.30): 1.3 to 2.7 ms a file, AVIF reported first as an MP4
video and a text file starting "BM" as a bitmap; these signatures take microseconds and
are all strong (4 bytes or more, or a whole box header).
"""

from __future__ import annotations

import re

HEAD = 4096  # enough for every signature below, and for an SVG's prolog and root tag

# The kinds of picture the builder cleans, and the endings that may name them. A picture
# whose content and ending disagree (a PNG named .jpg) is cleaned and keeps its name:
# browsers show pictures by their content, and links written to the name keep working.
CLEANED = ("jpeg", "png", "gif", "webp")
PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".jfif", ".jfi", ".jif", ".pjpeg", ".pjp",
                              ".png", ".apng", ".gif", ".webp"})
SUFFIX_FOR = {"jpeg": ".jpg", "png": ".png", "gif": ".gif", "webp": ".webp", "svg": ".svg"}
NAMES = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WebP", "svg": "SVG", "tiff": "TIFF",
         "heif": "HEIC", "avif": "AVIF", "jpeg2000": "JPEG 2000", "jpegxl": "JPEG XL", "photoshop": "Photoshop"}

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"crx "}
_AVIF_BRANDS = {b"avif", b"avis"}
_SVG_TAG = re.compile(rb"<(?:[\w.-]+:)?svg[\s>/]", re.IGNORECASE)


def what(head: bytes) -> str:
    """The kind of picture the bytes start, from NAMES; "" when they are not a picture we know."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):  # also DNG, NEF, CR2, ARW
        return "tiff"
    if head[4:8] == b"ftyp":
        size = int.from_bytes(head[:4], "big")
        box = head[8:max(16, min(size, len(head)))]
        brands = {box[i:i + 4] for i in range(0, len(box), 4)}  # the major brand, its version, the rest
        if brands & _AVIF_BRANDS:
            return "avif"
        if brands & _HEIF_BRANDS:
            return "heif"
    if head.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n") or head.startswith(b"\xff\x4f\xff\x51"):
        return "jpeg2000"
    if head.startswith(b"\x00\x00\x00\x0cJXL \r\n\x87\n") or head.startswith(b"\xff\x0a"):
        return "jpegxl"
    if head.startswith(b"8BPS"):
        return "photoshop"
    if _starts_with_svg(_as_utf8(head)):
        return "svg"
    return ""


def _starts_with_svg(text: bytes) -> bool:
    """Whether the first element, after the XML declaration, comments and DOCTYPE, is <svg>.
    A loop, not one regular expression: that took seconds on a text file of blank lines."""
    text = text.lstrip()
    while text.startswith(b"<?") or text.startswith(b"<!"):
        if text.startswith(b"<!--"):
            end, close = text.find(b"-->"), b"-->"
        elif text.startswith(b"<?"):
            end, close = text.find(b"?>"), b"?>"
        else:  # <!DOCTYPE svg …>, perhaps with an internal subset in [ ]
            bracket, end = text.find(b"["), text.find(b">")
            if 0 <= bracket < end:
                end = text.find(b"]", bracket)
                end = text.find(b">", end) if end >= 0 else -1
            close = b">"
        if end < 0:
            return False
        text = text[end + len(close):].lstrip()
    return _SVG_TAG.match(text) is not None


def _as_utf8(head: bytes) -> bytes:
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16, as some drawing programs save
        return head[2:].decode("utf-16-be" if head[:2] == b"\xfe\xff" else "utf-16-le", errors="ignore").encode()
    return head


def read_head(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(HEAD)


def refused(kind: str) -> str:
    """Why a picture of a kind the builder cannot clean is not published."""
    return (f"is {_a(kind)} {NAMES[kind]} picture: most browsers cannot show it, and it can hold where "
            "and when it was taken, which the builder can only remove from JPEG, PNG, GIF and WebP")


def misnamed(kind: str, name: str) -> str:
    """Why a picture whose name says it is another kind of file (a JPEG called plan.pdf) is not published."""
    suffix = name.rpartition(".")[2] if "." in name else ""
    said = f'its name ends ".{suffix}"' if suffix else "its name has no ending such as .jpg"
    return f"is {_a(kind)} {NAMES[kind]} picture, but {said}, so browsers would not show it as a picture"


def _a(kind: str) -> str:
    return "an" if NAMES[kind][0] in "AEIOU" else "a"


def rename_hint(kind: str, name: str) -> str:
    stem = name.rpartition(".")[0] if "." in name else name
    return f"rename it to {stem}{SUFFIX_FOR[kind]} (and change the links to it)"


REFUSED_HINT = "open it in an image or photo program and save it again as JPEG (photos) or PNG (charts), under 20 MB"
