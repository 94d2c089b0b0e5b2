"""The document check on photos made by the project's own generator (fictitious people)."""

import io
import json

import pytest
from PIL import Image

from loket.doccheck.engine import (
    DOC_TYPES,
    Analysis,
    DocCheckError,
    analyse,
    compare,
    names_match,
)
from loket.doccheck.synth import make_document


def check(image: bytes):
    """analyse() with room for a machine shared by many test runs (the limit is tested apart)."""
    return analyse(image, time_limit=300)


@pytest.fixture(scope="module")
def ktp():
    image, truth = make_document("ktp", seed=3)
    return check(image), truth


def test_it_reads_a_clean_ktp(ktp):
    analysis, truth = ktp
    assert analysis.readable
    assert analysis.doc_type == "ktp"
    assert analysis.nik == truth["nik"]
    assert analysis.name == truth["name"]
    assert truth["nik"] in analysis.text.replace(" ", "")


def test_it_finds_nothing_wrong_when_the_typed_data_match(ktp):
    analysis, truth = ktp
    assert compare(analysis, expected="ktp", typed_nik=truth["nik"], typed_name=truth["name"]) == []


def test_it_shows_which_digits_of_the_nik_differ(ktp):
    analysis, truth = ktp
    typed = list(truth["nik"])
    for position in (5, 9):
        typed[position - 1] = "9" if typed[position - 1] != "9" else "8"
    findings = compare(analysis, expected="ktp", typed_nik="".join(typed))
    assert [f.code for f in findings] == ["nik_mismatch"]
    assert findings[0].detail["positions"] == [5, 9]
    assert "digit ke-5 dan ke-9" in findings[0].message
    assert truth["nik"] not in findings[0].message  # masked: only the region prefix is shown


def test_it_says_when_the_name_differs(ktp):
    analysis, truth = ktp
    assert compare(analysis, expected="ktp", typed_name=truth["name"].lower()) == []
    findings = compare(analysis, expected="ktp", typed_name="Bambang Sutrisno")
    assert [f.code for f in findings] == ["name_mismatch"]


def test_it_says_what_a_wrong_document_looks_like(ktp):
    analysis, _ = ktp
    findings = compare(analysis, expected="kk")
    assert [f.code for f in findings] == ["wrong_type"]
    assert (
        findings[0].message
        == "Foto ini terlihat seperti KTP-el, bukan Kartu Keluarga yang diminta."
    )
    assert findings[0].detail["looks_like"] == "ktp"


def test_the_analysis_survives_json(ktp):
    analysis, _ = ktp
    data = json.loads(json.dumps(analysis.to_dict()))
    assert Analysis.from_dict(data) == analysis


@pytest.mark.parametrize(
    "degrade, problem",
    [("blur", "blur"), ("dark", "dark"), ("crop", "cut_off"), ("small", "too_small")],
)
def test_it_flags_a_photo_nobody_could_read(degrade, problem):
    image, _ = make_document("kk", seed=5, degrade=degrade)
    analysis = check(image)
    assert not analysis.readable
    assert problem in analysis.quality_problems
    findings = compare(analysis, expected="kk")
    assert findings[0].code == "unreadable"
    assert "coba lagi di tempat terang, seluruh kertas masuk foto" in findings[0].message


def test_it_reads_the_kk_number_and_the_head_of_the_family():
    image, truth = make_document("kk", seed=7)
    analysis = check(image)
    assert analysis.doc_type == "kk"
    assert (analysis.kk_number, analysis.nik) == (truth["kk_number"], truth["nik"])
    typed_kk = truth["kk_number"][:-1] + ("1" if truth["kk_number"][-1] != "1" else "2")
    findings = compare(analysis, expected="kk", typed_kk=typed_kk, typed_nik=truth["nik"])
    assert [(f.code, f.detail["positions"]) for f in findings] == [("kk_mismatch", [16])]


@pytest.mark.parametrize("kind", [k for k in DOC_TYPES if k not in ("ktp", "kk")])
def test_it_recognises_the_other_documents(kind):
    image, _ = make_document(kind, seed=11)
    analysis = check(image)
    assert analysis.doc_type == kind
    assert compare(analysis, expected=kind) == []


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\0" * 40])
def test_it_refuses_bytes_that_are_no_image(data):
    with pytest.raises(DocCheckError):
        check(data)


def test_it_refuses_a_truncated_jpeg():
    image, _ = make_document("ktp", seed=1)
    with pytest.raises(DocCheckError):
        check(image[: len(image) // 3])


def test_it_keeps_to_the_time_limit():
    big = Image.new("RGB", (4000, 3000), "white")
    out = io.BytesIO()
    big.save(out, "PNG")
    with pytest.raises(DocCheckError, match="time limit"):
        analyse(out.getvalue(), time_limit=0.01)


def test_names_match_despite_ocr_noise():
    assert names_match("Siti Rahmawati", "SITI  RAHMAWAT1")
    assert names_match("siti rahmawati", "SITIRAHMAWATI")
    assert not names_match("Siti Rahmawati", "SITI NURHALIZA")


@pytest.mark.parametrize("turn", [90, 180])
def test_it_reads_a_ktp_photographed_sideways_or_upside_down(turn):
    image, truth = make_document("ktp", seed=21)
    out = io.BytesIO()
    Image.open(io.BytesIO(image)).rotate(turn, expand=True).save(out, "JPEG", quality=90)
    analysis = check(out.getvalue())
    assert (analysis.doc_type, analysis.nik, analysis.readable) == ("ktp", truth["nik"], True)


def test_it_reads_a_full_size_phone_photo():
    image, truth = make_document("kk", seed=8)
    out = io.BytesIO()
    photo = Image.open(io.BytesIO(image))
    photo.resize((photo.width * 5 // 2, photo.height * 5 // 2)).save(out, "JPEG", quality=90)
    analysis = check(out.getvalue())
    assert (analysis.doc_type, analysis.kk_number, analysis.readable) == (
        "kk",
        truth["kk_number"],
        True,
    )


def test_the_generator_is_deterministic_and_fictitious():
    first, truth = make_document("ktp", seed=42, degrade="shadow")
    again, same = make_document("ktp", seed=42, degrade="shadow")
    assert (first, truth) == (again, same)
    assert truth["nik"].startswith("64710") and truth["nik"][4:6] in {f"0{k}" for k in range(1, 7)}
    assert make_document("ktp", seed=43)[1]["nik"] != truth["nik"]
