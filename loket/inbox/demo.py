"""Demo saved replies for the staff inbox."""

from loket.catalog.models import Office

from .models import SavedReply

REPLIES = [
    ("Salam pembuka", "Halo, saya petugas Disdukcapil. Ada yang bisa saya bantu?"),
    (
        "Foto dokumen",
        "Silakan kirim foto dokumen asli di chat ini, tegak lurus dan tidak buram. "
        "Data Anda kami simpan terenkripsi.",
    ),
    ("Penutup", "Terima kasih sudah menghubungi Disdukcapil. Semoga sehat selalu."),
]


def seed(office: Office) -> None:
    for title, text in REPLIES:
        SavedReply.objects.get_or_create(office=office, title=title, defaults={"text": text})
