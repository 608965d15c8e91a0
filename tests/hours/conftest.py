import datetime

import pytest
from stdnum.cn import ric

from hours import services
from hours.ingest import ingest_records
from plans import services as plan_services
from tests.plans.conftest import PlanWorld


def make_id(n: int, birth="19850615", region="510104") -> str:
    body = f"{region}{birth}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HOURS_SYNC_LIMIT = 50
    settings.HOURS_CHUNK_SIZE = 20


class HoursWorld(PlanWorld):
    def __init__(self):
        super().__init__()
        self.filed_plan = self.to_state("filed", year=2026, today=datetime.date(2026, 1, 5))
        self.klass = plan_services.class_create(
            actor=self.operator,
            plan_item=self.filed_plan.items.get(),
            data={
                "title": "研修班",
                "starts_on": datetime.date(2026, 3, 1),
                "ends_on": datetime.date(2026, 3, 31),
                "place": "成都",
                "online_platform": "",
                "capacity": 500,
                "fee": "0",
                "hours_per_trainee": "24",
                "subject_kind": "professional",
                "teachers": "张三",
            },
        )
        self.general_klass = plan_services.class_create(
            actor=self.operator,
            plan_item=self.filed_plan.items.get(),
            data={
                "title": "公需科目班",
                "starts_on": datetime.date(2026, 4, 1),
                "ends_on": datetime.date(2026, 4, 30),
                "place": "成都",
                "online_platform": "",
                "capacity": 500,
                "fee": "0",
                "hours_per_trainee": "60",
                "subject_kind": "general",
                "teachers": "王五",
            },
        )
        self.key, self.secret = services.api_key_issue(actor=self.operator, label="平台", base=self.b)

    def record(self, n=1, **kw):
        data = {
            "external_id": f"r{n}",
            "id_number": make_id(n),
            "name": f"学员{n}",
            "class_id": self.klass.pk,
            "subject": "professional",
            "hours": "12",
            "completed_on": "2026-03-15",
        }
        if kw.get("subject") == "general" and "class_id" not in kw:
            kw["class_id"] = self.general_klass.pk  # a general record belongs in a general class
            kw.setdefault("completed_on", "2026-04-15")
        data.update(kw)
        return data


@pytest.fixture
def hw(db):
    return HoursWorld()


def ingest(hw, *records, base=None):
    return ingest_records(base=base or hw.b, records=list(records), source="api")
