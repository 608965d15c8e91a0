#!/usr/bin/env bash
# `make stack` / `make smoke`: the production stack without Docker, on this machine's PostgreSQL and Redis:
# gunicorn (2 workers), a Celery worker on every queue and one beat, with production settings (DEBUG off, the
# manifest static files, sessions and cache in Redis). `deploy/stack.sh start|stop|run`.
set -euo pipefail
cd "$(dirname "$0")/.."
VAR=var/stack
PORT=${STACK_PORT:-8765}
PY=.venv/bin/python

export DEBUG=0 PORTAL_ENV=production
export SECRET_KEY=${STACK_SECRET_KEY:-stack-only-secret-key-not-for-production-0123456789abcdefghij}
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL=${STACK_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ce_portal_stack}
export CACHE_URL=redis://127.0.0.1:6379/4 SESSION_CACHE_URL=redis://127.0.0.1:6379/5
export CELERY_BROKER_URL=redis://127.0.0.1:6379/6
export HOURS_ID_KEYS=c3RhY2stb25seS1mZXJuZXQta2V5LTAxMjM0NTY3ODk= HOURS_HASH_KEY=stack-only-hash-key
export MEDIA_ROOT=$PWD/$VAR/uploads STATIC_ROOT=$PWD/$VAR/static
# TLS as in production (the Docker stack terminates it in nginx; here gunicorn does, with a certificate made for
# the loopback), so secure cookies, HSTS and the HTTPS redirect stay on.
TLS=$VAR/tls
export EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
export PORTAL_BASE_URL=https://127.0.0.1:$PORT
export STACK_CA=$PWD/$TLS/cert.pem
export HOURS_SYNC_LIMIT=${HOURS_SYNC_LIMIT:-5}

start() {
  mkdir -p $VAR/uploads $TLS
  [ -f $TLS/cert.pem ] || openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout $TLS/key.pem -out $TLS/cert.pem 2>/dev/null
  local db=${DATABASE_URL##*/} server=${DATABASE_URL%/*}
  psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  redis-cli -n 4 flushdb >/dev/null; redis-cli -n 5 flushdb >/dev/null; redis-cli -n 6 flushdb >/dev/null
  $PY manage.py migrate --noinput -v0
  $PY manage.py collectstatic --noinput -v0
  # The demo data, with the stack's keys (seed_demo itself runs only with the development defaults).
  PORTAL_ENV=development $PY manage.py seed_demo > $VAR/seed.log
  # The completed class the load test's platforms report hours for (tests/load/locustfile.py).
  $PY manage.py shell -c "
import json, re
from plans.models import TrainingClass
base = int(re.search(r'HOURS_API_KEY base=(\d+)', open('$VAR/seed.log').read()).group(1))
k = TrainingClass.objects.filter(plan_item__plan__base_id=base, status='completed', general_hours__isnull=True).order_by('-hours_per_trainee').first()
print('LOAD_CLASS ' + json.dumps({'id': k.pk, 'subject': k.subject_kind, 'ends_on': k.ends_on.isoformat()}))
" >> $VAR/seed.log
  .venv/bin/gunicorn config.wsgi:application --bind 127.0.0.1:$PORT --workers 2 --timeout 90 \
    --certfile $TLS/cert.pem --keyfile $TLS/key.pem \
    --pid $VAR/gunicorn.pid --daemon --access-logfile $VAR/access.log --error-logfile $VAR/gunicorn.log
  .venv/bin/celery -A config worker -Q celery,hours,documents,email --concurrency 2 --hostname stack@%h \
    --loglevel INFO --logfile $VAR/worker.log --pidfile $PWD/$VAR/worker.pid --detach
  .venv/bin/celery -A config beat --loglevel INFO --schedule $PWD/$VAR/beat-schedule \
    --logfile $VAR/beat.log --pidfile $PWD/$VAR/beat.pid --detach
  for _ in $(seq 1 60); do
    curl -fsS --cacert $TLS/cert.pem "https://127.0.0.1:$PORT/readyz/" >/dev/null 2>&1 && break; sleep 1
  done
  curl -fsS --cacert $TLS/cert.pem "https://127.0.0.1:$PORT/readyz/"; echo
  echo "stack up at https://127.0.0.1:$PORT (certificate $TLS/cert.pem, logs in $VAR/); deploy/stack.sh stop ends it"
}

stop() {
  for name in gunicorn worker beat; do
    if [ -f $VAR/$name.pid ]; then kill "$(cat $VAR/$name.pid)" 2>/dev/null || true; rm -f $VAR/$name.pid; fi
  done
}

case "${1:-start}" in
  start) stop; start ;;
  stop) stop ;;
  smoke) stop; start; trap stop EXIT; $PY tests/smoke/smoke.py "https://127.0.0.1:$PORT" "$VAR/seed.log" ;;
  load)
    stop; start; trap stop EXIT
    .venv/bin/locust -f tests/load/locustfile.py --headless --users 50 --spawn-rate 10 --run-time "${LOAD_TIME:-2m}" \
      --host "https://127.0.0.1:$PORT" --csv $VAR/load --only-summary --exit-code-on-error 1
    ;;
  *) echo "usage: $0 start|stop|smoke|load" >&2; exit 2 ;;
esac
