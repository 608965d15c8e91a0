"""Demo hours (DEBUG only): an API key for the base with filed plans and classes, printed so the API can be
tried, and a few thousand records of fictional people (valid check digits) ingested through the real service."""

import random

from stdnum.cn import ric

from accounts.models import User
from plans.models import TrainingClass

from . import services
from .ingest import ingest_records
from .models import ApiKey, TrainingRecord


def fictional_id(n: int) -> str:
    rng = random.Random(n)
    body = f"5113{rng.randint(2, 4):02d}{rng.randint(1965, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def seed(*, stdout=None, context=None):
    if TrainingRecord.objects.exists():
        key = ApiKey.objects.filter(scope="ingest", revoked_at__isnull=True).first()
        if stdout and key:
            stdout.write(
                f"hours: demo records already exist (API key {key.prefix}…; issue a new one at /hours/ to see the secret)"
            )
        return {}
    classes = list(
        TrainingClass.objects.filter(status__in=["running", "completed"]).select_related(
            "base", "plan_item__plan"
        )
    )
    if not classes:
        return {}
    base = classes[0].base
    operator = User.objects.filter(
        memberships__organization=base.institution, memberships__role="base_operator"
    ).first()
    key, secret = services.api_key_issue(actor=operator, label="演示网络学院平台", base=base)
    rng = random.Random(2026)
    records = []
    n = 0
    for klass in classes:
        span = (klass.ends_on - klass.starts_on).days
        # Each person at most once per class: a person is credited at most the class's hours.
        for person in rng.sample(range(1, 2501), 1200):
            n += 1
            completed = klass.starts_on.toordinal() + rng.randint(0, span)
            records.append(
                {
                    "external_id": f"demo-{klass.pk}-{n:05d}",
                    "id_number": fictional_id(person),
                    "name": f"演示学员{person:04d}",
                    "class_id": klass.pk,
                    "subject": klass.subject_kind,
                    "hours": str(
                        klass.hours_per_trainee if rng.random() < 0.8 else klass.hours_per_trainee / 2
                    ),
                    "completed_on": klass.starts_on.fromordinal(completed).isoformat(),
                }
            )
    out = ingest_records(base=base, records=records, source="api")
    if stdout:
        stdout.write(
            f"hours: {out.created} records of {len({r['id_number'] for r in records})} fictional people at {base.name}"
        )
        stdout.write(f"HOURS_API_KEY base={base.pk} key={secret}")
    return {}
