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
