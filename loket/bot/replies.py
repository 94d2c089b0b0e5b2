"""What the bot says: each reply is a text template rendered and put in the outbox."""

from django.apps import apps
from django.template import TemplateDoesNotExist, engines
from django.utils import timezone, translation

from loket.catalog.models import Mode, Office, OfficeClosure, Service
from loket.catalog.policy import ServiceStatus, all_statuses, policy_in_force, service_status
from loket.core.links import absolute, make_token
from loket.whatsapp import outbox
from loket.whatsapp.models import Contact

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
    )


def send_service(contact: Contact, service: Service) -> ServiceStatus:
    status = service_status(contact.office, service)
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
    link = personal_link(contact, service)
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
    services = list(Service.objects.filter(group=group))
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


def send_hours(contact: Contact) -> None:
    office = contact.office
    statuses = all_statuses(office)
    by_mode = {mode: [s.service.short_name for s in statuses if s.mode == mode] for mode in Mode}
    outbox.queue_text(
        contact,
        render(
            "hours",
            office=office,
            hours=list(office.hours.all()),
            policy=policy_in_force(office),
            suspended=by_mode[Mode.SUSPENDED],
            limited=by_mode[Mode.LIMITED],
            online=by_mode[Mode.ONLINE_ONLY],
            tz_label="WITA",
            **office_day(office),
        ),
    )


def send_handoff(contact: Contact) -> None:
    outbox.queue_text(
        contact, render("handoff", office=contact.office, **office_day(contact.office))
    )


def send_status(contact: Contact, applications: list) -> None:
    outbox.queue_text(contact, render("status", applications=applications))


def send_simple(contact: Contact, template_name: str, **context) -> None:
    outbox.queue_text(contact, render(template_name, office=contact.office, **context))
