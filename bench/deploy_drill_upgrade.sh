#!/bin/bash
# The "Upgrades" and "Backups" sections of docs/deploy.md, run in the container a previous
# bench/deploy_drill.sh left running, with a newer tree (a git tree-ish of this repository,
# e.g. this branch merged with the backup branch of issue 15).
#
#   DOCKER_HOST=... bench/deploy_drill_upgrade.sh CONTAINER REPO_DIR TREEISH
set -uo pipefail
NAME=${1:?container}
SRC=${2:?repository directory}
TREE=${3:?tree-ish}
LOG=${LOG:-/tmp/loket-drill-upgrade.log}
: > "$LOG"
PROXY_ENV="PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"

step() {
  local name=$1
  shift
  local start=$SECONDS
  printf '\n### %s\n$ %s\n' "$name" "$*" >> "$LOG"
  if docker exec -e DEBIAN_FRONTEND=noninteractive "$NAME" bash -euo pipefail -c "$*" >> "$LOG" 2>&1; then
    echo "STEP $name: ok ($((SECONDS - start)) s)"
  else
    echo "STEP $name: FAILED ($((SECONDS - start)) s)"
  fi
}

# "sudo git pull (or unpack the new release)"
git -C "$SRC" archive --format=tar "$TREE" | docker exec -i "$NAME" bash -c "tar -x -C /opt/loket"
step "upgrade uv sync" "cd /opt/loket && env $PROXY_ENV UV_PROJECT_ENVIRONMENT=.venv .tools/bin/uv sync --frozen --compile-bytecode --python python3"
step "upgrade compileall" "cd /opt/loket && .venv/bin/python -m compileall -q loket"
step "upgrade backup first" "systemctl start loket-backup && ls -l /var/backups/loket"
step "upgrade migrate" "loket-admin migrate --no-input -v 1 | tail -n 5"
step "upgrade collectstatic" "loket-admin collectstatic --no-input -v 1"
step "upgrade reload web" "systemctl reload loket-web && sleep 8 && systemctl is-active loket-web && curl -fsS -H 'Host: localhost' http://127.0.0.1:8000/healthz"
step "upgrade restart worker" "systemctl restart loket-worker && sleep 3 && systemctl is-active loket-worker"
step "8 second backup, timer" "sleep 1 && systemctl start loket-backup && ls -l /var/backups/loket && systemctl list-timers 'loket-*' --no-pager && journalctl -u loket-backup --no-pager -o cat | tail -n 5"
step "check --deploy clean" "loket-admin check --deploy --fail-level WARNING"
step "metrics with the token" "set -a; . /etc/loket/loket.env; set +a; curl -ksS -o /dev/null -w 'no token: %{http_code}\n' https://localhost/metrics; curl -ksS -H \"Authorization: Bearer \$LOKET_METRICS_TOKEN\" https://localhost/metrics | grep -c '^loket_' | sed 's/^/loket_ metric lines: /'"
step "restore into an empty database and data directory" "
sudo -u postgres createdb --owner loket loket_restored
install -d -o loket -g loket -m 0700 /var/lib/loket-restored
set -a; . /etc/loket/loket.env; set +a
export DATABASE_URL=postgres:///loket_restored LOKET_DATA_DIR=/var/lib/loket-restored
newest=\$(ls -1t /var/backups/loket/loket-*.tar.gz | head -n 1)
cd /var/lib/loket-restored && runuser -u loket -- /opt/loket/.venv/bin/loket restore \"\$newest\"
runuser -u loket -- /opt/loket/.venv/bin/loket shell -c \"from loket.catalog.models import Office; from loket.whatsapp.models import InboundMessage as M; print('restored offices:', list(Office.objects.values_list('name', flat=True)), 'inbound:', M.objects.count(), 'text readable:', M.objects.first().text if hasattr(M, 'text') else '?')\""
