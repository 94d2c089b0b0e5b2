"""The `loket` command: Django's management commands, with dashes allowed (`loket seed-demo`)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    if len(argv) > 1 and argv[1] == "generate_key" and set(argv[2:]) <= {"--secret-key"}:
        from loket.core.keys import new_key

        print(new_key(secret_key="--secret-key" in argv))  # no settings: no data dir made here
        return
    if len(argv) > 1 and argv[1] in ("serve", "web"):
        _default_public_url(argv)
    if len(argv) > 1 and argv[1] == "check" and "--deploy" in argv:
        # Production settings then load even when incomplete: the check lists every problem
        # (loket.settings refuses to start at the first otherwise).
        import loket

        loket.DEPLOY_CHECK = True
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def _default_public_url(argv: list[str]) -> None:
    """Links and the simulator's Graph URL follow --port unless LOKET_PUBLIC_URL says otherwise."""
    port = os.environ.get("PORT", "8000")
    for i, arg in enumerate(argv):
        if arg == "--port" and i + 1 < len(argv):
            port = argv[i + 1]
        elif arg.startswith("--port="):
            port = arg.split("=", 1)[1]
    os.environ.setdefault("LOKET_PUBLIC_URL", f"http://127.0.0.1:{port}")


if __name__ == "__main__":
    main()
