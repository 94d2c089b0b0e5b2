from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from loket.catalog.policy import all_statuses, policy_in_force
from loket.staff.access import staff_required


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/home.html",
        {"policy": policy_in_force(request.office), "statuses": all_statuses(request.office)},
    )
