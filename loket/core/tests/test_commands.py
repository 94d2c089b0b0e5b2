import json
import subprocess
import sys

import pytest
from django.core.management import call_command


def test_healthz_answers_when_the_database_is_reachable(client, db):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and r.json()["checks"]["database"] == {"ok": True}


def test_classify_reads_lines_and_prints_json_lines():
    lines = "mau bikin akta kelahiran\nbuka jam berapa\n"
    result = subprocess.run(
        [sys.executable, "-m", "loket", "classify"],
        input=lines,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["intent"] for o in out] == ["akta-lahir", "jadwal"]
    assert all(0 <= o["confidence"] <= 1 for o in out)


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    from loket.catalog.models import Office, PolicyRule, ServicePolicy

    call_command("seed_demo")
    call_command("seed_demo")
    assert Office.objects.count() == 1
    assert ServicePolicy.objects.count() == 1
    assert PolicyRule.objects.count() == 17
    assert "Login staf demo" in capsys.readouterr().out
