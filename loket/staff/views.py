from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from loket.catalog.policy import all_statuses, policy_in_force
from loket.staff.access import is_installation_admin, staff_required
from loket.staff.models import Role


def home(request: HttpRequest) -> HttpResponse:
    if is_installation_admin(request.user):
        return redirect("staff:offices")  # the IT person of the installation: the offices
    return office_home(request)


@staff_required(*Role.values)  # every role, the province's read-only one too
def office_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/home.html",
        {"policy": policy_in_force(request.office), "statuses": all_statuses(request.office)},
    )
