import os
import shutil

import pytest
from django.test import Client

from accounts.models import Organization, Role

from .factories import InstitutionFactory, OrganizationFactory, member
from .two_factor import verify_force_login_sessions


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    # Fast hashing in tests; uploads in a throwaway folder.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "uploads"
    # Public pages are cached for anonymous visitors; tests see fresh pages unless they test the cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """Tests that sign staff in with force_login mean a signed-in, verified user: give the session the
    user's authenticator (a real confirmed TOTP device), as the code step would. Tests of the sign-in itself
    post the real forms (tests/security/test_two_factor.py)."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verify_force_login_sessions(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _regions_after_flush(request):
    """Transactional tests flush every table, including the regions the data migration loaded: reload them."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from accounts.models import Region
        from accounts.regions import load_regions

        load_regions(Region)


@pytest.fixture
def province(db):
    return OrganizationFactory(
        name="四川省人力资源和社会保障厅", kind=Organization.Kind.PROVINCIAL_HR, region_id="510000"
    )


@pytest.fixture
def chengdu(db, province):
    return OrganizationFactory(name="成都市人力资源和社会保障局", region_id="510100", parent=province)


@pytest.fixture
def mianyang(db, province):
    return OrganizationFactory(name="绵阳市人力资源和社会保障局", region_id="510700", parent=province)


@pytest.fixture
def institution(db):
    return InstitutionFactory(region_id="510107")


@pytest.fixture
def other_institution(db):
    return InstitutionFactory(region_id="510104")


@pytest.fixture
def provincial_admin(province):
    return member(province, Role.PROVINCIAL_ADMIN, username="admin_sc_t")


@pytest.fixture
def security_admin(province):
    return member(province, Role.SECURITY_ADMIN, username="sec_admin_t")


@pytest.fixture
def audit_admin(province):
    return member(province, Role.AUDIT_ADMIN, username="audit_admin_t")


@pytest.fixture
def cd_admin(chengdu):
    return member(chengdu, Role.AUTHORITY_ADMIN, username="cd_admin_t")


@pytest.fixture
def my_admin(mianyang):
    return member(mianyang, Role.AUTHORITY_ADMIN, username="my_admin_t")


@pytest.fixture
def inst_admin(institution):
    return member(institution, Role.INSTITUTION_ADMIN, username="inst_admin_t")


# One headless Chromium for the whole session (tests/e2e and the browser checks of tests/security): Debian's
# /usr/bin/chromium driven by Playwright, never a downloaded browser.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (make test does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
