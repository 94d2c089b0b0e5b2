"""The booking slip (bukti janji datang) as a PDF: code as text, vector QR, where and when.

In the active language: Indonesian, or English for a citizen who chose English in the chat."""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from loket.core.dates import long_date
from loket.core.pdf import Sheet


def slip_pdf(booking) -> bytes:
    office, slot = booking.office, booking.slot
    starts, ends = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    sheet = Sheet(_("Bukti janji %(code)s") % {"code": booking.code}, author=office.name)
    sheet.letterhead(office, _("BUKTI JANJI DATANG"), _("Kode"), booking.code)
    service = booking.service.local_name + (f" ({booking.purpose})" if booking.purpose else "")
    sheet.pair(_("Layanan"), service)
    sheet.pair(_("Nama"), booking.name or "-")
    sheet.pair(_("Tanggal"), long_date(starts, weekday=True))
    sheet.pair(_("Jam"), f"{starts:%H:%M}–{ends:%H:%M} WITA")
    sheet.pair(_("Status"), _(booking.get_status_display()))
    sheet.gap(10)
    sheet.qr(booking.code, size=45 * mm)
    sheet.gap(8)
    sheet.text(
        _(
            "Tunjukkan kode QR ini atau sebutkan kodenya di pintu masuk. Datang sesuai jam; "
            "bila berhalangan, batalkan atau ganti jadwal lewat link di WhatsApp agar tempatnya "
            "bisa dipakai warga lain."
        ),
        9.5,
    )
    return sheet.bytes()
