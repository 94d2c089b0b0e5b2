"""The citizen's application form: applicant, service-specific fields, purpose, uploads."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from loket.applications.datechecks import date_error, date_warnings
from loket.applications.specs import spec_for, upload_slots
from loket.core import identity

ACCEPT = "image/jpeg,image/png,application/pdf"
APPLICANT_FIELDS = ("nik", "kk", "name", "birth_place", "birth_date", "address", "kelurahan")


def kelurahan_choices(region_code: str) -> list:
    choices: list = [("", gettext("— pilih kelurahan —"))]
    for kecamatan, villages in identity.districts_of(region_code):
        choices.append((f"Kecamatan {kecamatan.name}", [(v.code, v.name) for v in villages]))
    return choices


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if isinstance(value, dt.date) else value


class ApplicationForm(forms.Form):
    nik = forms.CharField(
        label=gettext_lazy("NIK pemohon"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "16 digit, lihat KTP-el atau Kartu Keluarga. Yang sudah tersimpan tampil "
            "tersamar (****): biarkan bila sudah benar."
        ),
    )
    kk = forms.CharField(
        label=gettext_lazy("Nomor Kartu Keluarga (KK)"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=gettext_lazy("Nama lengkap (sesuai KK)"), max_length=200)
    birth_place = forms.CharField(label=gettext_lazy("Tempat lahir"), max_length=100)
    birth_date = forms.DateField(label=gettext_lazy("Tanggal lahir"), widget=DateInput)
    address = forms.CharField(
        label=gettext_lazy("Alamat (jalan, nomor, RT/RW)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kelurahan = forms.ChoiceField(label=gettext_lazy("Kelurahan (kecamatan)"))

    def __init__(self, *args, service, office, status, **kwargs):
        self.service, self.office, self.status = service, office, status
        kwargs.setdefault("use_required_attribute", False)  # messages come from the server
        super().__init__(*args, **kwargs)
        self.warnings: dict[str, list[str]] = {}
        self.fields["kelurahan"].choices = kelurahan_choices(office.region_code)
        for extra in spec_for(service).extras:
            self.fields[f"x_{extra.name}"] = self._extra_field(extra)
        if status.mode == "limited" and status.purposes:
            self.fields["purpose"] = forms.ChoiceField(
                label=gettext_lazy("Keperluan"),
                choices=[("", gettext("— pilih keperluan —"))] + [(p, p) for p in status.purposes],
                help_text=gettext("Saat ini layanan ini hanya untuk keperluan tertentu."),
            )
        self.slots = upload_slots(service, self._current_data())
        for slot in self.slots:
            self.fields[f"doc_{slot.index}"] = forms.FileField(
                label=slot.label,
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )

    def _current_data(self) -> dict:
        source = self.data if self.is_bound else self.initial
        return {key: source.get(key, "") for key in list(source.keys()) if key.startswith("x_")}

    @staticmethod
    def _extra_field(extra) -> forms.Field:
        common = {"label": extra.label, "required": extra.required, "help_text": extra.help}
        if extra.kind == "date":
            return forms.DateField(widget=DateInput, **common)
        if extra.kind == "choice":
            return forms.ChoiceField(choices=[("", gettext("— pilih —")), *extra.choices], **common)
        if extra.kind == "textarea":
            return forms.CharField(
                max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), **common
            )
        return forms.CharField(max_length=200, **common)

    def warn(self, field: str, message: str) -> None:
        self.warnings.setdefault(field, []).append(message)

    def clean_nik(self) -> str:
        check = identity.parse_nik(self.cleaned_data["nik"])
        if check.errors:
            raise forms.ValidationError(check.errors)
        for warning in check.warnings:
            self.warn("nik", warning)
        self.nik_check = check
        return check.number

    def clean_kk(self) -> str:
        check = identity.parse_kk(self.cleaned_data["kk"])
        if check.errors:
            raise forms.ValidationError(check.errors)
        for warning in check.warnings:
            self.warn("kk", warning)
        return check.number

    def clean(self) -> dict:
        data = super().clean()
        today = timezone.localdate()
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField) and data.get(name):
                error = date_error(str(field.label), data[name], today)
                if error:
                    self.add_error(name, error)
        for name, messages in date_warnings(self.service.code, self.cleaned_data, today).items():
            for message in messages:
                self.warn(name, message)
        check = getattr(self, "nik_check", None)
        if check is not None and data.get("birth_date"):
            message = identity.birth_date_warning(check, data["birth_date"])
            if message:
                self.warn("birth_date", message)
        return data

    def drop_required_errors(self) -> None:
        """For "simpan draf": only say what is wrong with what was typed, not what is empty."""
        for name in list(self.errors):
            kept = [e for e in self.errors.as_data()[name] if e.code != "required"]
            if kept:
                self.errors[name] = self.error_class([m for e in kept for m in e.messages])
            else:
                del self.errors[name]

    def typed_values(self) -> dict:
        """What was typed, raw (valid or not), to keep in the draft; NIK/KK excluded."""
        keep = [n for n in self.fields if not n.startswith("doc_") and n not in ("nik", "kk")]
        return {name: str(self.data.get(name, "")).strip()[:1000] for name in keep}

    def applicant_fields(self):
        return [self[name] for name in APPLICANT_FIELDS]

    def extra_fields(self):
        return [self[name] for name in self.fields if name.startswith("x_")]
