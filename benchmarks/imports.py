"""Spreadsheet import speed and memory: rows/s and peak memory of an enterprise import's check and apply.

For each size (BENCH_IMPORT_SIZES, default 1,000, 10,000 and 100,000 rows) a CSV of synthetic
enterprises (names marked 示例, source "合成数据 Synthetic data", each linked to one or two chain
segments as an exported sheet is) is checked and then applied through the
background job's own code (nansha/staff/background.py: reading within the limits, every row validated
as the admin form would, one transaction), in a fresh process on a fresh database, which reports its
peak resident memory. `python benchmarks/imports.py 1000,10000` runs it alone; `make bench` runs it after
the HTTP measurements (BENCH_IMPORT_SIZES= to skip). Timing never fails anything.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = "--child"


def synthetic_csv(rows, segments=()):
    """A CSV of `rows` synthetic enterprises; with segment codes, each row links one or two of them."""
    lines = ["name_zh,name_en,ownership,founded_on,source,segments"]
    for i in range(rows):
        links = ";".join(segments[(i + k) % len(segments)] for k in range(1 + i % 2)) if segments else ""
        lines.append(f"示例导入企业{i},Sample import firm {i},private,2020-01-01,合成数据 Synthetic data,{links}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def child(rows):
    """In a fresh process: check then apply `rows` rows as the worker does; print a JSON line."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.utils.module_loading import import_string

    from industry.models import ChainSegment, Enterprise
    from jobs.models import Job
    from nansha.datasets.reference_data import load_reference_data
    from nansha.staff import background

    load_reference_data()  # the chain segments the rows link to, as on a real site
    segments = list(ChainSegment.objects.order_by("code").values_list("code", flat=True)[:6])
    owner = User.objects.create_user(f"bench-{time.time_ns()}", is_staff=True)
    stored = import_string(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS)(read_mode="rb")
    stored.save(synthetic_csv(rows, segments))
    timings = {}
    for step, task, preview in (("check", background.check_import, True), ("apply", background.apply_import, False)):
        job = Job.objects.create(
            owner=owner,
            kind="import",
            model="industry.Enterprise",
            preview=preview,
            file_name=stored.name,
            file_format="csv",
            parameters={"language": "en"},
        )
        started = time.perf_counter()
        task.call(str(job.pk))  # the task's own function, as the worker calls it
        timings[step] = time.perf_counter() - started
        job.refresh_from_db()
        assert job.status == "done", job.message
    assert Enterprise.objects.filter(source="合成数据 Synthetic data").count() >= rows
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, **{k: round(v, 2) for k, v in timings.items()}, "peak_mb": round(peak_mb)}))


def database_env(rows, template):
    base = os.environ.get("DATABASE_URL", "")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", "SECRET_KEY": "benchmark-only", "DEBUG": "0"}
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        server, _slash, _name = base.rpartition("/")
        name = f"nansha_bench_import_{rows}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = f"{server}/{name}"
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        return env
    path = ROOT / "var" / f"bench-import-{rows}.sqlite3"
    if not template.exists():
        env["DATABASE_URL"] = f"sqlite:///{template}"
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    shutil.copy(template, path)
    env["DATABASE_URL"] = f"sqlite:///{path}"
    return env


def measure(sizes):
    """{rows: {"check": s, "apply": s, "rows_per_s": r, "peak_mb": m}} for each size, each in its own process."""
    template = ROOT / "var" / "bench-import-template.sqlite3"
    template.parent.mkdir(exist_ok=True)  # a fresh clone has no var/ yet
    template.unlink(missing_ok=True)
    results = {}
    for rows in sizes:
        env = database_env(rows, template)
        done = subprocess.run(
            [sys.executable, __file__, CHILD, str(rows)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode:
            print(done.stderr[-3000:])
            continue
        entry = json.loads(done.stdout.strip().splitlines()[-1])
        entry["rows_per_s"] = round(rows / (entry["check"] + entry["apply"]), 1)
        results[rows] = entry
        print(
            f"   import {rows:>8,} rows: check {entry['check']:.1f} s, apply {entry['apply']:.1f} s, "
            f"{entry['rows_per_s']:,} rows/s (check + apply), peak {entry['peak_mb']} MB",
            flush=True,
        )
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) > 2 and sys.argv[1] == CHILD:
        child(int(sys.argv[2]))
    else:
        default = os.environ.get("BENCH_IMPORT_SIZES", "1000,10000,100000")
        sizes = [int(n) for n in (sys.argv[1] if len(sys.argv) > 1 else default).split(",") if n]
        measure(sizes)
