"""Dates on the citizen's form, checked against today and each other.

Errors refuse what cannot be true (a birth or death after today, before 1900); warnings point at
what is unusual but possible (a very old applicant, a report after the legal deadline, a parent
very young at the child's birth): the citizen can still send, and staff see the same warnings.
"""

import datetime as dt

from django.utils.translation import gettext as _

from loket.core.dates import long_date

EARLIEST = dt.date(1900, 1, 1)
OLDEST_AGE = 110
# reporting deadlines (UU 23/2006 jo. UU 24/2013): birth 60 days, death 30 days
LATE_AFTER_DAYS = {"child_birth_date": 60, "death_date": 30}


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def date_error(label: str, value: dt.date, today: dt.date) -> str:
    """Why a date typed on the form cannot be true, or ""."""
    if value > today:
        return _("%(label)s tidak boleh setelah hari ini (%(today)s).") % {
            "label": label,
            "today": long_date(today),
        }
    if value < EARLIEST:
        return _("%(label)s tidak boleh sebelum tahun 1900. Periksa kembali tahunnya.") % {
            "label": label
        }
    return ""


def date_warnings(service_code: str, data: dict, today: dt.date) -> dict[str, list[str]]:
    """Warnings per form field (applicant: birth_date; extras: x_<name>) for valid dates."""
    warnings: dict[str, list[str]] = {}

    def warn(field: str, message: str) -> None:
        warnings.setdefault(field, []).append(message)

    born = data.get("birth_date")
    if born and age_on(born, today) > OLDEST_AGE:
        warn(
            "birth_date",
            _("Usia pemohon %(age)d tahun. Periksa tahun lahirnya.") % {"age": age_on(born, today)},
        )
    if born and service_code.startswith("ktp") and age_on(born, today) < 17:
        warn(
            "birth_date",
            _(
                "Usia pemohon %(age)d tahun: KTP-el untuk penduduk berusia 17 tahun "
                "atau yang sudah/pernah kawin."
            )
            % {"age": age_on(born, today)},
        )
    for name, days in LATE_AFTER_DAYS.items():
        value = data.get(f"x_{name}")
        if value and (today - value).days > days:
            warn(
                f"x_{name}",
                _(
                    "Sudah lebih dari %(days)d hari (%(date)s): pencatatan terlambat tetap "
                    "dilayani, tetapi memerlukan persetujuan Kepala Dinas dan bisa lebih lama."
                )
                % {"days": days, "date": long_date(value)},
            )
    child = data.get("x_child_birth_date")
    if child and service_code == "kia" and age_on(child, today) >= 17:
        warn(
            "x_child_birth_date",
            _("KIA untuk anak di bawah 17 tahun. Periksa tanggal lahir anak."),
        )
    if child and born and service_code == "akta-lahir":
        parent_age = age_on(born, child)
        if parent_age < 12:
            warn(
                "x_child_birth_date",
                _(
                    "Menurut tanggal lahir yang diisi, pemohon berusia %(age)d tahun "
                    "saat anak lahir. Periksa kedua tanggal lahir."
                )
                % {"age": max(parent_age, 0)},
            )
    death = data.get("x_death_date")
    if death and born and death < born:
        warn(
            "x_death_date",
            _("Tanggal meninggal sebelum tanggal lahir pemohon: periksa kembali."),
        )
    return warnings
