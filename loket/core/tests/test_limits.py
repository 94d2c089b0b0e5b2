"""Limits checked before parsing: body size, image dimensions, PDFs read by a real parser."""

import io
import socket
import struct
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from loket.applications.files import UploadError, clean
from loket.core.pdfsafety import UnsafePdf, check_pdf


def huge_png(side: int = 9400) -> bytes:
    """A real RGBA PNG of side x side pixels, all transparent: a few hundred KB on disk."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (side * 4)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_from_its_header_before_decoding(monkeypatch):
    bomb = huge_png()
    assert len(bomb) < 400 * 1024  # 9,400 x 9,400 RGBA (353 MB decoded) in ~344 KB
    decoded = []
    original = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or original(self))
    from PIL import ImageFile

    monkeypatch.setattr(
        ImageFile.ImageFile, "load", lambda self: decoded.append(self) or original(self)
    )
    with pytest.raises(UploadError) as refused:
        clean(bomb)
    assert "Foto terlalu besar" in refused.value.message
    assert decoded == []  # never decoded: refused on the header's dimensions


def test_an_image_just_over_the_limit_is_refused_by_our_own_check(settings):
    settings.LOKET_MAX_IMAGE_PIXELS = 1000 * 1000
    big = io.BytesIO()
    Image.new("RGB", (1001, 1000)).save(big, "PNG")
    with pytest.raises(UploadError) as refused:
        clean(big.getvalue())
    assert "1 megapiksel" in refused.value.message


def pdf_with(extra: dict | None = None, compress_objects: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if extra:
        action = writer._add_object(DictionaryObject(extra))
        writer._root_object[NameObject("/OpenAction")] = action
    out = io.BytesIO()
    if compress_objects:
        writer.compress_identical_objects()
    writer.write(out)
    return out.getvalue()


JS_ACTION = {
    NameObject("/S"): NameObject("/JavaScript"),
    NameObject("/JS"): TextStringObject("app.alert(1)"),
}


def test_a_plain_pdf_passes():
    check_pdf(pdf_with())
    assert clean(pdf_with()).content_type == "application/pdf"


def test_javascript_and_open_actions_are_refused():
    with pytest.raises(UnsafePdf):
        check_pdf(pdf_with(JS_ACTION))


def test_an_obfuscated_name_is_refused():
    raw = pdf_with(JS_ACTION).replace(b"/OpenAction", b"/Op#65nAction")
    raw = raw.replace(b"/S /JavaScript", b"/S /J#61vaScript").replace(b"/JS ", b"/J#53 ")
    assert b"/JavaScript" not in raw and b"/OpenAction" not in raw
    with pytest.raises(UnsafePdf):
        check_pdf(raw)
    with pytest.raises(UploadError):
        clean(raw)


def object_stream_pdf() -> bytes:
    """A PDF 1.5 whose catalog (with a JavaScript /OpenAction) sits in a compressed object
    stream: no byte of `/JavaScript` is visible in the file."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        4: b"<< /S /JavaScript /JS (app.alert(1)) >>",
    }
    header, body = b"", b""
    for num, obj in objects.items():
        header += b"%d %d " % (num, len(body))
        body += obj + b"\n"
    stream = zlib.compress(header + body)
    out = bytearray(b"%PDF-1.5\n")
    objstm_offset = len(out)
    out += (
        b"5 0 obj\n<< /Type /ObjStm /N 4 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(stream))
    )
    out += stream + b"\nendstream\nendobj\n"
    xref_offset = len(out)
    rows = [b"\x00" + b"\x00\x00\x00\x00" + b"\xff\xff"]  # object 0: free
    rows += [b"\x02" + struct.pack(">I", 5) + struct.pack(">H", i) for i in range(4)]
    rows += [b"\x01" + struct.pack(">I", objstm_offset) + b"\x00\x00"]
    rows += [b"\x01" + struct.pack(">I", xref_offset) + b"\x00\x00"]
    xref = zlib.compress(b"".join(rows))
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
        b"/Length %d >>\nstream\n" % len(xref)
    )
    out += xref + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def test_javascript_inside_a_compressed_object_stream_is_refused():
    raw = object_stream_pdf()
    assert b"JavaScript" not in raw
    with pytest.raises(UnsafePdf):
        check_pdf(raw)
    with pytest.raises(UploadError):
        clean(raw)


@pytest.mark.parametrize(
    "extra",
    [
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc")},
        {NameObject("/Type"): NameObject("/EmbeddedFile")},
    ],
)
def test_launchers_and_attachments_are_refused(extra):
    with pytest.raises(UnsafePdf):
        check_pdf(pdf_with(extra))


def test_garbage_that_starts_like_a_pdf_is_refused_not_crashed():
    with pytest.raises(UnsafePdf):
        check_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF")


def test_a_huge_anonymous_body_is_refused_before_it_is_read(live_server):
    """200 MB announced, 1 KB sent: the server answers 413 at once, without waiting for more."""
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            b"POST /janji/x/pesan/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: multipart/form-data; boundary=xx\r\n"
            b"Content-Length: 209715200\r\n\r\n" + b"x" * 1024
        )
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")


def test_a_bad_content_length_is_a_clear_400(client):
    response = client.generic("POST", "/webhooks/whatsapp/", b"{}", CONTENT_LENGTH="abc")
    assert response.status_code == 400
