"""The rows of one day of history, built in memory and written with bulk_create in FK order."""

import datetime as dt
import math
import random

from loket.applications.models import Application, ApplicationEvent, State
from loket.appointments.models import Booking, Slot, Ticket, TurnedAway
from loket.bot.models import Conversation, Turn
from loket.catalog.models import Office, Service
from loket.core.crypto import lookup_hash
from loket.core.identity import districts_of
from loket.inbox.models import Claim
from loket.roster.models import Assignment, Attendance, Employee, RosterPeriod
from loket.whatsapp.models import Contact, InboundMessage, OutboundMessage

ONLINE = {
    "akta-lahir": 30,
    "kk-ubah": 18,
    "kk-baru": 8,
    "kia": 10,
    "pindah": 9,
    "datang": 6,
    "akta-mati": 6,
    "ktp-ganti": 5,
    "akta-kawin": 3,
    "akta-cerai": 1,
    "akta-anak": 1,
    "akta-ubah": 1,
    "ktp-cetak": 2,
}
COUNTER = {"ktp-rekam": 45, "ambil-dokumen": 25, "legalisir": 20, "ikd": 10}
MEDIAN_HOURS = {"normal": 30, "wave": 80, "recovery": 50}
CORRECTIONS = [
    "Foto KK buram, mohon unggah ulang",
    "Surat keterangan lahir belum dilampirkan",
    "Nama ibu berbeda dengan KK",
    "Tanda tangan saksi belum ada",
]
REJECTIONS = [
    "Data sudah terdaftar (permohonan ganda)",
    "Bukan penduduk Kota Balikpapan",
    "Dokumen tidak sah",
]
FAILURES = [
    ("131026", "Message undeliverable"),
    ("131047", "Re-engagement message"),
    ("131049", "Not delivered to maintain healthy ecosystem engagement"),
]
OUTCOMES = [
    (Turn.Outcome.ANSWERED, 52),
    (Turn.Outcome.MENU, 22),
    (Turn.Outcome.ASKED_BACK, 12),
    (Turn.Outcome.HANDED, 4),
    (Turn.Outcome.STAFF, 6),
    (Turn.Outcome.OTHER, 4),
]
INTENTS = list(ONLINE) + ["jadwal", "status", "ktp-rekam"]


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Builder:
    def __init__(self, office: Office, rng: random.Random, tz, prefix: str) -> None:
        self.office, self.rng, self.tz, self.prefix = office, rng, tz, prefix
        self.services = {s.code: s for s in Service.objects.all()}
        self.villages = [v.code for _, vs in districts_of(office.region_code) for v in vs] or [""]
        self.contacts: list[Contact] = []
        self.conversations: dict[int, Conversation] = {}
        self.staff = [
            e.staff_member.user
            for e in Employee.objects.filter(
                office=office, staff_member__isnull=False
            ).select_related("staff_member__user")
        ]
        self.n = 0
        self.reset()

    def reset(self) -> None:
        self.new = {
            k: []
            for k in (
                "contact",
                "conversation",
                "application",
                "event",
                "inbound",
                "turn",
                "outbound",
                "claim",
                "slot",
                "booking",
                "ticket",
                "away",
            )
        }

    def pending(self) -> int:
        return sum(len(v) for v in self.new.values())

    def at(self, day: dt.date, hour_from: float, hour_to: float) -> dt.datetime:
        hours = self.rng.uniform(hour_from, hour_to)
        return dt.datetime.combine(day, dt.time.min, tzinfo=self.tz) + dt.timedelta(hours=hours)

    def contact(self, when: dt.datetime) -> Contact:
        if self.contacts and self.rng.random() < 0.3:
            return self.rng.choice(self.contacts)
        self.n += 1
        number = f"{self.prefix}{self.n:07d}"
        c = Contact(
            office=self.office,
            wa_id=number,
            phone=number,
            created_at=when,
            profile_name=f"Warga {self.n}",
            last_inbound_at=when,
        )
        self.contacts.append(c)
        self.new["contact"].append(c)
        return c

    def uid(self) -> str:
        self.n += 1
        return f"wamid.hist.{self.prefix}.{self.office.pk}.{self.n}"  # unique per installation

    # --- one day ------------------------------------------------------------------------------
    def day(self, day: dt.date, kind: str, volume: dict, working: bool) -> None:
        now = dt.datetime.now(tz=self.tz)
        for _ in range(volume["online"]):
            self.application(day, kind, now)
        chats = int(volume["online"] * 0.6 + volume["walk"] * 0.3)
        for _ in range(chats):
            when = self.at(day, 6, 22)
            self.chat(self.contact(when), when, intent=_pick(self.rng, ONLINE))
        if working and volume["capacity"]:
            self.counter(day, volume)

    def application(self, day: dt.date, kind: str, now: dt.datetime) -> None:
        rng = self.rng
        submitted = self.at(day, 6, 23)
        contact = self.contact(submitted)
        service = self.services[_pick(rng, ONLINE)]
        self.chat(contact, submitted - dt.timedelta(minutes=rng.uniform(5, 60)), service.code)
        nik = (
            f"6471{rng.randint(10, 99)}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}"
            f"{rng.randint(70, 99)}{rng.randint(1, 9999):04d}"
        )
        kk = f"647105{rng.randint(10**9, 10**10 - 1)}"
        village = rng.choice(self.villages)
        a = Application(
            office=self.office,
            kelurahan=village,
            contact=contact,
            service=service,
            name=f"Warga {self.n}",
            created_at=submitted,
            updated_at=submitted,
            submitted_at=submitted,
            due_at=submitted + dt.timedelta(hours=service.sla_hours or 72),
            ticket=None,
            nik=nik,
            nik_hash=lookup_hash(nik),
            kk=kk,
            kk_hash=lookup_hash(kk),
            data={
                "name": f"Warga {self.n}",
                "birth_place": "Balikpapan",
                "birth_date": f"19{rng.randint(60, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "address": f"Jl. Contoh No. {rng.randint(1, 200)}",
                "kelurahan": village,
            },
        )
        a.ticket = f"H{self.office.pk}-{self.n:09d}"  # tickets are unique across offices
        events = [(submitted, State.SUBMITTED, "")]
        total = MEDIAN_HOURS[kind] * math.exp(rng.gauss(0, 0.7))
        t = submitted
        if rng.random() < 0.1:
            t = t + dt.timedelta(hours=total * 0.2)
            events.append((t, State.CORRECTION_REQUESTED, rng.choice(CORRECTIONS)))
            t = t + dt.timedelta(hours=rng.uniform(2, 30))
            events.append((t, State.RESUBMITTED, ""))
        if rng.random() < 0.04:
            t = t + dt.timedelta(hours=total * 0.3)
            reason = rng.choice(REJECTIONS)
            events.append((t, State.REJECTED, reason))
            a.rejection_reason = reason
        else:
            events.append((t + dt.timedelta(hours=total * 0.3), State.VERIFIED, ""))
            events.append((t + dt.timedelta(hours=total * 0.5), State.PROCESSING, ""))
            events.append((t + dt.timedelta(hours=total), State.FINISHED, ""))
        events = [e for e in events if e[0] <= now]
        a.state = events[-1][1]
        if a.state == State.CORRECTION_REQUESTED:
            a.correction_note = events[-1][2]
        if a.state in (State.FINISHED, State.REJECTED):
            a.finished_at = events[-1][0]
        self.new["application"].append(a)
        for when, state, note in events:
            self.new["event"].append(
                ApplicationEvent(
                    application=a, at=when, state=state, label=State(state).label, note=note
                )
            )
        for hours in (0.01, total * 0.3, total):
            when = submitted + dt.timedelta(hours=hours)
            if when <= now:
                self.outbound(contact, when, "applications", hours > 1)

    def chat(self, contact: Contact, when: dt.datetime, intent: str) -> None:
        rng = self.rng
        message = InboundMessage(
            office=self.office,
            contact=contact,
            wa_message_id=self.uid(),
            type="text",
            text="(riwayat)",
            payload={},
            sent_at=when,
            received_at=when,
            state="done",
            processed_at=when,
        )
        self.new["inbound"].append(message)
        outcome = _pick(rng, dict(OUTCOMES))
        understood = None
        if outcome in (Turn.Outcome.ANSWERED, Turn.Outcome.ASKED_BACK, Turn.Outcome.HANDED):
            understood = outcome != Turn.Outcome.ASKED_BACK
        if outcome == Turn.Outcome.ASKED_BACK:
            intent = "lainnya"
        elif outcome == Turn.Outcome.HANDED:
            intent = rng.choice(["operator", "operator", "keluhan", "lainnya"])
            understood = intent != "lainnya"
        elif outcome != Turn.Outcome.ANSWERED:
            intent = ""
        self.new["turn"].append(
            Turn(
                office=self.office,
                message=message,
                at=when,
                outcome=outcome,
                intent=intent,
                understood=understood,
                confidence=None
                if understood is None
                else (rng.uniform(0.6, 0.99) if understood else rng.uniform(0.1, 0.45)),
            )
        )
        if outcome != Turn.Outcome.STAFF:
            self.outbound(contact, when + dt.timedelta(seconds=rng.uniform(1, 4)), "bot", False)
        if outcome == Turn.Outcome.HANDED and self.staff:
            self.claim(contact, when)

    def claim(self, contact: Contact, when: dt.datetime) -> None:
        rng = self.rng
        conversation = self.conversations.get(id(contact))
        if conversation is None:
            conversation = Conversation(contact=contact, updated_at=when)
            self.conversations[id(contact)] = conversation
            self.new["conversation"].append(conversation)
        claimed = when + dt.timedelta(minutes=6 * math.exp(rng.gauss(0, 0.9)))
        replied = claimed + dt.timedelta(minutes=rng.uniform(0.5, 6))
        self.new["claim"].append(
            Claim(
                conversation=conversation,
                claimed_by=rng.choice(self.staff),
                reason="asked",
                handed_at=when,
                claimed_at=claimed,
                first_response_at=replied,
                replies=rng.randint(1, 5),
                released_at=replied + dt.timedelta(minutes=10),
                outcome=Claim.Outcome.CLOSED,
            )
        )
        self.outbound(contact, replied, f"staff:{self.staff[0].pk}", False)

    def outbound(self, contact: Contact, when: dt.datetime, source: str, template: bool) -> None:
        rng = self.rng
        status = rng.choices(["read", "delivered", "sent", "failed"], [70, 20, 6, 4])[0]
        m = OutboundMessage(
            office=self.office,
            contact=contact,
            kind="template" if template else "text",
            body={},
            preview="(riwayat)",
            source=source,
            status=status,
            wa_message_id=self.uid(),
            attempts=1,
            next_attempt_at=when,
            created_at=when,
            accepted_at=when,
            sent_at=when,
            pricing_category="utility" if template else "service",
        )
        if status in ("delivered", "read"):
            m.delivered_at = when + dt.timedelta(seconds=3)
        if status == "read":
            m.read_at = when + dt.timedelta(minutes=rng.uniform(1, 120))
        if status == "failed":
            m.error_code, m.error_message = rng.choice(FAILURES)
            m.failed_at, m.sent_at = when, None
        self.new["outbound"].append(m)

    def counter(self, day: dt.date, volume: dict) -> None:
        rng = self.rng
        number = 0
        for code, weight in COUNTER.items():
            service = self.services.get(code)
            if service is None:
                continue
            share = weight / sum(COUNTER.values())
            booked_left = int(volume["booked"] * share)
            walk_left = int(volume["walk"] * share)
            for hour in range(8, 15):
                start = dt.datetime.combine(day, dt.time(hour), tzinfo=self.tz)
                slot = Slot(
                    office=self.office,
                    service=service,
                    day=day,
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=1),
                    capacity=volume["capacity"],
                )
                self.new["slot"].append(slot)
                for _ in range(min(booked_left // (15 - hour) + 1, slot.capacity, booked_left)):
                    booked_left -= 1
                    number += 1
                    self.booking(slot, day, start, number)
                room = slot.capacity - slot.booked
                walkers = min(walk_left, walk_left // (15 - hour) + rng.randint(0, 2))
                walk_left -= walkers
                for i in range(walkers):
                    if i >= room:
                        self.new["away"].append(
                            TurnedAway(
                                office=self.office,
                                service=service,
                                day=day,
                                reason="Kuota hari ini sudah habis.",
                                at=start,
                            )
                        )
                        continue
                    slot.booked += 1
                    number += 1
                    self.ticket(slot, day, start, number, None)

    def booking(self, slot: Slot, day: dt.date, start: dt.datetime, number: int) -> None:
        rng = self.rng
        status = rng.choices(["checked_in", "no_show", "cancelled"], [84, 10, 6])[0]
        nik = f"6471{self.n:012d}"
        self.n += 1
        b = Booking(
            office=self.office,
            service=slot.service,
            slot=slot,
            day=day,
            nik=nik,
            nik_hash=lookup_hash(nik),
            name=f"Warga {self.n}",
            status=status,
            created_at=start - dt.timedelta(days=rng.randint(1, 6)),
        )
        self.new["booking"].append(b)
        if status != "cancelled":
            slot.booked += 1
        if status == "checked_in":
            b.checked_in_at = start + dt.timedelta(minutes=rng.uniform(0, 30))
            self.ticket(slot, day, b.checked_in_at, number, b)

    def ticket(self, slot, day, arrived: dt.datetime, number: int, booking) -> None:
        rng = self.rng
        wait = dt.timedelta(minutes=(8 if booking else 20) * math.exp(rng.gauss(0, 0.6)))
        status = "served" if rng.random() > 0.03 else "no_show"
        self.new["ticket"].append(
            Ticket(
                office=self.office,
                day=day,
                number=number,
                service=slot.service,
                slot=slot,
                booking=booking,
                rank=1 if booking else 2,
                status=status,
                created_at=arrived,
                called_at=arrived + wait,
                finished_at=arrived + wait + dt.timedelta(minutes=10),
            )
        )

    # --- writing ------------------------------------------------------------------------------
    def flush(self) -> dict[str, int]:
        order = [
            (Contact, "contact"),
            (Conversation, "conversation"),
            (Application, "application"),
            (ApplicationEvent, "event"),
            (InboundMessage, "inbound"),
            (Turn, "turn"),
            (OutboundMessage, "outbound"),
            (Claim, "claim"),
            (Slot, "slot"),
            (Booking, "booking"),
            (Ticket, "ticket"),
            (TurnedAway, "away"),
        ]
        counts = {}
        for model, key in order:
            if self.new[key]:
                model.objects.bulk_create(self.new[key], batch_size=500)
            counts[key] = len(self.new[key])
        self.reset()
        return {"permohonan": counts["application"], **counts}

    def roster(self, first: dt.date, today: dt.date, closures: set, phase_of) -> dict:
        """Monthly piket periods before this month: all in the office in normal times, every
        other day during the emergency; attendance and WFH reports as people really do."""
        employees = list(Employee.objects.filter(office=self.office, active=True))
        end = today.replace(day=1) - dt.timedelta(days=1)
        if not employees or end < first:
            return {"piket": 0}
        assignments, attendance = [], []
        month = first.replace(day=1)
        while month <= end:
            last = min((month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), end)
            start = max(month, first)
            period = RosterPeriod.objects.create(
                office=self.office,
                name=f"Piket {month:%m/%Y} (riwayat)",
                start=start,
                end=last,
                office_every=2,
                max_in_office=len(employees) // 2,
            )
            day = start
            while day <= last:
                if day.weekday() < 5 and day not in closures:
                    emergency = phase_of(day) != "normal"
                    for i, e in enumerate(employees):
                        here = not emergency or (i + day.toordinal()) % 2 == 0
                        assignments.append(
                            Assignment(
                                period=period,
                                employee=e,
                                date=day,
                                mode="office" if here else "wfh",
                            )
                        )
                        at = dt.datetime.combine(day, dt.time(7, 30), tzinfo=self.tz)
                        if here and self.rng.random() < 0.95:
                            attendance.append(
                                Attendance(
                                    employee=e,
                                    date=day,
                                    check_in=at + dt.timedelta(minutes=self.rng.uniform(0, 50)),
                                )
                            )
                        elif not here and self.rng.random() < 0.85:
                            attendance.append(
                                Attendance(
                                    employee=e,
                                    date=day,
                                    wfh_report="Memverifikasi berkas daring.",
                                    reported_at=at + dt.timedelta(hours=9),
                                )
                            )
                day += dt.timedelta(days=1)
            month = last + dt.timedelta(days=1)
        Assignment.objects.bulk_create(assignments, batch_size=1000)
        Attendance.objects.bulk_create(attendance, batch_size=1000, ignore_conflicts=True)
        return {"piket": len(assignments)}
