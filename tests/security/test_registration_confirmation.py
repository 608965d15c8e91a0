"""A self-registered institution waits for its authority before it applies (R-05, R-06; issue 13). Replay of the
reproduction: anyone could register a real institution's public credit code and apply in its name at once."""

import datetime

import pytest
from django.core import mail
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from accounts import registration
from accounts.demo import INSTITUTIONS, PENDING_REGISTRATION
from accounts.demo import seed as seed_accounts
from accounts.models import Organization, Role, User
from applications.models import Application, Batch
from applications.services import application_create
from audit.models import AuditEvent
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from notifications.models import Notification
from tests.factories import TEST_PASSWORD, InstitutionFactory, member, valid_credit_code

pytestmark = pytest.mark.django_db

State = Organization.RegistrationState


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _register(client, code=None, username="reg_admin", name="锦江新学院"):
    return client.post(
        reverse("accounts:register"),
        {
            "name": name,
            "credit_code": code or valid_credit_code(),
            "institution_type": "university",
            "region": "510104",  # 锦江区, Chengdu
            "address": "锦江区某路 1 号",
            "full_name": "注册人",
            "phone": "028-1",
            "email": f"{username}@example.test",
            "username": username,
            "password": TEST_PASSWORD,
            "password_confirm": TEST_PASSWORD,
        },
    )


@pytest.fixture
def pending(client):
    assert _register(client).status_code == 302
    return Organization.objects.get(name="锦江新学院")


@pytest.fixture
def batch(chengdu, cd_admin):
    now = timezone.now()
    return Batch.objects.create(
        title="成都市批次",
        approving_authority=chengdu,
        level="municipal",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        created_by=cd_admin,
    )


def test_a_self_registration_starts_pending_and_may_not_apply(client, pending, batch):
    assert pending.registration_state == State.PENDING
    admin = User.objects.get(username="reg_admin")
    with pytest.raises(WrongState, match="尚待所在地人社部门确认"):
        application_create(actor=admin, batch=batch, institution=pending)
    client.force_login(admin)
    response = client.post(
        reverse("applications:start", args=[batch.pk]), {"institution": pending.pk}, follow=True
    )
    assert "尚待所在地人社部门确认" in response.content.decode()
    assert not Application.objects.exists()
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert "本机构注册待主管部门确认" in dashboard


def test_the_authority_sees_the_registration_in_its_todos(client, pending, chengdu):
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER, username="cd_rev")
    client.force_login(reviewer)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert "待确认机构注册：锦江新学院" in body
    assert reverse("accounts:registration", args=[pending.pk]) in body
    assert "锦江新学院" in client.get(reverse("accounts:registrations")).content.decode()


def test_the_authority_confirms_and_the_institution_is_told_on_commit(
    client, pending, cd_admin, batch, django_capture_on_commit_callbacks
):
    client.force_login(cd_admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("accounts:registration", args=[pending.pk]), {"action": "confirm"})
    assert response.status_code == 302
    assert callbacks, "the e-mail is queued on commit"
    pending.refresh_from_db()
    assert pending.registration_state == State.CONFIRMED
    assert pending.registration_decided_by == cd_admin
    event = AuditEvent.objects.get(action="institution.registration_confirmed")
    assert (event.actor, event.from_state, event.to_state) == (cd_admin, "pending", "confirmed")
    admin = User.objects.get(username="reg_admin")
    assert Notification.objects.get(user=admin).kind == "registration.confirmed"
    assert [m.to for m in mail.outbox] == [["reg_admin@example.test"]]
    assert application_create(actor=admin, batch=batch, institution=pending).state == "draft"


def test_a_rolled_back_decision_sends_nothing(pending, cd_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        registration.registration_confirm(actor=cd_admin, organization_id=pending.pk)
        raise RuntimeError
    pending.refresh_from_db()
    assert pending.registration_state == State.PENDING
    assert mail.outbox == [] and not Notification.objects.exists()


def test_a_refusal_needs_a_reason_and_releases_the_credit_code(client, pending, cd_admin):
    with pytest.raises(InvalidInput):
        registration.registration_refuse(actor=cd_admin, organization_id=pending.pk, reason="  ")
    client.force_login(cd_admin)
    response = client.post(
        reverse("accounts:registration", args=[pending.pk]), {"action": "refuse", "reason": ""}
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.registration_state == State.PENDING
    registration.registration_refuse(
        actor=cd_admin, organization_id=pending.pk, reason="电话核实非该机构人员"
    )
    pending.refresh_from_db()
    assert pending.registration_state == State.REFUSED and not pending.is_active
    assert AuditEvent.objects.get(action="institution.registration_refused").comment == "电话核实非该机构人员"
    note = Notification.objects.get(kind="registration.refused")
    assert "电话核实非该机构人员" in note.body
    # The real institution registers the same code and name afterwards.
    client.logout()
    assert _register(client, code=pending.credit_code, username="real_admin").status_code == 302
    assert Organization.objects.filter(
        credit_code=pending.credit_code, registration_state=State.PENDING
    ).exists()


def test_a_pending_code_cannot_be_registered_twice(client, pending):
    response = _register(client, code=pending.credit_code, username="second")
    assert response.status_code == 200
    assert "已注册" in response.content.decode()
    assert not User.objects.filter(username="second").exists()


def test_another_prefecture_gets_404(client, pending, my_admin):
    with pytest.raises(NotVisible):
        registration.registration_confirm(actor=my_admin, organization_id=pending.pk)
    client.force_login(my_admin)
    assert client.get(reverse("accounts:registration", args=[pending.pk])).status_code == 404
    assert (
        client.post(reverse("accounts:registration", args=[pending.pk]), {"action": "confirm"}).status_code
        == 404
    )
    pending.refresh_from_db()
    assert pending.registration_state == State.PENDING


def test_an_approver_or_an_institution_may_not_decide(client, pending, chengdu, inst_admin):
    approver = member(chengdu, Role.AUTHORITY_APPROVER, username="cd_appr")
    with pytest.raises(PermissionRefused):
        registration.registration_confirm(actor=approver, organization_id=pending.pk)
    client.force_login(approver)
    page = client.get(reverse("accounts:registration", args=[pending.pk])).content.decode()
    assert 'value="confirm"' not in page
    client.post(reverse("accounts:registration", args=[pending.pk]), {"action": "confirm"})
    with pytest.raises(NotVisible):
        registration.registration_confirm(actor=inst_admin, organization_id=pending.pk)
    pending.refresh_from_db()
    assert pending.registration_state == State.PENDING
    assert not AuditEvent.objects.filter(action__startswith="institution.registration_").exists()


def test_a_decided_registration_is_not_decided_again(pending, cd_admin):
    registration.registration_confirm(actor=cd_admin, organization_id=pending.pk)
    with pytest.raises(WrongState, match="已处理"):
        registration.registration_refuse(actor=cd_admin, organization_id=pending.pk, reason="迟到的拒绝")
    assert AuditEvent.objects.filter(action__startswith="institution.registration_").count() == 1


def test_the_provincial_admin_confirms_anywhere(pending, provincial_admin):
    registration.registration_confirm(actor=provincial_admin, organization_id=pending.pk)
    pending.refresh_from_db()
    assert pending.registration_state == State.CONFIRMED


def test_factories_and_the_demo_make_confirmed_institutions_and_one_pending_registration():
    assert InstitutionFactory().registration_state == State.CONFIRMED
    orgs = seed_accounts()
    for key, *_rest in INSTITUTIONS:
        assert orgs[key].registration_state == State.CONFIRMED
    demo = Organization.objects.get(credit_code=PENDING_REGISTRATION["credit_code"])
    assert demo.registration_state == State.PENDING
    seed_accounts()  # idempotent
    assert Organization.objects.filter(credit_code=PENDING_REGISTRATION["credit_code"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_existing_institutions_migrate_as_confirmed():
    before = [("accounts", "0002_load_regions")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldOrg = old.get_model("accounts", "Organization")
    OldUser = old.get_model("accounts", "User")
    OldOrg.objects.create(
        name="早已注册的学院", kind="institution", region_id="510104", credit_code=valid_credit_code()
    )
    OldUser.objects.create(username="old_user", password="md5$x$y")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    org = Organization.objects.get(name="早已注册的学院")
    assert org.registration_state == State.CONFIRMED
    assert org.registration_decided_at == org.created_at
    assert User.objects.get(username="old_user").password_changed_at is not None
