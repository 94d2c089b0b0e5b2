"""Two offices with data in every app, for the isolation tests: office B's names all carry
MARK, so a page of office A that shows any of them leaks."""

import datetime as dt

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from loket.catalog import offices
from loket.catalog.models import Office, OfficeClosure, Service, ServicePolicy
from loket.core.admin_scope import office_path  # noqa: F401  (used by the tests)
from loket.staff.models import Role, StaffMember

MARK = "Zamrud"  # a made-up word: no demo text contains it
ROLES = [Role.OPERATOR, Role.VERIFIKATOR, Role.KEPALA, Role.ADMIN, Role.PROVINSI]
# text fields renamed on office B's rows so that any of them on a page is seen
MARKED_FIELDS = {"name", "title", "profile_name", "reason", "policy_name"}


def office_b() -> Office:
    return offices.create_office(
        offices.OfficeInput(
            name=f"Disdukcapil {MARK} Kota Samarinda",
            slug="samarinda",
            region_code="64.72",
            phone_number_id="109200000000777",
            whatsapp_display_number="+62 541 700777",
        ),
        by=None,
    )


def staff(office: Office, suffix: str) -> dict[str, object]:
    users = {}
    for role in ROLES:
        user = get_user_model().objects.create_user(
            f"{role}-{suffix}",
            password="rahasia-123",
            first_name=f"{role.title()} {suffix.upper()}",
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,  # a superuser of an office is still office staff
        )
        StaffMember.objects.create(user=user, office=office, role=role)
        users[role] = user
    return users


def fill(office: Office, seed: int) -> None:
    """Every app's demo data plus a short history (applications, chats, bookings, roster)."""
    from loket.applications import demo as applications_demo
    from loket.appointments import demo as appointments_demo
    from loket.broadcasts import demo as broadcasts_demo
    from loket.broadcasts.models import Broadcast, MessageTemplate
    from loket.inbox import demo as inbox_demo
    from loket.reports.history import seed_history
    from loket.roster import demo as roster_demo

    applications_demo.seed(office)
    appointments_demo.seed(office)
    broadcasts_demo.seed(office)
    inbox_demo.seed(office)
    roster_demo.seed(office)
    seed_history(office, 3, seed=seed, scale=0.05)
    template = MessageTemplate.objects.filter(office=office).first()
    Broadcast.objects.create(
        office=office, title="Siaran jadwal", template=template, service=Service.objects.first()
    )
    ServicePolicy.objects.create(
        office=office, name="Draf kebijakan", starts_at=timezone.now(), is_draft=True
    )
    # inbox: two chats handed to staff, one claimed; broadcasts: an official; roster: leave
    from loket.bot.models import Conversation
    from loket.broadcasts.models import Official
    from loket.inbox.models import Claim
    from loket.roster.models import Absence, Employee
    from loket.whatsapp.models import Contact

    member = StaffMember.objects.filter(office=office, role=Role.OPERATOR).first()
    for index, contact in enumerate(Contact.objects.filter(office=office).order_by("pk")[:2]):
        conversation, _ = Conversation.objects.update_or_create(
            contact=contact,
            defaults={
                "state": Conversation.State.HANDED_TO_STAFF,
                "handoff_reason": Conversation.Reason.ASKED,
            },
        )
        if index == 0 and member is not None:
            Claim.objects.create(
                conversation=conversation,
                claimed_by=member.user,
                claimed_at=timezone.now(),
                handed_at=timezone.now(),
                reason="asked",
            )
        Official.objects.create(
            office=office,
            contact=contact,
            name=f"Lurah {index}",
            role=Official.Role.LURAH,
            region_code=f"{office.region_code}.0{index + 1}",
        )
    employee = Employee.objects.filter(office=office).first()
    Absence.objects.create(
        employee=employee,
        kind=Absence.Kind.CUTI,
        start=timezone.localdate() + dt.timedelta(days=3),
        end=timezone.localdate() + dt.timedelta(days=4),
        note="Cuti tahunan",
    )
    OfficeClosure.objects.get_or_create(
        office=office,
        date=timezone.localdate() + dt.timedelta(days=40),
        defaults={"reason": "Hari jadi kota"},
    )


def scoped_models() -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in ("catalog", "staff") and not model.__module__.startswith(
            "loket."
        ):
            continue
        path = office_path(model)
        if path is not None:
            found.append((model, path))
    return found


def mark(office: Office) -> None:
    """Office B's names carry MARK (the office's own name already does)."""
    for model, path in scoped_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if f.name in MARKED_FIELDS
            and isinstance(f, (models.CharField, models.TextField))
            and not f.unique
            and not f.choices
        ]
        if not names or model is Office:
            continue
        for row in model.objects.filter(**{path: office.pk}):
            for name in names:
                value = getattr(row, name) or ""
                if MARK not in value:
                    setattr(
                        row,
                        name,
                        f"{value} {MARK}".strip()[: model._meta.get_field(name).max_length or 1000],
                    )
            row.save(update_fields=names)


def snapshot(office: Office) -> dict[str, list]:
    """Every row of office B, every column: compared before and after the walk."""
    rows = {}
    for model, path in scoped_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.label] = [
            tuple(str(v) for v in row)
            for row in model.objects.filter(**{path: office.pk}).order_by("pk").values_list(*fields)
        ]
    return rows


def sample_ids(office: Office, per_model: int = 1) -> dict[type[models.Model], list[int]]:
    ids = {}
    for model, path in scoped_models():
        found = list(
            model.objects.filter(**{path: office.pk})
            .order_by("-pk")
            .values_list("pk", flat=True)[:per_model]
        )
        if found and isinstance(found[0], int):
            ids[model] = found
    return ids
