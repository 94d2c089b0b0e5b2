"""Skill codes of the staff directory: the vocabulary shared with other apps (appointments)."""

PEREKAMAN = "perekaman"
PENCETAKAN = "pencetakan"
PENDAFTARAN = "pendaftaran"
PENCATATAN_SIPIL = "capil"
CUSTOMER_SERVICE = "cs"
VERIFIKASI = "verifikasi"
LEGALISIR = "legalisir"
PENGAMBILAN = "pengambilan"

LABELS = {
    PEREKAMAN: "Perekaman KTP-el",
    PENCETAKAN: "Pencetakan",
    PENDAFTARAN: "Pendaftaran penduduk",
    PENCATATAN_SIPIL: "Pencatatan sipil",
    CUSTOMER_SERVICE: "Customer service / WhatsApp",
    VERIFIKASI: "Verifikasi permohonan online",
    LEGALISIR: "Legalisir",
    PENGAMBILAN: "Pengambilan dokumen",
}
ALL = list(LABELS)
CHOICES = list(LABELS.items())


def parse(text: str) -> tuple[list[str], list[str]]:
    """Skill codes from a cell like "perekaman, cs" or "Perekaman KTP-el; Legalisir".

    Returns (known codes, unknown words).
    """
    by_label = {label.lower(): code for code, label in LABELS.items()}
    known: list[str] = []
    unknown: list[str] = []
    for part in text.replace(";", ",").split(","):
        word = part.strip().lower()
        if not word:
            continue
        code = word if word in LABELS else by_label.get(word)
        if code is None:
            unknown.append(part.strip())
        elif code not in known:
            known.append(code)
    return known, unknown


def people_with(office) -> dict[str, int]:
    """How many active employees of `office` have each skill ({code: count})."""
    from loket.roster.models import Employee

    counts: dict[str, int] = {}
    if office is None:
        return counts
    for codes in Employee.objects.filter(office=office, active=True).values_list(
        "skills", flat=True
    ):
        for code in set(codes or []):
            counts[code] = counts.get(code, 0) + 1
    return counts
