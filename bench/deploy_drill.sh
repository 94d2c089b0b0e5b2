#!/bin/bash
# docs/deploy.md followed step by step in a clean Debian 12 container with systemd as PID 1.
#
#   DOCKER_HOST=unix:///path/docker.sock bench/deploy_drill.sh IMAGE [CONTAINER]
#
# IMAGE: a Debian 12 image with systemd as its command and nothing of Loket (the drill used a
# debootstrap'd minbase + systemd, sudo, curl; see the end of docs/deploy.md). Each step is the
# guide's command, run inside the container as root; its output goes to the log and one line
# "STEP name: ok|FAILED (seconds)" to stdout. The host name is `localhost` (Caddy then serves it
# with its own CA: no public DNS here) and the Meta values are the drill's own.
set -uo pipefail
IMAGE=${1:?image}
NAME=${2:-loket-drill}
REPO=$(cd "$(dirname "$0")/.." && pwd)
LOG=${LOG:-/tmp/loket-drill.log}
: > "$LOG"

docker rm -f "$NAME" >/dev/null 2>&1
docker run -d --name "$NAME" --tmpfs /run --tmpfs /run/lock \
  -v /sys/fs/cgroup:/sys/fs/cgroup:ro "$IMAGE" >/dev/null || exit 1
for _ in $(seq 30); do
  state=$(docker exec "$NAME" systemctl is-system-running 2>/dev/null)
  [ "$state" = running ] || [ "$state" = degraded ] && break
  sleep 1
done
echo "container $NAME: systemd $state" | tee -a "$LOG"

# The sandbox reaches PyPI through a TLS proxy whose CA is in the image's system store: pip and
# uv are told to use that store. On a real VPS these two variables are not needed.
PROXY_ENV="PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"

step() {  # step NAME COMMAND...: one step of the guide, as root in the container
  local name=$1
  shift
  local start=$SECONDS
  {
    echo
    echo "### $name"
    echo "\$ $*"
  } >> "$LOG"
  if docker exec -e DEBIAN_FRONTEND=noninteractive "$NAME" bash -euo pipefail -c "$*" >> "$LOG" 2>&1; then
    echo "STEP $name: ok ($((SECONDS - start)) s)"
  else
    echo "STEP $name: FAILED ($((SECONDS - start)) s)"
  fi
}

step "1 packages" "apt-get update -qq && apt-get install -y -qq git make python3 python3-venv postgresql postgresql-client caddy ufw >/dev/null"
step "1 firewall rules" "ufw allow 22/tcp && ufw allow 80/tcp && ufw allow 443/tcp && ufw allow 443/udp && (ufw --force enable || echo 'ufw enable: no netfilter in this container')"
step "2 user and directories" "useradd --system --user-group --home-dir /var/lib/loket --shell /usr/sbin/nologin loket && install -d -o loket -g loket -m 0700 /var/lib/loket /var/backups/loket && install -d -o root -g root -m 0700 /etc/loket"
# "unpack a release archive": the committed tree of this checkout
git -C "$REPO" archive --format=tar HEAD | docker exec -i "$NAME" bash -c "mkdir -p /opt/loket && tar -x -C /opt/loket"
step "3 uv (make)" "cd /opt/loket && env $PROXY_ENV make .tools/bin/uv"
step "3 uv sync" "cd /opt/loket && env $PROXY_ENV UV_PROJECT_ENVIRONMENT=.venv .tools/bin/uv sync --frozen --compile-bytecode --python python3"
step "3 compileall, loket-admin" "cd /opt/loket && .venv/bin/python -m compileall -q loket && install -m 0755 deploy/bin/loket-admin /usr/local/bin/loket-admin"
step "4 postgresql role and db" "systemctl start postgresql && sudo -u postgres createuser loket && sudo -u postgres createdb --owner loket loket"
step "5 env file and keys" "
install -m 0600 -o root -g root /opt/loket/deploy/loket.env.example /etc/loket/loket.env
cd /tmp
S=\$(/opt/loket/.venv/bin/loket generate-key --secret-key)
E=\$(/opt/loket/.venv/bin/loket generate-key)
M=\$(/opt/loket/.venv/bin/loket generate-key)
sed -i -e \"s|^SECRET_KEY=.*|SECRET_KEY=\$S|\" -e \"s|^LOKET_ENCRYPTION_KEY=.*|LOKET_ENCRYPTION_KEY=\$E|\" \
  -e \"s|^LOKET_METRICS_TOKEN=.*|LOKET_METRICS_TOKEN=\$M|\" \
  -e 's|^ALLOWED_HOSTS=.*|ALLOWED_HOSTS=localhost|' -e 's|^LOKET_PUBLIC_URL=.*|LOKET_PUBLIC_URL=https://localhost|' \
  -e 's|^WHATSAPP_APP_SECRET=.*|WHATSAPP_APP_SECRET=drill-app-secret|' \
  -e 's|^WHATSAPP_VERIFY_TOKEN=.*|WHATSAPP_VERIFY_TOKEN=drill-verify|' \
  -e 's|^WHATSAPP_ACCESS_TOKEN=.*|WHATSAPP_ACCESS_TOKEN=drill-token|' \
  -e 's|^WHATSAPP_PHONE_NUMBER_ID=.*|WHATSAPP_PHONE_NUMBER_ID=100000000000777|' /etc/loket/loket.env
ls -l /etc/loket/loket.env; ls -A /tmp"
step "6 migrate" "loket-admin migrate --no-input -v 1 | tail -n 3"
step "6 collectstatic" "loket-admin collectstatic --no-input -v 1"
step "6 first check --deploy (errors expected: none; warnings: no office, no backup)" "loket-admin check --deploy; echo exit=\$?"
step "6 an office with its number" "loket-admin shell -c \"from loket.catalog.models import Office; Office.objects.create(name='Disdukcapil Drill', slug='drill', region_code='64.71', city_name='Balikpapan', phone_number_id='100000000000777')\""
step "7 systemd units" "cp /opt/loket/deploy/systemd/*.service /opt/loket/deploy/systemd/*.timer /etc/systemd/system/ && systemctl daemon-reload && systemctl enable --now loket-web loket-worker"
step "7 services up" "sleep 20; systemctl --no-pager status loket-web loket-worker | head -n 30; systemctl is-active loket-web loket-worker"
step "7 healthz" "for i in \$(seq 60); do curl -fsS -H 'Host: localhost' http://127.0.0.1:8000/healthz && break; sleep 2; done"
step "7 security rating" "systemd-analyze security loket-web --no-pager | tail -n 1; systemd-analyze security loket-worker --no-pager | tail -n 1"
step "8 backup timer and first backup" "systemctl enable --now loket-backup.timer && systemctl start loket-backup && ls -l /var/backups/loket && systemctl list-timers 'loket-*' --no-pager"
step "6 check --deploy again (must be clean)" "loket-admin check --deploy --fail-level WARNING"
step "9a caddy" "sed -e 's/{\$LOKET_HOST:loket.example.go.id}/localhost/' -e 's/{\$LOKET_ACME_EMAIL:it@example.go.id}/it@example.go.id/' /opt/loket/deploy/Caddyfile > /etc/caddy/Caddyfile && caddy validate --config /etc/caddy/Caddyfile 2>&1 | tail -n 1 && systemctl reload-or-restart caddy && sleep 3"
step "9a https through caddy" "curl -ksS -o /dev/null -w '%{http_code} %{url_effective}\n' https://localhost/healthz; curl -ksS -o /dev/null -w 'http -> %{http_code} %{redirect_url}\n' http://localhost/staf/; curl -ksS -o /dev/null -w 'staff login %{http_code}\n' https://localhost/staf/masuk/"
step "9a webhook handshake through caddy" "curl -ksS 'https://localhost/webhooks/whatsapp/?hub.mode=subscribe&hub.verify_token=drill-verify&hub.challenge=4242'; echo"
step "9a signed webhook through caddy" "
BODY='{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"62542000777\",\"phone_number_id\":\"100000000000777\"},\"contacts\":[{\"profile\":{\"name\":\"Drill\"},\"wa_id\":\"6281200000001\"}],\"messages\":[{\"from\":\"6281200000001\",\"id\":\"wamid.drill1\",\"timestamp\":\"1795990000\",\"type\":\"text\",\"text\":{\"body\":\"syarat KTP\"}}]}}]}]}'
SIG=\$(printf '%s' \"\$BODY\" | /opt/loket/.venv/bin/python -c 'import sys,hmac,hashlib; print(\"sha256=\"+hmac.new(b\"drill-app-secret\", sys.stdin.buffer.read(), hashlib.sha256).hexdigest())')
curl -ksS -o /dev/null -w 'signed: %{http_code}\n' -H 'Content-Type: application/json' -H \"X-Hub-Signature-256: \$SIG\" --data-binary \"\$BODY\" https://localhost/webhooks/whatsapp/
curl -ksS -o /dev/null -w 'unsigned: %{http_code}\n' -H 'Content-Type: application/json' --data-binary \"\$BODY\" https://localhost/webhooks/whatsapp/
head -c 70000000 /dev/zero > /tmp/big && curl -ksS -o /dev/null -w 'body 70 MB: %{http_code}\n' -H 'Content-Type: application/octet-stream' --data-binary @/tmp/big https://localhost/webhooks/whatsapp/; rm -f /tmp/big
sleep 5
loket-admin shell -c \"from loket.whatsapp.models import InboundMessage as M; print('inbound stored:', M.objects.count())\""
step "upgrade: reload web" "systemctl reload loket-web && sleep 5 && systemctl is-active loket-web && curl -fsS -H 'Host: localhost' http://127.0.0.1:8000/healthz"
step "upgrade: restart worker" "systemctl restart loket-worker && sleep 3 && systemctl is-active loket-worker"
step "logs" "journalctl -u loket-web -u loket-worker --no-pager -n 8 -o cat"
step "9b nginx config (instead of caddy: syntax only)" "apt-get install -y -qq nginx-light openssl >/dev/null && systemctl stop nginx || true; install -d /etc/letsencrypt/live/loket.example.go.id && cd /etc/letsencrypt/live/loket.example.go.id && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=loket.example.go.id -keyout privkey.pem -out fullchain.pem 2>/dev/null; cp /opt/loket/deploy/nginx/loket.conf /etc/nginx/sites-available/loket && ln -sf ../sites-available/loket /etc/nginx/sites-enabled/loket && rm -f /etc/nginx/sites-enabled/default && nginx -t"
