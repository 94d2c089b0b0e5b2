"""Restore drill on a year of one office's data: seed (or reuse), back up, restore into a fresh
database and data directory, verify every row and document reads back the same, print sizes
and times. SQLite and PostgreSQL.

    .venv/bin/python bench/backup_drill.py --days 365 --documents 2000      # both databases
    .venv/bin/python bench/backup_drill.py --vendor sqlite --days 30          # a quick one

The source is kept under --work (default var/drill) and reused by later runs (seeding a year
takes minutes to a quarter of an hour). `seed-history` writes no uploaded files, so the bench
adds --documents encrypted documents of --document-kb each (random bytes: incompressible like
photos) beside the demo's. Times are wall clock and CPU of the `loket` process and its
children (pg_dump / pg_restore; not the PostgreSQL server's own CPU).
"""

import argparse
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = (
    "import json, django; django.setup(); "
    "from loket.ops.inventory import inventory; print(json.dumps(inventory()))"
)
DOCUMENTS = (
    "import os, sys, django; django.setup(); "
    "from pathlib import Path; from django.conf import settings; "
    "from loket.core.crypto import encrypt_bytes; "
    "n, kb = int(sys.argv[1]), int(sys.argv[2]); "
    "root = Path(settings.MEDIA_ROOT) / 'applications' / 'bench'; "
    "root.mkdir(parents=True, exist_ok=True); "
    "[(root / f'{i:06d}.bin').write_bytes(encrypt_bytes(os.urandom(kb * 1024))) "
    "for i in range(n)]"
)


def run(env: dict, *argv: str, python: bool = False) -> tuple[subprocess.CompletedProcess, dict]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    command = [sys.executable, *argv] if python else [sys.executable, "-m", "loket", *argv]
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    timing = {
        "wall": time.monotonic() - started,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
    }
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv[:3])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result, timing


def psql(base: str, sql: str) -> str:
    result = subprocess.run(  # noqa: S603
        ["psql", f"{base}/postgres", "-Atc", sql], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def keys(work: Path) -> dict:
    path = work / "keys.json"
    if not path.exists():
        path.write_text(
            json.dumps(
                {
                    "LOKET_ENCRYPTION_KEY": Fernet.generate_key().decode(),
                    "SECRET_KEY": secrets.token_urlsafe(40),
                }
            )
        )
    return json.loads(path.read_text())


def environment(work: Path, database: str, data_dir: Path) -> dict:
    return {
        **os.environ,
        **keys(work),
        "LOKET_ENV": "demo",
        "DATABASE_URL": database,
        "LOKET_DATA_DIR": str(data_dir),
        "LOKET_DEMO_HISTORY_DAYS": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "loket.settings",
    }


def database_bytes(vendor: str, base: str, name: str, data_dir: Path) -> int:
    if vendor == "sqlite":
        return (data_dir / "loket.sqlite3").stat().st_size
    return int(psql(base, f"SELECT pg_database_size('{name}')"))


def drill(vendor: str, args) -> dict:
    work = args.work
    tag = f"{args.days}d"
    source_dir, target_dir = work / f"{vendor}-{tag}-source", work / f"{vendor}-{tag}-restored"
    source_db = f"loket_drill_{tag}_source"
    target_db = f"loket_drill_{tag}_restored"
    if vendor == "sqlite":
        source_url = f"sqlite:///{source_dir / 'loket.sqlite3'}"
        target_url = f"sqlite:///{target_dir / 'loket.sqlite3'}"
    else:
        source_url, target_url = f"{args.pg}/{source_db}", f"{args.pg}/{target_db}"
    env = environment(work, source_url, source_dir)
    marker = source_dir / "seeded.json"
    figures: dict = {"vendor": vendor}
    if not marker.exists():
        shutil.rmtree(source_dir, ignore_errors=True)
        if vendor == "postgresql":
            psql(args.pg, f"DROP DATABASE IF EXISTS {source_db} WITH (FORCE)")
            psql(args.pg, f"CREATE DATABASE {source_db}")
        print(f"[{vendor}] seeding {args.days} days (once; reused by later runs)…", flush=True)
        seeding = time.monotonic()
        run(env, "migrate", "--no-input", "-v", "0")
        run(env, "seed-demo")
        run(env, "seed-history", "--days", str(args.days))
        run(env, "-c", DOCUMENTS, str(args.documents), str(args.document_kb), python=True)
        if vendor == "postgresql":
            subprocess.run(["psql", source_url, "-qc", "VACUUM ANALYZE"], check=True)  # noqa: S607
        marker.write_text(json.dumps({"seconds": time.monotonic() - seeding}))
    figures["seed_seconds"] = json.loads(marker.read_text())["seconds"]
    figures["database_bytes"] = database_bytes(vendor, args.pg, source_db, source_dir)
    private = source_dir / "private"
    stored = [p for p in private.rglob("*") if p.is_file()]
    figures["files"], figures["files_bytes"] = len(stored), sum(p.stat().st_size for p in stored)

    archive = work / f"{vendor}-{tag}.tar.gz"
    archive.unlink(missing_ok=True)
    print(f"[{vendor}] backup…", flush=True)
    result, figures["backup"] = run(env, "backup", "--out", str(archive), "--quiet")
    figures["archive_bytes"] = archive.stat().st_size

    shutil.rmtree(target_dir, ignore_errors=True)
    target_dir.mkdir(parents=True)
    if vendor == "postgresql":
        psql(args.pg, f"DROP DATABASE IF EXISTS {target_db} WITH (FORCE)")
        psql(args.pg, f"CREATE DATABASE {target_db}")
    target_env = environment(work, target_url, target_dir)
    print(f"[{vendor}] restore…", flush=True)
    result, figures["restore"] = run(target_env, "restore", str(archive))
    figures["restore_output"] = result.stdout.strip().splitlines()[-1]

    print(f"[{vendor}] verify (every row and file decrypted, both sides)…", flush=True)
    source_inventory, figures["verify_source"] = run(env, "-c", INVENTORY, python=True)
    target_inventory, figures["verify_restored"] = run(target_env, "-c", INVENTORY, python=True)
    before = json.loads(source_inventory.stdout.strip().splitlines()[-1])
    after = json.loads(target_inventory.stdout.strip().splitlines()[-1])
    figures["rows"] = sum(n for n, _ in before["tables"].values())
    figures["identical"] = before == after
    if not figures["identical"]:
        differ = [t for t in before["tables"] if before["tables"][t] != after["tables"].get(t)]
        print(f"[{vendor}] DIFFERENT: tables {differ[:10]}", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vendor", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--document-kb", type=int, default=150)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "drill")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    vendors = ["sqlite", "postgresql"] if args.vendor == "both" else [args.vendor]
    results = [drill(vendor, args) for vendor in vendors]
    mb = 1e6
    print()
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores, shared)")
    print(
        "| database | rows | database size | files | archive | backup wall / CPU "
        "| restore wall / CPU | verify (both sides) | identical |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for f in results:
        verify = f["verify_source"]["wall"] + f["verify_restored"]["wall"]
        print(
            f"| {f['vendor']} | {f['rows']:,} | {f['database_bytes'] / mb:,.0f} MB "
            f"| {f['files']:,} ({f['files_bytes'] / mb:,.0f} MB) "
            f"| {f['archive_bytes'] / mb:,.0f} MB "
            f"| {f['backup']['wall']:.0f} s / {f['backup']['cpu']:.0f} s "
            f"| {f['restore']['wall']:.0f} s / {f['restore']['cpu']:.0f} s "
            f"| {verify:.0f} s | {'yes' if f['identical'] else 'NO'} |"
        )
    for f in results:
        print(
            f"{f['vendor']}: seeding took {f['seed_seconds']:.0f} s; restore: {f['restore_output']}"
        )
    if not all(f["identical"] for f in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
