from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from loket.staff.access import staff_member


def staff_nav(request) -> dict:
    """The staff navigation, gathered from every app's `staff_nav` and filtered by role.

    An item may name a `badge` function (dotted path, called with the StaffMember) whose number,
    when not zero, is shown next to it (e.g. overdue applications).
    """
    if not request.path.startswith("/staf/"):
        return {}
    member = getattr(request, "staff", None) or staff_member(request.user)
    if member is None:
        return {}
    items = []
    for config in apps.get_app_configs():
        for item in getattr(config, "staff_nav", []):
            if not member.has_role(*(item.get("roles") or ())):
                continue
            try:
                url = reverse(item["url"])
            except NoReverseMatch:
                continue
            items.append(
                {
                    "label": item["label"],
                    "url": url,
                    "order": item.get("order", 50),
                    "badge": import_string(item["badge"])(member) if item.get("badge") else 0,
                    "badge_title": item.get("badge_title", ""),
                    "active": request.path == url
                    or (url != "/staf/" and request.path.startswith(url)),
                }
            )
    return {"staff_nav": sorted(items, key=lambda i: i["order"]), "staff": member}
