"""Benchmark of the stratigraphy backend served by gunicorn (1 worker, 8 threads).

Measures, against a real gunicorn on a free port with local storage in a temp dir:

1. warm ``/predict`` of one page of a text-layer PDF (median of 20 requests; target <= 0.5 s);
2. a 20-page batch of one PDF in one ``/predict`` (first = cold incl. extraction, then warm;
   target <= 3 s);
3. 16 concurrent clients for 60 s (target: no errors, worker RSS flat).

Usage: ``.venv/bin/python benchmarks/bench_backend.py [--duration 60] [--clients 16]``.
Exit status 1 when a target is missed. Uses ``../shared/benchmark/pdfs/test_profile.pdf``
(digitally born) for the single page when present, else a generated sample.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import fitz
import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stratigraphy import samples  # noqa: E402

SHARED_PDF = REPO.parent / "shared" / "benchmark" / "pdfs" / "test_profile.pdf"
LABEL_CONFIG = (REPO / "data" / "label_config.xml").read_text(encoding="utf-8")
PROJECT = "1.1795363490"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def twenty_page_pdf() -> bytes:
    """One PDF of 20 generated borehole pages (several layout families)."""
    out = fitz.open()
    makers = [
        samples.boundary_column,
        samples.interval_text,
        samples.inline_french,
        samples.ruled_table,
    ]
    seed = 100
    while out.page_count < 20:
        sample = makers[seed % len(makers)](seed)
        with fitz.open(stream=sample.pdf, filetype="pdf") as src:
            out.insert_pdf(src)
        seed += 1
    while out.page_count > 20:
        out.delete_page(-1)
    data: bytes = out.tobytes(garbage=3, deflate=True)
    out.close()
    return data


def store(
    data_dir: Path, project: str, name: str, pdf: bytes, dpi: int = 150
) -> list[dict[str, Any]]:
    (data_dir / "pdf" / project).mkdir(parents=True, exist_ok=True)
    (data_dir / "png" / project).mkdir(parents=True, exist_ok=True)
    (data_dir / "pdf" / project / f"{name}.pdf").write_bytes(pdf)
    tasks = []
    with fitz.open(stream=pdf, filetype="pdf") as doc:
        for i, page in enumerate(doc):
            key = f"png/{project}/{name}_{i}.png"
            (data_dir / key).write_bytes(page.get_pixmap(dpi=dpi).tobytes("png"))
            tasks.append({"id": len(tasks) + 1, "data": {"image": key}, "project": 1})
    return tasks


def body(tasks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "tasks": tasks,
        "project": PROJECT,
        "label_config": LABEL_CONFIG,
        "params": {"login": None, "password": None, "context": None},
    }


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_pid(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def timed_post(
    session: requests.Session, url: str, payload: dict[str, Any]
) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = session.post(url, json=payload, timeout=120)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed, response.json()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench_backend_"))
    data_dir, model_dir = tmp / "data", tmp / "models"
    single_pdf = SHARED_PDF.read_bytes() if SHARED_PDF.is_file() else samples.boundary_column().pdf
    single = store(data_dir, "1", "single", single_pdf)
    batch = store(data_dir, "1", "twenty", twenty_page_pdf())
    mixed = store(data_dir, "1", "several", samples.several_boreholes().pdf)

    port = free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "MODEL_DIR": str(model_dir),
        "STORAGE": "local",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--threads",
        "8",
        "--timeout",
        "0",
        "stratigraphy_ml_backend.wsgi:app",
    ]
    server = subprocess.Popen(gunicorn, cwd=REPO, env=env)
    base = f"http://127.0.0.1:{port}"
    ok = True
    try:
        session = requests.Session()
        for _ in range(300):
            try:
                if session.get(f"{base}/health", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        worker = worker_pid(server.pid)
        print(
            f"gunicorn 1 worker x 8 threads on :{port}, worker RSS at start {rss_mb(worker):.0f} MB"
        )

        t_setup, _ = timed_post(
            session, f"{base}/setup", {"project": PROJECT, "schema": LABEL_CONFIG}
        )
        print(f"/setup: {t_setup * 1000:.0f} ms")

        cold, first = timed_post(session, f"{base}/predict", body(single[:1]))
        regions = sum(1 for r in first["results"][0]["result"] if r["type"] == "rectanglelabels")
        warm = [timed_post(session, f"{base}/predict", body(single[:1]))[0] for _ in range(20)]
        median = statistics.median(warm)
        print(
            f"one page ({'test_profile.pdf' if SHARED_PDF.is_file() else 'generated'}, "
            f"{regions} regions): "
            f"cold {cold:.2f} s, warm median {median * 1000:.0f} ms (target <= 500 ms)"
        )
        ok &= median <= 0.5

        cold_batch, answer = timed_post(session, f"{base}/predict", body(batch))
        warm_batch = statistics.median(
            timed_post(session, f"{base}/predict", body(batch))[0] for _ in range(3)
        )
        filled = sum(1 for p in answer["results"] if p["result"])
        print(
            f"20-page batch of one PDF ({filled}/20 pages with regions): cold {cold_batch:.2f} s "
            f"(incl. extraction), warm {warm_batch:.2f} s (target <= 3 s)"
        )
        ok &= warm_batch <= 3.0

        timed_post(session, f"{base}/predict", body(mixed))
        pool = single + batch + mixed
        errors: list[str] = []
        latencies: list[float] = []
        lock = threading.Lock()
        stop = time.monotonic() + args.duration

        def client(seed: int) -> None:
            rng = random.Random(seed)
            own = requests.Session()
            while time.monotonic() < stop:
                tasks = rng.sample(pool, rng.choice((1, 1, 1, 3, 5)))
                try:
                    elapsed, reply = timed_post(own, f"{base}/predict", body(tasks))
                    if len(reply["results"]) != len(tasks):
                        raise ValueError("wrong number of results")
                    with lock:
                        latencies.append(elapsed)
                except Exception as exc:
                    with lock:
                        errors.append(repr(exc))

        rss: list[float] = []
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            rss.append(rss_mb(worker))
            time.sleep(1.0)
        for t in threads:
            t.join()
        quarter = max(1, len(rss) // 4)
        early, late = statistics.mean(rss[:quarter]), statistics.mean(rss[-quarter:])
        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
        print(
            f"{args.clients} clients x {args.duration:.0f} s: {len(latencies)} requests "
            f"({len(latencies) / args.duration:.1f}/s), {len(errors)} errors, "
            f"latency median {statistics.median(latencies) * 1000:.0f} ms p95 {p95 * 1000:.0f} ms"
        )
        print(
            f"worker RSS: first quarter {early:.0f} MB, last quarter {late:.0f} MB, "
            f"max {max(rss):.0f} MB (growth {late - early:+.0f} MB)"
        )
        for err in errors[:5]:
            print("  error:", err)
        ok &= not errors and late - early <= max(20.0, 0.1 * early)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("PASS" if ok else "FAIL: a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
