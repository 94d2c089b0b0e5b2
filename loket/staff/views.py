from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from loket.catalog.policy import all_statuses, policy_in_force
from loket.staff.access import staff_required
from loket.staff.models import Role


@staff_required(*Role.values)  # every role, the province's read-only one too
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/home.html",
        {"policy": policy_in_force(request.office), "statuses": all_statuses(request.office)},
    )
