"""{% doccheck_status document token %} under an upload of the citizen's form (polls until the
check is done); {% doccheck_staff document %} next to a document on the verifikator's page."""

from django import template

from loket.doccheck.checks import check_of, report

register = template.Library()


@register.inclusion_tag("doccheck/_status.html")
def doccheck_status(document, token: str = "") -> dict:
    return {
        "document": document,
        "token": token,
        "report": report(check_of(document)) if document is not None else None,
    }


@register.inclusion_tag("doccheck/_staff.html")
def doccheck_staff(document, with_text: bool = True) -> dict:
    """`with_text`: the text read too (collapsed); pages whose reads are not audited per
    application (the inbox) show the findings only."""
    return {"document": document, "report": report(check_of(document)), "with_text": with_text}
