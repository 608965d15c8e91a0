"""Data and credentials for the API contract tests: the demo world, a staff token and the base's API keys."""

from dataclasses import dataclass

import pytest
from django.core.management import call_command

from accounts.api_tokens import api_token_issue
from accounts.models import User
from hours import services as hours_services
from hours.models import ApiKey


@dataclass
class Credentials:
    user: User
    token: str
    ingest_key: str
    feed_key: str

    def headers_for(self, path: str, security: list) -> dict:
        """Return the Authorization header an operation with this path and security needs."""
        if path.endswith("/auth/logout/"):
            # Signing out revokes the token it is sent with: a fresh one each time keeps the others working.
            return {"Authorization": f"Token {api_token_issue(user=self.user)[1]}"}
        if not any("ApiKey" in s for s in security):
            return {"Authorization": f"Token {self.token}"}
        key = self.feed_key if path.endswith("/hours/feed/") else self.ingest_key
        return {"Authorization": f"Api-Key {key}"}


def seed_demo_world(settings) -> Credentials:
    """Seed the demo data (every workflow in several states) and return credentials of users who see it."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = True  # seed_demo refuses to run otherwise (it creates accounts with a known password)
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    settings.DEBUG = False
    admin = User.objects.get(username="admin_sc")
    ingest = ApiKey.objects.filter(scope="ingest").select_related("base").first()
    operator = User.objects.filter(
        memberships__organization=ingest.base.institution, memberships__role="base_operator"
    ).first()
    _key, ingest_secret = hours_services.api_key_issue(
        actor=operator, label="contract tests", base=ingest.base
    )
    _key, feed_secret = hours_services.api_key_issue(
        actor=admin, label="contract tests feed", scope=ApiKey.Scope.FEED
    )
    _instance, token = api_token_issue(user=admin)
    return Credentials(user=admin, token=token, ingest_key=ingest_secret, feed_key=feed_secret)


@pytest.fixture
def demo_world(db, settings):
    return seed_demo_world(settings)
