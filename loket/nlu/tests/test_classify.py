"""The shipped model through the public interface: `classify`, `classify_all`."""

import logging

import pytest

from loket.nlu import INTENTS, SERVICE_INTENTS, classify, classify_all, model, rank
from loket.nlu.dataset import EVAL_PATHS, read_training, read_tsv
from loket.nlu.stacked import Stacked

THRESHOLD = 0.6  # the default of settings.LOKET_NLU_THRESHOLD (checked below)
# Written for these tests; none is a line of train.tsv (checked below).
MESSAGES = [
    ("pagi min, anak saya baru umur 17 minggu lalu, mau rekam ktp bisa hari apa?", "ktp-rekam"),
    ("udah rekam dari thn 2019 tapi kartu ktp nya ga pernah jadi2", "ktp-cetak"),
    ("ktp sy ilang pas di pasar, udah ada surat polisi", "ktp-ganti"),
    ("baru nikah bulan kemarin, pengen punya kartu keluarga sendiri", "kk-baru"),
    ("mau masukin anak ketiga ke kk soalnya belum tercantum", "kk-ubah"),
    ("bikin kartu identitas anak buat anak umur 4 thn gimana?", "kia"),
    ("saya dapat kerja di samarinda, mau pindah ktp ke sana", "pindah"),
    ("kami baru datang dari makassar, skpwni sudah dipegang", "datang"),
    ("istri saya lahiran di puskesmas, mau urus akte bayinya", "akta-lahir"),
    ("mama saya meninggal minggu lalu, perlu akta kematian buat urus pensiun", "akta-mati"),
    ("kami sudah diberkati di gereja, mau catatkan perkawinan", "akta-kawin"),
    ("putusan cerai dari pengadilan negeri sudah inkrah, akta cerainya gimana", "akta-cerai"),
    ("mau urus pengesahan anak yang lahir sebelum kami menikah", "akta-anak"),
    ("nama saya di akte kelahiran salah satu huruf, mau dibetulkan", "akta-ubah"),
    ("butuh legalisir fotokopi kk buat daftar polri", "legalisir"),
    ("cara aktivasi ikd di hp android gimana ya", "ikd"),
    ("sms bilang ktp saya sudah jadi, ambilnya di loket mana?", "ambil-dokumen"),
    ("akte lahir anak saya sudah jadi apa belum ya", "status"),
    ("sudah 2 minggu permohonan kk saya belum ada kabar", "status"),
    ("kantor buka hari sabtu gak?", "jadwal"),
    ("saya mau bicara sama petugas langsung, bukan bot", "operator"),
    ("makasih banyak ya min", "lainnya"),
]
# Story-like messages (issue 10), written for these tests: the story is not the request.
NARRATIVES = [
    (
        "Assalamualaikum. Saya sudah dua kali datang ke kantor dan antri lama. Saya cuma mau "
        "tanya, akta kelahiran anak saya yang saya ajukan bulan lalu sudah jadi belum?",
        "status",
    ),
    (
        "Halo min, kami sekeluarga baru pindah dari Tarakan ke Balikpapan minggu lalu. "
        "Surat pindah sudah ada. Mau urus KK di sini.",
        "datang",
    ),
    (
        "Pak, tadi di loket saya diminta uang 100 ribu supaya KK saya cepat selesai. Saya "
        "tidak mau bayar. Saya mau melaporkan petugas itu.",
        "operator",
    ),
    (
        "Min, HP saya baru. Waktu buka aplikasi IKD muncul tulisan akun sudah dipakai di "
        "perangkat lain. Tolong dibantu.",
        "ikd",
    ),
    ("ulun handak pindah ka Banjarmasin bulan depan, maulah surat pindah di sini kah?", "pindah"),
    (
        "Selamat siang. Nenek saya meninggal di rumah minggu lalu. Kami perlu akta kematian "
        "untuk urus warisan.",
        "akta-mati",
    ),
]
GIBBERISH = ["asdkjh qweoiu", "xxxxx", "zzz zzz zzz", "hjkl", "🙏", "?!", "kk ktp"]


@pytest.mark.parametrize(("text", "intent"), MESSAGES)
def test_it_understands_a_realistic_message(text, intent):
    predicted, confidence = classify(text)
    assert (predicted, confidence >= THRESHOLD) == (intent, True)


@pytest.mark.parametrize(("text", "intent"), NARRATIVES)
def test_the_stacked_model_ranks_a_story_by_its_request(text, intent):
    assert isinstance(model.get_model(), Stacked)
    (first, confidence), *others = rank(text, top=3)
    assert (first, confidence >= THRESHOLD) == (intent, True)
    assert len(others) == 2 and all(score <= confidence for _, score in others)


def test_the_examples_are_neither_training_nor_evaluation_lines():
    texts, _ = read_training()
    for path in EVAL_PATHS:
        texts += read_tsv(path)[0]
    assert not {t.lower() for t in texts} & {t.lower() for t, _ in MESSAGES + NARRATIVES}


def test_no_evaluation_line_is_a_training_line():
    training = {t.lower() for t in read_training()[0]}
    for path in EVAL_PATHS:
        assert not training & {t.lower() for t in read_tsv(path)[0]}


def test_it_covers_every_intent_in_these_tests():
    assert {intent for _, intent in MESSAGES} == set(INTENTS)


@pytest.mark.parametrize("text", GIBBERISH)
def test_gibberish_and_bare_words_get_the_menu(text):
    intent, confidence = classify(text)
    assert intent == "lainnya" or confidence < THRESHOLD


def test_the_tests_use_the_configured_threshold(settings):
    assert settings.LOKET_NLU_THRESHOLD == THRESHOLD


def test_an_empty_message_is_lainnya_with_no_confidence():
    assert classify("   ") == ("lainnya", 0.0)


def test_the_shipped_artefact_matches_train_tsv():
    assert model.stale_reason(model.read_meta()) is None
    assert model.get_model() is not None


def test_classify_all_answers_two_requests_in_order():
    found = classify_all("halo min, mau bikin kk dan akta lahir anak", threshold=THRESHOLD)
    assert [intent for intent, _ in found] == ["kk-baru", "akta-lahir"]
    assert all(confidence >= THRESHOLD for _, confidence in found)


def test_classify_all_splits_on_plus_and_sekalian():
    found = classify_all("mau urus akta kematian bapak + sekalian legalisir fotokopi kk")
    assert [intent for intent, _ in found] == ["akta-mati", "legalisir"]


@pytest.mark.parametrize(
    "text",
    [
        "bikin kk sama suami gimana caranya",
        "halo min, baru pindah dari samarinda dan sudah pegang skpwni",
    ],
)
def test_classify_all_keeps_one_request_whole(text):
    assert classify_all(text) == [classify(text)]


def test_classify_all_ignores_parts_that_are_not_services():
    found = classify_all("terima kasih, kantor buka jam berapa dan alamatnya dimana")
    assert len(found) == 1 and found[0][0] not in SERVICE_INTENTS


@pytest.fixture
def no_artefact(monkeypatch, tmp_path):
    monkeypatch.setattr(model, "ARTEFACT_PATH", tmp_path / "missing.joblib")
    monkeypatch.setattr(model, "META_PATH", tmp_path / "missing.json")
    monkeypatch.setattr(model, "STACK_PATH", tmp_path / "missing.npz")
    model.reset_cache()
    yield
    model.reset_cache()


def test_without_artefact_and_slow_training_it_falls_back_to_keywords(
    no_artefact, monkeypatch, caplog
):
    monkeypatch.setattr(model, "IN_MEMORY_LIMIT_SECONDS", 0.0)
    with caplog.at_level(logging.WARNING, logger="loket.nlu.model"):
        assert classify("ktp saya hilang") == ("ktp-ganti", 0.8)  # the keyword rule's weight
    assert model.get_model() is None
    assert "keyword baseline" in caplog.text


def test_without_artefact_and_quick_training_it_trains_in_memory(
    no_artefact, monkeypatch, tmp_path, caplog
):
    from loket.nlu import dataset

    small = tmp_path / "small.tsv"  # every 6th round-1 line: the test stays quick
    small.write_text("\n".join(dataset.TRAIN_PATH.read_text("utf-8").splitlines()[::6]), "utf-8")
    monkeypatch.setattr(dataset, "TRAIN_PATHS", [small])
    monkeypatch.setattr(model, "TRAIN_PATHS", [small])
    with caplog.at_level(logging.WARNING, logger="loket.nlu.model"):
        assert isinstance(model.get_model(), model.Scorer)  # TF-IDF alone: no embeddings
    assert "trained in memory" in caplog.text
    assert classify("ktp saya hilang di pasar")[0] == "ktp-ganti"


def test_edited_training_data_makes_the_artefact_stale(monkeypatch, tmp_path, caplog):
    from loket.nlu import dataset

    copies = []
    for path in dataset.TRAIN_PATHS:
        copy = tmp_path / path.name
        copy.write_text(path.read_text(encoding="utf-8") + "ktp sy raib\tktp-ganti\n", "utf-8")
        copies.append(copy)
    monkeypatch.setattr(dataset, "TRAIN_PATHS", copies)
    monkeypatch.setattr(model, "TRAIN_PATHS", copies)
    monkeypatch.setattr(model, "IN_MEMORY_LIMIT_SECONDS", 0.0)
    model.reset_cache()
    try:
        assert "training files changed" in model.stale_reason(model.read_meta())
        with caplog.at_level(logging.WARNING, logger="loket.nlu.model"):
            assert model.get_model() is None
        assert "loket nlu train" in caplog.text
    finally:
        model.reset_cache()


def test_the_fast_scorer_computes_what_the_pipeline_computes():
    import joblib
    import numpy as np

    pipeline = joblib.load(model.ARTEFACT_PATH)
    scorer = model.Scorer(pipeline)
    texts = [text for text, _ in MESSAGES] + GIBBERISH + ["KTP-el sy ilang 2x!!", "x"]
    expected = pipeline.predict_proba(texts)
    actual = np.array([scorer.probabilities(text) for text in texts])
    assert scorer.classes == list(pipeline.classes_)
    assert np.allclose(actual, expected, atol=1e-9)


def test_the_encoder_reads_the_start_and_the_end_of_a_long_story():
    from loket.nlu import embed

    story = " ".join(f"w{i}" for i in range(40))
    kept = embed.prepare(story + " MAU urus AKTA kematian", max_words=10).split()
    assert kept[: embed.HEAD_WORDS] == ["w0", "w1", "w2", "w3"]
    assert kept[-4:] == ["mau", "urus", "akta", "kematian"] and len(kept) == 10
    assert embed.prepare("halooo https://x.id/a   min") == "haloo min"


def test_similar_requests_get_similar_embeddings():
    from loket.nlu import embed

    lost, stolen, birth = (
        embed.embed(text)
        for text in ("ktp saya hilang", "kartu ktp saya dicuri orang", "mau bikin akta lahir bayi")
    )
    assert float(lost @ stolen) > float(lost @ birth)


def test_embeddings_can_be_switched_off(settings):
    settings.LOKET_NLU_EMBEDDINGS = False
    model.reset_cache()
    try:
        assert isinstance(model.get_model(), model.Scorer)
        assert classify("ktp saya hilang di pasar")[0] == "ktp-ganti"
    finally:
        model.reset_cache()
