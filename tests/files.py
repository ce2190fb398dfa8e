"""Small, structurally valid files for the upload tests: a one-page PDF, a PNG, a JPEG.

Uploads are parsed (a PDF must open with its pages, an image must decode), so the tests send
real files, built here in a few hundred bytes; `size=` pads one to an exact length.
"""

import io

from PIL import Image


def pdf_bytes(*, text: str = "Portail Famille", size: int | None = None) -> bytes:
    """A one-page PDF (its own cross-reference table, offsets exact), `size` bytes long if
    given: the padding is a stream object the page does not use."""

    def build(padding: int) -> bytes:
        content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (padding, b"0" * padding),
        ]
        out = bytearray(b"%PDF-1.4\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1,
            xref,
        )
        return bytes(out)

    smallest = build(0)
    if size is None:
        return smallest
    # The padding's length is written in decimal: adjust once more when its digits change.
    padding = size - len(smallest)
    data = build(padding)
    data = build(padding - (len(data) - size))
    if len(data) != size:
        raise ValueError(f"cannot build a PDF of exactly {size} bytes")
    return data


def png_bytes(*, width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(*, width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 30, 200)).save(buffer, "JPEG")
    return buffer.getvalue()
