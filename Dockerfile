# Loket in a container: web (default command) or worker from the same image. docs/deploy.md
# Build: docker build -t loket .   Run everything: compose.yaml (PostgreSQL, web, worker, Caddy).
# PYTHON_IMAGE: any Debian bookworm image with python3 (3.11+) works, e.g. a local mirror's.
ARG PYTHON_IMAGE=python:3.12-slim-bookworm
FROM ${PYTHON_IMAGE}

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/loket/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    PATH=/opt/loket/.venv/bin:$PATH \
    LOKET_ENV=production \
    LOKET_DATA_DIR=/var/lib/loket \
    LOKET_BACKUP_DIR=/var/backups/loket

# pg_dump / pg_restore for `loket backup` (client 15 = Debian 12's PostgreSQL, compose's db).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client ca-certificates \
    && rm -rf /var/lib/apt/lists/*

# uv the Makefile's way: pip-installed into its own venv (pinned like the developers' one).
RUN python3 -m venv /opt/uv && /opt/uv/bin/pip install --no-cache-dir uv==0.13.9

# A dedicated user with a fixed id, so volumes keep their owner across rebuilds.
RUN groupadd --system --gid 10001 loket \
    && useradd --system --uid 10001 --gid loket --home-dir /var/lib/loket \
       --shell /usr/sbin/nologin loket \
    && install -d -o loket -g loket -m 0700 /var/lib/loket /var/backups/loket

WORKDIR /opt/loket
# Dependencies first (cached while only Loket's code changes), exactly as locked, no dev extras.
COPY pyproject.toml uv.lock README.md ./
RUN /opt/uv/bin/uv sync --frozen --no-install-project --python python3
COPY loket ./loket
RUN /opt/uv/bin/uv sync --frozen --python python3

USER loket
EXPOSE 8000
VOLUME ["/var/lib/loket", "/var/backups/loket"]
# /healthz answers 503 naming the dependency that is down; the Host header must be allowed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD \
    python3 -c "import os, urllib.request as u; host = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip(); u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': host}), timeout=4)"
CMD ["loket", "web", "--host", "0.0.0.0", "--port", "8000"]
