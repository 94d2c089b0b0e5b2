"""The one way Loket hands a stored file to a browser.

Citizens' files (WhatsApp photos and documents, application uploads, finished documents) are
served only through `stored_file_response`. The content type is read from the bytes (never the
type the phone or browser declared), only a few harmless types are shown inline, everything else
is a download, and every answer is sandboxed: a citizen's HTML or SVG can never run a script in
a staff member's session.
"""

import contextlib
import os
import stat
from pathlib import Path

import filetype
from django.http import HttpResponse
from django.utils.http import content_disposition_header

# Shown in the browser (inside the sandbox); anything else is a download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}
GENERIC_TYPE = "application/octet-stream"
SANDBOX_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


def sniff_type(data: bytes) -> str:
    """The content type the bytes have (by their magic numbers), or application/octet-stream."""
    kind = filetype.guess(data[:8192]) if data else None
    return kind.mime if kind is not None else GENERIC_TYPE


def extension_for(content_type: str) -> str:
    kind = filetype.get_type(mime=content_type) if content_type != GENERIC_TYPE else None
    return kind.extension if kind is not None else "bin"


def download_name(name: str, content_type: str) -> str:
    """The name offered to the browser, its extension made to match the sniffed content."""
    stem = Path(name or "berkas").name.rsplit(".", 1)[0] or "berkas"
    return f"{stem[:150]}.{extension_for(content_type)}"


def stored_file_response(data: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    """A response for a stored file: sniffed type, sandboxed, no sniffing, never cached."""
    content_type = sniff_type(data)
    inline = not download and content_type in INLINE_TYPES
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        not inline, download_name(filename, content_type)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


def made_file_response(
    data: bytes, filename: str, content_type: str, *, download: bool = False
) -> HttpResponse:
    """A response for a file Loket draws itself (receipt, blank form, poster, spreadsheet): its
    type is ours, not a citizen's, so it needs no sniffing, only an honest name."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(download, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def restrict_permissions(path: str | os.PathLike) -> None:
    """Makes a file readable and writable by its owner only (0600), if it exists."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
