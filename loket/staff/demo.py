"""Demo staff, one per role (the personas of the tests): all share the demo password."""

from django.conf import settings
from django.contrib.auth import get_user_model

from loket.catalog.models import Office
from loket.staff.models import Role, StaffMember

PERSONAS = [
    ("admin", "Admin", "Loket", Role.ADMIN),
    ("sari", "Sari", "Front Office", Role.OPERATOR),
    ("dewi", "Dewi", "Verifikator", Role.VERIFIKATOR),
    ("kepala", "Kepala", "Dinas", Role.KEPALA),
]


def seed(office: Office) -> None:
    User = get_user_model()  # noqa: N806
    login = settings.DATA_DIR / "demo_login.txt"
    password = login.read_text().split("/")[-1].split()[0] if login.exists() else None
    for username, first, last, role in PERSONAS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if password and not user.check_password(password):
            user.set_password(password)
            user.save()
        StaffMember.objects.update_or_create(user=user, defaults={"office": office, "role": role})
