"""The citizen's form polls here (htmx, every 2 s) until the check of an upload is done."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from loket.applications.views import linked_document
from loket.core.links import LinkError
from loket.core.views import link_error
from loket.doccheck.checks import check_of, report


@require_GET
def status(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    try:
        document = linked_document(token, pk)
    except LinkError as error:
        return link_error(request, error.reason)
    context = {
        "document": document,
        "token": token,
        "report": report(check_of(document)),
    }
    return render(request, "doccheck/_status.html", context)
