"""Hidden details in published videos and PDFs (builder/content/file_metadata.py): a video that
holds where it was recorded stops the build, whatever it is called; a PDF naming its author
is a warning from `localoffer check`."""

from __future__ import annotations

import io
import struct

import pytest

from builder.build import build
from builder.content.file_metadata import located_videos, pdf_author_warnings
from builder.errors import BuildFailed
from tests.conftest import write_site

PAGE = "content/updates/2022-01-01-plans.md"
FRONT = "---\ntitle: Plans\ndate: 2022-01-01\n---\nWatch [the video](files/clip.mp4).\n"


def box(kind: bytes, *children: bytes) -> bytes:
    payload = b"".join(children)
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def video(*udta: bytes, moov_extra: bytes = b"") -> bytes:
    """A small MP4 laid out as phones write it: ftyp, moov (with its udta), then the frames."""
    return (box(b"ftyp", b"mp42\x00\x00\x00\x00mp42isom") + box(b"moov", box(b"mvhd", bytes(100)), moov_extra,
                                                               box(b"udta", *udta)) + box(b"mdat", bytes(64)))


ANDROID = box(b"\xa9xyz", b"\x00\x12\x15\xc7+51.5074-000.1278/")  # what Android and ffmpeg write
APPLE_META = box(b"meta", box(b"hdlr", bytes(8) + b"mdta" + bytes(13)),
                 box(b"keys", b"\x00\x00\x00\x00\x00\x00\x00\x01", box(b"mdta", b"com.apple.quicktime.location.ISO6709")),
                 box(b"ilst", box(b"\x00\x00\x00\x01", box(b"data", b"\x00\x00\x00\x01\x00\x00\x00\x00+51.5074-000.1278+011.000/"))))
LOCI = box(b"trak", box(b"udta", box(b"loci", bytes(20))))  # 3GPP's location box, inside a track
CLEAN = video(box(b"\xa9nam", b"\x00\x05\x15\xc7Hello"))


@pytest.mark.parametrize("data", [video(ANDROID), video(moov_extra=APPLE_META), video(moov_extra=LOCI)],
                         ids=["android", "iphone", "3gpp"])
@pytest.mark.parametrize("name", ["clip.mp4", "clip.MOV", "clip.bin"])
def test_a_video_holding_its_location_is_found_whatever_it_is_called(tmp_path, data, name):
    (tmp_path / name).write_bytes(data)
    (error,) = located_videos(tmp_path, [name])
    assert error.path == name and "GPS location" in error.message and "ffmpeg" in error.hint


def test_a_video_without_a_location_and_other_files_pass(tmp_path):
    files = {"clip.mp4": CLEAN, "cut.mp4": video(ANDROID)[:30], "notes.txt": b"\xa9xyz loci GPSLatitude",
             "photo.heic": box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic") + box(b"meta", ANDROID)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert located_videos(tmp_path, list(files)) == []


def test_the_build_stops_for_a_video_holding_its_location_and_publishes_a_clean_one(tmp_path):
    site = write_site(tmp_path / "site", {PAGE: FRONT, "content/updates/files/clip.mp4": video(ANDROID)})
    with pytest.raises(BuildFailed) as failed:
        build(site, jobs=1)
    assert [(e.path, e.line) for e in failed.value.errors] == [("content/updates/files/clip.mp4", None)]
    assert not (site / "output").exists()
    (site / "content/updates/files/clip.mp4").write_bytes(CLEAN)
    build(site, jobs=1)
    assert (site / "output/updates/files/clip.mp4").read_bytes() == CLEAN


def pdf(author: str | None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": "The plan", **({"/Author": author} if author else {})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_naming_its_author_is_a_warning(tmp_path):
    (tmp_path / "plan.pdf").write_bytes(pdf("Jane Smith"))
    (tmp_path / "report.PDF").write_bytes(pdf(None))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really")
    (warning,) = pdf_author_warnings(tmp_path, ["plan.pdf", "report.PDF", "broken.pdf"])
    assert warning.path == "plan.pdf" and '"Jane Smith"' in warning.message and "Inspect Document" in warning.hint


def test_a_pdf_whose_author_is_the_council_is_not_a_warning(tmp_path):
    (tmp_path / "plan.pdf").write_bytes(pdf("Test Council"))
    assert pdf_author_warnings(tmp_path, ["plan.pdf"], ("Test site", "test council")) == []
    assert len(pdf_author_warnings(tmp_path, ["plan.pdf"])) == 1


def test_check_warns_about_a_pdf_naming_its_author(tmp_path):
    from builder.commands.check import run_check

    site = write_site(tmp_path / "site", {PAGE: FRONT.replace("clip.mp4", "plan.pdf").replace("the video", "the plan"),
                                          "content/updates/files/plan.pdf": pdf("Jane Smith")})
    warnings, failures = run_check(site)
    assert [w.path for w in warnings if "author" in w.message] == ["content/updates/files/plan.pdf"]
