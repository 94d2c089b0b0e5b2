"""Access checks for staff pages: who is logged in, in which office, with which role."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from loket.staff.models import Role, StaffMember


def staff_member(user) -> StaffMember | None:
    if not user.is_authenticated:
        return None
    return StaffMember.objects.select_related("office", "user").filter(user=user).first()


def staff_required(*roles: str):
    """Only staff of an office (with one of `roles`, admin always) see the page.

    Sets `request.staff` (the StaffMember) and `request.office`.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            member = staff_member(request.user)
            if member is None or not member.has_role(*roles):
                raise PermissionDenied("Halaman ini tidak untuk peran Anda.")
            request.staff = member
            request.office = member.office
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def is_installation_admin(user) -> bool:
    """The IT person of a multi-office install: an active superuser who belongs to no office
    (the same person the admin scope lets see every office)."""
    return user.is_authenticated and admin_scope(user).everything


def installation_admin_required(view):
    """The offices page (/staf/kantor/): installation admins only; office staff get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_installation_admin(request.user):
            raise PermissionDenied("Halaman ini hanya untuk admin instalasi.")
        return view(request, *args, **kwargs)

    return wrapped


WRITE_ROLES = (Role.OPERATOR, Role.VERIFIKATOR, Role.ADMIN)


def admin_scope(user):
    """What the Django admin shows this user (settings.LOKET_ADMIN_SCOPE; see core.admin_scope).

    Staff of an office see their office only, even with superuser flags; an installation-wide
    superuser without a StaffMember sees everything; anyone else nothing.
    """
    from loket.core.admin_scope import AdminScope

    member = staff_member(user)
    if member is not None:
        return AdminScope(office_id=member.office_id)
    if user.is_active and user.is_superuser:
        return AdminScope(everything=True)
    return AdminScope()
