"""Registry benchmark (issue 4): 5,000 bases and 20,000 notices; the public search page (page 1 and a filtered
page) and GET /api/v1/bases/, next to a bare Django view returning a fixed string, all served by gunicorn with
two sync workers and measured with ApacheBench at the same concurrency. Target: registry page >= 50 % of bare."""

import random
import subprocess
import time

from common import (
    ROOT,
    Gunicorn,
    ab,
    bench_database_url,
    django_setup,
    recreate_database,
    report,
    write_results,
)

BASES = 5000
NOTICES = 20000


def load(database_url):
    django_setup(database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from accounts.demo import credit_code
    from accounts.models import Organization, Region
    from bases.models import Base, Notice

    random.seed(20261125)
    province = Organization.objects.create(
        name="四川省人力资源和社会保障厅", kind="provincial_hr", region_id="510000"
    )
    prefectures = list(Region.objects.filter(level="prefecture"))
    counties = {p.code: list(Region.objects.filter(parent=p)) for p in prefectures}
    municipal = {
        p.code: Organization.objects.create(
            name=f"{p.name}人社局", kind="municipal_hr", region=p, parent=province
        )
        for p in prefectures
    }
    industry = Organization.objects.create(
        name="四川省卫生健康委员会", kind="industry_authority", region_id="510000"
    )
    institutions = Organization.objects.bulk_create(
        [
            Organization(
                name=f"基准施教机构{i:05d}",
                kind="institution",
                region=random.choice(counties[random.choice(prefectures).code]),
                credit_code=credit_code(f"91510100MA{i:07d}"),
                institution_type="university",
            )
            for i in range(2000)
        ]
    )
    fields = [
        "数字经济",
        "智能制造",
        "现代农业",
        "卫生健康",
        "新材料",
        "电子信息",
        "文化旅游",
        "生态环保",
        "金融服务",
        "工程技术",
    ]
    levels = ["provincial"] * 2 + ["municipal"] * 5 + ["county", "industry", "national"]
    bases = []
    for i in range(BASES):
        pref = random.choice(prefectures)
        county = random.choice(counties[pref.code])
        level = random.choice(levels)
        authority = (
            province
            if level in ("provincial", "national")
            else industry
            if level == "industry"
            else municipal[pref.code]
        )
        inst = random.choice(institutions)
        chosen = random.sample(fields, 2)
        name = f"{county.name}{chosen[0]}继续教育基地{i:05d}"
        bases.append(
            Base(
                name=name,
                institution=inst,
                approving_authority=authority,
                level=level,
                region=county,
                prefecture=pref,
                fields=chosen,
                fields_text="、" + "、".join(chosen) + "、",
                certificate_no=f"基准〔{2015 + i % 10}〕{i:05d}号",
                certificate_year=2015 + i % 10,
                recognised_on=timezone.localdate().replace(year=2015 + i % 10),
                status="revoked" if i % 50 == 0 else "active",
                search_text=" ".join([name, inst.name, "、".join(chosen), county.name]),
            )
        )
    bases = Base.objects.bulk_create(bases, batch_size=1000)
    now = timezone.now()
    Notice.objects.bulk_create(
        [
            Notice(
                kind=random.choice(["recognition", "change"]),
                title=f"关于基地的公告{i}",
                body="正文" * 50,
                authority=province,
                base=bases[i % BASES],
                published_at=now,
            )
            for i in range(NOTICES)
        ],
        batch_size=2000,
    )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return Base.objects.count(), Notice.objects.count()


def main():
    url = bench_database_url()
    recreate_database(url)
    started = time.time()
    n_bases, n_notices = load(url)
    print(f"loaded {n_bases} bases and {n_notices} notices in {time.time() - started:.1f}s", flush=True)
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        check=True,
        env={**__import__("os").environ, "DEBUG": "0", "SECRET_KEY": "bench-collect", "DATABASE_URL": url},
    )
    pages = {
        "registry_page1": "/bases/",
        "registry_filtered": "/bases/?prefecture=510700&level=municipal&sort=name",
        "api_bases": "/api/v1/bases/",
    }
    with Gunicorn(url) as server:
        bare_rps, bare_p95, failed = ab(server.url("/bench/bare/"))
        assert failed == 0, "bare view failed"
        for name, path in pages.items():
            rps, p95, failed = ab(server.url(path))
            assert failed == 0, f"{name}: {failed} failed requests"
            target = ">=50%" if name.startswith("registry") else "report"
            report(f"{name}_rps", rps, "req/s", bare_rps, "req/s(bare view)", target)
            report(f"{name}_p95", p95, "ms", bare_p95, "ms(bare view)", "report")
            report(
                f"{name}_vs_bare",
                round(100 * rps / bare_rps, 1),
                "%",
                100,
                "%",
                ">=50" if name.startswith("registry") else "report",
            )
    # The same pages with the anonymous page cache off: what a cache miss costs.
    with Gunicorn(url, extra_env={"PUBLIC_CACHE_SECONDS": "0"}) as server:
        bare_rps, bare_p95, _f = ab(server.url("/bench/bare/"))
        for name in ("registry_page1", "registry_filtered"):
            rps, p95, failed = ab(server.url(pages[name]), requests=2000)
            assert failed == 0
            report(f"{name}_uncached_rps", rps, "req/s", bare_rps, "req/s(bare view)", "report")
            report(f"{name}_uncached_p95", p95, "ms", bare_p95, "ms(bare view)", "report")
    write_results()


if __name__ == "__main__":
    main()
