"""What the bot says: each reply is a text template rendered and put in the outbox."""

from django.apps import apps
from django.template import TemplateDoesNotExist, engines
from django.utils import timezone, translation

from loket.applications.blankforms import blank_form_links
from loket.bot.office_time import staff_answer, zone_label
from loket.catalog.models import Mode, Office, OfficeClosure, OfficeHours, Service
from loket.catalog.policy import (
    ServiceStatus,
    all_statuses,
    offered_services,
    policy_in_force,
    service_named,
    service_status,
)
from loket.core.links import absolute, make_token
from loket.whatsapp import outbox
from loket.whatsapp.models import Contact
from loket.whatsapp.outbox import BUTTON_TITLE_LIMIT, MAX_BUTTONS

GROUPS = [
    ("ktp", "KTP-el dan IKD", "Rekam, cetak, ganti KTP-el"),
    ("kk", "Kartu Keluarga", "KK baru, ubah, hilang/rusak"),
    ("kia", "KIA (kartu anak)", "Kartu Identitas Anak"),
    ("pindah", "Pindah / datang", "Surat pindah, pindah datang"),
    ("lahir", "Akta kelahiran", "Pencatatan kelahiran"),
    ("mati", "Akta kematian", "Pencatatan kematian"),
    ("akta", "Akta lainnya", "Kawin, cerai, anak, ubah nama"),
    ("loket", "Legalisir/ambil dokumen", "Layanan di loket"),
]
# Options of the clarifying question that are not services (their reply ids as the menu's).
OPTION_TITLES = {"status": "Cek status", "jadwal": "Jam layanan", "operator": "Bicara dgn petugas"}
OTHER_TITLE = "Lainnya (menu)"
MENU_EXTRA_ROWS = [
    ("status", "Cek status permohonan", "Lihat perkembangan berkas"),
    ("operator", "Bicara dengan petugas", "Diteruskan ke petugas"),
]


def render(template_name: str, **context) -> str:
    """The Indonesian template, or its English version when English is active and one exists."""
    names = [f"bot/messages/{template_name}.txt"]
    if (translation.get_language() or "").split("-")[0] == "en":
        names.insert(0, f"bot/messages/en/{template_name}.txt")
    for name in names:
        try:
            template = engines["text"].get_template(name)
        except TemplateDoesNotExist:
            continue
        return template.render(context).strip()
    raise TemplateDoesNotExist(", ".join(names))


def personal_link(contact: Contact, service: Service) -> str:
    from django.urls import reverse

    return absolute(reverse("bot:link", args=[make_token(contact.pk, service.code)]))


def service_text(
    office: Office, service: Service, status: ServiceStatus, link=None, booking_link=None
) -> str:
    """The bot's answer about `service` under `status` (also the policy page's preview)."""
    from django.conf import settings

    if not status.offered:
        return render("not_offered", service=service, status=status, office=office)
    if status.is_suspended:
        return render("suspended", service=service, status=status, office=office)
    return render(
        "service",
        service=service,
        status=status,
        office=office,
        link=link,
        booking_link=booking_link,
        link_days=settings.LOKET_LINK_MAX_AGE_DAYS,
        tz_label=zone_label(office),
        blank_forms=blank_form_links(service),
    )


def send_service(contact: Contact, service: Service) -> ServiceStatus:
    status = service_status(contact.office, service)
    if not status.offered:  # another office's service: say so, nothing to wait for
        outbox.queue_text(contact, service_text(contact.office, service, status))
        return status
    if status.is_suspended:
        outbox.queue_buttons(
            contact,
            service_text(contact.office, service, status),
            [
                (f"notify:yes:{service.code}", "Ya, kabari saya"),
                (f"notify:no:{service.code}", "Tidak"),
            ],
        )
        return status
    # A service that needs the citizen at the counter (the catalog's `needs_presence`) gets the
    # booking link and what to bring; the online form and "siapkan foto" are for the others.
    link = None if service.needs_presence else personal_link(contact, service)
    booking_link = None
    if apps.is_installed("loket.appointments") and status.in_person and service.needs_presence:
        from loket.appointments.links import booking_link as make_booking_link

        booking_link = make_booking_link(contact, service)
    outbox.queue_text(contact, service_text(contact.office, service, status, link, booking_link))
    return status


def send_menu(contact: Contact, greeting: bool = False, unsure: bool = False) -> None:
    text = render(
        "menu", office=contact.office, greeting=greeting, unsure=unsure, name=contact.profile_name
    )
    rows = [(f"grp:{key}", title, desc) for key, title, desc in GROUPS] + MENU_EXTRA_ROWS
    outbox.queue_list(contact, text, "Pilih layanan", rows)


def send_group(contact: Contact, group: str) -> bool:
    services = list(offered_services(contact.office).filter(group=group))
    if not services:
        return False
    if len(services) == 1:
        send_service(contact, services[0])
        return True
    title = dict((k, t) for k, t, _ in GROUPS).get(group, group)
    statuses = {s.service.pk: s for s in all_statuses(contact.office)}
    rows = [(f"svc:{s.code}", s.short_name, statuses[s.pk].mode_label) for s in services]
    outbox.queue_list(contact, render("group", group_title=title), "Pilih", rows)
    return True


def office_day(office: Office) -> dict:
    today = timezone.localdate()
    return {
        "today": today,
        "today_hours": office.hours_on(today),
        "closure": OfficeClosure.objects.filter(office=office, date=today).first(),
    }


EN_WEEKDAYS = list(
    enumerate(["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"])
)


def send_hours(contact: Contact) -> None:
    office = contact.office
    statuses = all_statuses(office)
    by_mode = {
        mode: [s.service.short_name for s in statuses if s.mode == mode and s.offered]
        for mode in Mode
    }
    hours = list(office.hours.all())
    open_days = {h.weekday for h in hours}
    outbox.queue_text(
        contact,
        render(
            "hours",
            office=office,
            hours=hours,
            closed_days=[name for day, name in OfficeHours.WEEKDAYS if day not in open_days],
            closed_days_en=[name for day, name in EN_WEEKDAYS if day not in open_days],
            policy=policy_in_force(office),
            suspended=by_mode[Mode.SUSPENDED],
            limited=by_mode[Mode.LIMITED],
            online=by_mode[Mode.ONLINE_ONLY],
            tz_label=zone_label(office),
            when=staff_answer(office),
            **office_day(office),
        ),
    )


def send_handoff(contact: Contact, complaint: bool = False) -> None:
    """The conversation goes to staff: says honestly when a person will answer."""
    office = contact.office
    outbox.queue_text(
        contact, render("handoff", office=office, when=staff_answer(office), complaint=complaint)
    )


def option_title(code: str) -> str:
    return OPTION_TITLES.get(code) or getattr(service_named(code), "short_name", code)


def option_id(code: str) -> str:
    return code if code in OPTION_TITLES else f"svc:{code}"


def send_clarify(contact: Contact, options: list[str]) -> None:
    """ "Maksud Bapak/Ibu yang mana?": up to 3 options as reply buttons when their titles fit
    in 20 characters (with "Lainnya (menu)" when there is room), else a list with that row.
    Ids as the menu's: `svc:<code>`, `status`, `jadwal`, `operator`, `menu`."""
    choices = [(option_id(code), option_title(code)) for code in options]
    text = render("clarify", options=[title for _, title in choices])
    other = ("menu", OTHER_TITLE)
    if len(choices) <= MAX_BUTTONS and all(len(t) <= BUTTON_TITLE_LIMIT for _, t in choices):
        buttons = choices + [other] if len(choices) < MAX_BUTTONS else choices
        outbox.queue_buttons(contact, text, buttons)
        return
    labels = {s.service.code: s.mode_label for s in all_statuses(contact.office)}
    rows = [(rid, title, labels.get(rid.removeprefix("svc:"), "")) for rid, title in choices]
    outbox.queue_list(contact, text, "Pilih", [*rows, (*other, "Semua layanan")])


def send_appointments(contact: Contact, services: list[Service]) -> None:
    """Booking links for the counter's services and today's queue ("antrian nomor berapa")."""
    office = contact.office
    links, queue = [], None
    if apps.is_installed("loket.appointments"):
        from loket.appointments.links import booking_link
        from loket.appointments.today import queue_today

        for service in services:
            link = booking_link(contact, service)
            if link:
                links.append((service, link))
        queue = queue_today(office, contact)
    outbox.queue_text(
        contact,
        render(
            "appointments",
            office=office,
            links=links,
            queue=queue,
            tz_label=zone_label(office),
            when=staff_answer(office),
            **office_day(office),
        ),
    )


def send_status(contact: Contact, applications: list) -> None:
    outbox.queue_text(contact, render("status", applications=applications))


def send_simple(contact: Contact, template_name: str, **context) -> None:
    outbox.queue_text(contact, render(template_name, office=contact.office, **context))


def send_media_received(contact: Contact) -> None:
    """A photo, document or voice note reached a person's inbox: when they will look at it."""
    office = contact.office
    outbox.queue_text(contact, render("media_received", office=office, when=staff_answer(office)))
