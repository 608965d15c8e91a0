"""Demo hours (DEBUG only), at the first Chengdu institution's base (inst1's, recognised through the demo
workflow), whose operator `inst1_operator` sees its classes: an API key printed so the API can be tried, a few
thousand records of fictional people (valid check digits) ingested through the real service for the classes that
take records (ended, not cancelled, of their subject), one fictional person printed to look up, and one
certificate of that person's year to verify."""

import random

from django.utils import timezone
from stdnum.cn import ric

from accounts.models import Region, Role, User
from bases.models import Base
from plans.models import TrainingClass

from . import crypto, services
from .ingest import ingest_records
from .models import ApiKey, Certificate, Person, TrainingRecord

DEMO_PERSON = 1  # fictional_id(DEMO_PERSON) has a record in every demo class


def fictional_id(n: int) -> str:
    rng = random.Random(n)
    body = f"5113{rng.randint(2, 4):02d}{rng.randint(1965, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def demo_classes(base) -> list:
    """The base's classes that take records today: ended and not cancelled (R-23)."""
    return list(
        TrainingClass.objects.filter(base=base, ends_on__lte=timezone.localdate())
        .exclude(status=TrainingClass.Status.CANCELLED)
        .select_related("plan_item__plan")
        .order_by("starts_on", "pk")
    )


def _demo_base():
    """inst1's base: the one recognised through the demo's Chengdu application."""
    operator = User.objects.filter(username="inst1_operator").first()
    if operator is None:
        return None, None
    base = Base.objects.filter(institution__memberships__user=operator, application__isnull=False).first()
    return base, operator


def seed(*, stdout=None, context=None):
    base, operator = _demo_base()
    if base is None:
        return {}
    if TrainingRecord.objects.filter(base=base).exists():
        key = ApiKey.objects.filter(base=base, scope="ingest", revoked_at__isnull=True).first()
        if stdout and key:
            stdout.write(
                f"hours: demo records already exist (API key {key.prefix}…; issue a new one at /hours/ to see the secret)"
            )
        _print_person(stdout)
        return {}
    classes = demo_classes(base)
    if not classes:
        return {}
    key, secret = services.api_key_issue(actor=operator, label="演示网络学院平台", base=base)
    records = _records(classes)
    out = ingest_records(base=base, records=records, source="api")
    _certificate(base)
    if stdout:
        stdout.write(
            f"hours: {out.created} records of {len({r['id_number'] for r in records})} fictional people at {base.name}"
        )
        stdout.write(f"HOURS_API_KEY base={base.pk} key={secret}")
        _print_person(stdout)
    return {}


def _records(classes) -> list:
    """Records of the subjects each class gives (a mixed class: both, R-35), each person once per class and
    subject, so that no one is credited more than the class's hours; the demo person in every class."""
    rng = random.Random(2026)
    today = timezone.localdate()
    # Where each trainee works (R-20: the cockpit counts hours by the trainee's prefecture): Chengdu most often.
    counties = list(
        Region.objects.filter(level=Region.Level.COUNTY).order_by("code").values_list("code", flat=True)
    )
    chengdu = [c for c in counties if c.startswith("5101")]
    works_in = {}
    records = []
    n = 0
    for klass in classes:
        parts = [(s, klass.hours_for(s)) for s in ("professional", "general") if klass.hours_for(s)]
        span = (min(klass.ends_on, today) - klass.starts_on).days
        for person in [DEMO_PERSON, *rng.sample(range(2, 2501), 1199)]:
            full = person == DEMO_PERSON or rng.random() < 0.8
            completed = klass.starts_on.fromordinal(klass.starts_on.toordinal() + rng.randint(0, span))
            if person not in works_in:
                works_in[person] = rng.choice(chengdu if rng.random() < 0.4 else counties)
            for subject, hours in parts:
                n += 1
                records.append(
                    {
                        "external_id": f"demo-{klass.pk}-{n:05d}",
                        "id_number": fictional_id(person),
                        "name": f"演示学员{person:04d}",
                        "class_id": klass.pk,
                        "subject": subject,
                        "hours": str(hours if full else hours / 2),
                        "completed_on": completed.isoformat(),
                        "work_region": works_in[person],
                    }
                )
    return records


def _certificate(base) -> None:
    """One certificate of the demo person's year, issued by the base's approving authority (R-32)."""
    person = Person.objects.filter(id_hash=crypto.lookup_hash(fictional_id(DEMO_PERSON))).first()
    reviewer = User.objects.filter(
        memberships__organization=base.approving_authority, memberships__role=Role.AUTHORITY_REVIEWER
    ).first()
    record = TrainingRecord.objects.filter(person=person).order_by("completed_on").first()
    if person is None or reviewer is None or record is None:
        return
    services.certificate_issue(actor=reviewer, person=person, year=record.year)


def _print_person(stdout) -> None:
    if stdout is None:
        return
    stdout.write(f"HOURS_DEMO_PERSON {fictional_id(DEMO_PERSON)}")
    cert = Certificate.objects.filter(person__id_hash=crypto.lookup_hash(fictional_id(DEMO_PERSON))).first()
    if cert is not None:
        stdout.write(f"HOURS_DEMO_CERTIFICATE {cert.code} (verify at /hours/verify/)")
