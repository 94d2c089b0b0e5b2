"""The QR poster for the office's door: what it advertises follows the policy in force.

Services suspended by the policy are never advertised; the poster says they are stopped and
until when. The PDF is drawn with reportlab (text and a vector QR code).
"""

from dataclasses import dataclass

from django.utils import translation
from reportlab.lib.units import mm

from loket.catalog.models import Office
from loket.catalog.policy import all_statuses
from loket.core.dates import long_date
from loket.core.pdf import BOLD, Sheet

# how the poster names a group of the catalog when none of its services is suspended
GROUP_WORDS = {
    "ktp": "KTP-el",
    "kk": "KK",
    "kia": "KIA",
    "pindah": "surat pindah",
    "lahir": "akta kelahiran",
    "mati": "akta kematian",
    "akta": "akta lainnya",
}


@dataclass(frozen=True)
class PosterContent:
    headline: str
    suspended: list[str]
    until: str


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " dan " + words[-1]


def poster_content(office: Office) -> PosterContent:
    statuses = all_statuses(office)
    words: list[str] = []
    for group, word in GROUP_WORDS.items():
        members = [s for s in statuses if s.service.group == group]
        open_ = [s for s in members if s.can_apply_online]
        if open_ and not any(s.is_suspended for s in members):
            words.append(word)
        else:
            words.extend(s.service.short_name for s in open_)
    suspended = [s.service.short_name for s in statuses if s.is_suspended]
    until = next((s.until for s in statuses if s.is_suspended and s.until), None)
    if words:
        headline = f"Urus {_join(words)} lewat WhatsApp, tanpa antre."
    else:
        headline = "Tanya layanan Disdukcapil lewat WhatsApp, tanpa antre."
    with translation.override("id"):
        return PosterContent(headline, suspended, long_date(until) if until else "")


def poster_pdf(office: Office, link: str, greeting: str) -> bytes:
    content = poster_content(office)
    sheet = Sheet(f"Poster layanan WhatsApp — {office.name}", author=office.name)
    sheet.gap(20)
    sheet.text(office.name, 26, BOLD, center=True)
    sheet.gap(14)
    sheet.text(content.headline, 18, center=True, leading=24)
    if content.suspended:
        sheet.gap(8)
        until = f" sampai {content.until}" if content.until else ""
        stopped = f"Dihentikan sementara{until}: {_join(content.suspended)}."
        sheet.text(stopped, 12, center=True)
    sheet.gap(16)
    size = 90 * mm
    sheet.qr(link, size=size, x=(sheet.width - size) / 2)
    sheet.gap(12)
    number = office.whatsapp_display_number or "nomor kantor"
    sheet.text(f"Pindai kode ini atau chat {number}", 18, BOLD, center=True, leading=24)
    sheet.gap(8)
    sheet.text(
        f"Ketik pesan apa saja, misalnya “{greeting}”. Asisten kami menjawab 24 jam; "
        "petugas membalas pada jam kerja.",
        12,
        center=True,
    )
    sheet.gap(6)
    sheet.text(link, 10, center=True)
    return sheet.bytes()
