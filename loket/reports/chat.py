"""The WhatsApp bot and the staff inbox: messages, what the bot did, waiting for a person."""

from collections import Counter

from django.db.models import Count

from loket.bot.models import Turn
from loket.catalog.models import Office, Service
from loket.inbox.models import Claim
from loket.reports.periods import Period, office_tz
from loket.reports.tables import Section, Table, minutes, percentile, share
from loket.whatsapp.models import InboundMessage, OutboundMessage

SOURCES = {
    "bot": "Bot",
    "staff": "Petugas (inbox)",
    "broadcast": "Siaran",
    "roster": "Piket",
    "applications": "Status permohonan",
    "appointments": "Janji temu",
    "reports": "Ringkasan kepala",
}
INTENT_LABELS = {
    "jadwal": "Jam layanan",
    "status": "Cek status",
    "operator": "Minta petugas",
    "lainnya": "Lainnya (tidak paham)",
    "keluhan": "Keluhan",
}


def _source_label(source: str) -> str:
    return SOURCES.get(source.split(":")[0], source.split(":")[0] or "lainnya")


def messages(office: Office, period: Period) -> tuple[Table, dict]:
    start, end = period.bounds(office_tz(office))
    inbound = InboundMessage.objects.filter(
        office=office, received_at__gte=start, received_at__lt=end
    ).count()
    out = (
        OutboundMessage.objects.filter(office=office, created_at__gte=start, created_at__lt=end)
        .values("source")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_source: Counter = Counter()
    for row in out:
        by_source[_source_label(row["source"])] += row["n"]
    rows = [["Pesan masuk dari warga", inbound]] + [
        [f"Pesan keluar: {label}", n] for label, n in by_source.most_common()
    ]
    return Table("pesan", "Pesan WhatsApp masuk dan keluar", ["Jenis", "Jumlah"], rows), {
        "in": inbound,
        "out": sum(by_source.values()),
    }


def turns(office: Office, period: Period) -> tuple[list[Table], dict]:
    start, end = period.bounds(office_tz(office))
    outcomes, understood, intents = Counter(), Counter(), Counter()
    rows = Turn.objects.filter(office=office, at__gte=start, at__lt=end)
    for r in rows.values("outcome", "understood", "intent").annotate(n=Count("id")).order_by():
        outcomes[r["outcome"]] += r["n"]
        if r["understood"] is not None:
            understood[r["understood"]] += r["n"]
        if r["understood"]:
            intents[r["intent"]] += r["n"]
    names = dict(Service.objects.values_list("code", "name"))
    outcome_rows = [[label, outcomes[value]] for value, label in Turn.Outcome.choices]
    intent_rows = [
        [INTENT_LABELS.get(intent) or names.get(intent, intent), n]
        for intent, n in intents.most_common(10)
    ]
    classified = understood[True] + understood[False]
    headline = {
        "answered": outcomes[Turn.Outcome.ANSWERED],
        "asked_back": outcomes[Turn.Outcome.ASKED_BACK],
        "handed": outcomes[Turn.Outcome.HANDED],
        "not_understood": share(understood[False], classified),
    }
    return [
        Table("bot", "Yang dilakukan bot dengan pesan warga", ["Tindakan", "Pesan"], outcome_rows),
        Table("topik", "10 topik terbanyak (pesan yang dipahami)", ["Topik", "Pesan"], intent_rows),
    ], headline


def inbox(office: Office, period: Period) -> tuple[Table, dict]:
    """Waiting of citizens handed to staff: handed -> claimed, handed -> first staff reply."""
    start, end = period.bounds(office_tz(office))
    # the office is checked per row: a WHERE on it makes SQLite walk every contact instead
    claims = (
        Claim.objects.filter(handed_at__gte=start, handed_at__lt=end)
        .values_list(
            "handed_at", "claimed_at", "first_response_at", "conversation__contact__office"
        )
        .order_by()
    )
    to_claim, to_reply = [], []
    for handed, claimed, replied, office_id in claims:
        if office_id != office.pk:
            continue
        to_claim.append((claimed - handed).total_seconds())
        if replied:
            to_reply.append((replied - handed).total_seconds())
    rows = [
        [
            "Diserahkan → diambil petugas",
            len(to_claim),
            minutes(percentile(to_claim, 0.5)),
            minutes(percentile(to_claim, 0.9)),
        ],
        [
            "Diserahkan → jawaban pertama",
            len(to_reply),
            minutes(percentile(to_reply, 0.5)),
            minutes(percentile(to_reply, 0.9)),
        ],
    ]
    table = Table(
        "inbox",
        "Waktu tunggu warga di inbox petugas (menit)",
        ["Tahap", "Percakapan", "Median (menit)", "P90 (menit)"],
        rows,
        series=(2, 3),
    )
    return table, {"reply_median": minutes(percentile(to_reply, 0.5))}


def section(office: Office, period: Period, baseline: Period) -> Section:
    message_table, counts = messages(office, period)
    turn_tables, outcome = turns(office, period)
    inbox_table, waiting = inbox(office, period)
    return Section(
        "bot",
        "Bot WhatsApp dan inbox",
        headline=[
            ("Pesan masuk", counts["in"]),
            ("Pesan keluar", counts["out"]),
            ("Dijawab langsung", outcome["answered"]),
            ("Ditanya balik", outcome["asked_back"]),
            ("Diserahkan ke petugas", outcome["handed"]),
            ("Tidak dipahami (%)", outcome["not_understood"]),
            ("Median tunggu jawaban petugas (menit)", waiting["reply_median"]),
        ],
        tables=[message_table, *turn_tables, inbox_table],
    )
