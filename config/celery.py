"""The Celery application. Without CELERY_BROKER_URL, settings make every task run inline."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun

from kit import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ce_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    # Run exactly one beat (docker-compose has one); the reminder ledger makes a second one harmless anyway.
    "send-due-reminders": {
        "task": "notifications.tasks.send_due_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # The cockpit's hours figures (stats): aggregates over the year's records, stored once a night.
    "precompute-figures": {
        "task": "stats.tasks.precompute_figures",
        "schedule": crontab(hour=2, minute=30),
    },
}


# Every log line a task writes carries its id (kit.logs).
@task_prerun.connect
def _task_id_on(task_id=None, task=None, **kwargs):
    task.request.log_token = logs.task_id.set(task_id)


@task_postrun.connect
def _task_id_off(task=None, **kwargs):
    token = getattr(task.request, "log_token", None)
    if token is not None:
        logs.task_id.reset(token)
