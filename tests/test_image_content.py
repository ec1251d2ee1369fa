"""Pictures are known by their content, not their name: every one published is free of EXIF,
GPS, XMP and text, whatever it is called; pictures the builder cannot clean are refused."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, PngImagePlugin

from builder.build import build
from builder.content import sniff
from builder.errors import BuildFailed
from tests.conftest import write_site

PAGE = "content/updates/2022-01-01-photos.md"
XMP = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,28.6N"/></rdf:RDF></x:xmpmeta>')
SECRETS = (b"PhoneMaker", b"GPSLatitude", b"51,28.6N", b"12 Home Street", b"Ros Smith")


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 40.0), 3: "W", 4: (3.0, 10.0, 0.0)}  # the GPS IFD
    return exif


def _picture(size=(640, 400)) -> Image.Image:
    gradient = Image.linear_gradient("L").resize(size)
    return Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT), gradient))


def _jpeg() -> bytes:
    """EXIF with GPS, XMP, a comment, and an IPTC block (APP13), where photo agencies put the city."""
    out = io.BytesIO()
    _picture().save(out, "JPEG", exif=_exif(), xmp=XMP.encode(), comment=b"taken at 12 Home Street")
    city = b"\x1c\x02\x5a\x00\x0e12 Home Street"  # IPTC 2:90, City
    block = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + len(city).to_bytes(4, "big") + city
    data = out.getvalue()
    return data[:2] + b"\xff\xed" + (len(block) + 2).to_bytes(2, "big") + block + data[2:]


def _png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ros Smith")  # tEXt
    info.add_text("Comment", "taken at 12 Home Street", zip=True)  # zTXt
    info.add_itxt("XML:com.adobe.xmp", XMP)  # iTXt: how XMP goes in a PNG
    out = io.BytesIO()
    _picture().convert("RGBA").save(out, "PNG", pnginfo=info, exif=_exif())  # eXIf
    return out.getvalue()


def _webp() -> bytes:
    out = io.BytesIO()
    _picture().save(out, "WEBP", exif=_exif(), xmp=XMP.encode())  # EXIF and "XMP " chunks
    return out.getvalue()


def _gif() -> bytes:
    """A GIF with a comment and an XMP application block (which Pillow reads but never writes)."""
    out = io.BytesIO()
    _picture((60, 40)).convert("P").save(out, "GIF", comment=b"Ros Smith at 12 Home Street")
    data = out.getvalue()
    table = 3 * 2 ** ((data[10] & 7) + 1) if data[10] & 0x80 else 0
    xmp = b"!\xff\x0bXMP DataXMP" + XMP.encode() + b"\x01" + bytes(range(255, -1, -1)) + b"\x00"
    return data[:13 + table] + xmp + data[13 + table:]


MADE = {"jpeg": _jpeg, "png": _png, "webp": _webp, "gif": _gif}
# Each kind of picture under the names phones, browsers and people give it.
NAMES = {
    "photo.jfif": "jpeg", "photo2.jpe": "jpeg", "PHOTO3.JPG": "jpeg", "photo4.jfi": "jpeg", "photo5.pjpeg": "jpeg",
    "chart.jpg": "png", "chart2.PNG": "png", "web.jpg": "webp", "web2.WebP": "webp", "wave.png": "gif",
}


def _chunks(data: bytes) -> list[bytes]:
    """The chunk types (PNG, WebP) or segment markers (JPEG) or extension labels (GIF) in a file."""
    if data.startswith(b"\x89PNG"):
        found, at = [], 8
        while at < len(data):
            length, kind = struct.unpack(">I4s", data[at:at + 8])
            found.append(kind)
            at += 12 + length
        return found
    if data[:4] == b"RIFF":
        found, at = [], 12
        while at < len(data):
            kind, length = data[at:at + 4], struct.unpack("<I", data[at + 4:at + 8])[0]
            found.append(kind)
            at += 8 + length + (length & 1)
        return found
    if data.startswith(b"\xff\xd8"):
        found, at = [], 2
        while data[at + 1] != 0xDA:  # up to the start of the compressed picture
            found.append(data[at:at + 2])
            at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
        return found
    if data.startswith(b"GIF"):
        return [data[at:at + 2] for at in range(len(data) - 1) if data[at] == 0x21 and data[at + 1] in (0xFE, 0xFF)]
    raise AssertionError("not a picture")


def assert_clean(path: Path) -> None:
    data = path.read_bytes()
    with Image.open(path) as im:
        assert not im.getexif(), f"{path.name} has EXIF"
        assert not im.getexif().get_ifd(0x8825), f"{path.name} has GPS"
        assert not {"exif", "xmp", "comment", "photoshop", "XML:com.adobe.xmp", "Author", "Comment"} & set(im.info), im.info.keys()
        assert not getattr(im, "text", {}), f"{path.name} has text chunks"
    chunks = _chunks(data)
    for kind in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"EXIF", b"XMP ", b"\xff\xe1", b"\xff\xed", b"\xff\xfe", b"!\xfe"):
        assert kind not in chunks, f"{path.name} has a {kind!r} block"
    if data.startswith(b"GIF"):
        assert b"XMP DataXMP" not in data
    for secret in SECRETS:
        assert secret not in (data if not data.startswith(b"\xff\xd8") else data[:data.find(b"\xff\xda")]), \
            f"{path.name} contains {secret!r}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    shown = "\n\n".join(f"![A picture called {name}](files/{name})" for name in NAMES)
    linked = "\n".join(f"- [Download {name}](files/{name})" for name in NAMES)
    body = f"---\ntitle: Photos\ndate: 2022-01-01\n---\n{shown}\n\n{linked}\n"
    files = {f"content/updates/files/{name}": MADE[kind]() for name, kind in NAMES.items()}
    files["content/updates/files/only-linked.jfif"] = _jpeg()  # no page shows it: published for a link
    site = write_site(tmp_path_factory.mktemp("content") / "site", {PAGE: body, **files})
    build(site, jobs=2)
    return site


def test_the_test_pictures_carry_every_kind_of_metadata():
    """Without this, the test below would pass on pictures that had nothing to remove."""
    for kind, make in MADE.items():
        data = make()
        with Image.open(io.BytesIO(data)) as im:
            assert im.format.lower() == kind
            assert im.getexif().get_ifd(0x8825) or "xmp" in im.info or "comment" in im.info, kind
        assert any(secret in data for secret in SECRETS), kind
        assert sniff.what(data[:sniff.HEAD]) == kind


def test_every_published_picture_is_clean_whatever_its_name(built):
    published = sorted(p for p in (built / "output/updates/files").iterdir())
    names = {p.name for p in published}
    assert set(NAMES) | {"only-linked.jfif"} <= names  # each under the name its links use
    assert len(published) > 3 * len(NAMES)  # and the sizes of each shown picture
    for path in published:
        assert_clean(path)


def test_a_picture_no_page_shows_is_cleaned_too_whatever_its_name(tmp_path):
    """Linked to, not shown: published at its own address (the case that used to go out as it was)."""
    linked = "\n".join(f"- [Download {name}](files/{name})" for name in NAMES)
    files = {f"content/updates/files/{name}": MADE[kind]() for name, kind in NAMES.items()}
    site = write_site(tmp_path / "site", {PAGE: f"---\ntitle: Photos\ndate: 2022-01-01\n---\n{linked}\n", **files})
    build(site, jobs=1)
    for name in NAMES:
        assert_clean(site / "output/updates/files" / name)


def test_a_picture_keeps_its_kind_and_its_name(built):
    for name, kind in NAMES.items():
        with Image.open(built / "output/updates/files" / name) as im:
            assert im.format.lower() == kind and im.width in (60, 640)
    page = BeautifulSoup((built / "output/updates/2022-01-01-photos/index.html").read_text(), "html.parser")
    img = page.find("img", alt="A picture called photo.jfif")
    assert img["src"].endswith(".jpg") and "/updates/files/photo-640." in img["src"]  # sizes get true names
    assert page.find("a", string="Download photo.jfif")["href"] == "/updates/files/photo.jfif"


def _errors(site: Path) -> list:
    with pytest.raises(BuildFailed) as failed:
        build(site, jobs=1)
    assert not (site / "output").exists()
    return list(failed.value.errors)


def _tiff() -> bytes:
    out = io.BytesIO()
    _picture((40, 30)).save(out, "TIFF", tiffinfo={0x010F: "PhoneMaker"})
    return out.getvalue()


HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64  # the start of an iPhone photo
AVIF = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 64


@pytest.mark.parametrize("name, data, says", [
    ("scan.tif", _tiff(), "is a TIFF picture"),
    ("scan.jpg", _tiff(), "is a TIFF picture"),  # its name does not let it through
    ("IMG_0001.HEIC", HEIC, "is a HEIC picture"),
    ("IMG_0002.jpg", HEIC, "is a HEIC picture"),
    ("photo.avif", AVIF, "is an AVIF picture"),
])
def test_a_picture_the_builder_cannot_clean_is_refused(tmp_path, name, data, says):
    body = f"---\ntitle: Photos\ndate: 2022-01-01\n---\nSee [the scan](files/{name}).\n"
    site = write_site(tmp_path / "site", {PAGE: body, f"content/updates/files/{name}": data})
    (error,) = _errors(site)
    assert error.path == f"content/updates/files/{name}" and says in error.message
    assert "where and when it was taken" in error.message and "save it again as JPEG" in error.hint


def test_a_shown_picture_the_builder_cannot_clean_names_the_page_and_line(tmp_path):
    body = "---\ntitle: Photos\ndate: 2022-01-01\n---\nIntro.\n\n![The hall](files/IMG_0001.heic)\n"
    site = write_site(tmp_path / "site", {PAGE: body, "content/updates/files/IMG_0001.heic": HEIC})
    (error,) = _errors(site)
    assert (error.path, error.line) == (PAGE, 7) and "is a HEIC picture" in error.message


@pytest.mark.parametrize("name, stem", [("report.pdf", "report"), ("photo", "photo"), ("notes.txt", "notes"),
                                        ("drawing.svg", "drawing")])
def test_a_picture_named_as_another_kind_of_file_is_an_error_saying_how_to_rename_it(tmp_path, name, stem):
    body = f"---\ntitle: Photos\ndate: 2022-01-01\n---\nSee [the file](files/{name}).\n"
    site = write_site(tmp_path / "site", {PAGE: body, f"content/updates/files/{name}": _jpeg()})
    (error,) = _errors(site)
    assert error.path == f"content/updates/files/{name}" and "is a JPEG picture, but its name" in error.message
    assert f"rename it to {stem}.jpg" in error.hint


def test_files_that_are_not_pictures_are_published_as_they_are(tmp_path):
    files = {"content/updates/files/plan.pdf": b"%PDF-1.4\n% a plan\n", "content/updates/files/list.csv": b"BM,1\n",
             "content/updates/files/clip.mp4": b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64}
    body = "---\ntitle: Photos\ndate: 2022-01-01\n---\n" + "".join(f"[{n}]({n.removeprefix('content/updates/')})\n"
                                                                   for n in files)
    site = write_site(tmp_path / "site", {PAGE: body, **files})
    build(site, jobs=1)
    for rel, data in files.items():
        assert (site / "output" / rel.removeprefix("content/")).read_bytes() == data


@pytest.mark.parametrize("head, kind", [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF89a", "gif"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"), (HEIC, "heif"), (AVIF, "avif"),
    (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", ""),  # an MP4 video: not a picture
    (b"8BPS\x00\x01", "photoshop"), (b"%PDF-1.7\n", ""), (b"BM, the first column\n", ""),
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- made by hand -->\n<!DOCTYPE svg [<!ENTITY a "b">]>\n<svg>', "svg"),
    (b"<svg:svg xmlns:svg='http://www.w3.org/2000/svg'>", "svg"), ("<svg/>".encode("utf-16"), "svg"),
    (b"<html><svg></svg></html>", ""), (b"<svgx>", ""), (b"\n" * 4096, ""), (b"<!--" * 1000, ""),
])
def test_pictures_are_told_by_their_first_bytes(head, kind):
    assert sniff.what(head) == kind
