"""Measure the 100,000-row Excel upload of bench_hours.py on its own, in a database of its own.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python tests/benchmarks/measure_excel_upload.py [runs]

The bench world (a base with a filed plan) is built once in `ce_portal_hexcel_bench` (never `make bench`'s
database); each run uploads a fresh workbook (its own classes, external ids and people, so every run creates its
records and people as the first upload of a base does) through bench_hours.run_child, in a process of its own.
`MEASURE_MODE=shortcut` runs the child the bench used before (read_rows, then ingest_records per chunk).
"""

import datetime
import os
import sys
import tempfile
from urllib.parse import urlparse

from common import django_setup

DB_NAME = "ce_portal_hexcel_bench"


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ce_portal")
    return urlparse(url)._replace(path=f"/{DB_NAME}").geturl()


def recreate(url: str) -> None:
    import psycopg2

    p = urlparse(url)
    admin = psycopg2.connect(host=p.hostname, port=p.port or 5432, user=p.username, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {DB_NAME}")
    admin.close()


def upload_classes(base, n):
    from accounts.models import User
    from plans import services as plan_services
    from plans.models import PlanItem

    op = User.objects.get(username="op")
    item = PlanItem.objects.get(plan__base=base, plan__year=2026)
    data = {
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
    }
    return [
        plan_services.class_create(actor=op, plan_item=item, data={**data, "title": f"测量班{n}-{i}"}).pk
        for i in range(10)
    ]


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    url = database_url()
    recreate(url)
    django_setup(url)
    import bench_hours

    base, _classes, _secret = bench_hours.setup_world()
    workdir = tempfile.mkdtemp(prefix="hexcel-")
    results = []
    for run in range(runs):
        path = os.path.join(workdir, f"upload{run}.xlsx")
        bench_hours.make_upload(
            path, upload_classes(base, run), prefix=f"m{run}-", first_person=300_000 + run * 50_000
        )
        out = bench_hours.run_child(url, os.environ.get("MEASURE_MODE", "upload"), path)
        print(f"run {run}: {out}", flush=True)
        results.append(out)
    secs = sorted(r["seconds"] for r in results)
    mems = sorted(r["peak_mb"] for r in results)
    print(f"seconds {[round(s, 1) for s in secs]}  peak MB {[round(m) for m in mems]}")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
