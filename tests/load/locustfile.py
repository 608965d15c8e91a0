"""The load test of issue 16 (`make load`): 50 simulated users for 2 minutes against `make stack` on the loopback —
36 members of the public searching and browsing the registry, 10 staff members signed in with two factors working
through their pages, 4 training platforms reporting hours — with 0 errors allowed. Each request is named by its
kind, so locust's table gives the p95 per kind."""

import base64
import hashlib
import hmac
import json
import os
import random
import re
import struct
import time
from itertools import count

from locust import HttpUser, between, task

DEMO_PASSWORD = "Demo#2026pass"  # noqa: S105  (the published demo password, accounts/demo.py)
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105  (published, accounts/demo_two_factor.py)
STAFF = iter(
    ["admin_sc", "sc_reviewer", "sc_approver", "cd_admin", "cd_reviewer", "cd_approver", "my_reviewer"]
    + ["my_approver", "health_reviewer", "health_approver", "wh_admin", "wh_reviewer"]
)
FIELDS = ["数字经济", "智能制造", "现代农业", "卫生健康", "电子信息", "工程技术", "护理"]
PREFECTURES = ["510100", "510700", "511300", "511500", "513400", "510500"]
SEED_LOG = os.environ.get("STACK_SEED_LOG", "var/stack/seed.log")
_records = count(1)


def totp(secret: str) -> str:
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def check_character(body17: str) -> str:
    checksum = (1 - 2 * int(body17, 13)) % 11
    return "X" if checksum == 10 else str(checksum)


def fictional_id(n: int) -> str:
    body = f"510112{1970 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return body + check_character(body)


class StackUser(HttpUser):
    """A client of the stack over TLS, trusting the stack's own certificate, sending the Referer a browser sends."""

    abstract = True

    def on_start(self):
        self.client.verify = os.environ.get("STACK_CA", True)
        self.client.headers["Referer"] = self.host + "/"


class Public(StackUser):
    fixed_count = 36
    wait_time = between(0.5, 2)

    def on_start(self):
        super().on_start()
        listed = self.client.get("/api/v1/bases/", name="public: api bases").json()
        self.ids = [b["id"] for b in listed["results"]]

    @task(4)
    def search(self):
        self.client.get(f"/bases/?q={random.choice(FIELDS)}", name="public: search")  # noqa: S311

    @task(3)
    def filter(self):
        self.client.get(
            f"/bases/?prefecture={random.choice(PREFECTURES)}&level=municipal",  # noqa: S311
            name="public: filter",
        )

    @task(2)
    def profile(self):
        self.client.get(f"/bases/{random.choice(self.ids)}/", name="public: base profile")  # noqa: S311

    @task(1)
    def api(self):
        self.client.get("/api/v1/bases/?page=1", name="public: api bases")


class Staff(StackUser):
    fixed_count = 10
    wait_time = between(1, 3)

    def on_start(self):
        super().on_start()
        username = next(STAFF)
        self.client.get("/accounts/login/", name="staff: sign-in")
        self.client.post(
            "/accounts/login/",
            {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": self.csrf()},
            name="staff: sign-in",
        )
        with self.client.post(
            "/accounts/login/code/",
            {"code": totp(DEMO_TOTP_SECRET), "csrfmiddlewaretoken": self.csrf()},
            name="staff: sign-in",
            catch_response=True,
        ) as response:
            if "我的待办" not in response.text:
                response.failure(f"{username} did not reach 我的待办")

    def csrf(self):
        return self.client.cookies.get("csrftoken", "")

    @task(3)
    def todos(self):
        self.client.get("/dashboard/", name="staff: 我的待办")

    @task(2)
    def applications(self):
        self.client.get("/applications/", name="staff: applications")

    @task(1)
    def plans(self):
        self.client.get("/plans/dashboard/", name="staff: plan dashboard")

    @task(1)
    def bases(self):
        self.client.get("/bases/manage/", name="staff: bases")


class Platform(StackUser):
    fixed_count = 4
    wait_time = between(1, 2)

    def on_start(self):
        super().on_start()
        with open(SEED_LOG) as fh:
            seed = fh.read()
        self.key = re.search(r"HOURS_API_KEY base=\d+ key=(\S+)", seed).group(1)
        self.klass = json.loads(re.search(r"^LOAD_CLASS (.+)$", seed, re.M).group(1))

    @task
    def report_hours(self):
        records = []
        for _ in range(100):
            n = next(_records)
            records.append(
                {
                    "external_id": f"load-{os.getpid()}-{n}",
                    "id_number": fictional_id(n),
                    "name": f"负载测试{n}",
                    "class_id": self.klass["id"],
                    "subject": self.klass["subject"],
                    "hours": "0.5",
                    "completed_on": self.klass["ends_on"],
                }
            )
        self.client.post(
            "/api/v1/hours/records/",
            data=json.dumps({"records": records}),
            headers={"Content-Type": "application/json", "Authorization": f"Api-Key {self.key}"},
            name="hours: 100 records",
        )
