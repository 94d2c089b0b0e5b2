"""Uploaded documents: checked by content, cleaned, encrypted, stored outside the web root.

Only JPEG, PNG and PDF are accepted, recognised by their first bytes (never by name or by the
browser's content type). Photos are re-encoded with Pillow: turned upright, shrunk to at most
MAX_SIDE pixels and saved without EXIF (no GPS position, no phone model). Everything is
encrypted with the office's key (core.crypto) under MEDIA_ROOT/applications/.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from loket.core.crypto import decrypt_bytes, encrypt_bytes
from loket.core.pdfsafety import UnsafePdf, check_pdf

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2000
JPEG_QUALITY = 82
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")


class UploadError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str


def sniff(head: bytes) -> str | None:
    """The content type from the first bytes: image/jpeg, image/png, application/pdf or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def read_upload(upload) -> bytes:
    """Reads an UploadedFile, refusing it early when it is too large."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise UploadError(_too_large(upload.size))
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(_too_large(len(data)))
    return data


def _too_large(size: int) -> str:
    return _(
        "Berkas terlalu besar (%(size).1f MB). Maksimal %(max)d MB: kecilkan foto atau pindai "
        "ulang dengan resolusi lebih rendah."
    ) % {"size": size / 1024 / 1024, "max": MAX_UPLOAD_BYTES // 1024 // 1024}


def clean(data: bytes) -> CleanFile:
    """Checks the content and returns what is safe to keep; UploadError explains a refusal."""
    if not data:
        raise UploadError(_("Berkas kosong. Pilih foto atau PDF dokumen Anda."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(_too_large(len(data)))
    if data.startswith(EXECUTABLE_MAGIC):
        raise UploadError(_("Berkas ini bukan foto atau PDF (berkas program). Berkas ditolak."))
    kind = sniff(data[:16])
    if kind is None:
        raise UploadError(
            _(
                "Jenis berkas tidak didukung. Kirim foto (JPG/PNG) atau PDF, bukan berkas lain "
                "meskipun namanya berakhiran .jpg atau .pdf."
            )
        )
    if kind == "application/pdf":
        return CleanFile(_check_pdf(data), kind)
    return _clean_image(data, kind)


def _check_pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-2048:]:
        raise UploadError(_("PDF ini rusak atau tidak lengkap. Simpan ulang lalu unggah kembali."))
    try:
        check_pdf(data)
    except UnsafePdf as problem:
        message = _(
            "PDF ini berisi program atau lampiran tersembunyi dan ditolak. Cetak ulang "
            "sebagai PDF biasa atau kirim foto dokumennya."
        )
        if str(problem).startswith(("unreadable", "encrypted")):
            message = _(
                "PDF ini tidak bisa dibaca (rusak atau dikunci kata sandi). Simpan ulang tanpa "
                "kata sandi lalu unggah kembali, atau kirim foto dokumennya."
            )
        raise UploadError(message) from None
    return data


def _clean_image(data: bytes, kind: str) -> CleanFile:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # reads the header only
            if image.width * image.height > settings.LOKET_MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError(f"{image.width} x {image.height}")
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadError(
            _(
                "Foto terlalu besar (terlalu banyak piksel). Maksimal %(mp)d megapiksel: kirim "
                "foto biasa dari kamera HP."
            )
            % {"mp": settings.LOKET_MAX_IMAGE_PIXELS // 1_000_000}
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise UploadError(
            _("Foto tidak bisa dibaca (rusak atau terpotong). Ambil foto ulang.")
        ) from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if kind == "image/png" and image.mode in ("1", "L", "P", "LA", "RGBA"):
        image.save(out, "PNG", optimize=True)  # screenshots, scans: keep them sharp
        return CleanFile(out.getvalue(), "image/png")
    image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanFile(out.getvalue(), "image/jpeg")


def store_encrypted(prefix: str, content: bytes) -> str:
    """Writes the encrypted content under MEDIA_ROOT and returns its storage name."""
    name = f"applications/{prefix}/{uuid.uuid4().hex}.bin"
    return default_storage.save(name, ContentFile(encrypt_bytes(content)))


def read_encrypted(storage_name: str) -> bytes:
    with default_storage.open(storage_name, "rb") as handle:
        return decrypt_bytes(handle.read())


def delete_stored(storage_name: str) -> None:
    if storage_name and default_storage.exists(storage_name):
        default_storage.delete(storage_name)


def store_requirement(application, index: int, label: str, upload) -> "object":
    """Cleans and stores one requirement upload, replacing an earlier one only on success."""
    from django.db import transaction

    from loket.applications.models import Application, Document

    clean_file = clean(read_upload(upload))
    storage_name = store_encrypted(str(application.pk), clean_file.content)
    with transaction.atomic():
        # one writer per application at a time: two tabs uploading the same slot replace in turn
        Application.objects.select_for_update().filter(pk=application.pk).first()
        old = list(
            Document.objects.select_for_update().filter(
                application=application, kind=Document.Kind.REQUIREMENT, requirement_index=index
            )
        )
        for document in old:
            document.delete()
        document = Document.objects.create(
            application=application,
            kind=Document.Kind.REQUIREMENT,
            requirement_index=index,
            label=label[:500],
            content_type=clean_file.content_type,
            original_name=(getattr(upload, "name", "") or "")[:200],
            size=len(clean_file.content),
            storage_name=storage_name,
        )
        old_names = [d.storage_name for d in old]
        transaction.on_commit(lambda: [delete_stored(n) for n in old_names])
    return document


def store_output(application, pdf: bytes):
    """Stores the office's output document (a PDF)."""
    from loket.applications.models import Document

    clean_file = clean(pdf)
    if clean_file.content_type != "application/pdf":
        raise UploadError("Dokumen hasil harus berupa PDF.")
    return Document.objects.create(
        application=application,
        kind=Document.Kind.OUTPUT,
        label=f"Dokumen hasil: {application.service.output or application.service.name}"[:500],
        content_type=clean_file.content_type,
        original_name=f"{application.ticket}.pdf",
        size=len(clean_file.content),
        storage_name=store_encrypted(str(application.pk), clean_file.content),
    )
