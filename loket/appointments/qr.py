"""QR codes as PNG (the booking code at the door, the WhatsApp link for walk-ins)."""

import io

from django.http import HttpResponse


def png(data: str, box_size: int = 8) -> bytes:
    import qrcode  # with Pillow: imported on the first QR, not at startup

    image = qrcode.make(data, box_size=box_size, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def png_response(data: str) -> HttpResponse:
    response = HttpResponse(png(data), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response
