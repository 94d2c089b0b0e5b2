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


WRITE_ROLES = (Role.OPERATOR, Role.VERIFIKATOR, Role.ADMIN)
