"""Images: sizes for Markdown images, no metadata in any published image, cached, with clear errors."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageDraw

from builder.build import build
from builder.content import image_store, images
from builder.content.markdown_render import MarkdownRenderer
from builder.errors import BuildFailed
from tests.conftest import tree_bytes, write_site

PAGE = "content/updates/2022-01-01-photos.md"
ALT_WIDE = 'The new family centre, seen from the car park & its "front" door'
BODY = f"""---
title: Photos
date: 2022-01-01
---
![{ALT_WIDE}](files/wide.jpg)

Some text.

![Line chart: waiting times fell from 30 weeks to 18](files/chart.png "Waiting times")

![Portrait photo of the sensory room](files/portrait.jpg)

![An animated welcome sign](files/wave.gif)

![Map of the area](files/map.svg)

Read [the plain photo](files/plain.jpg).
"""
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def _exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 40.0), 3: "W", 4: (3.0, 10.0, 0.0)}  # GPS IFD
    return exif


def _photo(size: tuple[int, int], orientation: int = 1) -> bytes:
    """A smooth photo-like JPEG with GPS EXIF; its stored left edge is red (to check turning)."""
    gradient = Image.linear_gradient("L").resize(size)
    im = Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                             Image.radial_gradient("L").resize(size)))
    ImageDraw.Draw(im).rectangle((0, 0, size[0] // 10, size[1]), fill=(255, 0, 0))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90, exif=_exif_with_gps(orientation), comment=b"taken at 12 Home Street")
    return out.getvalue()


def _chart() -> bytes:
    """A transparent PNG chart with few colours."""
    im = Image.new("RGBA", (800, 450), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    for number, height in enumerate((300, 220, 160)):
        draw.rectangle((100 + number * 200, 420 - height, 220 + number * 200, 420), fill=(0, 94, 165, 255))
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


def _animated_gif() -> bytes:
    frames = [Image.new("RGB", (60, 40), colour) for colour in ((200, 0, 0), (0, 200, 0), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0, comment=b"secret")
    return out.getvalue()


def _files() -> dict[str, str | bytes]:
    return {
        PAGE: BODY,
        "content/updates/files/wide.jpg": _photo((4000, 3000)),
        "content/updates/files/chart.png": _chart(),
        "content/updates/files/portrait.jpg": _photo((1200, 900), orientation=6),  # stored on its side
        "content/updates/files/wave.gif": _animated_gif(),
        "content/updates/files/map.svg": SVG,
        "content/updates/files/plain.jpg": _photo((640, 480)),
    }


def _metadata(data: bytes) -> bytes:
    """The part of an image file that can hold metadata: for a JPEG, every segment before the
    compressed picture (which, being random-looking, may contain any 3 letters by chance)."""
    if not data.startswith(b"\xff\xd8"):
        return data
    position = 2
    while position < len(data) and data[position + 1] != 0xDA:  # start of scan
        position += 2 + int.from_bytes(data[position + 2:position + 4], "big")
    return data[:position]


def _assert_clean(path: Path) -> None:
    data = path.read_bytes()
    with Image.open(path) as im:
        assert not im.getexif(), f"{path.name} has EXIF"
        assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & set(im.info), f"{path.name}: {im.info.keys()}"
    head = _metadata(data)
    for marker in (b"GPS", b"Exif", b"PhoneMaker", b"Home Street", b"secret"):
        assert marker not in head, f"{path.name} contains {marker!r}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = write_site(tmp_path_factory.mktemp("images") / "site", _files())
    build(site, jobs=2)
    page = site / "output/updates/2022-01-01-photos/index.html"
    return site, BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _published(site: Path, url: str) -> Path:
    assert url.startswith("/"), url
    return site / "output" / url.lstrip("/")


def _candidates(srcset: str) -> list[tuple[str, int]]:
    return [(url, int(width.rstrip("w"))) for url, width in (item.split() for item in srcset.split(", "))]


def test_plan_widths_never_enlarge():
    assert images.plan_widths(4000) == (480, 960, 1600)
    assert images.plan_widths(1600) == (480, 960, 1600)
    assert images.plan_widths(1000) == (480, 960, 1000)
    assert images.plan_widths(960) == (480, 960)
    assert images.plan_widths(300) == (300,)


def test_a_large_photo_becomes_a_picture_of_sizes(built):
    site, soup = built
    img = soup.find("img", alt=ALT_WIDE)  # the alt text is kept exactly
    picture = img.parent
    assert picture.name == "picture" and picture.parent.name == "p"
    source = picture.find("source")
    assert source["type"] == "image/webp" and source["sizes"] == img["sizes"] == images.SIZES
    webp, fallback = _candidates(source["srcset"]), _candidates(img["srcset"])
    assert [w for _, w in webp] == [w for _, w in fallback] == [480, 960, 1600]
    assert (img["width"], img["height"]) == ("1600", "1200")
    assert img["src"] == fallback[-1][0] and img["decoding"] == "async"
    for url, width in webp + fallback:
        assert "/updates/files/wide-" in url and url.endswith(".webp" if (url, width) in webp else ".jpg")
        with Image.open(_published(site, url)) as made:
            assert made.size == (width, round(3000 * width / 4000))
            assert made.format == ("WEBP" if url.endswith(".webp") else "JPEG")
    # 4 MB of phone photo is not what a phone on mobile data should download.
    assert _published(site, webp[0][0]).stat().st_size < (site / "content/updates/files/wide.jpg").stat().st_size / 10


def test_graphics_fall_back_to_png_and_keep_transparency(built):
    site, soup = built
    img = soup.find("img", alt="Line chart: waiting times fell from 30 weeks to 18")
    assert img["title"] == "Waiting times"
    fallback = _candidates(img["srcset"])
    assert [w for _, w in fallback] == [480, 800]  # its own width, not enlarged to 960
    for url, width in fallback + _candidates(img.parent.find("source")["srcset"]):
        with Image.open(_published(site, url)) as made:
            assert made.format in ("PNG", "WEBP") and made.mode == "RGBA" and made.width == width
            assert made.getpixel((0, 0))[3] == 0  # the transparent corner stays transparent


def test_phone_photos_are_turned_upright_before_their_metadata_goes(built):
    site, soup = built
    img = soup.find("img", alt="Portrait photo of the sensory room")
    assert (img["width"], img["height"]) == ("900", "1200")  # stored 1200 × 900 on its side
    for url, width in _candidates(img["srcset"]):
        with Image.open(_published(site, url)) as made:
            assert made.size == (width, round(1200 * width / 900))
            red, green, _ = made.convert("RGB").getpixel((made.width // 2, 2))
            assert red > 200 and green < 60, "the stored left edge must be the top once upright"
    with Image.open(site / "output/updates/files/portrait.jpg") as original:
        assert original.size == (900, 1200)


def test_only_the_first_early_image_loads_at_once(built):
    _, soup = built
    found = soup.find("main").find_all("img")
    assert [img.get("alt") for img in found][:1] == [ALT_WIDE]
    assert "loading" not in found[0].attrs
    assert all(img.get("loading") == "lazy" for img in found[1:])


def test_animated_gifs_and_svgs_are_not_resized(built):
    site, soup = built
    gif = soup.find("img", alt="An animated welcome sign")
    assert gif.parent.name == "p" and gif["src"] == "/updates/files/wave.gif"
    assert (gif["width"], gif["height"]) == ("60", "40") and "srcset" not in gif.attrs
    with Image.open(site / "output/updates/files/wave.gif") as made:
        assert made.n_frames == 3 and made.info.get("duration") == 200
        assert "comment" not in made.info
    svg = soup.find("img", alt="Map of the area")
    assert svg["src"] == "/updates/files/map.svg" and "srcset" not in svg.attrs
    # Published as svg-hush's clean copy (tests/test_svg.py): the same drawing, re-serialised.
    drawing = BeautifulSoup((site / "output/updates/files/map.svg").read_bytes(), "xml")
    assert drawing.svg["width"] == "10" and drawing.svg.rect["height"] == "10"


def test_no_published_image_keeps_exif_gps_xmp_or_comments(built):
    site, soup = built
    published = [p for p in (site / "output/updates/files").iterdir() if p.suffix != ".svg"]
    assert len(published) > 15
    for path in published:
        _assert_clean(path)
    # A photo that is only linked to, not shown, is published at its own address, cleaned.
    plain = site / "output/updates/files/plain.jpg"
    assert soup.find("a", string="the plain photo")["href"] == "/updates/files/plain.jpg"
    with Image.open(site / "content/updates/files/plain.jpg") as before:
        assert before.getexif().get_ifd(0x8825), "the test photo must start with a GPS location"
    with Image.open(plain) as after:
        assert after.format == "JPEG" and after.size == (640, 480) and not after.getexif()


def test_a_phone_photo_with_extra_pictures_is_a_photo_and_loses_them(tmp_path):
    """Phones save portrait-mode photos as MPO: a JPEG followed by more pictures (depth maps)."""
    out = io.BytesIO()
    first, depth = Image.new("RGB", (1200, 800), (200, 10, 10)), Image.new("RGB", (1200, 800), (10, 200, 10))
    first.save(out, "MPO", save_all=True, append_images=[depth], exif=_exif_with_gps())
    assert images.read_header(out.getvalue()) == (1200, 800, "photo")
    body = "---\ntitle: Photos\ndate: 2022-01-01\n---\n![A red wall](files/mpo.jpg)\n"
    site = write_site(tmp_path / "site", {PAGE: body, "content/updates/files/mpo.jpg": out.getvalue()})
    build(site, jobs=1)
    with Image.open(site / "output/updates/files/mpo.jpg") as clean:
        assert clean.format == "JPEG" and getattr(clean, "n_frames", 1) == 1
    _assert_clean(site / "output/updates/files/mpo.jpg")
    picture = BeautifulSoup((site / "output/updates/2022-01-01-photos/index.html").read_text(), "html.parser")
    assert [w for _, w in _candidates(picture.find("img", alt="A red wall")["srcset"])] == [480, 960, 1200]


def test_a_rebuild_makes_no_image_again(tmp_path, monkeypatch):
    site = write_site(tmp_path / "site", _files())
    build(site, jobs=1)
    calls = []
    real = image_store._make
    monkeypatch.setattr(image_store, "_make", lambda *args: calls.append(args) or real(*args))
    build(site, jobs=1)
    build(site, jobs=1, use_cache=False)  # the image store is keyed by content, so it is used even then
    assert calls == []


def test_replacing_an_image_updates_the_page_as_a_clean_build_would(tmp_path):
    site = write_site(tmp_path / "site", _files())
    build(site, jobs=1)
    before = (site / "output/updates/2022-01-01-photos/index.html").read_text(encoding="utf-8")
    chart = site / "content/updates/files/chart.png"
    stat = chart.stat()
    wider = Image.new("RGBA", (1200, 500), (200, 40, 40, 255))
    out = io.BytesIO()
    wider.save(out, "PNG")
    chart.write_bytes(out.getvalue())
    os.utime(chart, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same time: only the size tells
    build(site, jobs=1)
    after = (site / "output/updates/2022-01-01-photos/index.html").read_text(encoding="utf-8")
    assert after != before
    img = BeautifulSoup(after, "html.parser").find("img", alt="Line chart: waiting times fell from 30 weeks to 18")
    assert [w for _, w in _candidates(img["srcset"])] == [480, 960, 1200]
    for url, width in _candidates(img["srcset"]):
        with Image.open(_published(site, url)) as made:
            assert made.getpixel((1, 1))[:3] == (200, 40, 40)
    clean = tmp_path / "clean"
    shutil.copytree(site / "content", clean / "content")
    shutil.copy(site / "site.toml", clean / "site.toml")
    build(clean, jobs=1, use_cache=False)
    assert tree_bytes(site / "output") == tree_bytes(clean / "output")


def _errors(site: Path) -> list:
    with pytest.raises(BuildFailed) as failed:
        build(site, jobs=1)
    return list(failed.value.errors)


@pytest.mark.parametrize("name, data, says", [
    ("cut.jpg", _photo((300, 200))[:2000], "cannot be read as an image"),
    ("notes.png", b"These are my notes, not a picture.\n", "cannot be read as an image"),
    ("huge.png", None, "too many to resize safely"),
])
def test_an_image_that_cannot_be_read_is_a_located_error(tmp_path, name, data, says):
    if data is None:  # a decompression bomb: small file, enormous picture
        out = io.BytesIO()
        Image.new("1", (10000, 6000)).save(out, "PNG")
        data = out.getvalue()
    body = f"---\ntitle: Photos\ndate: 2022-01-01\n---\nIntro.\n\n![A picture of the hall](files/{name})\n"
    site = write_site(tmp_path / "site", {PAGE: body, f"content/updates/files/{name}": data})
    (error,) = _errors(site)
    assert (error.path, error.line) == (PAGE, 7)
    assert f"files/{name}" in error.message and says in error.message
    assert "save it again as JPEG" in error.hint and "20 MB" in error.hint
    assert not (site / "output").exists()


def test_an_image_over_20_mb_is_a_located_error(tmp_path):
    body = "---\ntitle: Photos\ndate: 2022-01-01\n---\n![A very large photo](files/big.jpg)\n"
    site = write_site(tmp_path / "site", {PAGE: body, "content/updates/files/big.jpg": _photo((64, 48))})
    with open(site / "content/updates/files/big.jpg", "ab") as handle:
        handle.truncate(21 * 1024 * 1024)
    (error,) = _errors(site)
    assert (error.path, error.line) == (PAGE, 5) and "21 MB" in error.message and "at most 20 MB" in error.message


def test_a_broken_image_that_no_page_shows_names_the_file(tmp_path):
    body = "---\ntitle: Photos\ndate: 2022-01-01\n---\nSee [the photo](files/cut.jpg).\n"
    site = write_site(tmp_path / "site", {PAGE: body, "content/updates/files/cut.jpg": _photo((300, 200))[:1500]})
    (error,) = _errors(site)
    assert error.path == "content/updates/files/cut.jpg" and "cannot be read" in error.message


def test_a_missing_image_is_still_a_broken_link(tmp_path):
    body = "---\ntitle: Photos\ndate: 2022-01-01\n---\n![A photo](files/gone.jpg)\n"
    (error,) = _errors(write_site(tmp_path / "site", {PAGE: body}))
    assert error.path == PAGE and "does not exist" in error.message and error.line == 5


def test_the_sanitiser_allows_only_what_the_image_stage_writes():
    raw = ('<picture><source type="text/html" srcset="javascript:alert(1) 1w" sizes="100vw" media="print">'
           '<img src="a.png" alt="A" srcset="https://elsewhere.example/x.png 1w" sizes="100vw" loading="eager" '
           'decoding="sync" fetchpriority="high"></picture>')
    html = MarkdownRenderer({}).render(raw).html
    tag = BeautifulSoup(html, "html.parser")
    source, img = tag.find("source"), tag.find("img")
    assert source.attrs == {} and img.attrs == {"src": "a.png", "alt": "A"}
    ours = ('<picture><source type="image/webp" srcset="/a-480.0123456789.webp 480w, /a-960.0123456789.webp 960w" '
            f'sizes="{images.SIZES}"><img src="/a.png" alt="A" loading="lazy" decoding="async"></picture>')
    kept = BeautifulSoup(MarkdownRenderer({}).render(ours).html, "html.parser")
    assert kept.find("source")["srcset"].startswith("/a-480") and kept.find("img")["loading"] == "lazy"


def test_without_a_site_the_renderer_leaves_images_as_written():
    html = MarkdownRenderer({}).render("![A chart](files/chart.png)").html
    assert html == '<p><img alt="A chart" src="files/chart.png"></p>'
