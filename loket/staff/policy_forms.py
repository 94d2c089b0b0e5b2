"""The forms of the policy page: a draft with one row per service, the weekly hours, a closure.

Every label and error is Indonesian, whatever language the browser asks for.
"""

import datetime as dt

from django import forms

from loket.catalog.models import Mode, OfficeHours, Service, ServicePolicy
from loket.catalog.policy_editor import DayHours, PolicyInput, RuleInput

ID_ERRORS = {
    "required": "Wajib diisi.",
    "invalid": "Isian tidak valid.",
    "invalid_choice": "Pilihan tidak valid.",
}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


def _datetime_field(label: str, required: bool) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        error_messages=ID_ERRORS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class DraftForm(forms.Form):
    """Name, from–until, messages, and for each service its mode, purposes and messages."""

    name = forms.CharField(label="Nama kebijakan", max_length=200, error_messages=ID_ERRORS)
    starts_at = _datetime_field("Berlaku mulai", True)
    ends_at = _datetime_field("Berlaku sampai (kosongkan: sampai dicabut)", False)
    message = forms.CharField(
        label="Pesan umum untuk warga",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    legal_basis = forms.CharField(label="Dasar (surat edaran)", max_length=300, required=False)

    def __init__(self, *args, policy: ServicePolicy, **kwargs) -> None:
        self.services = list(Service.objects.all())
        rules = {r.service_id: r for r in policy.rules.all()}
        initial = {
            "name": policy.name,
            "starts_at": policy.starts_at,
            "ends_at": policy.ends_at,
            "message": policy.message,
            "legal_basis": policy.legal_basis,
        }
        for service in self.services:
            rule = rules.get(service.pk)
            initial[f"mode_{service.pk}"] = rule.mode if rule else Mode.NORMAL
            initial[f"purposes_{service.pk}"] = "\n".join(rule.purposes) if rule else ""
            initial[f"message_{service.pk}"] = rule.message if rule else ""
            initial[f"alternative_{service.pk}"] = rule.alternative if rule else ""
        super().__init__(*args, initial=initial, **kwargs)
        for service in self.services:
            self.fields[f"mode_{service.pk}"] = forms.ChoiceField(
                label="Mode", choices=Mode.choices, error_messages=ID_ERRORS
            )
            self.fields[f"purposes_{service.pk}"] = forms.CharField(
                label="Keperluan yang tetap dilayani (mode terbatas; satu per baris)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"message_{service.pk}"] = forms.CharField(
                label="Pesan untuk warga", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"alternative_{service.pk}"] = forms.CharField(
                label="Yang bisa dilakukan sementara (bila dihentikan)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[dict]:
        return [
            {
                "service": s,
                "mode": self[f"mode_{s.pk}"],
                "purposes": self[f"purposes_{s.pk}"],
                "message": self[f"message_{s.pk}"],
                "alternative": self[f"alternative_{s.pk}"],
            }
            for s in self.services
        ]

    def to_input(self) -> PolicyInput:
        data = self.cleaned_data
        return PolicyInput(
            name=data["name"].strip(),
            starts_at=data["starts_at"],
            ends_at=data.get("ends_at"),
            message=data.get("message", "").strip(),
            legal_basis=data.get("legal_basis", "").strip(),
            rules=[
                RuleInput(
                    service=s,
                    mode=data[f"mode_{s.pk}"],
                    purposes=[
                        line.strip()
                        for line in data.get(f"purposes_{s.pk}", "").splitlines()
                        if line.strip()
                    ],
                    message=data.get(f"message_{s.pk}", "").strip(),
                    alternative=data.get(f"alternative_{s.pk}", "").strip(),
                )
                for s in self.services
            ],
        )


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        error_messages=ID_ERRORS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class HoursForm(forms.Form):
    """Opening hours of each weekday; an empty day is closed."""

    def __init__(self, *args, office, **kwargs) -> None:
        current = {h.weekday: h for h in office.hours.all()}
        initial = {}
        for day, _ in OfficeHours.WEEKDAYS:
            hours = current.get(day)
            for part in ("opens", "closes", "break_start", "break_end"):
                initial[f"{part}_{day}"] = getattr(hours, part) if hours else None
        super().__init__(*args, initial=initial, **kwargs)
        for day, _ in OfficeHours.WEEKDAYS:
            self.fields[f"opens_{day}"] = _time_field("Buka")
            self.fields[f"closes_{day}"] = _time_field("Tutup")
            self.fields[f"break_start_{day}"] = _time_field("Istirahat mulai")
            self.fields[f"break_end_{day}"] = _time_field("Istirahat selesai")

    def rows(self) -> list[dict]:
        return [
            {
                "name": name,
                **{p: self[f"{p}_{day}"] for p in ("opens", "closes", "break_start", "break_end")},
            }
            for day, name in OfficeHours.WEEKDAYS
        ]

    def to_days(self) -> list[DayHours]:
        data = self.cleaned_data
        return [
            DayHours(
                weekday=day,
                opens=data.get(f"opens_{day}"),
                closes=data.get(f"closes_{day}"),
                break_start=data.get(f"break_start_{day}"),
                break_end=data.get(f"break_end_{day}"),
            )
            for day, _ in OfficeHours.WEEKDAYS
        ]


class ClosureForm(forms.Form):
    date = forms.DateField(
        label="Tanggal",
        error_messages=ID_ERRORS,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label="Alasan", max_length=200, error_messages=ID_ERRORS)

    def day(self) -> dt.date:
        return self.cleaned_data["date"]
