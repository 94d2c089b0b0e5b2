from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from loket.catalog.models import Service
from loket.catalog.policy import service_status
from loket.core.links import LinkClaims, LinkError, read_token
from loket.core.views import link_error
from loket.whatsapp.models import Contact


def resolve_link(token: str) -> tuple[Contact, Service, LinkClaims]:
    """The contact and service a personal link was made for; LinkError when it is not valid."""
    claims = read_token(token)
    contact = Contact.objects.select_related("office").filter(pk=claims.contact_id).first()
    service = Service.objects.filter(code=claims.service_code).first()
    if contact is None or service is None:
        raise LinkError("invalid")
    return contact, service, claims


def service_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        contact, service, claims = resolve_link(token)
    except LinkError as error:
        return link_error(request, error.reason)
    if apps.is_installed("loket.applications"):  # the online form, the draft or the receipt
        from loket.applications.views import apply

        return apply(request, contact, service, claims)
    return render(
        request,
        "bot/service_page.html",
        {
            "contact": contact,
            "office": contact.office,
            "service": service,
            "status": service_status(contact.office, service),
            "expires": claims.expires_at,
        },
    )
