"""Documents benchmark (issue 17): the time to render a 20-page 申报表 as PDF, next to a trivial one-page PDF
rendered in the same run by the same WeasyPrint and font stack. Target: at most 2 s for the 20 pages.

An application with the eight rules attached and enough listed staff for about 20 pages is built in a database of
its own (`ce_portal_docs_bench`, never `make bench`'s); each figure is the median of five renders after one
warm-up (the first render of a process loads the fonts), with the cache cleared before each: generation, not the
cached copy of a submitted version, which form_pdf_cached_seconds reports beside it.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_database_url, django_setup, report, write_results  # noqa: E402

DB_NAME = "ce_portal_docs_bench"
RUNS = 5
STAFF = 500  # listed people; with the other sections 20 A4 pages


def database_url() -> str:
    return urlparse(bench_database_url())._replace(path=f"/{DB_NAME}").geturl()


def recreate(url: str) -> None:
    import psycopg2

    p = urlparse(url)
    admin = psycopg2.connect(
        host=p.hostname, port=p.port or 5432, user=p.username, password=p.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {DB_NAME}")
    admin.close()


def build_application():
    """Return a submitted application with STAFF listed people and every rule attached (rows only)."""
    import datetime

    from django.utils import timezone

    from accounts.demo import credit_code
    from accounts.models import Organization, User
    from applications.models import (
        RULE_KINDS,
        Application,
        ApplicationVersion,
        Attachment,
        AttachmentKind,
        Batch,
        StaffMember,
    )
    from applications.snapshot import application_snapshot

    province = Organization.objects.create(
        name="四川省人力资源和社会保障厅", kind="provincial_hr", region_id="510000"
    )
    institution = Organization.objects.create(
        name="基准施教机构学院",
        kind="institution",
        region_id="510107",
        credit_code=credit_code("91510100MA0000001"),
        institution_type="university",
    )
    user = User.objects.create(username="bench_op")
    now = timezone.now()
    batch = Batch.objects.create(
        title="基准省级批次",
        level="provincial",
        approving_authority=province,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        created_by=user,
    )
    text = "本单位建有完善的培训设施和经费保障机制，" * 12
    app = Application.objects.create(
        batch=batch,
        institution=institution,
        state=Application.State.SUBMITTED,
        version=1,
        institution_type="university",
        registered_in_sichuan=True,
        training_qualification="经主管部门批准开展专业技术人员继续教育培训",
        legal_representative="基准法人",
        address="四川省成都市武侯区基准路 1 号",
        region_id="510107",
        base_name="基准继续教育基地",
        fields=["数字经济", "智能制造"],
        contact_name="基准联系人",
        contact_phone="028-80000000",
        management_organ="继续教育学院",
        full_time_managers=6,
        funding_guarantee=text,
        classrooms=text,
        teaching_equipment=text,
        library_resources=text,
        practical_site=text,
        network_infrastructure=text,
        platform_name="基准在线学习平台",
        platform_url="https://learn.example.cn",
        platform_features=text,
        trainees_year1=2600,
        trainees_year2=2800,
        trainees_year3=3100,
        key_fields_served=text,
        credit_declared=True,
        credit_statement=text,
        created_by=user,
        submitted_at=now,
    )
    categories = ["teacher"] * 8 + ["policy_research", "online_technical"]
    StaffMember.objects.bulk_create(
        StaffMember(
            application=app,
            name=f"基准人员{i:04d}",
            title="副教授" if i % 3 else "教授",
            field="数字经济与智能制造",
            category=categories[i % len(categories)],
            employment="full_time" if i % 2 else "part_time",
        )
        for i in range(STAFF)
    )
    kinds = [*RULE_KINDS, AttachmentKind.CREDIT_EVIDENCE, AttachmentKind.QUALIFICATION]
    Attachment.objects.bulk_create(
        Attachment(
            application=app,
            kind=kind,
            file=f"applications/{app.pk}/bench-{i}",
            original_name=f"{kind.label}.pdf",
            content_type="application/pdf",
            size=1000,
            sha256=f"{i:064d}",
            uploaded_by=user,
        )
        for i, kind in enumerate(kinds)
    )
    ApplicationVersion.objects.create(
        application=app, number=1, data=application_snapshot(app), submitted_by=user
    )
    return app


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def cpu_timed(fn) -> float:
    # The process's own CPU time: what the render costs, whatever else the machine's cores are running.
    started = time.process_time()
    fn()
    return time.process_time() - started


def main():
    url = database_url()
    recreate(url)
    django_setup(url)
    from django.core.management import call_command
    from django.template import Context, Template
    from pypdf import PdfReader

    from applications.documents import form_pdf
    from applications.models import Application
    from kit.pdf import FONT_FAMILY, html_to_pdf, page_counter_content

    call_command("migrate", verbosity=0)
    app_id = build_application().pk

    def form():
        # What the view reads (the selector's joins and prefetches), then the document.
        app = (
            Application.objects.select_related(
                "batch__approving_authority",
                "institution__region",
                "region__parent",
                "recommending_authority",
            )
            .prefetch_related("staff", "attachments", "versions")
            .get(pk=app_id)
        )
        return form_pdf(app)[0]

    trivial_template = Template(
        '{% extends "documents/base.html" %}{% block body %}<h1>四川省继续教育基地</h1><p>一页。</p>{% endblock %}'
    )

    def trivial():
        html = trivial_template.render(
            Context({"pdf_font_family": FONT_FAMILY, "pdf_page_counter": page_counter_content()})
        )
        return html_to_pdf(html)

    from django.core.cache import cache

    def cold_form():
        cache.clear()  # generation: the submitted version's PDF is not in the cache yet
        return form()

    pages = len(PdfReader(io.BytesIO(cold_form())).pages)  # warm-up, and the page count
    assert len(PdfReader(io.BytesIO(trivial())).pages) == 1
    form_times = [timed(cold_form) for _i in range(RUNS)]
    trivial_times = [timed(trivial) for _i in range(RUNS)]
    cpu_times = [cpu_timed(cold_form) for _i in range(RUNS)]
    trivial_cpu_times = [cpu_timed(trivial) for _i in range(RUNS)]
    cached_times = [timed(form) for _i in range(RUNS)]  # the same version asked for again
    print(
        f"form: {pages} pages; runs {[round(t, 2) for t in form_times]} s; load {os.getloadavg()}", flush=True
    )
    report(
        "form_pdf_seconds",
        round(statistics.median(form_times), 2),
        "s",
        round(statistics.median(trivial_times), 3),
        "s",
        "2",
    )
    report(
        "form_pdf_cpu_seconds",
        round(statistics.median(cpu_times), 2),
        "s",
        round(statistics.median(trivial_cpu_times), 3),
        "s",
        "report",
    )
    report(
        "form_pdf_cached_seconds",
        round(statistics.median(cached_times), 3),
        "s",
        round(statistics.median(trivial_times), 3),
        "s",
        "report",
    )
    write_results()


if __name__ == "__main__":
    main()
