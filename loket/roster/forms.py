import datetime as dt

from django import forms

from loket.roster import skills
from loket.roster.models import Absence, Employee, RosterPeriod

MAX_DAYS = 62


class PeriodForm(forms.ModelForm):
    """A roster period and its rules; one number field per skill for the daily minimum."""

    class Meta:
        model = RosterPeriod
        fields = ["name", "start", "end", "office_every", "max_in_office", "supervisor_per_unit"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, office=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.office = office
        current = self.instance.min_per_skill or {}
        self.people_with = skills.people_with(office)
        for code, label in skills.CHOICES:
            having = self.people_with.get(code, 0)
            self.fields[f"min_{code}"] = forms.IntegerField(
                label=f"Minimal {label} per hari",
                min_value=0,
                max_value=500,
                initial=current.get(code, 0),
                required=False,
                help_text=f"{having} pegawai punya keahlian ini"
                if having
                else "⚠ Belum ada pegawai dengan keahlian ini: biarkan 0.",
            )
        self.fields["office_every"].widget.attrs["min"] = 1

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and (end < start or (end - start).days >= MAX_DAYS):
            raise forms.ValidationError(
                f"Tanggal sampai harus setelah mulai (maks. {MAX_DAYS} hari)."
            )
        overlapping = RosterPeriod.objects.filter(
            office=self.office, start__lte=end or dt.date.max, end__gte=start or dt.date.min
        ).exclude(pk=self.instance.pk)
        if start and end and overlapping.exists():
            raise forms.ValidationError(
                f"Tanggal bertumpuk dengan periode {overlapping.first().name}."
            )
        for code, label in skills.CHOICES:
            wanted = data.get(f"min_{code}") or 0
            if wanted > self.people_with.get(code, 0):
                self.add_error(
                    f"min_{code}",
                    f"Hanya {self.people_with.get(code, 0)} pegawai punya keahlian {label}: "
                    f"minimal {wanted} per hari tidak mungkin dipenuhi.",
                )
        if data.get("office_every") is not None and not 1 <= data["office_every"] <= 7:
            self.add_error("office_every", "Pola piket antara 1 dan 7 hari kerja.")
        return data

    def save(self, commit: bool = True) -> RosterPeriod:
        self.instance.min_per_skill = {
            code: self.cleaned_data[f"min_{code}"]
            for code in skills.ALL
            if self.cleaned_data.get(f"min_{code}")
        }
        return super().save(commit)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Berkas XLSX pegawai", error_messages={"required": "Pilih berkas XLSX."}
    )


class SwapForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Employee.objects.none(), label="Rekan")
    give_date = forms.DateField(
        label="Hari saya di kantor yang diserahkan", widget=forms.DateInput(attrs={"type": "date"})
    )
    take_date = forms.DateField(
        label="Hari rekan yang saya ambil (boleh kosong)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label="Alasan", max_length=200, required=False)

    def __init__(self, employee: Employee, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Employee.objects.filter(
            office=employee.office, active=True
        ).exclude(pk=employee.pk)
        self.fields["partner"].empty_label = "— pilih rekan —"


class ReportForm(forms.Form):
    text = forms.CharField(
        label="Laporan kerja dari rumah", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AbsenceForm(forms.ModelForm):
    """Leave, sickness or duty travel: the solver never puts the employee in the office then."""

    class Meta:
        model = Absence
        fields = ["employee", "kind", "start", "end", "note"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, office=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = Employee.objects.filter(office=office, active=True)
        self.fields["employee"].label = "Pegawai"
        self.fields["employee"].empty_label = "— pilih pegawai —"
        self.fields["kind"].label = "Jenis"
        self.fields["kind"].choices = Absence.Kind.choices

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("Tanggal sampai harus sama atau setelah tanggal mulai.")
        return data
