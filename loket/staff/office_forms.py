"""The forms of the offices page (/staf/kantor/): Indonesian labels and errors throughout."""

from django import forms

from loket.catalog.models import Office
from loket.catalog.offices import TIMEZONES, OfferingInput, OfficeInput, offerings
from loket.staff.members import FIRST_ROLES, unassigned_accounts
from loket.staff.policy_forms import ID_ERRORS


class OfficeForm(forms.Form):
    name = forms.CharField(label="Nama kantor", max_length=200, error_messages=ID_ERRORS)
    slug = forms.CharField(
        label="Kode URL",
        max_length=50,
        error_messages=ID_ERRORS,
        help_text="Huruf kecil dan tanda hubung, mis. “samarinda”.",
    )
    region_code = forms.CharField(
        label="Kode wilayah kab/kota",
        max_length=13,
        error_messages=ID_ERRORS,
        help_text="Kode Kemendagri, mis. 64.72 untuk Kota Samarinda.",
    )
    city_name = forms.CharField(
        label="Nama kab/kota",
        max_length=100,
        required=False,
        help_text="Kosongkan: diisi dari kode wilayah.",
    )
    address = forms.CharField(
        label="Alamat", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    timezone_name = forms.ChoiceField(
        label="Zona waktu", choices=TIMEZONES, initial="Asia/Makassar", error_messages=ID_ERRORS
    )
    phone_number_id = forms.CharField(
        label="WhatsApp phone number ID",
        max_length=32,
        required=False,
        help_text="Dari WhatsApp Manager (Meta); pesan ke nomor ini dijawab untuk kantor ini.",
    )
    whatsapp_display_number = forms.CharField(
        label="Nomor WhatsApp (yang dilihat warga)", max_length=32, required=False
    )

    @classmethod
    def for_office(cls, office: Office, data=None) -> "OfficeForm":
        initial = {name: getattr(office, name) or "" for name in cls.base_fields}
        return cls(data, initial=initial)

    def to_input(self) -> OfficeInput:
        return OfficeInput(**{name: self.cleaned_data.get(name) or "" for name in self.fields})

    def add_errors(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)


class OfferingsForm(forms.Form):
    """One row per service of the catalog: offered here or not, and the office's note."""

    def __init__(self, *args, office: Office, **kwargs) -> None:
        self.rows_ = offerings(office)
        initial = {}
        for row in self.rows_:
            initial[f"offered_{row.service_id}"] = row.offered
            initial[f"note_{row.service_id}"] = row.note
        super().__init__(*args, initial=initial, **kwargs)
        for row in self.rows_:
            self.fields[f"offered_{row.service_id}"] = forms.BooleanField(
                label="Dilayani", required=False
            )
            self.fields[f"note_{row.service_id}"] = forms.CharField(
                label="Catatan kantor",
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 1}),
                error_messages={"max_length": "Catatan paling panjang 500 karakter."},
            )

    def rows(self) -> list[dict]:
        return [
            {
                "service": row.service,
                "offered": self[f"offered_{row.service_id}"],
                "note": self[f"note_{row.service_id}"],
            }
            for row in self.rows_
        ]

    def to_input(self) -> list[OfferingInput]:
        data = self.cleaned_data
        return [
            OfferingInput(
                service=row.service,
                offered=bool(data.get(f"offered_{row.service_id}")),
                note=data.get(f"note_{row.service_id}") or "",
            )
            for row in self.rows_
        ]


class MemberForm(forms.Form):
    username = forms.CharField(label="Nama pengguna", max_length=150, error_messages=ID_ERRORS)
    full_name = forms.CharField(label="Nama lengkap", max_length=150, error_messages=ID_ERRORS)
    role = forms.ChoiceField(label="Peran", choices=FIRST_ROLES, error_messages=ID_ERRORS)
    password = forms.CharField(
        label="Kata sandi awal",
        widget=forms.PasswordInput(render_value=False),
        error_messages=ID_ERRORS,
        help_text="Sampaikan langsung kepada orangnya; saat masuk pertama ia memasang "
        "aplikasi autentikator.",
    )


class AssignForm(forms.Form):
    user = forms.TypedChoiceField(label="Akun", coerce=int, error_messages=ID_ERRORS)
    role = forms.ChoiceField(label="Peran", choices=FIRST_ROLES, error_messages=ID_ERRORS)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            (u.pk, f"{u.username} ({u.get_full_name() or '-'})") for u in unassigned_accounts()
        ]
