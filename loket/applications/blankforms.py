"""Blank official forms (Permendagri 109/2019) a citizen prints, fills in by hand, signs and
uploads: F-2.01 (pelaporan pencatatan sipil), F-2.03 (SPTJM kebenaran data kelahiran) and
F-2.04 (SPTJM kebenaran sebagai pasangan suami istri).

Drawn by the project with reportlab from the field lists below (written from the forms' known
contents, not copied from an official file); the office may replace them with its own. A
service offers the forms its requirement lines name ("... F-2.01").
"""

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation
from reportlab.lib.units import mm

from loket.core.links import absolute
from loket.core.pdf import BOLD, MARGIN, REGULAR, Sheet


@dataclass(frozen=True)
class Blank:
    """A field: `kind` is line (hand-written), nik (16 boxes), box (tick boxes), text."""

    label: str
    kind: str = "line"
    options: tuple[str, ...] = ()
    lines: int = 1


def person(title: str, *, birth: bool = False, job: bool = False) -> list:
    fields: list = [f"## {title}", Blank("Nama lengkap"), Blank("NIK", "nik")]
    if birth:
        fields += [Blank("Tempat dan tanggal lahir")]
    if job:
        fields += [Blank("Pekerjaan")]
    fields += [Blank("Kewarganegaraan", "box", ("WNI", "WNA")), Blank("Alamat", lines=1)]
    return fields


@dataclass(frozen=True)
class BlankForm:
    code: str
    title: str
    fields: tuple
    signatures: tuple[str, ...]
    statement: str = ""

    @property
    def filename(self) -> str:
        return f"{self.code}.pdf"


F_2_01 = BlankForm(
    "F-2.01",
    "Formulir Pelaporan Pencatatan Sipil di Dalam Wilayah NKRI",
    (
        Blank(
            "Jenis pelaporan",
            "box",
            (
                "Kelahiran",
                "Lahir mati",
                "Perkawinan",
                "Perceraian",
                "Kematian",
                "Pengangkatan anak",
                "Pengakuan anak",
                "Pengesahan anak",
                "Perubahan nama",
                "Pembetulan akta",
                "Lainnya",
            ),
        ),
        *person("I. Data pelapor", job=True),
        Blank("Nomor Kartu Keluarga (KK)", "nik"),
        *person("II. Data subjek akta (yang dicatat)", birth=True),
        *person("III. Data ayah", birth=True),
        *person("IV. Data ibu", birth=True),
        "## V. Data saksi",
        Blank("Saksi I: nama lengkap"),
        Blank("Saksi I: NIK", "nik"),
        Blank("Saksi II: nama lengkap"),
        Blank("Saksi II: NIK", "nik"),
        "## VI. Diisi untuk pelaporan kelahiran",
        Blank("Nama anak"),
        Blank("Jenis kelamin", "box", ("Laki-laki", "Perempuan")),
        Blank(
            "Tempat dilahirkan",
            "box",
            ("RS/RB", "Puskesmas", "Polindes", "Rumah", "Lainnya"),
        ),
        Blank("Tempat kelahiran (kabupaten/kota)"),
        Blank("Hari, tanggal dan pukul lahir"),
        Blank("Jenis kelahiran", "box", ("Tunggal", "Kembar 2", "Kembar 3", "Lainnya")),
        Blank("Kelahiran ke-"),
        Blank("Penolong kelahiran", "box", ("Dokter", "Bidan/perawat", "Dukun", "Lainnya")),
        Blank("Berat bayi (kg) dan panjang bayi (cm)"),
        "## VII. Diisi untuk pelaporan kematian",
        Blank("Hari, tanggal dan pukul kematian"),
        Blank(
            "Sebab kematian", "box", ("Sakit biasa/tua", "Wabah penyakit", "Kecelakaan", "Lainnya")
        ),
        Blank("Tempat kematian"),
        Blank("Yang menerangkan", "box", ("Dokter", "Tenaga kesehatan", "Kepolisian", "Lainnya")),
        "## VIII. Diisi untuk pelaporan perkawinan, perceraian dan lainnya",
        Blank("Tanggal dan tempat peristiwa"),
        Blank("Nomor dan tanggal surat dasar (pemuka agama, putusan/penetapan pengadilan)"),
        Blank("Keterangan lain", lines=2),
    ),
    ("Pelapor", "Petugas Disdukcapil"),
    "Saya menyatakan bahwa data yang saya isi di atas benar.",
)

F_2_03 = BlankForm(
    "F-2.03",
    "Surat Pernyataan Tanggung Jawab Mutlak (SPTJM) Kebenaran Data Kelahiran",
    (
        "## Yang bertanda tangan di bawah ini",
        Blank("Nama lengkap"),
        Blank("NIK", "nik"),
        Blank("Tempat dan tanggal lahir"),
        Blank("Pekerjaan"),
        Blank("Alamat", lines=2),
        "## Menyatakan dengan sebenarnya bahwa",
        Blank("Nama anak"),
        Blank("Jenis kelamin", "box", ("Laki-laki", "Perempuan")),
        Blank("Tempat dan tanggal lahir anak"),
        Blank("Nama ayah"),
        Blank("Nama ibu"),
        Blank("Hubungan saya dengan anak"),
    ),
    ("Yang menyatakan (di atas meterai)", "Saksi I", "Saksi II"),
    "Saya tidak memiliki surat keterangan kelahiran anak tersebut. Saya bertanggung jawab "
    "penuh atas kebenaran data di atas dan bersedia dituntut secara hukum bila keterangan ini "
    "tidak benar. Pernyataan ini disaksikan oleh dua orang saksi.",
)

F_2_04 = BlankForm(
    "F-2.04",
    "Surat Pernyataan Tanggung Jawab Mutlak (SPTJM) Kebenaran sebagai Pasangan Suami Istri",
    (
        "## Yang bertanda tangan di bawah ini",
        *person("Suami", birth=True, job=True)[1:],
        "## dan",
        *person("Istri", birth=True, job=True)[1:],
        "## Menyatakan dengan sebenarnya bahwa",
        Blank("Kami adalah pasangan suami istri yang sah sejak tanggal"),
        Blank("Menikah secara (agama/kepercayaan) di (tempat)"),
        Blank("Nama anak (yang dilaporkan kelahirannya)"),
    ),
    ("Suami (di atas meterai)", "Istri", "Saksi I", "Saksi II"),
    "Perkawinan kami belum tercatat / buku nikah atau akta perkawinan tidak kami miliki. Kami "
    "bertanggung jawab penuh atas kebenaran pernyataan ini dan bersedia dituntut secara hukum "
    "bila tidak benar. Pernyataan ini disaksikan oleh dua orang saksi.",
)

FORMS = {form.code: form for form in (F_2_01, F_2_03, F_2_04)}
CODE = re.compile(r"F-\d\.\d\d")


def forms_in(text: str) -> list[BlankForm]:
    """The blank forms a text (a requirement line) names, in order, once each."""
    return [FORMS[code] for code in dict.fromkeys(CODE.findall(text)) if code in FORMS]


def forms_for(service) -> list[BlankForm]:
    return forms_in(" ".join(service.requirements or []))


def form_url(form: BlankForm) -> str:
    return absolute(reverse("applications:blank-form", args=[form.code]))


def blank_form_links(service) -> list[dict]:
    """[{"code", "title", "url"}] for the bot's answer and the form page."""
    return [{"code": f.code, "title": f.title, "url": form_url(f)} for f in forms_for(service)]


def draw(form: BlankForm, office) -> bytes:
    with translation.override("id"):
        sheet = Sheet(f"{form.code} {form.title}", subject=f"Formulir kosong {form.code}")
        sheet.text(form.code, 10, BOLD)
        sheet.text(office.name if office else "Dinas Kependudukan dan Pencatatan Sipil", 10)
        sheet.gap(4)
        sheet.heading(form.title, 13, center=True)
        sheet.rule()
        for item in form.fields:
            if isinstance(item, str):
                sheet.gap(4)
                sheet.text(item.removeprefix("## "), 11, BOLD)
            elif item.kind == "nik":
                sheet.boxes(item.label, 16)
            elif item.kind == "box":
                sheet.choices(item.label, list(item.options))
            else:
                sheet.blank(item.label, lines=item.lines)
        if form.statement:
            sheet.gap(6)
            sheet.text(form.statement, 9.5, REGULAR)
        _signatures(sheet, form.signatures)
        sheet.footer(
            f"{form.code} · isi dengan huruf cetak, tanda tangani, lalu foto atau pindai dan "
            "unggah di formulir online."
        )
        return sheet.bytes()


def _signatures(sheet: Sheet, names: tuple[str, ...]) -> None:
    sheet.gap(8)
    sheet.text("........................, tanggal ........................", 9.5)
    height = 30 * mm
    sheet.ensure(height + 20)
    columns = min(len(names), 4)
    width = sheet.text_width / columns
    top = sheet.y
    for index, name in enumerate(names):
        x = MARGIN + index * width
        sheet.canvas.setFont(BOLD, 9)
        sheet.canvas.drawString(x, top - 14, name)
        sheet.canvas.setFont(REGULAR, 9)
        sheet.canvas.drawString(x, top - height, "(" + "." * 30 + ")")
    sheet.y = top - height - 10
