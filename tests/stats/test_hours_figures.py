"""Hours figures equal sums over the records (R-20, R-32, R-35)."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from accounts.models import Region
from hours.models import TrainingRecord
from stats import hours_figures
from stats.scope import Scope

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def by_key(rows):
    return {r["key"]: r for r in rows}


@pytest.fixture
def hours(world):
    w = world
    cd_base = w.base()
    my_base = w.base(authority=w.mianyang, prefecture="510700")
    ethnic = list(Region.objects.filter(code__in=["513200", "513300"]))
    old_revolutionary = Region.objects.get(code="510700")
    # One public-interest class serving three preference regions of two kinds.
    serving = w.klass(cd_base, public_interest=True, regions=[*ethnic, old_revolutionary])
    plain = w.klass(cd_base)
    general = w.klass(my_base, subject="general")
    my_prof = w.klass(my_base)
    a, b, c, d = (w.person() for _ in range(4))
    # a: 60 professional + 30 general, at two bases of two authorities: 90 hours, exactly two thirds: compliant.
    w.record(serving, a, 60, work_region="513301")
    w.record(general, a, 30, subject="general", work_region="513301", completed_on=datetime.date(YEAR, 5, 2))
    # b: 90 professional: compliant.
    w.record(plain, b, 50, work_region="510104")
    w.record(my_prof, b, 40, work_region="510104")
    # c: 50 general + 45 professional: not two thirds professional.
    w.record(general, c, 50, subject="general", work_region="510703")
    w.record(serving, c, 45, work_region="510703")
    # d: 80 hours only (a voided record does not count); a record of last year does not count either.
    w.record(plain, d, 80, work_region="510703")
    w.record(plain, d, 20, status=TrainingRecord.Status.VOIDED)
    w.record(plain, d, 20, completed_on=datetime.date(YEAR - 1, 12, 30))
    return {"cd_base": cd_base, "my_base": my_base, "serving": serving, "persons": (a, b, c, d)}


def valid():
    return TrainingRecord.objects.filter(year=YEAR, status="valid")


def test_the_province_totals_equal_the_sums_of_the_records(hours):
    s = hours_figures.hours_summary_live(Scope(YEAR))
    assert s["hours"] == float(valid().aggregate(h=Sum("hours"))["h"]) == 355.0
    assert s["general_hours"] == 80.0 and s["professional_hours"] == 275.0
    assert s["persons"] == 4 and s["count"] == valid().count() == 7
    assert s["compliant_persons"] == 2
    assert s["compliance_rate"] == 50.0


def test_compliance_counts_a_persons_whole_year_across_the_province_r32_r35(world, hours):
    chengdu = hours_figures.hours_summary_live(Scope(YEAR, authority_ids=frozenset({world.chengdu.pk})))
    # Chengdu's base trained a, b, c, d; a's and b's other hours are at Mianyang's base but count for them.
    assert chengdu["persons"] == 4 and chengdu["compliant_persons"] == 2
    assert chengdu["hours"] == 60 + 50 + 45 + 80


def test_a_class_serving_several_preference_regions_counts_each_record_once_per_kind_r20(hours):
    rows = by_key(hours_figures.hours_by_live(Scope(YEAR), "region_kind"))
    served = float(valid().filter(klass=hours["serving"]).aggregate(h=Sum("hours"))["h"])
    assert served == 105.0
    assert rows["ethnic"]["hours"] == served  # two ethnic prefectures, still once
    assert rows["old_revolutionary"]["hours"] == served
    assert rows["remote"]["hours"] == 0
    assert rows["any"]["hours"] == served and rows["any"]["persons"] == 2
    total = hours_figures.hours_summary_live(Scope(YEAR))["hours"]
    assert total == 355.0  # the totals are never multiplied


def test_hours_by_trainee_prefecture_subject_month_and_base(hours):
    scope = Scope(YEAR)
    by_prefecture = by_key(hours_figures.hours_by_live(scope, "prefecture"))
    assert by_prefecture["513300"]["hours"] == 90.0 and by_prefecture["513300"]["persons"] == 1
    assert by_prefecture["510100"]["hours"] == 90.0
    assert by_prefecture["510700"]["hours"] == 175.0
    assert by_prefecture["510700"]["compliant_persons"] == 0
    assert len([k for k in by_prefecture if k]) == 21
    subjects = by_key(hours_figures.hours_by_live(scope, "subject"))
    assert subjects["general"]["hours"] == 80.0 and subjects["professional"]["persons"] == 4
    months = by_key(hours_figures.hours_by_live(scope, "month"))
    assert months["3"]["hours"] == 325.0 and months["5"]["hours"] == 30.0 and months["12"]["hours"] == 0
    bases = by_key(hours_figures.hours_by_live(scope, "base"))
    cd = bases[str(hours["cd_base"].pk)]
    assert cd["hours"] == float(valid().filter(base=hours["cd_base"]).aggregate(h=Sum("hours"))["h"])
    assert sum(r["hours"] for r in bases.values()) == 355.0


def test_the_professional_share_is_exact(world, hours, settings):
    settings.HOURS_MIN_PROFESSIONAL_SHARE = "3/4"
    assert hours_figures.hours_summary_live(Scope(YEAR))["compliant_persons"] == 1  # only b
    assert Decimal("60") * 4 < Decimal("90") * 3
