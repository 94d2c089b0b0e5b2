"""The booking slip (bukti janji datang) as a PDF: code as text, vector QR, where and when."""

from django.utils import timezone, translation
from reportlab.lib.units import mm

from loket.core.dates import long_date
from loket.core.pdf import Sheet


def slip_pdf(booking) -> bytes:
    with translation.override("id"):
        office, slot = booking.office, booking.slot
        starts, ends = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
        sheet = Sheet(f"Bukti janji {booking.code}", author=office.name)
        sheet.letterhead(office, "BUKTI JANJI DATANG", "Kode", booking.code)
        service = booking.service.name + (f" ({booking.purpose})" if booking.purpose else "")
        sheet.pair("Layanan", service)
        sheet.pair("Nama", booking.name or "-")
        sheet.pair("Tanggal", long_date(starts, weekday=True))
        sheet.pair("Jam", f"{starts:%H:%M}–{ends:%H:%M} WITA")
        sheet.pair("Status", booking.get_status_display())
        sheet.gap(10)
        sheet.qr(booking.code, size=45 * mm)
        sheet.gap(8)
        sheet.text(
            "Tunjukkan kode QR ini atau sebutkan kodenya di pintu masuk. Datang sesuai jam; "
            "bila berhalangan, batalkan atau ganti jadwal lewat link di WhatsApp agar tempatnya "
            "bisa dipakai warga lain.",
            9.5,
        )
        return sheet.bytes()
