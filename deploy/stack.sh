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
# Plain http on the loopback: no TLS proxy in front here (the Docker stack has nginx with TLS).
export SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0
export EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
export PORTAL_BASE_URL=http://127.0.0.1:$PORT
export HOURS_SYNC_LIMIT=${HOURS_SYNC_LIMIT:-5}

start() {
  mkdir -p $VAR/uploads
  local db=${DATABASE_URL##*/} server=${DATABASE_URL%/*}
  psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  redis-cli -n 4 flushdb >/dev/null; redis-cli -n 5 flushdb >/dev/null; redis-cli -n 6 flushdb >/dev/null
  $PY manage.py migrate --noinput -v0
  $PY manage.py collectstatic --noinput -v0
  # The demo data, with the stack's keys (seed_demo itself runs only with the development defaults).
  PORTAL_ENV=development $PY manage.py seed_demo > $VAR/seed.log
  .venv/bin/gunicorn config.wsgi:application --bind 127.0.0.1:$PORT --workers 2 --timeout 90 \
    --pid $VAR/gunicorn.pid --daemon --access-logfile $VAR/access.log --error-logfile $VAR/gunicorn.log
  .venv/bin/celery -A config worker -Q celery,hours,documents,email --concurrency 2 --hostname stack@%h \
    --loglevel INFO --logfile $VAR/worker.log --pidfile $PWD/$VAR/worker.pid --detach
  .venv/bin/celery -A config beat --loglevel INFO --schedule $PWD/$VAR/beat-schedule \
    --logfile $VAR/beat.log --pidfile $PWD/$VAR/beat.pid --detach
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$PORT/readyz/" >/dev/null 2>&1 && break; sleep 1
  done
  curl -fsS "http://127.0.0.1:$PORT/readyz/"; echo
  echo "stack up at http://127.0.0.1:$PORT (logs in $VAR/); deploy/stack.sh stop ends it"
}

stop() {
  for name in gunicorn worker beat; do
    if [ -f $VAR/$name.pid ]; then kill "$(cat $VAR/$name.pid)" 2>/dev/null || true; rm -f $VAR/$name.pid; fi
  done
}

case "${1:-start}" in
  start) stop; start ;;
  stop) stop ;;
  smoke) stop; start; trap stop EXIT; $PY tests/smoke/smoke.py "http://127.0.0.1:$PORT" "$VAR/seed.log" ;;
  *) echo "usage: $0 start|stop|smoke" >&2; exit 2 ;;
esac
