"""The Celery application. Without CELERY_BROKER_URL, settings make every task run inline."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ce_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The beat schedule is filled in by the apps that own periodic jobs (reminders arrive with the plans issue).
app.conf.beat_schedule = {}
