"""Time the image stage and measure what a reader downloads for a phone photo.

    python benchmarks/images.py [--jobs N]

1. Builds the fixture site (tests/fixtures/sites/full, one chart) cold, then cold again but
   with the image store kept, and reports the time of the image stage and of the whole build.
2. Makes a 12-megapixel, about 4 MB phone-like photo (4032 × 3024, JPEG quality 92, with a GPS
   location in its EXIF; synthetic: gradients, shapes and texture at several scales, since no real
   photo ships with the project), puts it on a page, and reports the bytes of each published
   size against the original, and the times of the rebuild that makes its sizes and of a
   build that finds them in the store.
Everything happens in a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from builder import build as build_module  # noqa: E402
from builder.content import image_store  # noqa: E402


def phone_photo(target_bytes: int = 4_000_000) -> bytes:
    random.seed(7)
    size = (4032, 3024)
    sky = Image.linear_gradient("L").resize(size)
    im = Image.merge("RGB", (sky.point(lambda v: 90 + v // 3), sky.point(lambda v: 120 + v // 4),
                             Image.radial_gradient("L").resize(size).point(lambda v: 255 - v // 2)))
    draw = ImageDraw.Draw(im)
    for _ in range(400):
        x, y = random.randrange(size[0]), random.randrange(size[1])
        w, h = random.randrange(40, 600), random.randrange(40, 400)
        draw.rectangle((x, y, x + w, y + h), fill=tuple(random.randrange(40, 230) for _ in range(3)))
    im = im.filter(ImageFilter.GaussianBlur(2))
    # Detail at every scale, as in a real scene (fine grain alone would vanish when resized).
    noise = Image.effect_noise(size, 64)
    for scale in (3, 9, 27):
        coarse = Image.effect_noise((size[0] // scale, size[1] // scale), 40).resize(size, Image.Resampling.BICUBIC)
        noise = Image.blend(noise, coarse, 0.5)
    noise = Image.merge("RGB", (noise, noise.rotate(180), noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    exif = Image.Exif()
    exif[0x0112] = 1
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 40.0), 3: "W", 4: (3.0, 10.0, 0.0)}
    # More or less grain until the JPEG is about the size a phone writes.
    low, high = 0.0, 1.0
    for _ in range(8):
        mix = (low + high) / 2
        out = io.BytesIO()
        Image.blend(im, noise, mix).save(out, "JPEG", quality=92, exif=exif)
        if out.tell() < target_bytes:
            low = mix
        else:
            high = mix
    return out.getvalue()


def timed_build(site: Path, jobs: int) -> tuple[float, float]:
    """(whole build, image stage) in seconds."""
    spent = []
    real = image_store.publish_images

    def measured(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    image_store.publish_images = measured
    try:
        started = time.perf_counter()
        build_module.build(site, jobs=jobs)
        return time.perf_counter() - started, sum(spent)
    finally:
        image_store.publish_images = real


def forget_all_but_images(site: Path) -> None:
    """A cold build in every way except that the image store is kept."""
    shutil.rmtree(site / "output", ignore_errors=True)
    for item in (site / ".cache/localoffer").iterdir():
        if item.name != "images":
            shutil.rmtree(item) if item.is_dir() else item.unlink()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    jobs = parser.parse_args().jobs
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "full"
        shutil.copytree(REPO / "tests/fixtures/sites/full", site, ignore=shutil.ignore_patterns(".cache", "output"))
        cold = timed_build(site, jobs)
        forget_all_but_images(site)
        warm = timed_build(site, jobs)
        print(f"fixture site: cold build {cold[0]:.2f} s (image stage {cold[1]:.3f} s); "
              f"cold but for the image store {warm[0]:.2f} s (image stage {warm[1]:.3f} s)")

        photo = phone_photo()
        (site / "content/updates/files/phone.jpg").write_bytes(photo)
        page = site / "content/updates/2019-06-01-june-update.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n![A photo of the family centre](files/phone.jpg)\n",
                        encoding="utf-8")
        cold = timed_build(site, jobs)
        forget_all_but_images(site)
        warm = timed_build(site, jobs)
        print(f"4 MB photo added: rebuild {cold[0]:.2f} s (image stage {cold[1]:.2f} s); "
              f"cold but for the image store {warm[0]:.2f} s (image stage {warm[1]:.3f} s)")
        print(f"original phone.jpg: {len(photo):,} bytes")
        published = sorted((site / "output/updates/files").glob("phone*"), key=lambda p: p.stat().st_size)
        for path in published:
            size = path.stat().st_size
            print(f"  {path.name:32} {size:>10,} bytes  {100 * (1 - size / len(photo)):5.1f}% smaller")


if __name__ == "__main__":
    main()
