"""Pictures for the demo, drawn with Pillow in memory: no binary file in the repository."""

import functools
import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "DejaVuSans-Bold.ttf",
)
Colour = tuple[int, int, int]


def _font(size: int) -> ImageFont.ImageFont:
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    # Pillow's own font, when DejaVu is not installed (e.g. outside Debian).
    return ImageFont.load_default(size=size)


def _gradient(size: tuple[int, int], start: Colour, end: Colour) -> Image.Image:
    # A diagonal gradient: the vertical one turned by 45°, cropped to the part it fills.
    turned = Image.linear_gradient("L").rotate(45, expand=True)
    side = turned.width // 2
    mask = turned.crop((side // 2, side // 2, side + side // 2, side + side // 2)).resize(size)
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)


# Drawing is pure, so a process that seeds several databases (the tests) draws each once.
@functools.cache
def poster_jpeg(title: str, subtitle: str, start: Colour, end: Colour) -> bytes:
    """A 16:9 picture: a coloured gradient, a few soft discs and, if given, the title in white."""
    width, height = 1200, 675
    picture = _gradient((width, height), start, end)
    overlay = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for x, y, radius, alpha in ((980, 120, 260, 60), (160, 600, 200, 45), (700, 520, 120, 35)):
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, alpha))
    picture = Image.alpha_composite(picture.convert("RGBA"), overlay).convert("RGB")

    draw = ImageDraw.Draw(picture)
    title_font, subtitle_font = _font(64), _font(34)
    y = 200
    for line in textwrap.wrap(title, width=26):
        draw.text((80, y), line, font=title_font, fill="white")
        y += 80
    draw.text((80, y + 20), subtitle, font=subtitle_font, fill=(255, 255, 255))

    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


@functools.cache
def logo_png(initials: str, colour: Colour) -> bytes:
    """A round emblem with the commune's initials and a river wave under them."""
    size = 256
    picture = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((4, 4, size - 4, size - 4), fill=colour)
    draw.text((size // 2, 110), initials, font=_font(96), fill="white", anchor="mm")
    for offset in (0, 22):
        draw.arc((40, 150 + offset, 136, 200 + offset), 200, 340, fill="white", width=8)
        draw.arc((120, 150 + offset, 216, 200 + offset), 200, 340, fill="white", width=8)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()
