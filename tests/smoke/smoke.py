"""`make smoke`: drive the production stack of deploy/stack.sh as its users do, over HTTP — a public page, a staff
sign-in with the second factor, an hours batch queued to the worker and applied, a reminder run whose e-mails the
worker sends — and fail loudly on the first thing that does not work. Run by deploy/stack.sh with the stack's
settings in the environment (the database is read only to find what to send and to check the outcome)."""

import base64
import hashlib
import hmac
import http.cookiejar
import json
import os
import re
import ssl
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from accounts.demo import DEMO_PASSWORD  # noqa: E402
from accounts.demo_two_factor import DEMO_TOTP_SECRET  # noqa: E402
from hours.demo import fictional_id  # noqa: E402
from plans.models import TrainingClass  # noqa: E402

BASE_URL, SEED_LOG = sys.argv[1], sys.argv[2]
jar = http.cookiejar.CookieJar()
# The stack's TLS certificate, made for the loopback (deploy/stack.sh), is the one authority trusted here.
tls = ssl.create_default_context(cafile=os.environ["STACK_CA"])
opener = urllib.request.build_opener(
    urllib.request.HTTPCookieProcessor(jar), urllib.request.HTTPSHandler(context=tls)
)


def step(name):
    print(f"smoke: {name}", flush=True)


def request(path, data=None, headers=None, expect=200):
    body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
    # A browser sends the page it posts from; Django's CSRF check requires it over HTTPS.
    req = urllib.request.Request(
        BASE_URL + path, data=body, headers={"Referer": BASE_URL + path, **(headers or {})}
    )
    try:
        resp = opener.open(req, timeout=30)  # noqa: S310  # nosec B310
        status, text, url = resp.status, resp.read().decode(), resp.url
    except urllib.error.HTTPError as exc:
        status, text, url = exc.code, exc.read().decode(), exc.url
    if status != expect:
        sys.exit(f"smoke: {path} answered {status}, expected {expect}: {text[:300]}")
    return text, url


def csrf():
    return next(c.value for c in jar if c.name == "csrftoken")


def totp(secret: str) -> str:
    key = base64.b32decode(secret)
    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


step("the public registry")
text, _ = request("/")
assert "继续教育基地" in text, "the home page does not show the registry"
ready = json.loads(request("/readyz/")[0])
assert ready["status"] == "ready", ready

step("a staff sign-in with two factors")
request("/accounts/login/")
text, url = request(
    "/accounts/login/", {"username": "cd_reviewer", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": csrf()}
)
assert "/accounts/login/code/" in url, f"the second step did not follow the password: {url}"
text, url = request("/accounts/login/code/", {"code": totp(DEMO_TOTP_SECRET), "csrfmiddlewaretoken": csrf()})
assert "我的待办" in text, "signed in, but 我的待办 did not open"

step("an hours batch through the worker")
with open(SEED_LOG) as seed_log:
    match = re.search(r"HOURS_API_KEY base=(\d+) key=(\S+)", seed_log.read())
assert match, "seed_demo printed no HOURS_API_KEY"
base_id, key = int(match.group(1)), match.group(2)
klass = (
    TrainingClass.objects.filter(plan_item__plan__base_id=base_id, status=TrainingClass.Status.COMPLETED)
    .order_by("ends_on")
    .first()
)
assert klass is not None, "the demo base has no completed class"
records = [
    {
        "external_id": f"smoke-{n}",
        "id_number": fictional_id(900_000 + n),
        "name": f"冒烟测试{n}",
        "class_id": klass.pk,
        "subject": klass.subject_kind,
        "hours": "1",
        "completed_on": klass.ends_on.isoformat(),
    }
    for n in range(int(os.environ.get("HOURS_SYNC_LIMIT", "5")) + 5)
]
headers = {"Content-Type": "application/json", "Authorization": f"Api-Key {key}"}
text, _ = request("/api/v1/hours/records/", json.dumps({"records": records}).encode(), headers, expect=202)
status_url = json.loads(text)["status_url"]
for _ in range(60):
    batch = json.loads(request(status_url, headers={"Authorization": f"Api-Key {key}"})[0])
    if batch.get("state") in ("done", "failed"):
        break
    time.sleep(1)
assert batch.get("state") == "done", f"the worker did not finish the batch: {batch}"
assert len(batch["accepted"]) == len(records) and not batch["refused"], batch
print(f"smoke: batch done, {len(batch['accepted'])} records accepted by the worker", flush=True)

step("a reminder run, its e-mails sent by the worker")
from notifications.models import OutboundEmail  # noqa: E402

before = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count()
year = time.localtime().tm_year
out = subprocess.run(  # noqa: S603  # nosec B603
    [sys.executable, "manage.py", "send_reminders", "--date", f"{year}-12-24"],
    cwd=ROOT,
    capture_output=True,
    text=True,
    check=True,
).stdout
print("smoke: " + out.strip().splitlines()[-1], flush=True)
for _ in range(60):
    sent = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count()
    if sent > before and not OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).exists():
        break
    time.sleep(1)
assert sent > before, "the worker sent no reminder e-mail"
step(f"passed ({sent - before} e-mails sent by the worker)")
