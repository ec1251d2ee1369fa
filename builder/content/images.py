"""Images in the Markdown: what sizes to publish, what they are called, and the <picture> HTML.

A photo from a phone is 4 MB and 4000 pixels wide; a phone on mobile data needs a tenth of
that. Every Markdown image stored in content/ is therefore published in a few widths, as
WebP with a JPEG (photos) or PNG (graphics) fallback, and the browser picks the one that
fits the screen. This module only decides (pure functions, reading at most the image's
header); builder.content.image_store makes and caches the files.

Decisions, also explained to writers in docs/comms-officers.md ("Images"):
- Widths 480, 960 and 1600 pixels, none wider than the original; an original narrower than
  1600 is also published at its own width, so nothing is ever enlarged.
- The fallback keeps the author's kind of file: JPEG for JPEG photos (and opaque WebP), PNG
  for PNG, GIF and transparent WebP, which are usually charts, diagrams and screenshots.
- An animated GIF or WebP is not resized (resizing every frame is slow and often spoils
  it): it is published as it is, with its metadata removed and its width and height set.
- An SVG is a drawing that scales itself: it is not resized, only sanitised (builder.content.svg_clean).
- Pictures are known by their content, not their name (builder.content.sniff).
- Loading: the first image loads at once when it is among the first three blocks of the
  text (headings, paragraphs, lists), because it is then likely to be on the first screen;
  every other image has loading="lazy", so a phone downloads it only when it is scrolled to.
- Published names carry a digest of the image's bytes (chart-480.1a2b3c4d5e.webp), so a
  browser or server may cache them for ever and a changed image always gets a new address.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import quote, unquote

from builder.content import sniff
from builder.content.model import PageImage

WIDTHS = (480, 960, 1600)
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50-megapixel photo: far more than any page needs, and it fits in memory
# The text column is at most 42rem wide (style.css .prose) inside 1rem of padding each side.
SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
EAGER_BLOCKS = 3  # the first image loads at once when it is in the first three blocks
# Formats Pillow may open: only these, so an odd file never reaches a rarely used decoder.
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
# Everything that changes the bytes of a published image: part of its digest, so a change
# here makes every image again instead of reusing the cached ones.
SETTINGS = "images-1 widths=480,960,1600 webp-photo=q80 webp-graphic=lossless jpeg=q82 original=keep"

EMPTY = "is empty (0 bytes): it was probably not copied or saved completely"
EMPTY_HINT = "copy the file again from where it came from (or save it again), then check it opens on your computer"
_HOW_TO_FIX = "open it in an image or photo program and save it again as JPEG (photos) or PNG (charts), under 20 MB"


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    format: str  # "webp", "jpeg" or "png"
    path: str  # published path, relative to the output folder: updates/files/chart-480.1a2b3c4d5e.webp

    @property
    def spec(self) -> str:
        """The variant's name in the image store: the same for every page that shows it."""
        return f"{self.width}.{self.format}"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data + SETTINGS.encode(), digest_size=16).hexdigest()


def target_of(page_source: str, src: str) -> str:
    """The site-relative file a src written in a page means (links are written from the page's folder)."""
    path = unquote(src.partition("#")[0].split("?")[0])
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_source), path))


def plan_widths(width: int) -> tuple[int, ...]:
    """480, 960, 1600, none wider than the original; the original's own width when under 1600."""
    widths = {w for w in WIDTHS if w <= width}
    if width < WIDTHS[-1]:
        widths.add(width)
    return tuple(sorted(widths))


def variants(image: PageImage) -> tuple[Variant, ...]:
    """Every file published for a resized image: each width as WebP and as the fallback format."""
    if image.kind not in ("photo", "graphic") or not image.width:
        return ()
    fallback = "jpeg" if image.kind == "photo" else "png"
    folder, name = posixpath.split(image.file.removeprefix("content/"))
    stem = posixpath.splitext(name)[0]
    found = []
    for width in plan_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        for fmt in ("webp", fallback):
            ext = "jpg" if fmt == "jpeg" else fmt
            found.append(Variant(width, height, fmt, posixpath.join(folder, f"{stem}-{width}.{image.digest[:10]}.{ext}")))
    return tuple(found)


def picture_html(image: PageImage, base_path: str) -> tuple[dict[str, str], dict[str, str]]:
    """The attributes of <source> and <img> for a resized image (the alt text is the caller's).

    The img's src, width and height are the largest fallback: a browser without srcset gets a
    sensible image, and width/height reserve the space so the text does not jump as it loads."""
    made = variants(image)
    webp = [v for v in made if v.format == "webp"]
    fallback = [v for v in made if v.format != "webp"]
    largest = fallback[-1]
    source = {"type": "image/webp", "srcset": _srcset(webp, base_path), "sizes": SIZES}
    img = {"src": url(largest.path, base_path), "srcset": _srcset(fallback, base_path), "sizes": SIZES,
           "width": str(largest.width), "height": str(largest.height)}
    return source, img


def url(path: str, base_path: str) -> str:
    return base_path + quote(path)  # quoted: a space or comma would split a srcset


def _srcset(made: list[Variant], base_path: str) -> str:
    return ", ".join(f"{url(v.path, base_path)} {v.width}w" for v in made)


def describe(site_dir: Path, page_source: str, src: str) -> PageImage | None:
    """What the image a page shows is, read from its header only (cheap).

    None when the image is not a file in content/ (a web address, a missing file, a path
    outside content/): links.resolve reports those as broken links, as before."""
    rel = target_of(page_source, src)  # src is local (no scheme, not /…): the caller checked
    if not rel.startswith("content/"):
        return None
    path = site_dir / rel
    if not path.is_file():
        return None
    if os.stat(path).st_size == 0:
        return PageImage(src, rel, problem=EMPTY, hint=EMPTY_HINT)
    suffix = path.suffix.lower()
    kind = sniff.what(sniff.read_head(path))  # by content: a JPEG may be called .jfif, or a PNG .jpg
    if kind == "svg" or suffix == ".svg":
        return PageImage(src, rel, kind="svg")  # image_store sanitises it, or says why it cannot
    if kind and kind not in sniff.CLEANED:
        return PageImage(src, rel, problem=sniff.refused(kind), hint=sniff.REFUSED_HINT)
    if kind and suffix not in sniff.PICTURE_SUFFIXES:
        return PageImage(src, rel, problem=sniff.misnamed(kind, path.name), hint=sniff.rename_hint(kind, path.name))
    if not kind and suffix not in sniff.PICTURE_SUFFIXES:
        return PageImage(src, rel, problem=f"is a {suffix.lstrip('.').upper() or 'file'} file, which many browsers cannot show",
                         hint=_HOW_TO_FIX)
    size = os.stat(path).st_size
    if size > MAX_BYTES:
        return PageImage(src, rel, problem=f"is {size / (1024 * 1024):.0f} MB; images may be at most 20 MB", hint=_HOW_TO_FIX)
    data = path.read_bytes()
    found = read_header(data)
    if isinstance(found, str):
        return PageImage(src, rel, problem=found, hint=_HOW_TO_FIX)
    width, height, kind = found
    return PageImage(src, rel, digest(data), width, height, kind)


def read_header(data: bytes) -> tuple[int, int, str] | str:
    """(upright width, upright height, kind), or why the image cannot be used."""
    from PIL import ExifTags, Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data), formats=FORMATS) as im:
            width, height = im.size
            if width * height > MAX_PIXELS:
                return f"is {width} × {height} pixels, too many to resize safely"
            orientation = im.getexif().get(ExifTags.Base.Orientation, 1)
            if orientation in (5, 6, 7, 8):  # stored on its side: shown the other way round
                width, height = height, width
            if im.format in ("GIF", "WEBP") and getattr(im, "n_frames", 1) > 1:
                return width, height, "animated"
            opaque = im.mode in ("RGB", "L", "CMYK", "YCbCr") and "transparency" not in im.info
            # MPO: a JPEG from a phone with more pictures (depth maps, previews) after it.
            photo = im.format in ("JPEG", "MPO") or (im.format == "WEBP" and opaque)
            return width, height, "photo" if photo else "graphic"
    except Image.DecompressionBombError:
        return "has too many pixels to resize safely"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return "cannot be read as an image (it may be damaged, only partly saved, or another kind of file)"


def loads_eagerly(block_index: int, image_number: int) -> bool:
    """The first image, when it is in the first few blocks of the text, is probably on the
    first screen: loading it lazily would only make it appear later."""
    return image_number == 0 and block_index < EAGER_BLOCKS


def how_to_fix() -> str:
    return _HOW_TO_FIX
