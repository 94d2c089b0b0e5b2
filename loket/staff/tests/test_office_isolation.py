"""Two offices on one installation: office A's staff, in every role, walk every staff URL
(found from the URL resolver, so a new page is walked without touching this file), every
download and every admin list and change page, with path parameters set to office B's object
ids; nothing of office B is shown, and nothing of office B changes.

Office B's names all carry MARK; downloads are read as the person would (xlsx
cells, PDF text). The province role reads reports across offices by design: its province page
is the one page allowed to name office B.
"""

import io
import itertools

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from loket.staff.models import Role
from loket.staff.tests import isolation_data as data

pytestmark = pytest.mark.django_db

SKIPPED_ROUTES = {
    "staff:login",
    "staff:logout",
    "staff:2fa",
    "staff:2fa-enrol",
    # The secret link Meta fetches a staff-sent PDF from: a capability URL, not a staff page
    # (whoever holds the 43-character token may fetch it, for 7 days).
    "inbox:document",
}
ALLOWED = {Role.PROVINSI: {"reports:province"}}  # reports across offices: its very purpose
STR_VALUES = {
    "action": [
        "verify",
        "correction",
        "process",
        "reject",
        "reopen",
        "assign",
        "finish",
        "pickup",
        "serve",
        "no-show",
        "call",
    ],
    "key": ["semua"],
    "fmt": ["csv", "xlsx", "pdf"],
}
QUERY = "?periode={period}&petugas={user}&status=semua&hari=&rentang=7"


def staff_routes() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(name, route, [(parameter, converter)]) of every URL under /staf/."""
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                yield from walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), f"{namespace}:{entry.name}", entry.pattern

    for route, name, pattern in walk(get_resolver(), "", ""):
        if not route.startswith("staf/") or name in SKIPPED_ROUTES:
            continue
        converters = getattr(pattern, "converters", {})
        params = [(p, type(c).__name__) for p, c in converters.items()]
        found.append((name, route, params))
    return found


def fill(route: str, values: dict) -> str:
    path = route
    for name, value in values.items():
        for conv in ("int", "str", "slug", "path", ""):
            token = f"<{conv}:{name}>" if conv else f"<{name}>"
            path = path.replace(token, str(value))
    return "/" + path


def candidates(params, b_ids, parent_pairs) -> list[dict]:
    """Values for the path parameters: every sampled id of office B for one int parameter,
    (parent, child) id pairs of office B for two."""
    ints = [p for p, c in params if c == "IntConverter"]
    strs = [p for p, c in params if c != "IntConverter"]
    if len(ints) == 0:
        int_values = [{}]
    elif len(ints) == 1:
        int_values = [{ints[0]: v} for v in sorted(b_ids)]
    else:
        int_values = [dict(zip(ints, pair, strict=False)) for pair in sorted(parent_pairs)]
    str_values = [
        dict(zip(strs, combo, strict=True))
        for combo in itertools.product(*(STR_VALUES.get(p, ["x"]) for p in strs))
    ]
    return [{**i, **s} for i in int_values for s in str_values]


def visible_text(response) -> str:
    """What a person would read: the page, or the cells of a workbook, or a PDF's text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if body[:4] == b"PK\x03\x04":  # xlsx
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if body[:5] == b"%PDF-":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if kind.startswith("image/"):
        return ""
    return body.decode("utf-8", "replace")


@pytest.fixture
def installation(office):
    b = data.office_b()
    a_staff = data.staff(office, "a")
    b_staff = data.staff(b, "b")
    data.fill(office, seed=1)
    data.fill(b, seed=2)
    data.mark(b)
    ids = data.sample_ids(b, per_model=1)
    b_ids = {pk for pks in ids.values() for pk in pks}
    pairs = set()
    for model, _ in data.scoped_models():
        for field in model._meta.concrete_fields:
            if field.many_to_one and model in ids:
                for pk in ids[model]:
                    parent = model.objects.filter(pk=pk).values_list(field.attname, flat=True)[0]
                    if parent is not None:
                        pairs.add((parent, pk))
    from loket.roster.models import RosterPeriod

    query = QUERY.format(
        period=RosterPeriod.objects.filter(office=b).values_list("pk", flat=True).first(),
        user=b_staff[Role.OPERATOR].pk,
    )
    return {
        "a": office,
        "b": b,
        "a_staff": a_staff,
        "b_ids": b_ids,
        "pairs": pairs,
        "query": query,
    }


def leaks(response) -> bool:
    if response.status_code != 200:
        return False
    return data.MARK in visible_text(response)


@pytest.mark.parametrize("role", data.ROLES)
def test_no_staff_page_or_download_of_office_a_shows_or_changes_office_b(
    client, installation, role
):
    client.force_login(installation["a_staff"][role])
    before = data.snapshot(installation["b"])
    shown, walked = [], 0
    for name, route, params in staff_routes():
        allowed = name in ALLOWED.get(role, set())
        for values in candidates(params, installation["b_ids"], installation["pairs"]):
            path = fill(route, values)
            suffixes = [""] if params else ["", installation["query"]]
            for suffix in suffixes:
                response = client.get(path + suffix)
                walked += 1
                if not allowed and leaks(response):
                    shown.append(f"GET {path}{suffix}")
            if params:  # a POST to office B's object must neither show nor change it
                response = client.post(path, {"confirm": "1", "reason": "uji", "note": "uji"})
                walked += 1
                if not allowed and leaks(response):
                    shown.append(f"POST {path}")
    assert walked > 300
    assert not shown, f"{role} of office A sees office B at: {shown}"
    assert data.snapshot(installation["b"]) == before, "office A's requests changed office B"


def test_office_b_pages_work_for_office_b(client, installation):
    """The walk can fail: office B's own admin does see Samarinda's data on the same pages."""
    from loket.staff.models import StaffMember

    admin_b = StaffMember.objects.get(office=installation["b"], role=Role.ADMIN).user
    client.force_login(admin_b)
    seen = set()
    for name, route, params in staff_routes():
        for values in candidates(params, installation["b_ids"], installation["pairs"]):
            if name not in seen and leaks(client.get(fill(route, values))):
                seen.add(name)
    assert {
        "inbox:index",
        "roster:calendar",
        "broadcasts:index",
        "broadcasts:detail",
        "applications:detail",
        "roster:print",
        "staff:policy-draft",
    } <= seen, seen


def test_no_admin_list_or_change_page_shows_office_b(client, installation):
    user = installation["a_staff"][Role.ADMIN]  # is_staff and superuser, but of office A
    client.force_login(user)
    b = installation["b"]
    shown = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        if leaks(response):
            shown.append(f"list {model._meta.label}")
        path = data.office_path(model)
        if path is None:
            continue
        for pk in model.objects.filter(**{path: b.pk}).values_list("pk", flat=True)[:2]:
            for view in ("change", "history", "delete"):
                url = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[pk])
                response = client.get(url)
                if response.status_code == 200:
                    shown.append(f"{view} {model._meta.label} {pk}")
    assert not shown, f"office A's admin sees office B in the admin: {shown}"
