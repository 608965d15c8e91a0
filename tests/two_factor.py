"""Second-factor helpers for tests: an authenticator on a known secret, its next good code, and marking a
force_login'd session as verified (tests/conftest.py does that for every force_login).

Production has no shortcut: a session counts as verified only through django-otp's session key naming a
confirmed device of the user, which is exactly what these helpers set up.
"""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import TOTP_DEVICE_NAME, two_factor_required

TEST_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's "12345678901234567890"


def totp_device(user, *, key: str = TEST_TOTP_KEY) -> TOTPDevice:
    """Return the user's confirmed authenticator, creating one on `key` if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
    return device


def totp_code(device: TOTPDevice) -> str:
    """Return a code the device accepts now: the current time step's, or a later one still in its window.

    django-otp accepts a step once (last_t) within `tolerance` steps of now (+ its learnt drift); signing the
    same user in twice within 30 seconds takes the next step's code, or a short wait. Past steps are never
    chosen: a step boundary between choosing and checking would push them out of the window.
    """
    device.refresh_from_db()
    while True:
        current = int((time.time() - device.t0) // device.step) + device.drift
        for t in range(current, current + device.tolerance + 1):
            if t > device.last_t:
                return code_at(device, t)
        time.sleep(1)


def code_at(device: TOTPDevice, t: int) -> str:
    """Return the device's code of time step `t`, computed with django_otp.oath like an authenticator."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = device.t0 + t * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """Return a 6-digit code no step of the device's window accepts."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step) + device.drift
    good = {code_at(device, t) for t in range(now - 3, now + 4)}
    return next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in good)


def mark_session_verified(client, user) -> None:
    """Mark the client's session as verified by the user's authenticator (created if needed)."""
    device = totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def sign_in_with_code(client, username, password):
    """Sign in through the real pages, as a person with an authenticator would: the password, then (for a
    user who needs one) the code. An authenticator on TEST_TOTP_KEY is set up first if the user has none.
    Return the last answer (the password step's, or the code step's redirect)."""
    from django.urls import reverse

    from accounts.models import User

    user = User.objects.filter(username=username).first()
    device = totp_device(user) if user is not None and two_factor_required(user) else None
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    if device is None or getattr(response, "url", None) != reverse("accounts:two_factor_verify"):
        return response
    return client.post(response.url, {"code": totp_code(device)})


def verify_force_login_sessions(client, user) -> None:
    """After force_login: a user who needs a second factor gets a verified session, as if they typed a code."""
    if two_factor_required(user):
        mark_session_verified(client, user)
