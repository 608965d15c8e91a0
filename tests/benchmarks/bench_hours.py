"""Hours benchmarks (issue 7), on PostgreSQL:

1. 1,000,000 records through the real API path (HTTP to gunicorn, 10,000 per request, full validation, applied
   synchronously), in records/s, next to a raw COPY of the same rows into a bare table. Target >= 20,000/s.
2. A person-year summary over a table of 10,000,000+ records: p50 and p95 of the service call (target p95 <= 10
   ms), and of `POST /api/v1/hours/people/lookup/` over HTTP to gunicorn (target p95 <= 5 ms).
3. A 100,000-row Excel upload through the portal's path (stored, read into sealed chunks, each chunk applied and
   the batch sealed, as the worker does) and a 100,000-row export: seconds and peak memory, each in its own
   process. Targets: upload <= 8 s and <= 120 MB (issue 12); export <= 60 s and < 300 MB.
"""

import datetime
import io
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

from common import ROOT, Gunicorn, bench_database_url, django_setup, recreate_database, report, write_results
from stdnum.cn import ric

API_RECORDS = 1_000_000
PER_REQUEST = 10_000
PEOPLE = 250_000
# gunicorn workers and concurrent client requests for the ingestion run: one worker per core, and one request more
# than workers so a worker never waits for the client's next body (measured on 2 cores, 1M records: 2/2 21.3k,
# 2/3 22.8k-24.8k, 3/3 22.7k, 3/4 20.7k, 2/4 20.1k records/s; runs differ by about 2k).
INGEST_WORKERS = 2
INGEST_CONCURRENCY = 3
SUMMARY_ROWS = 10_000_000
KEYS = {
    "HOURS_ID_KEYS": "ZGV2LW9ubHktZmVybmV0LWtleS0wMTIzNDU2Nzg5YWI=",
    "HOURS_HASH_KEY": "dev-only-hash-key",
}
EXCEL_ROWS = 100_000


def fictional_id(n):
    """A distinct valid ID number for each n below 1,000,000: the birth date steps a day every 1,000 people."""
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=n // 1000)
    body = f"510112{born:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def setup_world():
    """Regions, an authority, a base with a filed plan and ten classes of 200 hours, an API key."""

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import Membership, Organization, Role, User
    from bases.models import Base
    from hours import services
    from plans import services as plan_services
    from plans import workflow

    authority = Organization.objects.create(name="成都市人社局", kind="municipal_hr", region_id="510100")
    inst = Organization.objects.create(
        name="基准学院",
        kind="institution",
        region_id="510107",
        credit_code="91510100MA00000019",
        institution_type="university",
    )
    op = User.objects.create_user("op", password="x")
    host = User.objects.create_user("host", password="x")
    reviewer = User.objects.create_user("rev", password="x")
    Membership.objects.create(user=op, organization=inst, role=Role.BASE_OPERATOR)
    Membership.objects.create(user=host, organization=inst, role=Role.HOST_REVIEWER)
    Membership.objects.create(user=reviewer, organization=authority, role=Role.AUTHORITY_REVIEWER)
    base = Base.objects.create(
        name="基准基地",
        institution=inst,
        approving_authority=authority,
        level="municipal",
        region_id="510107",
        certificate_no="基准001",
        certificate_year=2026,
        recognised_on=datetime.date(2020, 1, 1),
    )
    plan = plan_services.plan_create(actor=op, base=base, year=2026, today=datetime.date(2026, 1, 2))
    item = plan_services.plan_item_save(
        actor=op,
        plan=plan,
        data={
            "service_form": "professional_subject",
            "title": "网络培训",
            "field": "综合",
            "subject_kind": "professional",
            "mode": "online",
            "planned_classes": 10,
            "planned_trainees": 100000,
            "hours_per_trainee": "200",
            "fee_per_trainee": "0",
        },
    )
    plan_services.plan_update(actor=op, plan=plan, summary_narrative="基准")
    workflow.MACHINE.run(plan, "submit_to_host", actor=op)
    workflow.MACHINE.run(plan, "host_approve", actor=host)
    workflow.MACHINE.run(plan, "file", actor=reviewer)
    classes = [
        plan_services.class_create(
            actor=op,
            plan_item=item,
            data={
                "title": f"班{i}",
                # Ended classes that give both kinds: every generated record is one they take.
                "starts_on": datetime.date(2026, 1, 1),
                "ends_on": datetime.date(2026, 11, 30),
                "place": "线上",
                "online_platform": "",
                "capacity": 1_000_000,
                "fee": "0",
                "hours_per_trainee": "200",
                "subject_kind": "professional",
                "general_hours": "100",
                "teachers": "t",
            },
        ).pk
        for i in range(10)
    ]
    _key, secret = services.api_key_issue(actor=op, label="bench", base=base)
    return base, classes, secret


def records_for(start, count, classes, rng):
    out = []
    for i in range(start, start + count):
        person = rng.randrange(PEOPLE)
        out.append(
            {
                "external_id": f"e{i}",
                "id_number": fictional_id(person),
                "name": f"学员{person}",
                "class_id": classes[i % 10],
                "subject": "professional" if i % 3 else "general",
                "hours": str(0.5 * (1 + i % 20)),
                "completed_on": f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}",
            }
        )
    return out


def bench_api(url, classes, secret):
    rng = random.Random(7)
    bodies = [
        json.dumps({"records": records_for(n * PER_REQUEST, PER_REQUEST, classes, rng)}).encode()
        for n in range(API_RECORDS // PER_REQUEST)
    ]
    print(f"prepared {len(bodies)} request bodies", flush=True)
    lock = threading.Lock()
    queue = list(range(len(bodies)))
    accepted = [0]
    errors = []

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                n = queue.pop(0)
            req = urllib.request.Request(
                url,
                data=bodies[n],
                headers={"Content-Type": "application/json", "Authorization": f"Api-Key {secret}"},
                method="POST",
            )  # noqa: S310
            try:
                with urllib.request.urlopen(req, timeout=300) as resp:  # noqa: S310
                    body = json.loads(resp.read())
                with lock:
                    accepted[0] += len(body["accepted"])
                    if body["refused"]:
                        errors.append(body["refused"][:2])
            except Exception as exc:  # noqa: BLE001
                errors.append(str(exc))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(INGEST_CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    assert not errors, errors[:3]
    return accepted[0] / elapsed, accepted[0], elapsed, bodies


def bench_copy(database_url, bodies):
    """The reference: the same rows COPYed into a bare table with no checks."""
    from urllib.parse import urlparse

    import psycopg2

    p = urlparse(database_url)
    conn = psycopg2.connect(
        host=p.hostname, port=p.port or 5432, user=p.username, password=p.password, dbname=p.path.lstrip("/")
    )
    rows = [r for b in bodies for r in json.loads(b)["records"]]
    with conn, conn.cursor() as cur:
        cur.execute(
            "DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (external_id text, id_number text, name text, class_id int, subject text, hours numeric, completed_on date)"
        )
    buf = io.StringIO()
    for r in rows:
        buf.write(
            f"{r['external_id']}\t{r['id_number']}\t{r['name']}\t{r['class_id']}\t{r['subject']}\t{r['hours']}\t{r['completed_on']}\n"
        )
    buf.seek(0)
    started = time.perf_counter()
    with conn, conn.cursor() as cur:
        cur.copy_expert("COPY bench_copy FROM STDIN", buf)
    elapsed = time.perf_counter() - started
    conn.close()
    return len(rows) / elapsed


def load_summary_rows(base_id, class_id):
    """Bring the records table to 10 million rows with server-side INSERT … SELECT (indexes rebuilt after)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM hours_trainingrecord")
        have = cur.fetchone()[0]
        need = SUMMARY_ROWS - have
        cur.execute("SELECT coalesce(max(id), 0) FROM hours_person")
        person_base = cur.fetchone()[0]
        extra_people = 2_000_000
        cur.execute(
            "INSERT INTO hours_person (id, id_hash, id_encrypted, id_masked, name, created_at) "
            "SELECT %s + g, md5('p' || g) || md5('q' || g), 'synthetic', '5101**********0000', 'x', now() FROM generate_series(1, %s) g",
            [person_base, extra_people],
        )
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('hours_person', 'id'), %s)", [person_base + extra_people]
        )
        cur.execute(
            "DROP INDEX IF EXISTS record_person_year_class_idx; DROP INDEX IF EXISTS record_base_year_idx"
        )
        cur.execute("ALTER TABLE hours_trainingrecord DROP CONSTRAINT IF EXISTS record_external_id_per_base")
        cur.execute(
            "INSERT INTO hours_trainingrecord (base_id, klass_id, person_id, external_id, subject, hours, completed_on, year, source, status, void_reason, version, created_at, updated_at) "
            "SELECT %s, %s, %s + 1 + (g %% %s), 's' || g, CASE WHEN g %% 3 = 0 THEN 'general' ELSE 'professional' END, 0.5 * (1 + g %% 20), date '2026-01-01' + (g %% 360), "
            "CASE WHEN g %% 4 = 0 THEN 2025 ELSE 2026 END, 'api', 'valid', '', 1, now(), now() FROM generate_series(1, %s) g",
            [base_id, class_id, person_base, extra_people, need],
        )
        cur.execute(
            "ALTER TABLE hours_trainingrecord ADD CONSTRAINT record_external_id_per_base UNIQUE (base_id, external_id)"
        )
        cur.execute(
            "CREATE INDEX record_person_year_class_idx ON hours_trainingrecord (person_id, year, klass_id) INCLUDE (subject, hours, status)"
        )
        cur.execute("CREATE INDEX record_base_year_idx ON hours_trainingrecord (base_id, year)")
        cur.execute("ANALYZE hours_trainingrecord")
        cur.execute("SELECT count(*) FROM hours_trainingrecord")
        return cur.fetchone()[0], person_base, extra_people


def bench_summary(person_base, people):
    from django.db import connection

    from hours.services import person_year_summary

    with connection.cursor() as cur:
        cur.execute("VACUUM hours_trainingrecord")  # visibility map, so the look-up is an index-only scan
    rng = random.Random(11)
    times = []
    for _ in range(2000):
        pid = person_base + 1 + rng.randrange(people)
        started = time.perf_counter()
        person_year_summary(pid, 2026)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times)) - 1]


def bench_lookup_http(url, token, people, requests=2000):
    """p50 and p95 of the person-year look-up through the API over HTTP, one keep-alive connection, one request
    at a time (a clerk's look-up is one request; latency is what counts), each for a person with records."""
    import http.client
    from urllib.parse import urlparse

    rng = random.Random(13)
    requests += 200
    target = urlparse(url)
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
    times, missing = [], 0
    while len(times) < requests:
        body = json.dumps({"id_number": fictional_id(rng.randrange(people)), "year": 2026})
        started = time.perf_counter()
        conn.request("POST", target.path, body=body, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        elapsed = (time.perf_counter() - started) * 1000
        # The API run credits about 98 % of the people it draws from: the others are a 404, not timed.
        if resp.status == 404:
            missing += 1
            continue
        assert resp.status == 200, (resp.status, payload[:200])
        times.append(elapsed)
    conn.close()
    assert missing < requests // 10, missing
    times = times[200:]  # the first 200 warm the workers and their connections up
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times)) - 1]


def lookup_token():
    """An API token of an authority reviewer (who may look people up)."""
    from accounts.api_tokens import api_token_issue
    from accounts.models import User

    return api_token_issue(user=User.objects.get(username="rev"))[1]


EXCEL_CHILD = r"""
import os, sys, time, json
sys.path.insert(0, {root!r}); sys.path.insert(0, {here!r})
from common import django_setup
django_setup({url!r})
from django.conf import settings
mode = {mode!r}
from bases.models import Base
base = Base.objects.get(name="基准基地")
started = time.perf_counter()
if mode == "upload":
    # The portal's path: the upload is stored as the web request does (batch_submit_excel), then the worker's
    # step (tasks.process_excel: batch_prepare_excel reads it into sealed chunks, applies them one by one and seals
    # the batch) runs here, in this process, as the worker runs it.
    from django.core.files import File
    from accounts.models import User
    from hours import tasks
    from hours.models import IngestBatch
    from hours.services import batch_prepare_excel, batch_submit_excel
    queued = []
    tasks.process_excel.delay = queued.append  # what the upload's on-commit hook hands to the worker
    with open({path!r}, "rb") as fh:
        batch = batch_submit_excel(actor=User.objects.get(username="op"), base=base, upload=File(fh, name="upload.xlsx"))
    assert queued == [str(batch.pk)], queued
    batch = batch_prepare_excel(batch_id=queued[0])
    assert batch.state == IngestBatch.State.DONE and batch.processed == batch.total, (batch.state, batch.error)
    count = batch.accepted_count
else:
    from kit.excel import write_workbook
    from hours.services import RECORD_EXPORT_HEADERS, records_export_rows
    import itertools
    # The first 100,000 rows of the base's 2026 records (the API run's and the upload's): the cost of an export
    # of that size, whatever else the year holds.
    rows = itertools.islice(records_export_rows(base=base, year=2026), {rows})
    count = write_workbook({path!r}, title="records", headers=RECORD_EXPORT_HEADERS, rows=rows)
elapsed = time.perf_counter() - started
# VmHWM is this process's own peak resident memory (ru_maxrss would carry the parent's peak across exec).
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"seconds": elapsed, "rows": count, "peak_mb": peak_kb / 1024}}))
"""


def run_child(database_url, mode, path):
    here = os.path.dirname(os.path.abspath(__file__))
    code = EXCEL_CHILD.format(
        root=str(ROOT), here=here, url=database_url, mode=mode, path=path, rows=EXCEL_ROWS
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        # Production settings, as the worker runs: DEBUG's query log would keep every statement of the run (the
        # chunks' sealed payloads among them) and be measured as the upload's memory.
        env={
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + "x" * 60,
            "HOURS_ID_KEYS": "ZGV2LW9ubHktZmVybmV0LWtleS0wMTIzNDU2Nzg5YWI=",
            "HOURS_HASH_KEY": "dev-only-hash-key",
            "LOG_LEVEL": "WARNING",
            "HOURS_CHUNK_SIZE": "5000",
        },
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_upload(path, classes, prefix="x", first_person=300_000):
    """A 100,000-row workbook for the upload classes: record numbers `<prefix><n>`, 50,000 people from
    first_person on (measure_excel_upload.py gives each run its own prefix and people)."""
    from openpyxl import Workbook

    from hours.excel import COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("学时")
    ws.append(COLUMNS)
    for i in range(EXCEL_ROWS):
        person = first_person + i % 50_000
        ws.append(
            [
                f"{prefix}{i}",
                fictional_id(person),
                f"学员{person}",
                classes[i % 10],
                "专业科目" if i % 3 else "公需科目",
                0.5 * (1 + i % 20),
                f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}",
            ]
        )
    wb.save(path)


def main():
    url = bench_database_url()
    recreate_database(url)
    django_setup(url)
    base, classes, secret = setup_world()
    print("world ready", flush=True)
    # 1. Ingestion through HTTP.
    with Gunicorn(
        url,
        workers=INGEST_WORKERS,
        extra_env={"HOURS_SYNC_LIMIT": str(PER_REQUEST), **KEYS},
    ) as server:
        rps, accepted, elapsed, bodies = bench_api(server.url("/api/v1/hours/records/"), classes, secret)
    copy_rps = bench_copy(url, bodies)
    del bodies
    print(f"ingested {accepted} records in {elapsed:.1f}s", flush=True)
    report("hours_api_ingest_rps", round(rps), "records/s", round(copy_rps), "records/s(raw COPY)", ">=50000")
    if os.environ.get("BENCH_ONLY") == "ingest":
        write_results()
        return
    # 3. Excel upload and export of 100,000 rows, in classes of their own.

    from accounts.models import User
    from plans import services as plan_services
    from plans.models import PlanItem

    op = User.objects.get(username="op")
    item = PlanItem.objects.get(plan__base=base, plan__year=2026)
    # Classes of their own, so the upload's per-class caps do not meet the API records'; ended and mixed
    # so every row is one they may take.
    classes_upload = [
        plan_services.class_create(
            actor=op,
            plan_item=item,
            data={
                "title": f"上传班{i}",
                "starts_on": datetime.date(2026, 1, 1),
                "ends_on": datetime.date(2026, 11, 30),
                "place": "线上",
                "online_platform": "",
                "capacity": 1_000_000,
                "fee": "0",
                "hours_per_trainee": "200",
                "subject_kind": "professional",
                "general_hours": "100",
                "teachers": "t",
            },
        ).pk
        for i in range(10)
    ]
    import tempfile

    workdir = tempfile.mkdtemp(prefix="bench-hours-")
    upload = os.path.join(workdir, "upload.xlsx")
    make_upload(upload, classes_upload)
    up = run_child(url, "upload", upload)
    assert up["rows"] == EXCEL_ROWS, up
    report("hours_excel_upload_seconds", round(up["seconds"], 1), "s", 8, "s(target)", "<=8")
    report("hours_excel_upload_peak_memory", round(up["peak_mb"]), "MB", 120, "MB(target)", "<=120")
    down = run_child(url, "export", os.path.join(workdir, "export.xlsx"))
    assert down["rows"] == EXCEL_ROWS, down
    report("hours_excel_export_seconds", round(down["seconds"], 1), "s", 60, "s(target)", "<=60")
    report("hours_excel_export_peak_memory", round(down["peak_mb"]), "MB", 300, "MB(target)", "<300")
    # 2. Person-year summary over 10 million records.
    started = time.perf_counter()
    total, person_base, people = load_summary_rows(base.pk, classes[0])
    print(f"records table: {total} rows (loaded in {time.perf_counter() - started:.0f}s)", flush=True)
    p50, p95 = bench_summary(person_base, people)
    report("hours_person_year_summary_p50", round(p50, 3), "ms", 10, "ms(target p95)", "report")
    report("hours_person_year_summary_p95", round(p95, 3), "ms", 10, "ms(target)", "<=10")
    # 4. The same look-up through the API over HTTP, for people the API run above credited.
    # One clerk's look-ups are rate-limited per user (issue 13): the bench lifts the limit to measure latency.
    with Gunicorn(
        url, workers=INGEST_WORKERS, extra_env={**KEYS, "RATE_LIMIT_PERSON_LOOKUP": "1000000/h"}
    ) as server:
        p50, p95 = bench_lookup_http(server.url("/api/v1/hours/people/lookup/"), lookup_token(), PEOPLE)
    report("hours_lookup_api_p50", round(p50, 2), "ms", 5, "ms(target p95)", "report")
    report("hours_lookup_api_p95", round(p95, 2), "ms", 5, "ms(target)", "<=5")
    write_results()


if __name__ == "__main__":
    main()
