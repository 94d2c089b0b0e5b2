"""Where an application stands, for the bot ("sudah jadi belum?") and the /cek/ page.

Only public facts: ticket, service, state and the timestamped steps. No name, NIK or notes.
"""

from loket.applications.models import Application, State


def public_history(application: Application) -> list[dict]:
    """The steps of an application: [{"at": aware datetime, "label": str}], oldest first."""
    events = application.events.all()
    return [{"at": event.at, "label": event.label} for event in events]


def summaries_for_contact(contact, limit: int = 5) -> list[dict]:
    """The contact's sent applications, newest first, with their history (date and time)."""
    applications = (
        Application.objects.filter(contact=contact)
        .exclude(state=State.DRAFT)
        .select_related("service")
        .prefetch_related("events")
        .order_by("-submitted_at", "-id")[:limit]
    )
    return [
        {
            "ticket": application.ticket,
            "service_name": application.service.name,
            "state": application.state,
            "state_label": application.get_state_display(),
            "history": public_history(application),
        }
        for application in applications
    ]
