"""`loket classify` keeps its stdin -> JSON lines contract; `loket nlu eval` reports."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from loket.nlu import INTENTS


def test_classify_reads_lines_and_writes_json_lines(monkeypatch, capsys):
    lines = ["mau bikin akte kelahiran anak", "jam buka kantor?", ""]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    call_command("classify")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in rows] == lines
    assert [r["intent"] for r in rows] == ["akta-lahir", "jadwal", "lainnya"]
    assert all(r["intent"] in INTENTS and 0.0 <= r["confidence"] <= 1.0 for r in rows)


def test_classify_gives_the_next_two_intents_as_alternatives(monkeypatch, capsys):
    story = (
        "Saya sudah 3 kali ke kantor dan antri dari pagi. Mau tanya saja, KK baru saya yang "
        "diajukan bulan lalu sudah jadi belum?"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(story + "\nkk\n"))
    call_command("classify")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["intent"] == "status"
    for row in rows:
        alternatives = row["alternatives"]
        assert [set(a) for a in alternatives] == [{"intent", "confidence"}] * 2
        intents = [row["intent"]] + [a["intent"] for a in alternatives]
        scores = [row["confidence"]] + [a["confidence"] for a in alternatives]
        assert len(set(intents)) == 3 and set(intents) <= set(INTENTS)
        assert scores == sorted(scores, reverse=True) and sum(scores) <= 1.0001


def test_classify_of_an_empty_line_has_no_alternatives(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("  \n"))
    call_command("classify")
    row = json.loads(capsys.readouterr().out)
    assert (row["intent"], row["confidence"], row["alternatives"]) == ("lainnya", 0.0, [])


def test_eval_compares_baseline_and_model(tmp_path):
    data = tmp_path / "few.tsv"
    data.write_text(
        "text\tlabel\nktp saya patah\tktp-ganti\nbuka jam berapa\tjadwal\n"
        "anak baru lahir mau bikin akte\takta-lahir\nwkwk\tlainnya\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("nlu", "eval", str(data), stdout=out)
    text = out.getvalue()
    for needle in (
        "4 messages",
        "accuracy",
        "macro-F1",
        "latency p99",
        "keywords",
        "model",
        "top confusions",
        "ktp-ganti",
    ):
        assert needle in text
    model_accuracy = next(line for line in text.splitlines() if line.startswith("accuracy"))
    assert model_accuracy.split()[-1] == "1.0000"


def test_eval_of_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("nlu", "eval", str(tmp_path / "nope.tsv"))
