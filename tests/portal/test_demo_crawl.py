"""seed_demo builds every state through the real workflow, and every page it leads to renders for every role."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import ACCOUNTS
from accounts.models import User
from applications.models import Application, ExpertAssignment, ExpertDraw
from applications.selectors import visible_to
from bases.models import Base, Filing, Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # idempotent  # noqa: SIM115
    settings.DEBUG = False


def test_demo_has_applications_in_every_state_the_issue_names(demo):
    states = set(Application.objects.values_list("state", flat=True))
    assert {
        "draft",
        "submitted",
        "returned",
        "demonstration",
        "panel_review",
        "publicity",
        "recognised",
    } <= states
    # Issue 18: one batch at the panel stage, its applications ranked on the panel sheet, one with drawn experts.
    at_panel = Application.objects.filter(state="panel_review")
    assert at_panel.values("batch").distinct().count() == 1 and at_panel.count() == 2
    assert ExpertDraw.objects.filter(application__in=at_panel, seed=20260601).count() == 1
    assert Base.objects.filter(application__isnull=False).count() == 1
    assert set(Base.objects.values_list("level", flat=True)) == {
        "national",
        "provincial",
        "municipal",
        "county",
        "industry",
    }
    assert Base.objects.filter(status="revoked").count() == 1
    assert Base.objects.filter(prefecture__isnull=False).values("prefecture").distinct().count() >= 5
    assert Filing.objects.filter(kind="recognition").count() == 1
    assert Notice.objects.filter(kind="publicity").count() == 2
    from bases.models import ChangeRequest, MisconductReport

    assert ChangeRequest.objects.filter(state="submitted", fee_increase=True).count() == 1
    assert MisconductReport.objects.filter(status="open").count() == 1
    from inspections.models import Assessment, InspectionRound, Rectification
    from plans.models import AnnualPlan

    assert {"draft", "host_review", "submitted", "filed", "returned"} <= set(
        AnnualPlan.objects.values_list("state", flat=True)
    )
    assert AnnualPlan.objects.filter(is_late=True).count() == 1
    assert InspectionRound.objects.filter(state="published").count() == 1
    assert Rectification.objects.filter(state="open").count() == 1
    assert Assessment.objects.filter(state="published", rating="excellent").exists()
    from hours.models import ApiKey, TrainingRecord

    assert TrainingRecord.objects.count() >= 3000 and ApiKey.objects.filter(scope="ingest").count() == 1
    assert User.objects.filter(username__in=[a[0] for a in ACCOUNTS]).count() == len(ACCOUNTS)


def test_every_demo_account_can_open_its_pages(client, demo):
    for username, *_rest in ACCOUNTS:
        user = User.objects.get(username=username)
        client.force_login(user)
        for url in [
            reverse("portal:dashboard"),
            reverse("applications:list"),
            reverse("applications:batches"),
            reverse("notifications:inbox"),
            reverse("bases:notices"),
        ]:
            assert client.get(url).status_code == 200, (username, url)
        for app in visible_to(user):
            assert client.get(reverse("applications:detail", args=[app.pk])).status_code == 200, (
                username,
                app,
            )
            assert client.get(reverse("applications:excel", args=[app.pk])).status_code == 200
            for version in app.versions.all():
                assert (
                    client.get(reverse("applications:version", args=[app.pk, version.number])).status_code
                    == 200
                )
            if app.is_editable and app.institution.memberships.filter(user=user).exists():
                for step in ["institution", "staff", "management", "resources", "scale", "credit", "review"]:
                    assert client.get(reverse("applications:edit", args=[app.pk, step])).status_code == 200, (
                        username,
                        step,
                    )
        for assignment in ExpertAssignment.objects.filter(expert=user):
            assert client.get(reverse("applications:assignment", args=[assignment.pk])).status_code == 200
        assert client.get(reverse("bases:manage")).status_code == 200
        from bases.selectors import bases_visible_to, change_requests_visible_to, reports_visible_to

        for base in bases_visible_to(user)[:5]:
            assert client.get(reverse("bases:history", args=[base.pk])).status_code == 200
        for cr in change_requests_visible_to(user):
            assert client.get(reverse("bases:change", args=[cr.pk])).status_code == 200
        for report in reports_visible_to(user):
            assert client.get(reverse("bases:report", args=[report.pk])).status_code == 200
        from inspections.selectors import inspections_visible_to, rectifications_visible_to
        from plans.selectors import classes_visible_to, plans_visible_to

        for url in [
            reverse("plans:list"),
            reverse("plans:classes"),
            reverse("inspections:rectifications"),
            reverse("notifications:preferences"),
        ]:
            assert client.get(url).status_code == 200, (username, url)
        for plan in plans_visible_to(user)[:8]:
            assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200, (username, plan)
        for klass in classes_visible_to(user)[:4]:
            assert client.get(reverse("plans:class", args=[klass.pk])).status_code == 200
        for insp in inspections_visible_to(user)[:4]:
            assert client.get(reverse("inspections:inspection", args=[insp.pk])).status_code == 200, (
                username,
                insp,
            )
        for rect in rectifications_visible_to(user):
            assert client.get(reverse("inspections:rectification", args=[rect.pk])).status_code == 200
        if user.memberships.filter(role__in=["authority_reviewer", "authority_approver"]).exists():
            for url in [
                reverse("plans:dashboard"),
                reverse("inspections:rounds"),
                reverse("inspections:assessments"),
            ]:
                assert client.get(url).status_code == 200, (username, url)
        if (
            user.memberships.filter(role__in=["base_operator", "institution_admin"]).exists()
            and client.get(reverse("hours:home")).status_code != 404
        ):
            assert client.get(reverse("hours:home")).status_code == 200
        if user.memberships.filter(
            role__in=["authority_reviewer", "authority_approver", "authority_admin"]
        ).exists():
            assert client.get(reverse("hours:lookup")).status_code == 200
            assert client.get(reverse("hours:statistics")).status_code == 200
        if username == "admin_sc":
            assert client.get(reverse("hours:years")).status_code == 200
            assert client.get(reverse("bases:filed")).status_code == 200
            assert client.get(reverse("bases:import")).status_code == 200
            assert client.get(reverse("accounts:registrations")).status_code == 200
        if username == "audit_admin":
            assert client.get(reverse("audit:events")).status_code == 200
        if username == "sec_admin":
            for url in [reverse("accounts:lockouts"), reverse("accounts:otp"), reverse("hours:keys")]:
                assert client.get(url).status_code == 200, (username, url)
    client.logout()
    for notice in Notice.objects.all():
        assert client.get(reverse("bases:notice", args=[notice.pk])).status_code == 200
    for base in Base.objects.all():
        assert client.get(reverse("bases:detail", args=[base.pk])).status_code == 200
    for url in [
        "/",
        "/bases/?status=all",
        reverse("bases:feed"),
        reverse("bases:report_lookup"),
        reverse("inspections:excellent"),
    ]:
        assert client.get(url).status_code == 200


def _todo_urls(client, username):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    return [item.url for s in response.context["sections"] for item in s.items]


def test_first_run_demo_gives_every_role_of_the_readme_work_to_try(client, demo):
    """Issue 14, First run: a batch asking for a municipal recommendation (Art. 10) waits for cd_reviewer; a
    county HR department with accounts triages a misconduct report (R-01, R-29); a plan in host review waits
    for inst1_host (R-22)."""
    from bases.models import MisconductReport
    from plans.models import AnnualPlan

    waiting = Application.objects.get(batch__requires_recommendation=True, state="submitted")
    assert waiting.recommending_authority.name == "成都市人力资源和社会保障局"
    assert reverse("applications:detail", args=[waiting.pk]) in _todo_urls(client, "cd_reviewer")

    report = MisconductReport.objects.get(status="open")
    assert report.base.approving_authority.kind == "county_hr"
    assert reverse("bases:report", args=[report.pk]) in _todo_urls(client, "wh_reviewer")
    client.force_login(User.objects.get(username="wh_admin"))
    assert client.get(reverse("bases:manage")).status_code == 200

    plan = AnnualPlan.objects.get(state="host_review")
    assert plan.base.institution.memberships.filter(user__username="inst1_host").exists()
    assert reverse("plans:detail", args=[plan.pk]) in _todo_urls(client, "inst1_host")


def test_every_todo_group_a_demo_account_sees_has_its_label(client, demo):
    """Issue 14, Words not codes: no 我的待办 group shows its internal key (a category nobody registered)."""
    import re

    for username, *_rest in ACCOUNTS:
        client.force_login(User.objects.get(username=username))
        for section in client.get(reverse("portal:dashboard")).context["sections"]:
            assert not re.fullmatch(r"[a-z_]+", str(section.group.label)), (username, section.group.key)
