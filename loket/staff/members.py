"""An office's staff accounts as the installation admin makes them (/staf/kantor/<id>/staf/).

A new office needs its first kepala or admin: made here with a starting password (they enrol
their authenticator app at first sign-in), or an existing account with no office is assigned.
Every change is written to the audit log.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from loket.catalog.models import Office
from loket.core.audit import log_action
from loket.staff.models import Role, StaffMember

FIRST_ROLES = [(Role.KEPALA.value, "Kepala dinas"), (Role.ADMIN.value, "Admin kantor")]


class MemberError(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def unassigned_accounts():
    """Active accounts that belong to no office yet (installation superusers excluded)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False, staff_member__isnull=True)
        .order_by("username")
    )


def add_member(
    office: Office,
    *,
    username: str,
    full_name: str,
    role: str,
    password: str,
    by,
    request=None,
) -> StaffMember:
    User = get_user_model()  # noqa: N806
    errors: dict[str, str] = {}
    username = username.strip()
    if not username:
        errors["username"] = "Nama pengguna wajib diisi."
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = "Nama pengguna ini sudah dipakai."
    if role not in dict(FIRST_ROLES):
        errors["role"] = "Pilih kepala dinas atau admin kantor."
    first, _, last = full_name.strip().partition(" ")
    candidate = User(username=username, first_name=first, last_name=last)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        errors["password"] = " ".join(error.messages)
    if errors:
        raise MemberError(errors)
    with transaction.atomic():
        user = User.objects.create_user(username, password=password, first_name=first)
        user.last_name = last
        user.save(update_fields=["last_name"])
        member = StaffMember.objects.create(user=user, office=office, role=role)
        log_action(
            "staff.member_added", member, actor=by, request=request, office=office.slug, role=role
        )
    return member


def assign_member(office: Office, *, user_id: int, role: str, by, request=None) -> StaffMember:
    user = unassigned_accounts().filter(pk=user_id).first()
    errors = {}
    if user is None:
        errors["user"] = "Pilih akun yang belum terdaftar di kantor mana pun."
    if role not in dict(FIRST_ROLES):
        errors["role"] = "Pilih kepala dinas atau admin kantor."
    if errors:
        raise MemberError(errors)
    with transaction.atomic():
        member = StaffMember.objects.create(user=user, office=office, role=role)
        log_action(
            "staff.member_assigned",
            member,
            actor=by,
            request=request,
            office=office.slug,
            role=role,
        )
    return member
