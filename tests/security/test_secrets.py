"""Secrets never travel in cookies (等保 2.0: confidentiality of authentication data): one-time API keys are shown
from server-side session data; messages are kept in the session, not in a cookie; marking a message read is a
POST protected by CSRF."""

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from hours.models import ApiKey
from notifications.models import Notification


def test_sessions_and_messages_live_on_the_server():
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert django_settings.MESSAGE_STORAGE == "django.contrib.messages.storage.session.SessionStorage"


def _all_cookie_values(response, client):
    return " ".join([m.value for m in response.cookies.values()] + [m.value for m in client.cookies.values()])


@pytest.mark.django_db
def test_feed_key_is_shown_once_from_the_session_and_never_in_a_cookie(client, provincial_admin):
    client.force_login(provincial_admin)
    response = client.post(reverse("hours:feed_key_issue"), {"label": "省知识更新工程"})
    assert response.status_code == 302
    key = ApiKey.objects.get(scope="feed")
    page = client.get(reverse("hours:years"))
    body = page.content.decode()
    assert 'data-testid="new-key"' in body
    secret = body.split('user-select-all">')[1].split("<")[0]
    assert secret.startswith(key.prefix)
    assert secret not in _all_cookie_values(response, client) + _all_cookie_values(page, client)
    # The session row held it only until shown.
    assert all(
        secret not in s.get_decoded().get("new_feed_key", {}).get("secret", "") for s in Session.objects.all()
    )
    assert secret not in client.get(reverse("hours:years")).content.decode()


@pytest.mark.django_db
def test_feed_key_label_with_control_characters_is_refused(client, provincial_admin):
    client.force_login(provincial_admin)
    response = client.post(reverse("hours:feed_key_issue"), {"label": "省\r\n系统"}, follow=True)
    assert "控制字符" in response.content.decode()
    assert not ApiKey.objects.filter(scope="feed").exists()


@pytest.mark.django_db
def test_marking_a_message_read_is_a_post_that_needs_the_csrf_token(inst_admin):
    note = Notification.objects.create(user=inst_admin, kind="application", title="t", url="/dashboard/")
    client = Client(enforce_csrf_checks=True)
    client.force_login(inst_admin)
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 405
    assert client.post(reverse("notifications:open", args=[note.pk])).status_code == 403  # no token
    note.refresh_from_db()
    assert note.read_at is None
    inbox = client.get(reverse("notifications:inbox"))
    token = (
        inbox.cookies["csrftoken"].value
        if "csrftoken" in inbox.cookies
        else client.cookies["csrftoken"].value
    )
    response = client.post(reverse("notifications:open", args=[note.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response.url == "/dashboard/"
    note.refresh_from_db()
    assert note.read_at is not None
