"""Demo templates of the office (as if approved by Meta) for broadcasts and the inbox."""

from loket.catalog.models import Office

from .models import MessageTemplate

TEMPLATES = [
    (
        "info_layanan_online",
        "Yth. Bapak/Ibu {{1}}, Disdukcapil {{2}} kini melayani KTP-el, KK, KIA dan akta lewat "
        "WhatsApp di nomor ini. Mohon diteruskan ke warga. Balas *berhenti* untuk berhenti.",
    ),
    (
        "layanan_dibuka",
        "Kabar baik: layanan {{1}} sudah dibuka kembali. Balas pesan ini untuk info.",
    ),
    (
        "lanjutan_percakapan",
        "Halo {{1}}, petugas Disdukcapil ingin melanjutkan percakapan Anda. Balas pesan ini ya.",
    ),
]


def seed(office: Office) -> None:
    for name, body in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            office=office,
            name=name,
            language="id",
            defaults={"body": body, "status": MessageTemplate.Status.APPROVED},
        )
