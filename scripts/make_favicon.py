"""Draw builder/theme/static/favicon.ico: the same picture as favicon.svg (rising bars on the
theme's header colour), for browsers and tools that ask for /favicon.ico.

Run it again after changing favicon.svg: `.venv/bin/python scripts/make_favicon.py`.
Needs Pillow.
"""

from pathlib import Path

from PIL import Image, ImageDraw

HEADER = (0x00, 0x46, 0x5B, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "builder" / "theme" / "static" / "favicon.ico"


def draw(size: int = 64) -> Image.Image:
    """favicon.svg's 32-unit picture, drawn at `size` pixels."""
    scale = size / 32
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=round(6 * scale), fill=HEADER)
    width = max(1, round(3 * scale))
    pen.line((7 * scale, 23 * scale, 25 * scale, 23 * scale), fill=WHITE, width=width)
    for x, top in ((9, 18), (14, 15), (19, 12), (24, 9)):
        pen.line((x * scale, 23 * scale, x * scale, top * scale), fill=WHITE, width=width)
    return image


if __name__ == "__main__":
    draw(64).save(OUT, format="ICO", sizes=[(16, 16), (32, 32)])
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
