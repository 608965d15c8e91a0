"""A small province for the cockpit's tests: bases of three authorities in two prefectures, their plans,
inspections, assessments, rectifications and hours records, created row by row so that each test can count the
expected figures straight from the rows."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Organization, Region, Role
from bases.models import Base, Level, Notice
from hours.models import Person, TrainingRecord
from plans.models import AnnualPlan, PlanItem, TrainingClass
from tests.factories import InstitutionFactory, OrganizationFactory, UserFactory, member

YEAR = 2026
_seq = itertools.count(1)


class Province:
    def __init__(self, province, chengdu, mianyang):
        self.province, self.chengdu, self.mianyang = province, chengdu, mianyang
        self.industry = OrganizationFactory(
            name="四川省交通运输厅",
            kind=Organization.Kind.INDUSTRY_AUTHORITY,
            region_id="510000",
            parent=province,
        )
        self.staff = UserFactory(username=f"maker{next(_seq)}")
        self.institution = InstitutionFactory(region_id="510107")
        self.other_institution = InstitutionFactory(region_id="510703")

    def base(
        self,
        *,
        authority=None,
        prefecture="510100",
        region=None,
        level=Level.MUNICIPAL,
        status=Base.Status.ACTIVE,
        fields=("工程技术",),
        recognised_on=datetime.date(2024, 5, 1),
        institution=None,
    ):
        n = next(_seq)
        return Base.objects.create(
            name=f"基地{n}",
            institution=institution or self.institution,
            approving_authority=authority or self.chengdu,
            level=level,
            region_id=region or prefecture,
            prefecture_id=prefecture,
            fields=list(fields),
            fields_text="、" + "、".join(fields) + "、",
            certificate_no=f"川继基测〔{recognised_on.year}〕{n:04d}号",
            certificate_year=recognised_on.year,
            recognised_on=recognised_on,
            status=status,
        )

    def revoke_notice(self, base, at):
        return Notice.objects.create(
            kind=Notice.Kind.REVOCATION,
            title="撤销",
            body="撤销",
            authority=base.approving_authority,
            base=base,
            published_at=at,
            published_by=self.staff,
        )

    def plan(self, base, *, year=YEAR, state="filed", late=False):
        return AnnualPlan.objects.create(
            base=base, year=year, state=state, is_late=late, created_by=self.staff
        )

    def klass(self, base, *, public_interest=False, regions=(), subject="professional", year=YEAR):
        plan = AnnualPlan.objects.filter(base=base, year=year).first() or self.plan(base, year=year)
        item = PlanItem.objects.create(
            plan=plan,
            service_form="commissioned_class",
            title="项目",
            field="工程技术",
            subject_kind=subject,
            mode="online",
            planned_classes=1,
            planned_trainees=100,
            hours_per_trainee=Decimal("90"),
            public_interest=public_interest,
        )
        item.preference_regions.set(regions)
        return TrainingClass.objects.create(
            plan_item=item,
            base=base,
            year=year,
            title="班",
            starts_on=datetime.date(year, 3, 1),
            ends_on=datetime.date(year, 3, 31),
            capacity=100,
            hours_per_trainee=Decimal("90"),
            subject_kind=subject,
            teachers="张三",
            created_by=self.staff,
        )

    def person(self):
        n = next(_seq)
        return Person.objects.create(
            id_hash=f"h{n}", id_encrypted="x", id_masked="5101**********0000", name=f"人{n}"
        )

    def record(
        self,
        klass,
        person,
        hours,
        *,
        subject="professional",
        completed_on=datetime.date(YEAR, 3, 15),
        work_region="510104",
        status=TrainingRecord.Status.VALID,
    ):
        return TrainingRecord.objects.create(
            base=klass.base,
            klass=klass,
            person=person,
            external_id=f"e{next(_seq)}",
            subject=subject,
            hours=Decimal(str(hours)),
            completed_on=completed_on,
            work_region_id=work_region,
            year=completed_on.year,
            source="api",
            status=status,
        )


@pytest.fixture
def world(province, chengdu, mianyang):
    return Province(province, chengdu, mianyang)


@pytest.fixture
def cd_reviewer(chengdu):
    return member(chengdu, Role.AUTHORITY_REVIEWER, username="cd_reviewer_s")


@pytest.fixture
def my_reviewer(mianyang):
    return member(mianyang, Role.AUTHORITY_REVIEWER, username="my_reviewer_s")


@pytest.fixture
def expert(db):
    pool = OrganizationFactory(name="专家库", kind=Organization.Kind.EXPERT_POOL, region_id="510000")
    return member(pool, Role.EXPERT, username="expert_s")


def at(y, m, d):
    return timezone.make_aware(datetime.datetime(y, m, d, 12, 0))


def ethnic_prefecture():
    return Region.objects.filter(level=Region.Level.PREFECTURE, is_ethnic_area=True).first()
