"""WhatsApp delivery: sent, delivered, read, failed with Meta's reason, cost categories.

Meta's pricing category comes with the status webhook (`pricing.category`); a message without
one is counted as "service" (a free-form reply inside the 24-hour window) or, for a template,
as "template (kategori belum diterima)".
"""

from collections import Counter

from django.db.models import Count

from loket.catalog.models import Office
from loket.reports.periods import Period, office_tz
from loket.reports.tables import Section, Table, share
from loket.whatsapp.models import OutboundMessage

Status = OutboundMessage.Status
REACHED_SENT = (Status.SENT, Status.DELIVERED, Status.READ)
CATEGORIES = {
    "service": "Layanan (jendela 24 jam, gratis)",
    "utility": "Utilitas (template)",
    "marketing": "Pemasaran (template)",
    "authentication": "Autentikasi (template)",
    "template": "Template (kategori belum diterima)",
}


def _messages(office: Office, period: Period):
    start, end = period.bounds(office_tz(office))
    return OutboundMessage.objects.filter(office=office, created_at__gte=start, created_at__lt=end)


def section(office: Office, period: Period, baseline: Period) -> Section:
    statuses, categories, failed = Counter(), Counter(), Counter()
    messages = _messages(office, period)
    # the counts read a covering index only; the few failures are read apart
    for r in messages.values("status", "pricing_category", "kind").annotate(n=Count("pk")):
        statuses[r["status"]] += r["n"]
        key = r["pricing_category"] or ("template" if r["kind"] == "template" else "service")
        categories[key] += r["n"]
    failures = messages.filter(status=Status.FAILED).values("error_code", "error_message")
    for r in failures.annotate(n=Count("pk")).order_by():
        failed[(r["error_code"] or "—", (r["error_message"] or "")[:140])] += r["n"]
    total = sum(statuses.values())
    sent = sum(statuses[s] for s in REACHED_SENT)
    delivered = statuses[Status.DELIVERED] + statuses[Status.READ]
    status_rows = [
        ["Dibuat", total],
        ["Terkirim (sent/delivered/read)", sent],
        ["Sampai di ponsel (delivered/read)", delivered],
        ["Dibaca", statuses[Status.READ]],
        ["Gagal", statuses[Status.FAILED]],
        ["Masih antre/dikirim", statuses[Status.QUEUED] + statuses[Status.SENDING]],
        ["Diterima Meta, belum ada status", statuses[Status.ACCEPTED]],
    ]
    failure_rows = [[code, message, n] for (code, message), n in failed.most_common(15)]
    category_rows = [[CATEGORIES.get(k, k), n] for k, n in categories.most_common()]
    return Section(
        "pengiriman",
        "Pengiriman WhatsApp",
        headline=[
            ("Pesan keluar", total),
            ("Sampai (%)", share(delivered, total)),
            ("Dibaca (%)", share(statuses[Status.READ], total)),
            ("Gagal", statuses[Status.FAILED]),
        ],
        tables=[
            Table("status-kirim", "Status pengiriman", ["Status", "Pesan"], status_rows),
            Table(
                "gagal",
                "Gagal menurut alasan dari Meta",
                ["Kode", "Alasan", "Pesan"],
                failure_rows,
                series=(2,),
            ),
            Table("biaya", "Kategori biaya (harga Meta)", ["Kategori", "Pesan"], category_rows),
        ],
    )
