"""The PDF receipt (tanda terima): ticket, service, when it was sent, when it should be finished,
the office's address and WhatsApp number, and a QR code to the public /cek/ page.

Drawn with reportlab (loket.core.pdf): the ticket number is text a citizen can copy and a screen
reader can read; the QR code is vector. Always Indonesian (the office's document).
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation
from reportlab.lib.units import mm

from loket.core.dates import long_date, long_datetime
from loket.core.links import absolute
from loket.core.pdf import BOLD, Sheet


def status_url(application) -> str:
    return absolute(reverse("applications:check", args=[application.ticket]))


def expected_finish_day(application) -> dt.date | None:
    """The first day the office is open on or after the SLA's due time (weekends, holidays and
    closures skipped), or None before the application is sent."""
    if application.due_at is None:
        return None
    day = timezone.localdate(application.due_at)
    for _ in range(31):
        if application.office.hours_on(day) is not None:
            return day
        day += dt.timedelta(days=1)
    return timezone.localdate(application.due_at)


def expected_finish(application) -> str:
    """When the office expects to finish, from the service's target (SLA), as a sentence."""
    day = expected_finish_day(application)
    if day is None:
        return "Setelah berkas diperiksa dan dinyatakan lengkap."
    hours = application.service.sla_hours
    target = f" (target layanan {hours} jam setelah berkas lengkap)" if hours else ""
    return f"{long_date(day, weekday=True)}{target}"


def receipt_pdf(application) -> bytes:
    with translation.override("id"):
        return _draw(application)


def _draw(application) -> bytes:
    office = application.office
    url = status_url(application)
    sheet = Sheet(
        f"Tanda terima {application.ticket}",
        subject=f"Tanda terima permohonan online {application.service.name}",
        author=office.name,
    )
    sheet.letterhead(
        office, "TANDA TERIMA PERMOHONAN ONLINE", "Nomor tiket", application.ticket or "-"
    )
    submitted = application.submitted_at
    sheet.pair("Layanan", application.service.name)
    sheet.pair("Nama pemohon", application.name or "-")
    sheet.pair("Diterima", f"{long_datetime(submitted)} WITA" if submitted else "-")
    sheet.pair("Perkiraan selesai", expected_finish(application))
    printed = timezone.localtime()
    sheet.pair("Status", f"{application.get_state_display()} (dicetak {long_datetime(printed)})")
    sheet.gap(10)
    sheet.text("Pindai kode QR atau buka alamat ini untuk melihat status:", 10)
    sheet.text(url, 10, BOLD)
    sheet.gap(6)
    sheet.qr(url, size=45 * mm)
    sheet.gap(10)
    sheet.text(
        "Simpan nomor tiket ini dan sebutkan bila menghubungi petugas. Kabar setiap perubahan "
        "status dikirim lewat WhatsApp. Layanan Disdukcapil gratis: petugas tidak pernah "
        "meminta biaya atau kata sandi.",
        9.5,
    )
    sheet.footer(f"{office.name} · tanda terima {application.ticket}")
    return sheet.bytes()
