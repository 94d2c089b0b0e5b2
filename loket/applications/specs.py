"""What each service's form asks besides the applicant's data, and which uploads it requires.

A small table in code: extra fields per service code, and for each requirement line of the
catalog (service.requirements) whether its upload is required, optional, required only for a
given answer (ktp-ganti: the reason), or not a document at all (a note such as "tidak perlu
surat pengantar"). Services not listed require the first line and offer the others.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

REQUIRED = "required"
OPTIONAL = "optional"
NONE = "none"  # the line is a note, not a document to upload


@dataclass(frozen=True)
class Extra:
    name: str
    label: str  # lazily translated: the citizen's language on their pages
    kind: str = "text"  # text, date, choice, region (a kelurahan of the office's city), textarea
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Spec:
    extras: tuple[Extra, ...] = ()
    # requirement index -> REQUIRED / OPTIONAL / NONE / ("when", field, value)
    uploads: dict = field(default_factory=dict)
    default_upload: str = OPTIONAL


KTP_REASONS = (("hilang", _("Hilang")), ("rusak", _("Rusak")), ("perubahan", _("Perubahan data")))

SPECS: dict[str, Spec] = {
    "akta-lahir": Spec(
        extras=(
            Extra("child_name", _("Nama anak")),
            Extra(
                "child_sex",
                _("Jenis kelamin anak"),
                "choice",
                choices=(("L", _("Laki-laki")), ("P", _("Perempuan"))),
            ),
            Extra("child_birth_place", _("Tempat lahir anak")),
            Extra("child_birth_date", _("Tanggal lahir anak"), "date"),
            Extra(
                "father_name",
                _("Nama ayah"),
                required=False,
                help=_("Kosongkan bila tidak tercatat."),
            ),
            Extra("mother_name", _("Nama ibu")),
        ),
        uploads={0: REQUIRED, 1: REQUIRED, 2: REQUIRED, 3: REQUIRED, 4: REQUIRED, 5: OPTIONAL},
    ),
    "akta-mati": Spec(
        extras=(
            Extra("deceased_name", _("Nama yang meninggal")),
            Extra("death_date", _("Tanggal meninggal"), "date"),
            Extra("death_place", _("Tempat meninggal")),
            Extra("relation", _("Hubungan pelapor dengan yang meninggal")),
        ),
        uploads={0: REQUIRED, 1: REQUIRED, 2: OPTIONAL, 3: OPTIONAL},
    ),
    "ktp-ganti": Spec(
        extras=(Extra("reason", _("Alasan penggantian"), "choice", choices=KTP_REASONS),),
        uploads={
            0: ("when", "reason", "hilang"),
            1: ("when", "reason", "rusak"),
            2: ("when", "reason", "perubahan"),
            3: OPTIONAL,
        },
    ),
    "pindah": Spec(
        extras=(
            Extra(
                "destination_address",
                _("Alamat tujuan (jalan, RT/RW, kelurahan, kecamatan)"),
                "textarea",
            ),
            Extra("destination_region", _("Kabupaten/kota dan provinsi tujuan")),
            Extra(
                "move_reason",
                _("Alasan pindah"),
                "choice",
                choices=(
                    ("pekerjaan", _("Pekerjaan")),
                    ("pendidikan", _("Pendidikan")),
                    ("keluarga", _("Keluarga")),
                    ("perumahan", _("Perumahan")),
                    ("lainnya", _("Lainnya")),
                ),
            ),
            Extra(
                "members",
                _("Anggota keluarga yang ikut pindah (nama, satu per baris)"),
                "textarea",
                required=False,
            ),
        ),
        uploads={0: REQUIRED, 1: REQUIRED, 2: NONE},
    ),
    "datang": Spec(
        extras=(Extra("origin_region", _("Daerah asal (kabupaten/kota)")),),
        uploads={0: REQUIRED, 1: REQUIRED},
    ),
    "kk-baru": Spec(
        extras=(Extra("reason", _("Alasan membuat KK baru"), "textarea"),),
        uploads={0: REQUIRED},
    ),
    "kk-ubah": Spec(
        extras=(Extra("change", _("Perubahan yang diminta"), "textarea"),),
        uploads={0: REQUIRED},
    ),
    "kia": Spec(
        extras=(
            Extra("child_name", _("Nama anak")),
            Extra("child_birth_date", _("Tanggal lahir anak"), "date"),
        ),
        uploads={0: NONE, 1: REQUIRED},
    ),
}


def spec_for(service) -> Spec:
    return SPECS.get(service.code, Spec(uploads={0: REQUIRED}))


@dataclass(frozen=True)
class UploadSlot:
    index: int
    label: str
    required: bool


def upload_slots(service, data: dict | None = None) -> list[UploadSlot]:
    """One slot per requirement line that is a document, with whether it is required now.

    `data` is what the form holds (extra fields named x_<name>).
    """
    spec = spec_for(service)
    data = data or {}
    slots = []
    for index, label in enumerate(service.requirements or []):
        rule = spec.uploads.get(index, spec.default_upload)
        if rule == NONE:
            continue
        if isinstance(rule, tuple):
            _, name, value = rule
            required = data.get(f"x_{name}") == value
        else:
            required = rule == REQUIRED
        slots.append(UploadSlot(index=index, label=label, required=required))
    return slots


def missing_uploads(application) -> list[str]:
    """Labels of required requirement documents not uploaded yet."""
    present = set(
        application.documents.filter(kind="requirement").values_list("requirement_index", flat=True)
    )
    return [
        slot.label
        for slot in upload_slots(application.service, application.data)
        if slot.required and slot.index not in present
    ]
