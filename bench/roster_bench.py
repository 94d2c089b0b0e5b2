"""Piket solver figures: runs `loket roster bench` for sizes and seeds, checks every roster.

    .venv/bin/python bench/roster_bench.py                 # 40 and 200 staff x 31 days, seeds 1-5
    .venv/bin/python bench/roster_bench.py --sizes 200 --seeds 1 2 3

For each run: the solver's status, its own seconds (model build + solve), the wall time of the
whole command (Python, Django and OR-Tools start-up included), the gap to the bound, and the
number of broken rules found by the independent checker. Also one infeasible instance per size
(most KTP-el recorders on leave on one day) to time the explanation.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loket.roster.checker import check  # noqa: E402


def run(staff: int, days: int, seed: int, infeasible: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "roster.json"
        cmd = [
            str(ROOT / ".venv/bin/loket"), "roster", "bench",
            "--staff", str(staff), "--days", str(days), "--seed", str(seed), "--out", str(out),
        ]  # fmt: skip
        if infeasible:
            cmd.append("--infeasible")
        env = dict(os.environ, LOKET_DATA_DIR=os.environ.get("LOKET_DATA_DIR", tmp))
        started = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
        wall = time.monotonic() - started
        summary = json.loads(proc.stdout.strip().splitlines()[-1])
        broken = check(json.loads(out.read_text()))
    return {"staff": staff, "days": days, "seed": seed, "infeasible": infeasible,
            "wall": round(wall, 2), "broken_rules": len(broken), **summary}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 200])
    parser.add_argument("--days", type=int, default=31)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    args = parser.parse_args()
    print("| staff | days | seed | case | status | solver s | wall s | gap | checker |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        cases = [(seed, False) for seed in args.seeds] + [(args.seeds[0], True)]
        for seed, infeasible in cases:
            r = run(size, args.days, seed, infeasible)
            case = "infeasible" if infeasible else "normal"
            gap = "-" if r["gap"] is None else f"{100 * r['gap']:.2f}%"
            checker = f"{r['broken_rules']} broken" if r["broken_rules"] else "all rules hold"
            print(
                f"| {size} | {args.days} | {seed} | {case} | {r['status']} | {r['seconds']:.2f} "
                f"| {r['wall']:.2f} | {gap} | {checker} |",
                flush=True,
            )
            if infeasible:
                print(f"<!-- explanation: {'; '.join(r['explanation'])} -->", flush=True)


if __name__ == "__main__":
    main()
