"""`loket roster bench`: the file our checker reads, and the JSON summary as the last line."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from loket.roster import checker


def run(tmp_path, *extra):
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "roster.json"
    call_command(
        "roster", "bench", "--staff", "30", "--days", "14", "--seed", "7",
        "--out", str(target), *extra, stdout=out, stderr=err,
    )  # fmt: skip
    return json.loads(out.getvalue().strip().splitlines()[-1]), json.loads(target.read_text()), err


def test_it_writes_a_roster_every_rule_holds_on(tmp_path):
    summary, doc, err = run(tmp_path)

    assert summary["status"] == "OPTIMAL"
    assert summary["objective"] == summary["bound"]
    assert summary["seconds"] > 0
    assert doc["rules"]["alternate_days"] is True
    assert len(doc["assignments"]) == 30 * 14
    assert checker.check(doc) == []
    assert "solusi" in err.getvalue()


def test_it_explains_an_impossible_day(tmp_path):
    summary, doc, _ = run(tmp_path, "--infeasible")

    assert summary["status"] == "INFEASIBLE"
    assert len(summary["explanation"]) == 1
    assert "kurang" in summary["explanation"][0] and "perekaman" in summary["explanation"][0]
    assert doc["shortages"][0]["kind"] == "skill"


def test_it_refuses_nonsense_sizes(tmp_path):
    with pytest.raises(CommandError):
        call_command("roster", "bench", "--staff", "0", "--out", str(tmp_path / "x.json"))


def test_it_handles_a_period_without_working_days(tmp_path):
    out = io.StringIO()
    target = tmp_path / "sunday.json"
    call_command(
        "roster", "bench", "--staff", "5", "--days", "1", "--out", str(target),
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    doc = json.loads(target.read_text())
    assert {a["mode"] for a in doc["assignments"]} == {"off"}
    assert checker.check(doc) == []
