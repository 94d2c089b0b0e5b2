"""/staf/kantor/: the installation admin adds offices and sets each one's number, hours,
services and first staff account. The rules live in loket.catalog.offices and
loket.staff.members; office staff (every role) get 403 here.
"""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from loket.catalog import offices as domain
from loket.catalog import policy_editor as editor
from loket.catalog.models import Office
from loket.catalog.policy import policy_in_force
from loket.staff import members
from loket.staff.access import installation_admin_required
from loket.staff.models import StaffMember
from loket.staff.office_forms import AssignForm, MemberForm, OfferingsForm, OfficeForm
from loket.staff.policy_forms import HoursForm


@installation_admin_required
def index(request: HttpRequest) -> HttpResponse:
    offices = Office.objects.annotate(staff_count=Count("staff_members")).order_by("name")
    return render(request, "staff/offices/index.html", {"offices": offices})


@installation_admin_required
def create(request: HttpRequest) -> HttpResponse:
    form = OfficeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            office = domain.create_office(form.to_input(), request.user, request=request)
        except domain.OfficeError as error:
            form.add_errors(error.errors)
        else:
            messages.success(
                request,
                f"Kantor “{office.name}” ditambahkan: jam layanan Senin–Jumat 08.00–15.00 dan "
                "semua layanan dibuka. Buat akun kepala atau admin kantornya di bawah.",
            )
            return redirect("staff:office", pk=office.pk)
    return render(request, "staff/offices/form.html", {"form": form, "office": None})


@installation_admin_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_object_or_404(Office, pk=pk)
    form = OfficeForm.for_office(office, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = domain.update_office(office, form.to_input(), request.user, request=request)
        except domain.OfficeError as error:
            form.add_errors(error.errors)
        else:
            messages.success(
                request, "Data kantor disimpan." if changed else "Tidak ada perubahan."
            )
            return redirect("staff:office", pk=office.pk)
    return render(
        request,
        "staff/offices/form.html",
        {
            "form": form,
            "office": office,
            "hours": list(office.hours.all()),
            "policy": policy_in_force(office),
            "offerings": [o for o in domain.offerings(office) if not o.offered or o.note],
            "members": StaffMember.objects.filter(office=office).select_related("user"),
        },
    )


@installation_admin_required
def hours(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_object_or_404(Office, pk=pk)
    form = HoursForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            changed = editor.set_hours(office, form.to_days(), request.user, request=request)
        except editor.PolicyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, "Jam layanan disimpan." if changed else "Tidak ada perubahan."
            )
            return redirect("staff:office", pk=office.pk)
    return render(request, "staff/offices/hours.html", {"form": form, "office": office})


@installation_admin_required
def services(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_object_or_404(Office, pk=pk)
    form = OfferingsForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        changed = domain.set_offerings(office, form.to_input(), request.user, request=request)
        messages.success(request, "Layanan kantor disimpan." if changed else "Tidak ada perubahan.")
        return redirect("staff:office", pk=office.pk)
    return render(request, "staff/offices/services.html", {"form": form, "office": office})


@installation_admin_required
def staff(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_object_or_404(Office, pk=pk)
    return render(
        request,
        "staff/offices/staff.html",
        {
            "office": office,
            "members": StaffMember.objects.filter(office=office).select_related("user"),
            "member_form": MemberForm(),
            "assign_form": AssignForm(),
        },
    )


def _member_done(request: HttpRequest, office: Office, member) -> HttpResponse:
    messages.success(
        request,
        f"{member.name} kini {member.get_role_display()} di {office.name}. Saat masuk pertama "
        "ia memasang aplikasi autentikator.",
    )
    return redirect("staff:office-staff", pk=office.pk)


@require_POST
@installation_admin_required
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_post(
        request,
        pk,
        MemberForm,
        lambda office, data: members.add_member(office, by=request.user, request=request, **data),
    )


@require_POST
@installation_admin_required
def assign_member(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_post(
        request,
        pk,
        AssignForm,
        lambda office, data: members.assign_member(
            office, user_id=data["user"], role=data["role"], by=request.user, request=request
        ),
    )


def _member_post(request: HttpRequest, pk: int, form_class, action) -> HttpResponse:
    """One staff-account form posted: done, or the page again with the form's errors."""
    office = get_object_or_404(Office, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            member = action(office, form.cleaned_data)
        except members.MemberError as error:
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            return _member_done(request, office, member)
    forms = {"member_form": MemberForm(), "assign_form": AssignForm()}
    forms["member_form" if form_class is MemberForm else "assign_form"] = form
    context = {
        "office": office,
        "members": StaffMember.objects.filter(office=office).select_related("user"),
        **forms,
    }
    return render(request, "staff/offices/staff.html", context, status=400)
