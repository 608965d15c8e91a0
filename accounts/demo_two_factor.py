"""Demo authenticators: every demo account that must sign in with two factors gets a TOTP device on one
published secret, so anyone trying the demo computes codes with `oathtool --totp -b <secret>` or adds the
secret to an authenticator app. Runs last in seed_demo, after every app has created its accounts."""

from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .two_factor import TOTP_DEVICE_NAME, two_factor_required

# Published in the README with the demo password; seed_demo runs only with DEBUG.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105  (published on purpose)


def demo_totp_key() -> str:
    return b32decode(DEMO_TOTP_SECRET).hex()


def seed(*, stdout=None, context=None):
    created = 0
    for user in User.objects.filter(is_active=True).order_by("pk"):
        if not user.has_usable_password() or not two_factor_required(user):
            continue
        _device, new = TOTPDevice.objects.get_or_create(
            user=user, name=TOTP_DEVICE_NAME, defaults={"key": demo_totp_key(), "confirmed": True}
        )
        created += new
    if stdout:
        stdout.write(
            f"two factors: {created} new demo authenticators; codes: oathtool --totp -b {DEMO_TOTP_SECRET}"
        )
        stdout.write(f"DEMO_TOTP_SECRET {DEMO_TOTP_SECRET}")
    return {}
