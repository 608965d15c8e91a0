import datetime
import itertools

import pytest

from accounts.models import Organization, Role
from bases import services
from bases.models import Base
from tests.factories import InstitutionFactory, OrganizationFactory, member

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _quiet(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


class Registry:
    def __init__(self):
        self.province = OrganizationFactory(
            name="四川省人力资源和社会保障厅", kind=Organization.Kind.PROVINCIAL_HR, region_id="510000"
        )
        self.chengdu = OrganizationFactory(
            name="成都市人力资源和社会保障局", region_id="510100", parent=self.province
        )
        self.mianyang = OrganizationFactory(
            name="绵阳市人力资源和社会保障局", region_id="510700", parent=self.province
        )
        self.inst = InstitutionFactory(name="测试学院", region_id="510107")
        self.other_inst = InstitutionFactory(name="另一学院", region_id="510703")
        self.operator = member(self.inst, Role.BASE_OPERATOR, username="op")
        self.other_operator = member(self.other_inst, Role.BASE_OPERATOR, username="other_op")
        self.cd_reviewer = member(self.chengdu, Role.AUTHORITY_REVIEWER, username="cd_reviewer")
        self.cd_approver = member(self.chengdu, Role.AUTHORITY_APPROVER, username="cd_approver")
        self.my_approver = member(self.mianyang, Role.AUTHORITY_APPROVER, username="my_approver")
        self.sc_reviewer = member(self.province, Role.AUTHORITY_REVIEWER, username="sc_reviewer")
        self.admin = member(self.province, Role.PROVINCIAL_ADMIN, username="admin")

    def base(
        self,
        *,
        name="测试基地",
        institution=None,
        authority=None,
        level="municipal",
        region="510107",
        fields=("数字经济",),
        status="active",
        recognised="2024-01-01",
    ):
        n = next(_seq)
        base = Base.objects.create(
            name=name,
            institution=institution or self.inst,
            approving_authority=authority or self.chengdu,
            level=level,
            region_id=region,
            fields=list(fields),
            certificate_no=f"测试证书{n:05d}",
            certificate_year=2024,
            recognised_on=datetime.date.fromisoformat(recognised),
            status=status,
            contact_name="联系人",
            contact_phone="028-1",
        )
        services.base_refresh_index(base)
        services.base_version_record(base=base, source="import")
        return base


@pytest.fixture
def reg(db):
    return Registry()
