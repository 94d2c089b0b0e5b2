"""Worker CPU per answered message, in this process, by batch size (issue 14).

The worker's own code path (`whatsapp.inbound.pump`: take, contacts, the bot, the writes, the
sends to a Graph API sink) on PostgreSQL, without HTTP on the accepting side: webhooks are
stored with `whatsapp.views.accept`, then answered in batches of each size. CPU is this
process's (`time.process_time`, the sending threads included), so the figure does not depend on
what else the machine runs. `--profile N` prints a cProfile of the batches of size N.

    .venv/bin/python bench/worker_cost.py --sizes 1,5,50
"""

import argparse
import cProfile
import functools
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import loadgen  # noqa: E402  (beside this script)
from webhook import (  # noqa: E402
    PHONE_NUMBER_ID,
    SECRET,
    TOKEN,
    batch,
    loket,
    prepare_database,
    setup_django,
    sign,
)

print = functools.partial(print, flush=True)  # noqa: A001  (progress as it comes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/loket_cost")
    parser.add_argument("--sizes", default="1,5,50")
    parser.add_argument("--messages", type=int, default=400, help="per size (200 for size 1)")
    parser.add_argument("--profile", type=int, default=0, help="profile this batch size")
    args = parser.parse_args()
    sink, graph_url = loadgen.start_sink(TOKEN)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "LOKET_DATA_DIR": tempfile.mkdtemp(prefix="loket-cost-"),
        "LOKET_SIMULATOR": "0",
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": "v",
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_GRAPH_URL": graph_url,
        "LOG_LEVEL": "WARNING",
        "WHATSAPP_RATE_LIMIT_MESSAGES": "100000",
        "WHATSAPP_INBOUND_GATHER_MS": "0",  # the batch sizes are this script's
    }
    print("preparing the database (migrate, seed-demo)", file=sys.stderr)
    prepare_database(args.database_url)
    loket(env, "migrate", "-v0")
    loket(env, "seed-demo")
    setup_django(env)
    from loket import nlu
    from loket.whatsapp import inbound, views

    nlu.warm_up()
    written = 0

    def store(count: int) -> None:
        nonlocal written
        for _ in range(count):
            written += 1
            raw = batch([(f"62877{written:07d}", "mau bikin akta kelahiran anak")])
            views.accept(raw, sign(raw, SECRET), "127.0.0.1")

    store(20)  # warm: the catalog, the templates, the send pool
    while inbound.pump(50):
        pass
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            total = args.messages if size > 1 else args.messages // 2
            store(total)
            profile = cProfile.Profile() if size == args.profile else None
            cpu = time.process_time()
            if profile:
                profile.enable()
            done = 0
            while done < total:
                done += inbound.pump(size)
            if profile:
                profile.disable()
            ms = 1000 * (time.process_time() - cpu) / total
            print(f"batch {size}: {ms:.2f} ms CPU a message, {ms * size:.1f} ms a batch")
            if profile:
                pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    finally:
        sink.terminate()


if __name__ == "__main__":
    main()
