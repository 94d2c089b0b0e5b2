"""The document-photo check on a generated set of fictitious documents (issue 16).

    .venv/bin/python bench/doccheck_bench.py [--seeds 5] [--json bench/results-doccheck.json]

Makes kinds x degradations x seeds photos with loket.doccheck.synth (6 x 8 x 5 = 240 by default),
checks each one on a single OCR thread and prints, as Markdown: document type accuracy, unreadable
photos caught, NIK/KK read exactly, false alarms on good photos, wrong documents and mistyped
numbers caught, CPU seconds per photo and the installed size of the OCR package.
"""

import argparse
import io
import json
import multiprocessing
import os
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LOKET_DOCCHECK_THREADS", "1")

from loket.doccheck.engine import DOC_TYPES, Analysis, analyse, compare  # noqa: E402
from loket.doccheck.synth import DEGRADES, UNREADABLE, make_document  # noqa: E402

GOOD = (None, "tilt", "shadow", "jpeg")  # phone photos a person can read: no alarm expected


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} % ({part}/{whole})" if whole else "n/a"


def installed_size(package: str) -> int:
    module = __import__(package)
    folder = Path(module.__file__).parent
    files = list(folder.rglob("*"))
    dist = list(folder.parent.glob(f"{package}-*.dist-info"))
    files += [f for d in dist for f in d.rglob("*")]
    return sum(f.stat().st_size for f in files if f.is_file())


def mistype(number: str, positions: list[int]) -> str:
    digits = list(number)
    for p in positions:
        digits[p - 1] = str((int(digits[p - 1]) + 3) % 10)
    return "".join(digits)


def one(task: tuple[str, str | None, int]) -> dict:
    kind, degrade, seed = task
    image, truth = make_document(kind, seed=1000 + seed, degrade=degrade)
    cpu, wall = time.process_time(), time.perf_counter()
    analysis = analyse(image, time_limit=600)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"{kind:16} {degrade!s:6} {seed} -> {analysis.doc_type:16} "
        f"{','.join(analysis.quality_problems) or '-':18} {cpu:.2f}s",
        file=sys.stderr,
    )
    return {
        "truth": truth,
        "analysis": analysis.to_dict(),
        "cpu": cpu,
        "wall": wall,
        "bytes": len(image),
    }


def run(seeds: int, jobs: int, log: Path) -> None:
    """Checks every photo, appending one JSON line per photo to `log` as it is done."""
    # seed by seed, so that a run stopped early is still a balanced mix
    tasks = [(k, d, s) for s in range(seeds) for k in DOC_TYPES for d in DEGRADES]
    with log.open("w") as out:
        if jobs > 1:  # separate processes, one OCR thread each: CPU time per photo is unchanged
            with multiprocessing.get_context("spawn").Pool(jobs) as pool:
                for row in pool.imap(one, tasks):
                    out.write(json.dumps(row) + "\n")
                    out.flush()
        else:
            for task in tasks:
                out.write(json.dumps(one(task)) + "\n")
                out.flush()


def load(log: Path) -> list[dict]:
    rows = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    for row in rows:
        row["analysis"] = Analysis.from_dict(row["analysis"])
    return rows


def summarise(rows: list[dict]) -> dict:
    good = [r for r in rows if r["truth"]["degrade"] in GOOD]
    # a room photographed blurred is caught; cut off it is still a room: documents only here
    bad = [r for r in rows if r["truth"]["degrade"] in UNREADABLE and r["truth"]["kind"] != "other"]
    type_ok = sum(r["analysis"].doc_type == r["truth"]["kind"] for r in good)
    confusion = Counter((r["truth"]["kind"], r["analysis"].doc_type) for r in good)
    caught = sum(not r["analysis"].readable for r in bad)
    named = sum(UNREADABLE[r["truth"]["degrade"]] in r["analysis"].quality_problems for r in bad)
    per_problem = {
        d: pct(
            sum(p in r["analysis"].quality_problems for r in bad if r["truth"]["degrade"] == d),
            sum(r["truth"]["degrade"] == d for r in bad),
        )
        for d, p in UNREADABLE.items()
    }
    idcards = [r for r in good if r["truth"]["kind"] in ("ktp", "kk")]
    nik_ok = sum(r["analysis"].nik == r["truth"]["nik"] for r in idcards)
    kks = [r for r in good if r["truth"]["kind"] == "kk"]
    kk_ok = sum(r["analysis"].kk_number == r["truth"]["kk_number"] for r in kks)
    names = [r for r in idcards]
    name_ok = sum((r["analysis"].name or "") == r["truth"]["name"] for r in names)
    # false alarms: a good photo of the right document with the right typed data gets a finding
    documents = [r for r in good if r["truth"]["kind"] != "other"]
    alarms, alarm_codes = 0, Counter()
    for r in documents:
        t = r["truth"]
        findings = compare(
            r["analysis"],
            expected=t["kind"],
            typed_nik=t["nik"],
            typed_kk=t["kk_number"],
            typed_name=t["name"],
        )
        alarms += bool(findings)
        alarm_codes.update(f.code for f in findings)
    # the wrong document: every good photo offered for each other requirement
    wrong_total = wrong_caught = 0
    for r in good:
        for expected in DOC_TYPES:
            if expected in ("other", r["truth"]["kind"]):
                continue
            wrong_total += 1
            findings = compare(r["analysis"], expected=expected)
            wrong_caught += any(f.code == "wrong_type" for f in findings)
    # a mistyped NIK / KK number (1 or 2 digits) on good KTP and KK photos
    typo_total = typo_caught = typo_positions = 0
    for r in idcards:
        t = r["truth"]
        for positions in ([7], [3, 12]):
            typo_total += 1
            findings = compare(
                r["analysis"], expected=t["kind"], typed_nik=mistype(t["nik"], positions)
            )
            hit = [f for f in findings if f.code == "nik_mismatch"]
            typo_caught += bool(hit)
            typo_positions += bool(hit) and hit[0].detail.get("positions") == positions
    cpu = [r["cpu"] for r in rows]
    wall = [r["wall"] for r in rows]
    return {
        "photos": len(rows),
        "good_photos": len(good),
        "type_accuracy_good": pct(type_ok, len(good)),
        "type_accuracy_all": pct(
            sum(r["analysis"].doc_type == r["truth"]["kind"] for r in rows), len(rows)
        ),
        "confusion": {f"{a}->{b}": n for (a, b), n in sorted(confusion.items()) if a != b},
        "unreadable_caught": pct(caught, len(bad)),
        "unreadable_right_problem": pct(named, len(bad)),
        "unreadable_by_degradation": per_problem,
        "nik_exact_ktp_kk": pct(nik_ok, len(idcards)),
        "kk_number_exact": pct(kk_ok, len(kks)),
        "name_exact_ktp_kk": pct(name_ok, len(names)),
        "false_alarms_good": pct(alarms, len(documents)),
        "false_alarm_codes": dict(alarm_codes),
        "wrong_document_caught": pct(wrong_caught, wrong_total),
        "mistyped_nik_caught": pct(typo_caught, typo_total),
        "mistyped_nik_right_positions": pct(typo_positions, typo_total),
        "cpu_seconds_per_photo": {
            "mean": round(statistics.mean(cpu), 3),
            "median": round(statistics.median(cpu), 3),
            "p95": round(sorted(cpu)[int(0.95 * (len(cpu) - 1))], 3),
            "max": round(max(cpu), 3),
        },
        "wall_seconds_per_photo_median": round(statistics.median(wall), 3),
        "photo_kb_median": round(statistics.median(r["bytes"] for r in rows) / 1024),
        "installed_bytes_faster_paddle": installed_size("faster_paddle"),
        "max_rss_mb_bench_process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def sweep(seeds: int) -> dict:
    """Where the flags fall: blur and darkness in steps on clean KTP/KK photos, with how often
    the NIK is still read exactly at that step (a good flag starts where reading fails)."""
    from PIL import Image, ImageFilter

    photos = [make_document(k, seed=2000 + s) for k in ("ktp", "kk") for s in range(seeds)]
    steps = {
        **{f"blur radius {r}px": ("blur", r) for r in (1, 2, 3, 4, 5)},
        **{f"light x{f}": ("light", f) for f in (0.5, 0.35, 0.25, 0.18)},
    }
    out = {}
    for label, (how, amount) in steps.items():
        flagged = read = 0
        for image, truth in photos:
            picture = Image.open(io.BytesIO(image)).convert("RGB")
            if how == "blur":
                picture = picture.filter(ImageFilter.GaussianBlur(amount))
            else:
                picture = picture.point(lambda v, f=amount: int(v * f))
            data = io.BytesIO()
            picture.save(data, "JPEG", quality=88)
            analysis = analyse(data.getvalue(), time_limit=600)
            flagged += not analysis.readable
            read += analysis.nik == truth["nik"]
        out[label] = f"flagged {pct(flagged, len(photos))}, NIK read {pct(read, len(photos))}"
        print(label, out[label], file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="photos per kind and degradation")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--jobs", type=int, default=1, help="processes (each one OCR thread)")
    parser.add_argument("--log", default="var/doccheck-bench.jsonl", help="one line per photo")
    parser.add_argument(
        "--summarise-only", action="store_true", help="only summarise an existing --log"
    )
    parser.add_argument(
        "--sweep", type=int, default=0, help="KTP+KK seeds for a blur/light sweep (0: none)"
    )
    args = parser.parse_args()
    load_cpu = time.process_time()
    analyse(make_document("ktp", seed=0)[0])  # the model load, counted apart
    load_cpu = time.process_time() - load_cpu
    log = Path(args.log)
    if not args.summarise_only:
        run(args.seeds, args.jobs, log)
    result = summarise(load(log))
    result["first_photo_cpu_seconds_with_model_load"] = round(load_cpu, 3)
    if args.sweep:
        result["sweep"] = sweep(args.sweep)
    for key, value in result.items():
        print(f"| {key} | {value} |")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
