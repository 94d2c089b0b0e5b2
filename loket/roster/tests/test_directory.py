"""The staff directory: WhatsApp numbers and the XLSX import (all or nothing)."""

import io

import pytest
from openpyxl import Workbook

from loket.roster.directory import import_xlsx, normalize_whatsapp, template_xlsx
from loket.roster.models import Employee

HEADER = ["nama", "nip", "bidang", "jabatan", "keahlian", "supervisor", "whatsapp", "kelompok"]


def workbook(*rows) -> bytes:
    wb = Workbook()
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_normalises_indonesian_numbers_to_wa_ids():
    assert normalize_whatsapp("0812-3456-7890") == "6281234567890"
    assert normalize_whatsapp("+62 812 3456 7890") == "6281234567890"
    assert normalize_whatsapp("") == ""
    with pytest.raises(ValueError, match="tidak valid"):
        normalize_whatsapp("0812")


def test_it_imports_the_offices_spreadsheet(office):
    data = workbook(
        ["Sari Wulandari", "198703122010012001", "Pendaftaran", "Operator",
         "perekaman, Customer service / WhatsApp", "tidak", "0812-3456-7890", "a"],
        ["Gita", "", "Pencatatan Sipil", "Kasi", "capil", "ya", "", ""],
    )  # fmt: skip

    result = import_xlsx(office, data)

    assert (result.created, result.updated, result.errors) == (2, 0, [])
    sari = Employee.objects.get(nip="198703122010012001")
    assert sari.skills == ["perekaman", "cs"]
    assert sari.whatsapp == "6281234567890"
    assert sari.piket_group == "A"
    assert Employee.objects.get(name="Gita").is_supervisor


def test_it_imports_nothing_and_lists_every_bad_row(office):
    data = workbook(
        ["Sari", "198703122010012001", "Pendaftaran", "", "perekaman", "tidak", "", ""],
        ["", "123", "Pendaftaran", "", "menyanyi", "mungkin", "0812", "AB"],
        ["Dewi", "198703122010012001", "", "", "cs", "", "", ""],
    )

    result = import_xlsx(office, data)

    assert Employee.objects.count() == 0
    assert result.errors[0].startswith("Baris 3: nama kosong; NIP harus 18 angka")
    assert "keahlian tidak dikenal: menyanyi" in result.errors[0]
    assert "nomor WhatsApp tidak valid" in result.errors[0]
    assert result.errors[1] == "Baris 4: bidang kosong; NIP 198703122010012001 muncul dua kali"


def test_it_updates_employees_by_nip_and_reads_its_own_template(office):
    assert import_xlsx(office, template_xlsx()).created == 1
    again = import_xlsx(office, template_xlsx())
    assert (again.created, again.updated) == (0, 1)


def test_it_refuses_a_file_that_is_not_a_workbook(office):
    result = import_xlsx(office, b"nama,nip\nSari,1")
    assert result.errors == ["Berkas bukan file Excel (.xlsx) yang bisa dibaca."]
