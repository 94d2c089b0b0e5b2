"""The PDF receipt (tanda terima): ticket, service, when it was sent, when it should be finished,
the office's address and WhatsApp number, and a QR code to the public /cek/ page.

Drawn with reportlab (loket.core.pdf): the ticket number is text a citizen can copy and a screen
reader can read; the QR code is vector. In the language of the page it is downloaded from:
Indonesian, or English for a citizen who chose English in the chat.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
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
    for _attempt in range(31):
        if application.office.hours_on(day) is not None:
            return day
        day += dt.timedelta(days=1)
    return timezone.localdate(application.due_at)


def expected_finish(application) -> str:
    """When the office expects to finish, from the service's target (SLA), as a sentence."""
    day = expected_finish_day(application)
    if day is None:
        return _("Setelah berkas diperiksa dan dinyatakan lengkap.")
    hours = application.service.sla_hours
    target = (
        _(" (target layanan %(hours)d jam setelah berkas lengkap)") % {"hours": hours}
        if hours
        else ""
    )
    return f"{long_date(day, weekday=True)}{target}"


def receipt_pdf(application) -> bytes:
    """The receipt in the active language (the citizen's, set by the page's personal link)."""
    office = application.office
    url = status_url(application)
    sheet = Sheet(
        _("Tanda terima %(ticket)s") % {"ticket": application.ticket},
        subject=_("Tanda terima permohonan online %(service)s")
        % {"service": application.service.local_name},
        author=office.name,
    )
    sheet.letterhead(
        office, _("TANDA TERIMA PERMOHONAN ONLINE"), _("Nomor tiket"), application.ticket or "-"
    )
    submitted = application.submitted_at
    sheet.pair(_("Layanan"), application.service.local_name)
    sheet.pair(_("Nama pemohon"), application.name or "-")
    sheet.pair(_("Diterima"), f"{long_datetime(submitted)} WITA" if submitted else "-")
    sheet.pair(_("Perkiraan selesai"), expected_finish(application))
    printed = timezone.localtime()
    state = _(application.get_state_display())
    sheet.pair(
        _("Status"),
        _("%(state)s (dicetak %(at)s)") % {"state": state, "at": long_datetime(printed)},
    )
    sheet.gap(10)
    sheet.text(_("Pindai kode QR atau buka alamat ini untuk melihat status:"), 10)
    sheet.text(url, 10, BOLD)
    sheet.gap(6)
    sheet.qr(url, size=45 * mm)
    sheet.gap(10)
    sheet.text(
        _(
            "Simpan nomor tiket ini dan sebutkan bila menghubungi petugas. Kabar setiap perubahan "
            "status dikirim lewat WhatsApp. Layanan Disdukcapil gratis: petugas tidak pernah "
            "meminta biaya atau kata sandi."
        ),
        9.5,
    )
    sheet.footer(
        _("%(office)s · tanda terima %(ticket)s")
        % {"office": office.name, "ticket": application.ticket}
    )
    return sheet.bytes()
