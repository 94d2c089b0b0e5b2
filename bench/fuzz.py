"""Longer fuzz run of the public surface: the CI fuzz tests with a bigger, random budget.

    LOKET_ENV=test .venv/bin/python bench/fuzz.py --examples 500

Runs loket/core/tests/test_fuzz.py in this process (SQLite test database, or DATABASE_URL) with
LOKET_FUZZ_EXAMPLES examples per test and a random seed, then prints the requests made per
endpoint and the server errors found (hypothesis stops a test at its first failure and shrinks
it: a failed test is at least one 500, printed above with its input).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=500, help="examples per fuzz test")
    args = parser.parse_args()
    os.environ.setdefault("LOKET_ENV", "test")
    os.environ["LOKET_FUZZ_EXAMPLES"] = str(args.examples)
    os.environ["LOKET_FUZZ_RANDOM"] = "1"
    import pytest

    from loket.core import fuzzing

    class Outcomes:
        failed = 0

        def pytest_runtest_logreport(self, report):
            if report.when == "call" and report.failed:
                self.failed += 1

    outcomes = Outcomes()
    started = time.monotonic()
    pytest.main(
        [
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            str(ROOT / "loket/core/tests/test_fuzz.py"),
        ],
        plugins=[outcomes],
    )
    summary = {
        "examples_per_test": args.examples,
        "requests": sum(fuzzing.REQUESTS.values()),
        "by_endpoint": dict(fuzzing.REQUESTS),
        "failed_tests_with_server_errors": outcomes.failed,
        "seconds": round(time.monotonic() - started),
    }
    print(json.dumps(summary))
    return 1 if outcomes.failed else 0


if __name__ == "__main__":
    sys.exit(main())
