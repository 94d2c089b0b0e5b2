"""Synthetic document photos for tests and the benchmark: fictitious people only.

`make_document(kind, seed=..., degrade=...)` draws a page in the layout of a KTP-el, a Kartu
Keluarga, a kutipan akta kelahiran, a buku nikah page, a surat keterangan or something else (a
receipt, a letter, a room), lays it on a table like a phone photo and optionally spoils it the way
phones do. Every name, number and address is made up from the small lists below; NIKs and KK
numbers are structurally valid for Kota Balikpapan (64.71) and its six kecamatan.
"""

import datetime as dt
import io
import random
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

KINDS = ("ktp", "kk", "akta", "buku_nikah", "surat_keterangan", "other")
DEGRADES = (None, "blur", "dark", "tilt", "shadow", "jpeg", "crop", "small")
# degradations after which the photo should be refused as unreadable, with the problem expected
UNREADABLE = {"blur": "blur", "dark": "dark", "crop": "cut_off", "small": "too_small"}

FIRST_MALE = [
    "AHMAD",
    "BUDI",
    "DEDI",
    "EKO",
    "FAJAR",
    "HENDRA",
    "IRFAN",
    "JOKO",
    "KURNIAWAN",
    "MUHAMMAD",
    "NUR",
    "RUDI",
    "SYAIFUL",
    "TAUFIK",
    "WAHYU",
    "YUDHA",
    "ANDI",
    "BAYU",
    "GALIH",
    "RIZKY",
]
FIRST_FEMALE = [
    "AYU",
    "DEWI",
    "FITRI",
    "INDAH",
    "KARTIKA",
    "LESTARI",
    "MAYA",
    "NURUL",
    "PUTRI",
    "RINA",
    "SARI",
    "SITI",
    "TRI",
    "WULAN",
    "YULIANA",
    "ANISA",
    "DIAN",
    "EKA",
    "HANA",
    "RATNA",
]
LAST = [
    "SAPUTRA",
    "PRATAMA",
    "HIDAYAT",
    "RAHMAN",
    "SETIAWAN",
    "WIJAYA",
    "KUSUMA",
    "SANTOSO",
    "HARAHAP",
    "NASUTION",
    "LESTARI",
    "PERMATASARI",
    "WULANDARI",
    "RAHMAWATI",
    "HANDAYANI",
    "SULISTYO",
    "GUNAWAN",
    "SIREGAR",
    "PANGARIBUAN",
    "LATUKAU",
    "ANDIKA",
    "BAHARUDDIN",
]
KECAMATAN = {
    "01": ("BALIKPAPAN TIMUR", ["MANGGAR", "LAMARU", "TERITIP", "MANGGAR BARU"]),
    "02": ("BALIKPAPAN BARAT", ["BARU ILIR", "BARU TENGAH", "BARU ULU", "KARIANGAU"]),
    "03": ("BALIKPAPAN UTARA", ["BATU AMPAR", "MUARA RAPAK", "KARANG JOANG", "GRAHA INDAH"]),
    "04": ("BALIKPAPAN TENGAH", ["GUNUNG SARI ULU", "KARANG REJO", "MEKAR SARI", "SUMBER REJO"]),
    "05": ("BALIKPAPAN SELATAN", ["SEPINGGAN", "GUNUNG BAHAGIA", "DAMAI BARU", "SEPINGGAN RAYA"]),
    "06": ("BALIKPAPAN KOTA", ["PRAPATAN", "TELAGA SARI", "KLANDASAN ULU", "DAMAI"]),
}
STREETS = [
    "JL. MERPATI",
    "JL. SYARIFUDDIN YOES",
    "JL. MT HARYONO",
    "JL. PANDAN WANGI",
    "JL. CENDANA",
    "JL. MARSMA R. ISWAHYUDI",
    "JL. KENANGA",
    "JL. BERUANG MADU",
    "JL. SEPAKAT",
    "GG. MAWAR",
]
JOBS = ["KARYAWAN SWASTA", "WIRASWASTA", "PELAJAR/MAHASISWA", "MENGURUS RUMAH TANGGA", "PNS"]
RELIGIONS = ["ISLAM", "ISLAM", "ISLAM", "KRISTEN", "KATHOLIK", "HINDU", "BUDDHA"]
ROOM = (1200, 900)
CITIES = ["BALIKPAPAN", "SAMARINDA", "PENAJAM", "MAKASSAR", "SURABAYA", "BANJARMASIN", "PALU"]

# font families a phone photo of a printed page may show; missing files fall back to Pillow's own
FAMILIES = {
    "dejavu": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    "dejavu-condensed": ("dejavu/DejaVuSansCondensed.ttf", "dejavu/DejaVuSansCondensed-Bold.ttf"),
    "liberation": ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf"),
    "liberation-serif": (
        "liberation/LiberationSerif-Regular.ttf",
        "liberation/LiberationSerif-Bold.ttf",
    ),
    "pillow": (None, None),
}
_FONT_DIR = Path("/usr/share/fonts/truetype")
_family: ContextVar[str] = ContextVar("family", default="dejavu")


def _font(size: int, bold: bool = False) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return _font_of(_family.get(), size, bold)


@lru_cache(maxsize=256)
def _font_of(family: str, size: int, bold: bool) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """The family's TrueType file when the system has it, else Pillow's scalable default font."""
    name = FAMILIES[family][bold]
    if name and (_FONT_DIR / name).exists():
        return ImageFont.truetype(str(_FONT_DIR / name), size)
    return ImageFont.load_default(size=size)


class _Person:
    def __init__(self, rnd: random.Random, *, female: bool | None = None, kec: str | None = None):
        self.female = rnd.random() < 0.5 if female is None else female
        first = rnd.choice(FIRST_FEMALE if self.female else FIRST_MALE)
        parts = [first, rnd.choice(LAST)]
        if rnd.random() < 0.3:
            parts.insert(1, rnd.choice(FIRST_FEMALE if self.female else FIRST_MALE))
        self.name = " ".join(dict.fromkeys(parts))
        self.birth = dt.date(1950, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 55))
        self.birth_place = rnd.choice(CITIES)
        self.kec = kec or rnd.choice(sorted(KECAMATAN))
        day = self.birth.day + (40 if self.female else 0)
        self.nik = f"6471{self.kec}{day:02d}{self.birth:%m%y}{rnd.randrange(1, 2000):04d}"
        self.religion = rnd.choice(RELIGIONS)
        self.job = rnd.choice(JOBS)


def _kk_number(rnd: random.Random, kec: str) -> str:
    issued = dt.date(2005, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 20))
    return f"6471{kec}{issued:%d%m%y}{rnd.randrange(1, 9000):04d}"


def _address(rnd: random.Random, kec: str) -> dict:
    return {
        "street": f"{rnd.choice(STREETS)} NO. {rnd.randrange(1, 120)}",
        "rtrw": f"{rnd.randrange(1, 60):03d}/{rnd.randrange(1, 15):03d}",
        "kel": rnd.choice(KECAMATAN[kec][1]),
        "kec": KECAMATAN[kec][0],
    }


def _date(d: dt.date) -> str:
    return f"{d:%d-%m-%Y}"


# --- pages -------------------------------------------------------------------------------------


def _ktp(rnd: random.Random) -> tuple[Image.Image, dict]:
    w, h = 1012, 638  # 85.6 x 54 mm at ~300 dpi / 2.5
    top = np.array((150, 200, 235)) + rnd.randrange(-10, 10)
    bottom = np.array((205, 225, 245))
    ramp = np.linspace(0, 1, h)[:, None, None]
    arr = (top * (1 - ramp) + bottom * ramp) * np.ones((h, w, 3))
    page = Image.fromarray(arr.astype(np.uint8))
    d = ImageDraw.Draw(page)
    p = _Person(rnd)
    a = _address(rnd, p.kec)
    d.text((w // 2, 28), "PROVINSI KALIMANTAN TIMUR", font=_font(30, True), fill=0, anchor="mt")
    d.text((w // 2, 66), "KOTA BALIKPAPAN", font=_font(30, True), fill=0, anchor="mt")
    d.text((40, 118), "NIK", font=_font(32, True), fill=0)
    d.text((200, 118), f": {p.nik}", font=_font(34, True), fill=0)
    rows = [
        ("Nama", p.name),
        ("Tempat/Tgl Lahir", f"{p.birth_place}, {_date(p.birth)}"),
        ("Jenis Kelamin", f"{'PEREMPUAN' if p.female else 'LAKI-LAKI'}   Gol. Darah : -"),
        ("Alamat", a["street"]),
        ("   RT/RW", a["rtrw"]),
        ("   Kel/Desa", a["kel"]),
        ("   Kecamatan", a["kec"]),
        ("Agama", p.religion),
        ("Status Perkawinan", rnd.choice(["KAWIN", "BELUM KAWIN", "CERAI HIDUP"])),
        ("Pekerjaan", p.job),
        ("Kewarganegaraan", "WNI"),
        ("Berlaku Hingga", "SEUMUR HIDUP"),
    ]
    font = _font(21)
    for i, (label, value) in enumerate(rows):
        y = 172 + i * 35
        d.text((40, y), label, font=font, fill=0)
        d.text((262, y), f": {value}", font=font, fill=0)
    # photo placeholder: a grey silhouette, not a face
    d.rectangle((770, 150, 960, 400), fill=(205, 60, 60))
    d.ellipse((815, 180, 915, 290), fill=(120, 120, 130))
    d.rounded_rectangle((790, 290, 940, 400), radius=40, fill=(120, 120, 130))
    d.text((865, 420), "BALIKPAPAN", font=_font(18), fill=0, anchor="mt")
    issued = dt.date(2012, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 12))
    d.text((865, 446), _date(issued), font=_font(18), fill=0, anchor="mt")
    d.line((800, 520, 930, 500), fill=(20, 20, 80), width=3)
    return page, {"nik": p.nik, "kk_number": None, "name": p.name}


def _kk(rnd: random.Random) -> tuple[Image.Image, dict]:
    w, h = 1500, 1060
    page = Image.new("RGB", (w, h), (246, 244, 236))
    d = ImageDraw.Draw(page)
    head = _Person(rnd, female=rnd.random() < 0.15)
    number = _kk_number(rnd, head.kec)
    a = _address(rnd, head.kec)
    d.text((w // 2, 40), "KARTU KELUARGA", font=_font(44, True), fill=0, anchor="mt")
    d.text((w // 2, 100), f"No. {number}", font=_font(30, True), fill=0, anchor="mt")
    left = [
        ("Nama Kepala Keluarga", head.name),
        ("Alamat", a["street"]),
        ("RT/RW", a["rtrw"]),
        ("Desa/Kelurahan", a["kel"]),
    ]
    right = [
        ("Kecamatan", a["kec"]),
        ("Kabupaten/Kota", "KOTA BALIKPAPAN"),
        ("Kode Pos", f"761{rnd.randrange(11, 37)}"),
        ("Provinsi", "KALIMANTAN TIMUR"),
    ]
    font = _font(21)
    for i, (label, value) in enumerate(left):
        d.text((50, 170 + i * 34), label, font=font, fill=0)
        d.text((310, 170 + i * 34), f": {value}", font=font, fill=0)
    for i, (label, value) in enumerate(right):
        d.text((860, 170 + i * 34), label, font=font, fill=0)
        d.text((1060, 170 + i * 34), f": {value}", font=font, fill=0)
    members = [head]
    spouse = _Person(rnd, female=not head.female, kec=head.kec)
    if rnd.random() < 0.85:
        members.append(spouse)
    for _ in range(rnd.randrange(0, 4)):
        child = _Person(rnd, kec=head.kec)
        child.birth = max(head.birth, spouse.birth) + dt.timedelta(days=rnd.randrange(7000, 12000))
        day = child.birth.day + (40 if child.female else 0)
        child.nik = f"6471{head.kec}{day:02d}{child.birth:%m%y}{rnd.randrange(1, 2000):04d}"
        child.name = f"{child.name.split()[0]} {head.name.split()[-1]}"
        members.append(child)
    cols = [
        (50, "No"),
        (100, "Nama Lengkap"),
        (470, "NIK"),
        (760, "Jenis Kelamin"),
        (940, "Tempat Lahir"),
        (1120, "Tanggal Lahir"),
        (1290, "Agama"),
    ]
    y0 = 330
    d.rectangle((40, y0, w - 40, y0 + 50 + 44 * len(members)), outline=0, width=2)
    d.line((40, y0 + 46, w - 40, y0 + 46), fill=0, width=2)
    for x, title in cols:
        d.text((x, y0 + 12), title, font=_font(20, True), fill=0)
        if x > 50:
            d.line((x - 10, y0, x - 10, y0 + 50 + 44 * len(members)), fill=0, width=1)
    for i, m in enumerate(members):
        y = y0 + 60 + i * 44
        values = [
            str(i + 1),
            m.name,
            m.nik,
            "PEREMPUAN" if m.female else "LAKI-LAKI",
            m.birth_place,
            _date(m.birth),
            m.religion,
        ]
        for (x, _), value in zip(cols, values, strict=True):
            d.text((x, y), value, font=_font(19), fill=0)
    yb = y0 + 100 + 44 * len(members)
    d.text((1050, yb), f"Dikeluarkan Tanggal : {_date(dt.date(2024, 3, 1))}", font=font, fill=0)
    d.text((1050, yb + 40), "KEPALA DINAS KEPENDUDUKAN DAN", font=_font(18), fill=0)
    d.text((1050, yb + 64), "PENCATATAN SIPIL KOTA BALIKPAPAN", font=_font(18), fill=0)
    d.text((50, yb + 40), "KEPALA KELUARGA", font=_font(18), fill=0)
    return page, {"nik": head.nik, "kk_number": number, "name": head.name}


def _portrait_page(rnd: random.Random, tint=(250, 248, 240)) -> tuple[Image.Image, ImageDraw.Draw]:
    page = Image.new("RGB", (1000, 1400), tint)
    return page, ImageDraw.Draw(page)


def _paragraph(d: ImageDraw.ImageDraw, x: int, y: int, lines: list[str], size=24, gap=40) -> int:
    for line in lines:
        d.text((x, y), line, font=_font(size), fill=0)
        y += gap
    return y


def _akta(rnd: random.Random) -> tuple[Image.Image, dict]:
    page, d = _portrait_page(rnd, (244, 247, 240))
    d.rectangle((20, 20, 980, 1380), outline=(60, 110, 60), width=6)
    child = _Person(rnd)
    child.birth = dt.date(2000, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 25))
    father, mother = _Person(rnd, female=False), _Person(rnd, female=True)
    sex = "perempuan" if child.female else "laki-laki"
    registered = f"{rnd.randrange(1, 28):02d}{rnd.randrange(1, 13):02d}20{rnd.randrange(10, 25)}"
    number = f"6471-LT-{registered}-{rnd.randrange(1, 9999):04d}"
    d.text((500, 80), "REPUBLIK INDONESIA", font=_font(30, True), fill=0, anchor="mt")
    d.text((500, 130), "PENCATATAN SIPIL", font=_font(26, True), fill=0, anchor="mt")
    d.text((500, 230), "KUTIPAN AKTA KELAHIRAN", font=_font(40, True), fill=0, anchor="mt")
    d.text((500, 300), f"Nomor : {number}", font=_font(26), fill=0, anchor="mt")
    y = _paragraph(
        d,
        90,
        400,
        [
            "Berdasarkan Akta Kelahiran Nomor tersebut di atas",
            f"bahwa di {child.birth_place}",
            f"pada tanggal {_date(child.birth)}",
            "telah lahir :",
        ],
    )
    d.text((500, y + 20), child.name, font=_font(36, True), fill=0, anchor="mt")
    _paragraph(
        d,
        90,
        y + 110,
        [
            f"anak ke-{rnd.randrange(1, 5)}, {sex}, dari ayah",
            father.name,
            "dan ibu",
            mother.name,
        ],
    )
    d.text(
        (600, 1100),
        f"Balikpapan, {_date(child.birth + dt.timedelta(days=30))}",
        font=_font(22),
        fill=0,
    )
    d.text((600, 1140), "Pejabat Pencatatan Sipil", font=_font(22), fill=0)
    return page, {"nik": None, "kk_number": None, "name": child.name}


def _buku_nikah(rnd: random.Random) -> tuple[Image.Image, dict]:
    page, d = _portrait_page(rnd, (240, 236, 222))
    husband, wife = _Person(rnd, female=False), _Person(rnd, female=True)
    day = dt.date(2000, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 25))
    d.text((500, 70), "KEMENTERIAN AGAMA", font=_font(28, True), fill=0, anchor="mt")
    d.text((500, 110), "REPUBLIK INDONESIA", font=_font(28, True), fill=0, anchor="mt")
    d.text((500, 200), "BUKU NIKAH", font=_font(34, True), fill=0, anchor="mt")
    d.text((500, 250), "KUTIPAN AKTA NIKAH", font=_font(34, True), fill=0, anchor="mt")
    d.text(
        (500, 310),
        f"Nomor : {rnd.randrange(1, 999)}/{rnd.randrange(1, 99):02d}/VI/{day.year}",
        font=_font(24),
        fill=0,
        anchor="mt",
    )
    lines = [
        f"Kantor Urusan Agama Kecamatan {KECAMATAN[husband.kec][0].title()}",
        f"pada hari ini tanggal {_date(day)} telah dilangsungkan",
        "akad nikah antara :",
        "",
        f"Suami : {husband.name}",
        f"Tempat/Tgl Lahir : {husband.birth_place}, {_date(husband.birth)}",
        "",
        f"Istri : {wife.name}",
        f"Tempat/Tgl Lahir : {wife.birth_place}, {_date(wife.birth)}",
        "",
        f"Mas kawin : seperangkat alat sholat dan uang Rp {rnd.randrange(1, 50) * 100_000:,}",
    ]
    _paragraph(d, 80, 400, lines, size=23)
    d.text((560, 1150), "Kepala KUA / Penghulu", font=_font(22), fill=0)
    return page, {"nik": None, "kk_number": None, "name": husband.name}


def _surat_keterangan(rnd: random.Random) -> tuple[Image.Image, dict]:
    page, d = _portrait_page(rnd, (252, 252, 250))
    p = _Person(rnd)
    a = _address(rnd, p.kec)
    what = rnd.choice(["DOMISILI", "TIDAK MAMPU", "PINDAH", "USAHA", "BELUM MENIKAH"])
    d.text((500, 60), "PEMERINTAH KOTA BALIKPAPAN", font=_font(28, True), fill=0, anchor="mt")
    d.text((500, 100), f"KECAMATAN {a['kec']}", font=_font(26, True), fill=0, anchor="mt")
    d.text((500, 140), f"KELURAHAN {a['kel']}", font=_font(26, True), fill=0, anchor="mt")
    d.line((60, 190, 940, 190), fill=0, width=4)
    d.text((500, 240), f"SURAT KETERANGAN {what}", font=_font(30, True), fill=0, anchor="mt")
    d.text(
        (500, 285),
        f"Nomor : 470/{rnd.randrange(1, 900)}/KEL/{rnd.randrange(2019, 2026)}",
        font=_font(22),
        fill=0,
        anchor="mt",
    )
    lines = [
        "Yang bertanda tangan di bawah ini Lurah, menerangkan bahwa :",
        "",
        f"Nama : {p.name}",
        f"NIK : {p.nik}",
        f"Tempat/Tgl Lahir : {p.birth_place}, {_date(p.birth)}",
        f"Pekerjaan : {p.job}",
        f"Alamat : {a['street']} RT/RW {a['rtrw']}",
        "",
        "Demikian surat keterangan ini dibuat untuk dipergunakan",
        "sebagaimana mestinya.",
    ]
    _paragraph(d, 80, 360, lines, size=23)
    d.text((600, 1050), "Balikpapan, 12-02-2025", font=_font(22), fill=0)
    d.text((600, 1090), "LURAH", font=_font(22, True), fill=0)
    return page, {"nik": p.nik, "kk_number": None, "name": p.name}


def _other(rnd: random.Random) -> tuple[Image.Image, dict]:
    choice = rnd.randrange(3)
    if choice == 0:  # a shop receipt
        page = Image.new("RGB", (560, 1100), (250, 250, 246))
        d = ImageDraw.Draw(page)
        d.text((280, 40), "TOKO SUMBER REZEKI", font=_font(28, True), fill=0, anchor="mt")
        d.text(
            (280, 84), "Jl. Jend. Sudirman No. 8 Balikpapan", font=_font(18), fill=0, anchor="mt"
        )
        y, total = 160, 0
        for item in rnd.sample(
            [
                "BERAS 5KG",
                "MINYAK GORENG",
                "GULA PASIR",
                "TELUR 1KG",
                "KOPI BUBUK",
                "SABUN MANDI",
                "MIE INSTAN",
                "AIR MINERAL",
            ],
            6,
        ):
            price = rnd.randrange(5, 80) * 1000
            total += price
            d.text((40, y), item, font=_font(22), fill=0)
            d.text((520, y), f"{price:,}", font=_font(22), fill=0, anchor="ra")
            y += 44
        d.text((40, y + 30), "TOTAL", font=_font(26, True), fill=0)
        d.text((520, y + 30), f"{total:,}", font=_font(26, True), fill=0, anchor="ra")
        d.text((40, y + 80), "TUNAI", font=_font(22), fill=0)
        d.text((280, y + 180), "TERIMA KASIH", font=_font(22), fill=0, anchor="mt")
    elif choice == 1:  # a private letter
        page, d = _portrait_page(rnd, (250, 250, 252))
        p = _Person(rnd)
        _paragraph(
            d,
            80,
            90,
            [
                f"Balikpapan, {rnd.randrange(1, 28)} Maret 2025",
                "",
                "Kepada Yth.",
                "Bapak/Ibu Pengurus RT",
                "di tempat",
                "",
                "Dengan hormat,",
                "Bersama ini kami mengundang Bapak/Ibu untuk hadir",
                "pada kerja bakti membersihkan saluran air",
                "hari Minggu pukul 07.00 WITA.",
                "Atas perhatiannya kami ucapkan terima kasih.",
                "",
                "Hormat kami,",
                p.name,
            ],
        )
    else:  # a room: wall, floor, a window, furniture; no text at all
        rng = np.random.default_rng(rnd.randrange(1 << 30))
        page = Image.new("RGB", ROOM, tuple(rng.integers(150, 235, 3).tolist()))
        d = ImageDraw.Draw(page)
        horizon = rnd.randrange(500, 700)
        d.rectangle((0, horizon, 1200, 900), fill=tuple(rng.integers(60, 170, 3).tolist()))
        x = rnd.randrange(80, 700)
        d.rectangle((x, 90, x + 320, 400), fill=(200, 225, 245), outline=(250, 250, 250), width=14)
        d.line((x + 160, 90, x + 160, 400), fill=(250, 250, 250), width=10)
        for _ in range(rnd.randrange(2, 5)):
            x, w = rnd.randrange(0, 1000), rnd.randrange(120, 400)
            top = horizon - rnd.randrange(60, 380)
            d.rectangle(
                (x, top, x + w, horizon + rnd.randrange(20, 160)),
                fill=tuple(rng.integers(30, 200, 3).tolist()),
            )
        shade = np.linspace(1.0, 0.7, ROOM[0])[None, :, None]
        page = Image.fromarray((np.asarray(page, np.float32) * shade).astype(np.uint8))
    return page, {"nik": None, "kk_number": None, "name": None}


PAGES = {
    "ktp": _ktp,
    "kk": _kk,
    "akta": _akta,
    "buku_nikah": _buku_nikah,
    "surat_keterangan": _surat_keterangan,
    "other": _other,
}


# --- the photo ---------------------------------------------------------------------------------


def _on_table(page: Image.Image, rnd: random.Random, rng: np.random.Generator) -> Image.Image:
    """The page lying on a table, photographed from above with a margin and a slight angle."""
    w, h = page.size
    margin = rnd.uniform(0.05, 0.14)
    W, H = int(w * (1 + 2 * margin)), int(h * (1 + 2 * margin))
    colour = np.array(rnd.choice([(120, 85, 55), (90, 90, 95), (160, 130, 95), (60, 50, 45)]))
    grain = rng.normal(0, 8, size=(H // 8 + 1, W // 8 + 1, 1))
    table = np.clip(colour + grain, 0, 255).astype(np.uint8)
    photo = Image.fromarray(table).resize((W, H), Image.Resampling.BILINEAR)
    angle = rnd.uniform(-1.5, 1.5)
    rotated = page.convert("RGBA").rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
    # the phone is not held quite parallel: one side of the page a little narrower (keystone)
    k = rnd.uniform(0, 0.03) * rotated.width
    quad = (0, 0, k, rotated.height, rotated.width - k, rotated.height, rotated.width, 0)
    if rnd.random() < 0.5:
        quad = (k, 0, 0, rotated.height, rotated.width, rotated.height, rotated.width - k, 0)
    rotated = rotated.transform(rotated.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC)
    photo.paste(rotated, ((W - rotated.width) // 2, (H - rotated.height) // 2), rotated)
    return photo


def _noise(photo: Image.Image, rng: np.random.Generator, sigma: float) -> Image.Image:
    arr = np.asarray(photo, dtype=np.float32)
    arr = arr + rng.normal(0, sigma, size=arr.shape[:2] + (1,))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _degrade(
    photo: Image.Image, degrade: str | None, rnd: random.Random, rng: np.random.Generator
) -> tuple[Image.Image, int]:
    quality = rnd.randrange(70, 93)
    w, h = photo.size
    if degrade == "blur":
        photo = photo.filter(ImageFilter.GaussianBlur(max(w, h) / rnd.uniform(200, 300)))
    elif degrade == "dark":
        arr = np.asarray(photo, dtype=np.float32) * rnd.uniform(0.08, 0.2)
        photo = _noise(Image.fromarray(arr.astype(np.uint8)), rng, rnd.uniform(2, 4))
    elif degrade == "tilt":
        angle = rnd.choice([-1, 1]) * rnd.uniform(4, 10)
        photo = photo.rotate(
            angle, expand=True, resample=Image.Resampling.BICUBIC, fillcolor=photo.getpixel((2, 2))
        )
    elif degrade == "shadow":
        yy, xx = np.mgrid[0:h, 0:w]
        a, b = rnd.uniform(-1, 1), rnd.uniform(-1, 1)
        ramp = a * xx / w + b * yy / h
        ramp = (ramp - ramp.min()) / (np.ptp(ramp) or 1)
        mask = 1 - rnd.uniform(0.35, 0.6) * ramp
        arr = np.asarray(photo, dtype=np.float32) * mask[..., None]
        photo = Image.fromarray(arr.astype(np.uint8))
    elif degrade == "jpeg":
        quality = rnd.randrange(12, 22)
    elif degrade == "crop":
        cut = rnd.uniform(0.22, 0.45)
        side = rnd.choice(["left", "right", "top", "bottom"])
        box = {
            "left": (int(w * cut), 0, w, h),
            "right": (0, 0, int(w * (1 - cut)), h),
            "top": (0, int(h * cut), w, h),
            "bottom": (0, 0, w, int(h * (1 - cut))),
        }[side]
        photo = photo.crop(box)
    elif degrade == "small":
        scale = rnd.uniform(240, 420) / max(w, h)
        photo = photo.resize((int(w * scale), int(h * scale)), Image.Resampling.LANCZOS)
    elif degrade is not None:
        raise ValueError(f"unknown degradation {degrade!r}")
    return photo, quality


def make_document(kind: str, *, seed: int, degrade: str | None = None) -> tuple[bytes, dict]:
    """A JPEG phone photo of a fictitious document and the truth about it.

    truth = {"kind", "nik", "kk_number", "name", "degrade"}: nik is the KTP's NIK, on a KK the
    first member's (the head of the family), on a surat keterangan the person's; name is the KTP
    "Nama", the KK's head of family, the child on an akta, the husband in a buku nikah.
    """
    if kind not in PAGES:
        raise ValueError(f"unknown document kind {kind!r}")
    if degrade not in DEGRADES:
        raise ValueError(f"unknown degradation {degrade!r}")
    rnd = random.Random(f"{kind}:{seed}")
    rng = np.random.default_rng(rnd.randrange(1 << 30))
    token = _family.set(rnd.choice(sorted(FAMILIES)))
    try:
        page, truth = PAGES[kind](rnd)
    finally:
        _family.reset(token)
    photo = _on_table(page, rnd, rng) if page.size != ROOM else page
    # phones deliver 1200-2000 px on the long side after WhatsApp/upload compression
    scale = rnd.uniform(1200, 2000) / max(photo.size)
    photo = photo.resize(
        (int(photo.width * scale), int(photo.height * scale)), Image.Resampling.LANCZOS
    )
    # an ordinary photo: a little soft, a little dim or bright, sensor noise
    photo = photo.filter(ImageFilter.GaussianBlur(rnd.uniform(0, 1.0)))
    light = rnd.uniform(0.8, 1.08)
    photo = Image.fromarray(np.clip(np.asarray(photo, np.float32) * light, 0, 255).astype(np.uint8))
    photo = _noise(photo, rng, rnd.uniform(2, 5))
    photo, quality = _degrade(photo, degrade, rnd, rng)
    out = io.BytesIO()
    photo.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue(), {"kind": kind, **truth, "degrade": degrade}
