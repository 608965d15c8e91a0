"""The cockpit's figures equal counts made straight from the rows (R-03, R-22, R-25, R-27, R-36)."""

import datetime

import pytest

from bases.models import Base, Level
from inspections.models import Assessment, Inspection, InspectionRound, ItemScore, Rectification
from plans.models import AnnualPlan
from stats import figures
from stats.scope import Scope

from .conftest import YEAR, at

pytestmark = pytest.mark.django_db


def by_key(rows):
    return {r["key"]: r for r in rows}


@pytest.fixture
def bases(world):
    w = world
    return {
        "cd_national": w.base(level=Level.NATIONAL, authority=w.province, fields=("工程技术", "卫生健康")),
        "cd_provincial": w.base(level=Level.PROVINCIAL, authority=w.province),
        "cd_municipal": w.base(),
        "cd_rectifying": w.base(status=Base.Status.RECTIFICATION, fields=("卫生健康",)),
        "my_municipal": w.base(authority=w.mianyang, prefecture="510700", institution=w.other_institution),
        "industry": w.base(authority=w.industry, level=Level.INDUSTRY, prefecture="510700"),
        "new_this_year": w.base(recognised_on=datetime.date(YEAR, 6, 1)),
        "revoked_this_year": w.base(status=Base.Status.REVOKED),
        "revoked_last_year": w.base(status=Base.Status.REVOKED),
    }


@pytest.fixture
def revocations(world, bases):
    world.revoke_notice(bases["revoked_this_year"], at(YEAR, 4, 1))
    world.revoke_notice(bases["revoked_last_year"], at(YEAR - 1, 4, 1))


def test_bases_by_prefecture_count_the_recognised_bases_of_each_prefecture(bases, revocations):
    rows = by_key(figures.bases_by(Scope(YEAR), "prefecture"))
    assert len([r for r in rows if r]) == 21
    standing = Base.objects.exclude(status=Base.Status.REVOKED)
    assert rows["510100"]["count"] == standing.filter(prefecture_id="510100").count() == 5
    assert rows["510700"]["count"] == standing.filter(prefecture_id="510700").count() == 2
    assert rows["513300"]["count"] == 0


def test_national_bases_count_as_provincial_and_are_shown_apart_r36(bases, revocations):
    rows = by_key(figures.bases_by(Scope(YEAR), "level"))
    assert rows["provincial"]["count"] == 2
    assert rows["national"]["count"] == 1
    assert rows["municipal"]["count"] == 4
    assert rows["industry"]["count"] == 1


def test_a_base_of_two_fields_counts_in_each(bases, revocations):
    rows = by_key(figures.bases_by(Scope(YEAR), "field"))
    assert rows["卫生健康"]["count"] == 2
    assert rows["工程技术"]["count"] == 6


def test_bases_by_authority_and_status(world, bases, revocations):
    rows = by_key(figures.bases_by(Scope(YEAR), "authority"))
    assert rows[str(world.chengdu.pk)]["count"] == 3
    assert rows[str(world.province.pk)]["count"] == 2
    statuses = by_key(figures.bases_by(Scope(YEAR), "status"))
    assert statuses["revoked"]["count"] == 2
    assert statuses["rectification"]["count"] == 1


def test_previous_year_counts_bases_revoked_later_and_not_bases_recognised_later(bases, revocations):
    last = figures.bases_summary(Scope(YEAR - 1))
    this = figures.bases_summary(Scope(YEAR))
    # Last year: the base revoked this year still stood; the one recognised this year did not yet.
    assert last["recognised"] == 8 - 1 + 1 - 1
    assert this["recognised"] == 7
    assert this["new"] == 1 and this["revoked"] == 1
    assert last["revoked"] == 1


def test_bases_by_prefecture_agree_with_the_registry_api(client, bases, revocations):
    rows = by_key(figures.bases_by(Scope(YEAR), "prefecture"))
    for code in ("510100", "510700"):
        answer = client.get("/api/v1/bases/", {"prefecture": code}).json()
        assert answer["count"] == rows[code]["count"]


def test_plan_filing_rate_late_and_missing_r22(world, bases, revocations):
    w = world
    w.plan(bases["cd_municipal"], state="filed")
    w.plan(bases["cd_rectifying"], state="filed", late=True)
    w.plan(bases["new_this_year"], state="draft")
    w.plan(bases["my_municipal"], state="submitted")
    w.plan(bases["revoked_this_year"], state="filed")  # a revoked base is no longer expected to file
    rows = by_key(figures.plans_by(Scope(YEAR), "authority"))
    chengdu = rows[str(w.chengdu.pk)]
    expected = Base.objects.not_revoked().filter(approving_authority=w.chengdu).count()
    assert chengdu["count"] == expected == 3
    assert chengdu["filed"] == 2 and chengdu["late"] == 1 and chengdu["missing"] == 1
    assert chengdu["rate"] == round(100 * 2 / 3, 1)
    summary = figures.plans_summary(Scope(YEAR))
    filed = AnnualPlan.objects.filter(year=YEAR, state="filed", base__in=Base.objects.not_revoked()).count()
    assert summary["filed"] == filed == 2
    assert summary["missing"] == summary["expected"] - 3
    missing = set(figures.plans_missing(Scope(YEAR)).values_list("name", flat=True))
    assert bases["new_this_year"].name in missing and bases["cd_municipal"].name not in missing
    prefecture_rows = by_key(figures.plans_by(Scope(YEAR), "prefecture"))
    assert prefecture_rows["510700"]["submitted"] == 1


def test_supervision_counts_inspections_results_items_ratings_and_rectifications(world, bases):
    w = world
    periodic = InspectionRound.objects.create(
        authority=w.chengdu, kind="periodic", year=YEAR, title="定期检查", created_by=w.staff
    )
    spot = InspectionRound.objects.create(
        authority=w.chengdu, kind="spot_check", year=YEAR, title="抽查", created_by=w.staff
    )
    old = InspectionRound.objects.create(
        authority=w.chengdu, kind="periodic", year=YEAR - 1, title="去年", created_by=w.staff
    )
    a = Inspection.objects.create(
        round=periodic, base=bases["cd_municipal"], state="confirmed", result="qualified"
    )
    b = Inspection.objects.create(
        round=periodic, base=bases["cd_rectifying"], state="confirmed", result="unqualified"
    )
    Inspection.objects.create(round=spot, base=bases["cd_municipal"])
    Inspection.objects.create(round=old, base=bases["cd_municipal"], state="confirmed", result="unqualified")
    ItemScore.objects.create(inspection=a, item="fees", score=90)
    ItemScore.objects.create(inspection=b, item="fees", score=50)
    Assessment.objects.create(
        base=bases["cd_municipal"],
        year=YEAR,
        state="published",
        inputs={},
        score=95,
        proposed_rating="excellent",
        rating="excellent",
    )
    Assessment.objects.create(
        base=bases["cd_rectifying"],
        year=YEAR,
        state="proposed",
        inputs={},
        score=50,
        proposed_rating="unqualified",
        rating="unqualified",
    )
    Rectification.objects.create(
        base=bases["cd_rectifying"],
        inspection=b,
        items="整改",
        ordered_by=w.staff,
        deadline=datetime.date(2000, 1, 1),
    )
    Rectification.objects.create(
        base=bases["cd_municipal"],
        inspection=a,
        items="整改",
        ordered_by=w.staff,
        deadline=datetime.date(2100, 1, 1),
        state="closed",
    )
    Rectification.objects.filter().update(created_at=at(YEAR, 5, 1))
    scope = Scope(YEAR)
    assert by_key(figures.supervision_by(scope, "kind"))["periodic"]["count"] == 2
    assert by_key(figures.supervision_by(scope, "kind"))["spot_check"]["count"] == 1
    results = by_key(figures.supervision_by(scope, "result"))
    assert results["unqualified"]["count"] == 1 and results["qualified"]["count"] == 1
    items = by_key(figures.supervision_by(scope, "item"))
    assert items["fees"]["count"] == 2 and items["fees"]["average"] == 70.0
    assert len(items) == 9
    ratings = by_key(figures.supervision_by(scope, "rating"))
    assert (
        ratings["excellent"]["count"] == 1 and ratings["unqualified"]["count"] == 0
    )  # proposed is not a rating
    rect = by_key(figures.supervision_by(scope, "rectification"))
    assert rect["open"]["count"] == 1 and rect["overdue"]["count"] == 1 and rect["closed"]["count"] == 1
    assert list(figures.excellent_bases(scope)) == [bases["cd_municipal"]]
    summary = figures.supervision_summary(scope)
    assert summary["periodic"] == 2 and summary["spot_checks"] == 1 and summary["unqualified"] == 1


def test_figures_of_a_prefecture_or_an_authority_count_only_their_bases(world, bases, revocations):
    mianyang = by_key(figures.bases_by(Scope(YEAR, prefecture="510700"), "prefecture"))
    assert mianyang["510700"]["count"] == 2 and mianyang["510100"]["count"] == 0
    chengdu = by_key(figures.bases_by(Scope(YEAR, authority_ids=frozenset({world.chengdu.pk})), "authority"))
    assert list(chengdu) == [str(world.chengdu.pk)]


def test_applications_per_batch_stage_pass_rate_and_median_days(world, bases):
    from applications.models import Application, Batch, Decision
    from tests.factories import InstitutionFactory

    w = world
    batch = Batch.objects.create(
        title="2026年批次",
        level="municipal",
        approving_authority=w.chengdu,
        opens_at=at(YEAR, 1, 1),
        closes_at=at(YEAR, 2, 1),
        created_by=w.staff,
    )
    states = ["recognised", "declined", "formal_review", "draft", "recognised"]
    apps = [
        Application.objects.create(
            batch=batch,
            institution=InstitutionFactory(),
            state=s,
            created_by=w.staff,
            submitted_at=at(YEAR, 1, 10),
        )
        for s in states
    ]
    for app, days in zip([apps[0], apps[1], apps[4]], [10, 20, 40], strict=True):
        d = Decision.objects.create(
            application=app, approved=True, reasons="r", snapshot={}, version=1, decided_by=w.staff
        )
        Decision.objects.filter(pk=d.pk).update(decided_at=at(YEAR, 1, 10) + datetime.timedelta(days=days))
    result = figures.applications_by_batch(Scope(YEAR))
    row = result["rows"][0]
    assert row["count"] == 4  # drafts are not counted
    assert row["stages"]["recognised"] == 2 and row["stages"]["formal_review"] == 1
    assert row["pass_rate"] == round(100 * 2 / 3, 1)
    assert result["median_days"] == 20
