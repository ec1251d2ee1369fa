"""Make every published image: the resized sizes of Markdown images, and a copy of every image
file in content/ with its metadata removed. Cached by content digest in .cache/localoffer/images/.

Phones write the place a photo was taken (GPS), the phone's make and often the owner's name
into the photo's EXIF and XMP metadata. None of that may reach a published site, so no image
file is copied as it is: each JPEG, PNG, GIF and WebP is decoded and saved again without it
(turned upright first, since the orientation is part of what is removed). A JPEG is saved
with its own quality tables, so it looks exactly as before. Pictures are known by their
content (builder.content.sniff), so a JPEG called .jfif or a PNG called .jpg is cleaned too;
kinds that cannot be cleaned (TIFF, HEIC, ...) are refused, and every SVG is published as a
sanitised copy (builder.content.svg_clean).

The store is keyed by the digest of the image's bytes and the settings, so it can never be
out of date: builds reuse it even with --no-cache, and a rebuild decodes nothing unless an
image changed. Decoding, resizing and encoding run in threads: Pillow releases the GIL.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path

from builder.content import images, sniff, svg_clean
from builder.content.model import Page, PageImage
from builder.errors import ContentError

_SETTINGS_KEY = " settings"  # never a file's path, which starts with content/
_UNREADABLE = "cannot be read as an image (it may be damaged, only partly saved, or another kind of file)"


def publish_images(store: Path, site_dir: Path, static_files, pages: list[Page], jobs: int,
                   prune: bool = True) -> tuple[dict[str, Path], list[ContentError]]:
    """Published path -> file in the store, for every image the site publishes; and problems.

    static_files: site-relative paths of content/ files published as they are (images among
    them are replaced by clean copies). pages: the published pages, whose images get sizes."""
    errors: list[ContentError] = []
    uses: dict[str, list[tuple[Page, PageImage]]] = {}
    for page in pages:
        for image in page.images:
            uses.setdefault(image.file, []).append((page, image))
            if image.problem:
                errors.append(_error(site_dir, page, image, image.problem, image.hint))
    reported = {image.file for page in pages for image in page.images if image.problem}

    saved = _load_index(store)
    index = dict(saved)  # entries are replaced, never changed in place: `saved` stays as on disk
    root = os.fspath(site_dir)
    work: dict[str, tuple[str, dict[str, Path]]] = {}  # source -> (digest, spec -> store file)
    published: dict[str, Path] = {}
    for rel in sorted(static_files):
        if rel in reported:
            continue
        kind, digest, problem, hint = _source(root, rel, index, uses)
        if problem:
            located = [_error(site_dir, page, image, problem, hint) for page, image in uses.get(rel, ())]
            errors.extend(located or [ContentError(rel, problem, None, hint)])
            continue
        if not kind:
            continue  # not a picture: published as it is
        original = store / digest / ("original" + (".svg" if kind == "svg" else Path(rel).suffix.lower()))
        work[rel] = (digest, {"original": original})
        published[rel.removeprefix("content/")] = original
        for page, image in uses.get(rel, ()):
            for variant in images.variants(image):
                made = store / digest / variant.spec
                work[rel][1][variant.spec] = made
                published[variant.path] = made

    todo = [(rel, digest, {spec: path for spec, path in specs.items() if not path.is_file()})
            for rel, (digest, specs) in work.items()]
    todo = [item for item in todo if item[2]]
    if todo:
        with ThreadPoolExecutor(max(1, min(jobs, len(todo)))) as pool:
            results = list(pool.map(lambda item: _make(site_dir / item[0], item[2]), todo))
        for (rel, _, _), problem in zip(todo, results):
            if problem:
                hint = svg_clean.HOW_TO_FIX if index[rel][2] == "svg" else images.how_to_fix()
                located = [_error(site_dir, page, image, problem, hint) for page, image in uses.get(rel, ())]
                errors.extend(located or [ContentError(rel, problem, None, hint)])
    _save_index(store, saved, index, set(index) & set(static_files))
    if prune and not errors:
        _prune(store, {digest for digest, _ in work.values()})
    return published, errors


def _source(root: str, rel: str, index: dict, uses: dict) -> tuple[str, str, str, str]:
    """(kind, digest, problem, hint) of a file in content/, told by its content (builder.content.sniff):
    kind is "" for a file that is not a picture, which is published as it is. The index remembers
    each file's kind and digest by its modification time and size, so unchanged files are not read again."""
    path = os.path.join(root, rel)  # strings, not pathlib: this runs for every file in content/
    try:
        info = os.stat(path)
        known = index.get(rel)
        if known and len(known) == 4 and known[:2] == [info.st_mtime_ns, info.st_size]:
            kind, digest = known[2:]
        else:
            kind = sniff.what(sniff.read_head(path)) if info.st_size else ""
            digest = ""
    except OSError as problem:
        return "", "", f"cannot be read ({problem.strerror})", "check the file can be opened, or copy it again"
    suffix = os.path.splitext(rel)[1].lower()
    if suffix == ".svg" and kind in sniff.CLEANED:
        name = os.path.basename(rel)
        return "", "", sniff.misnamed(kind, name), sniff.rename_hint(kind, name)
    if suffix == ".svg" and kind != "svg" and info.st_size:
        return "", "", "cannot be read as an SVG drawing (it may be damaged, or another kind of file)", svg_clean.HOW_TO_FIX
    if kind not in sniff.CLEANED and kind != "svg":
        if kind:
            return "", "", sniff.refused(kind), sniff.REFUSED_HINT
        if suffix in sniff.PICTURE_SUFFIXES and info.st_size:
            return "", "", _UNREADABLE, images.how_to_fix()
        index[rel] = [info.st_mtime_ns, info.st_size, "", ""]
        return "", "", "", ""
    if kind != "svg" and suffix not in sniff.PICTURE_SUFFIXES:
        name = os.path.basename(rel)
        return "", "", sniff.misnamed(kind, name), sniff.rename_hint(kind, name)
    if info.st_size > images.MAX_BYTES:
        return "", "", f"is {info.st_size / (1024 * 1024):.0f} MB; images may be at most 20 MB", images.how_to_fix()
    if not digest:
        digest = next((image.digest for _, image in uses.get(rel, ()) if image.digest), None)
        if digest is None or kind == "svg":
            extra = svg_clean.settings().encode() if kind == "svg" else b""
            digest = images.digest(Path(path).read_bytes() + extra)
        index[rel] = [info.st_mtime_ns, info.st_size, kind, digest]
    return kind, digest, "", ""


def _make(source: Path, wanted: dict[str, Path]) -> str:
    """Write the wanted files; "" when done, or why the image cannot be read."""
    from PIL import Image

    try:
        data = source.read_bytes()
        if sniff.what(data[:sniff.HEAD]) == "svg":
            cleaned = svg_clean.clean_svg(data)
            if isinstance(cleaned, str):
                return cleaned
            _write(wanted["original"], cleaned)
            return ""
        with Image.open(BytesIO(data), formats=images.FORMATS) as im:
            if "original" in wanted:
                _write(wanted["original"], _clean_copy(im, data))
            sizes = {spec: path for spec, path in wanted.items() if spec != "original"}
            if sizes:
                for spec, encoded in _sizes(im, sizes).items():
                    _write(sizes[spec], encoded)
    except Image.DecompressionBombError:
        return "has too many pixels to resize safely"
    except (OSError, SyntaxError, ValueError, EOFError):
        return _UNREADABLE
    return ""


def _orientation(im) -> int:
    return im.getexif().get(0x0112, 1) or 1  # the EXIF Orientation tag


def _clean_copy(im, data: bytes) -> bytes:
    """The image in its own format and size, upright, without EXIF, XMP or comments."""
    from PIL import ImageOps, JpegImagePlugin

    out = BytesIO()
    icc = im.info.get("icc_profile")  # colour, not personal: keeping it keeps the colours right
    keep = {"icc_profile": icc} if icc else {}
    turned = _orientation(im) != 1
    if im.format == "JPEG" and not turned:
        # Saved with the photo's own quality tables and sampling, so it looks the same.
        im.save(out, "JPEG", quality="keep", optimize=True, comment=b"", **keep)
    elif im.format in ("JPEG", "MPO"):  # MPO: a phone's JPEG with more pictures (depth maps) after it: dropped
        sampling = JpegImagePlugin.get_sampling(im)
        upright = ImageOps.exif_transpose(im) if turned else im
        upright.save(out, "JPEG", quality=92, optimize=True, comment=b"",
                     **({"subsampling": sampling} if sampling >= 0 else {}), **keep)
    elif im.format == "PNG":
        upright = ImageOps.exif_transpose(im) if turned else im.copy()
        upright.info = {key: im.info[key] for key in ("transparency", "icc_profile") if key in im.info}
        upright.save(out, "PNG")
    elif im.format == "GIF":
        # Comments are the only metadata the GIF writer copies, and an empty one is not written;
        # it keeps each frame's duration, the loop count and transparency.
        im.save(out, "GIF", save_all=getattr(im, "n_frames", 1) > 1, comment=b"")
    else:  # WebP: lossless stays lossless
        lossless = data[12:16] == b"VP8L"
        animated = getattr(im, "n_frames", 1) > 1
        upright = ImageOps.exif_transpose(im) if turned and not animated else im
        options = {"save_all": True, "loop": im.info.get("loop", 0)} if animated else {}
        upright.save(out, "WEBP", lossless=lossless, quality=80 if lossless else 90, exif=b"", xmp=b"", **options, **keep)
    return out.getvalue()


def _sizes(im, wanted: dict[str, Path]) -> dict[str, bytes]:
    """Each wanted "<width>.<format>": the upright image in sRGB, resized and encoded."""
    from PIL import Image, ImageOps

    widths = sorted({int(spec.split(".")[0]) for spec in wanted})
    if im.format in ("JPEG", "MPO"):
        # Decode at a half, quarter or eighth of the size when that is still large enough: a
        # 4000-pixel photo needed at 1600 decodes about four times faster, in a quarter of the memory.
        ratio = widths[-1] / (im.height if _orientation(im) in (5, 6, 7, 8) else im.width)
        im.draft("RGB", (int(im.width * ratio) + 1, int(im.height * ratio) + 1))
    picture = _to_srgb(ImageOps.exif_transpose(im))
    graphic = picture.getcolors(256) is not None  # charts and diagrams: few colours, sharp edges
    made: dict[str, bytes] = {}
    for width in widths:
        height = max(1, round(picture.height * width / picture.width))
        resized = picture if width == picture.width else picture.resize((width, height), Image.Resampling.LANCZOS,
                                                                          reducing_gap=3.0)
        for spec in (s for s in wanted if s.startswith(f"{width}.")):
            out = BytesIO()
            fmt = spec.split(".")[1]
            if fmt == "webp":
                options = {"lossless": True, "quality": 80} if graphic else {"quality": 80, "alpha_quality": 100}
                resized.save(out, "WEBP", method=4, **options)
            elif fmt == "jpeg":
                resized.convert("RGB").save(out, "JPEG", quality=82, optimize=True, progressive=True)
            else:
                resized.save(out, "PNG", compress_level=9)
            made[spec] = out.getvalue()
    return made


def _to_srgb(im):
    """RGB or RGBA in sRGB, with no metadata: browsers assume sRGB for an image with no profile."""
    from PIL import ImageCms

    alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
    mode = "RGBA" if alpha else "RGB"
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            im = ImageCms.profileToProfile(im, ImageCms.ImageCmsProfile(BytesIO(icc)), ImageCms.createProfile("sRGB"),
                                           outputMode=mode if im.mode != "L" else "L")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a damaged or unusual profile: the colours are nearly right without it
    if im.mode != mode:
        im = im.convert(mode)
    im.info = {}
    return im


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a build stopped half way never leaves half an image in the store."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of this thread's own: byte-identical pictures under two names share a digest, so
    # two of the store's threads may write the same file at once, and a name made from the
    # process id alone was shared (one's os.replace then found its temporary file gone).
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _error(site_dir: Path, page: Page, image: PageImage, problem: str, hint: str) -> ContentError:
    return ContentError(page.source, f'the image "{image.src}" ({image.file}) {problem}',
                        _line_of(site_dir / page.source, image.src), hint)


def _line_of(path: Path, needle: str) -> int | None:
    """Images lose their line in Markdown; find where the file was written in the source."""
    try:
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return None
    return next((number for number, line in enumerate(lines, 1) if f"]({needle}" in line), None) or \
        next((number for number, line in enumerate(lines, 1) if needle in line), None)


def _settings() -> str:
    """What the digests in the index were made with: a new sanitiser or new settings start it afresh."""
    return f"{images.SETTINGS} | {svg_clean.settings()}"


def _load_index(store: Path) -> dict:
    try:
        index = json.loads((store / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(index, dict) or index.pop(_SETTINGS_KEY, None) != _settings():
        return {}
    return index


def _save_index(store: Path, saved: dict, index: dict, keep: set[str]) -> None:
    trimmed = {rel: value for rel, value in index.items() if rel in keep}
    if trimmed != saved:
        _write(store / "index.json", json.dumps({**trimmed, _SETTINGS_KEY: _settings()}, sort_keys=True).encode())


def _prune(store: Path, keep: set[str]) -> None:
    """Remove images no page or file uses any more, so the store does not grow for ever."""
    if not store.is_dir():
        return
    for folder in store.iterdir():
        if folder.is_dir() and folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)
