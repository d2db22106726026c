"""A geologist's view of pre-annotated pages in a real Label Studio, in headless Chromium.

The stack (Label Studio 1.23.2, S3, Redis, both backends) is the e2e one. PDFs are
dropped into the bucket and ingested exactly as in the product: the three
development profiles (when ``../shared/benchmark`` is there) and generated
samples (a page with /Rotate 90, two boreholes on one page, a layer continuing
onto a second page). Then a browser logs in, opens every task and checks what a
person sees:

- the page image loaded (``naturalWidth > 0``);
- the editor shows as many regions as the prediction holds;
- no relation tag or region label covers a Depth Interval box;
- no two Depth Interval boxes overlap by more than 20 % of the smaller, none inside another;
- the Data Manager shows a prediction score for every predicted task.

Screenshots and a JSON report go to ``test-artifacts/browser/`` (CI keeps it).
"""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from e2e.conftest import LS_PASSWORD, LS_USER, REPO
from e2e.test_label_studio_e2e import _add_s3_storage, _ingest, _ok, _start_worker
from page_checks import WINDOW, depth_box_conflicts, tags_over_boxes

from stratigraphy import samples

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# its own drop folder: the end-to-end test shares the bucket and drops the same samples in "geo"
FOLDER = "browser"
BENCHMARK_PDFS = REPO.parent / "shared" / "benchmark" / "pdfs"
DEVELOPMENT_PROFILES = ("A7367.pdf", "example_borehole_profile.pdf", "test_profile.pdf")

# Waits in the page, measured in the browser, returned as JSON.
MEASURE_JS = r"""
const done = arguments[arguments.length - 1];
const expected = arguments[0];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  const started = Date.now();
  let last = -1, stableSince = Date.now();
  while (Date.now() - started < 90000) {
    const ann = window.Htx && window.Htx.annotationStore && window.Htx.annotationStore.selected;
    const img = [...document.querySelectorAll("img")]
      .filter((i) => i.getBoundingClientRect().width > 200)
      .sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width)[0];
    const n = ann ? ann.regions.length : -1;
    if (n !== last) { last = n; stableSince = Date.now(); }
    const loaded = img && img.complete && img.naturalWidth > 0;
    if (ann && loaded && (n >= expected || Date.now() - stableSince > 5000)
        && Date.now() - stableSince > 1500) break;
    await sleep(250);
  }
  await sleep(800);  // let the relation overlay settle
  const ann = window.Htx && window.Htx.annotationStore && window.Htx.annotationStore.selected;
  const img = [...document.querySelectorAll("img")]
    .filter((i) => i.getBoundingClientRect().width > 200)
    .sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width)[0];
  const stage = document.querySelector(".konvajs-content");
  const sr = stage ? stage.getBoundingClientRect() : { left: 0, top: 0 };
  const regions = (ann ? ann.regions : []).map((r) => {
    const c = r.bboxCoordsCanvas;
    return {
      id: r.cleanId || r.id, label: r.labelName, x: r.x, y: r.y, w: r.width, h: r.height,
      screen: c ? [sr.left + c.left, sr.top + c.top, sr.left + c.right, sr.top + c.bottom] : null,
      score: r.score,
    };
  });
  const relationTags = [...document.querySelectorAll(".relations-overlay text")]
    .map((t) => t.parentNode)
    .filter((g) => !g.closest('[visibility="hidden"]'))
    .map((g) => { const b = g.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; })
    .filter((b) => b[2] > b[0] && b[3] > b[1]);
  const showLabels = !!(window.Htx && window.Htx.settings && window.Htx.settings.showLabels);
  done({
    image: img ? { src: img.src, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
                   complete: img.complete } : null,
    regions, relationTags, showLabels,
    relations: ann && ann.relationStore ? ann.relationStore.relations.length : -1,
  });
})().catch((e) => done({ error: String(e) }));
"""

DM_JS = r"""
const heads = [...document.querySelectorAll(".lsf-th")];
const head = heads.find((e) => e.textContent.trim().startsWith("Prediction score"));
if (!head) return { header: false, cells: [], ids: [] };
const idHead = heads.find((e) => e.textContent.trim() === "ID");
const column = (row, th) => {
  const x = th.getBoundingClientRect().left;
  const cell = [...row.querySelectorAll(".lsf-table__cell")]
    .find((c) => Math.abs(c.getBoundingClientRect().left - x) < 3);
  return cell ? cell.textContent.trim() : "";
};
const rows = [...document.querySelectorAll("[data-testid=table-row]")];
return {
  header: true,
  cells: rows.map((r) => column(r, head)),
  ids: idHead ? rows.map((r) => column(r, idHead)) : [],
};
"""


def _percent_box(region: dict[str, Any]) -> tuple[float, float, float, float]:
    return (region["x"], region["y"], region["x"] + region["w"], region["y"] + region["h"])


def _documents() -> list[tuple[str, bytes]]:
    docs: list[tuple[str, bytes]] = []
    if BENCHMARK_PDFS.is_dir():
        docs += [(name, (BENCHMARK_PDFS / name).read_bytes()) for name in DEVELOPMENT_PROFILES]
    for sample in (samples.rotated(7, 90), samples.several_boreholes(5), samples.page_break(6)):
        docs.append((f"{sample.name}.pdf", sample.pdf))
    return docs


@pytest.fixture(scope="module")
def project(stack) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A project with both backends, the pages of every document ingested with predictions."""
    config = (REPO / "data" / "label_config.xml").read_text(encoding="utf-8")
    pid = _ok(
        stack.api("POST", "/api/projects", json={"title": "Browser", "label_config": config})
    )["id"]
    backend = _ok(
        stack.api(
            "POST",
            "/api/ml",
            json={"url": stack.backend_url, "project": pid, "title": "stratigraphy"},
        )
    )
    _ok(
        stack.api(
            "POST",
            "/api/ml",
            json={
                "url": stack.extractor_url,
                "project": pid,
                "title": "text-extractor",
                "is_interactive": True,
            },
        )
    )
    model_version = _ok(stack.api("GET", f"/api/ml/{backend['id']}"))["model_version"]
    # What the product's set-up does: the backend's connection is titled with its model
    # version. Label Studio then keeps project.model_version == title == the version of
    # the predictions, so the Data Manager averages their scores and live prediction stays
    # on (a project model version that is not a live backend title turns live prediction off).
    pat = _ok(stack.api("POST", "/api/token/"))["token"]
    s3 = stack.s3()
    documents = _documents()
    for name, data in documents:
        s3.put_object(Bucket=stack.bucket, Key=f"pdf/{FOLDER}/{name}", Body=data)
    worker = _start_worker(stack, pid, pat)
    try:
        run = _ingest(stack, pid, pat, "--once", "--no-progress", "--project", FOLDER)
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"{len(documents)} ingested" in run.stdout, run.stdout + run.stderr
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    untitled = _scores(stack, pid)  # a connection titled by hand: no score matches
    # (Label Studio 1.23.2 validates a PATCH like a new connection: url and project are needed)
    _ok(
        stack.api(
            "PATCH",
            f"/api/ml/{backend['id']}",
            json={"title": model_version, "url": stack.backend_url, "project": pid},
        )
    )
    assert _ok(stack.api("GET", f"/api/projects/{pid}"))["model_version"] == model_version
    _add_s3_storage(stack, pid)
    tasks = _ok(
        stack.api("GET", "/api/tasks", params={"project": pid, "page_size": 100, "fields": "all"})
    )["tasks"]
    columns = _ok(stack.api("GET", "/api/dm/columns", params={"project": pid}))["columns"]
    keep = {"id", "predictions_score", "image", "page"}
    hidden = [
        f"tasks:{c['parent']}.{c['id']}" if c.get("parent") else f"tasks:{c['id']}"
        for c in columns
        if c["id"] not in keep
    ]
    view = _ok(
        stack.api(
            "POST",
            "/api/dm/views",
            json={
                "project": pid,
                "data": {
                    "title": "By score",
                    "ordering": ["tasks:predictions_score"],
                    "hiddenColumns": {"explore": hidden, "labeling": hidden},
                },
            },
        )
    )
    return {
        "id": pid,
        "tasks": tasks,
        "model_version": model_version,
        "view": view["id"],
        "scores_with_hand_title": untitled,
    }


def _scores(stack, pid: int, view: int | None = None) -> dict[int, float | None]:  # type: ignore[no-untyped-def]
    """``predictions_score`` of every task, as the Data Manager's API gives it."""
    params: dict[str, Any] = {"project": pid, "page_size": 100}
    if view is not None:
        params["view"] = view
    tasks = _ok(stack.api("GET", "/api/tasks", params=params))["tasks"]
    return {t["id"]: t.get("predictions_score") for t in tasks}


def _login(driver, stack, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{stack.ls_url}/user/login/")
    driver.find_element(By.ID, "email").send_keys(LS_USER)
    driver.find_element(By.ID, "password").send_keys(LS_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    try:
        WebDriverWait(driver, 60).until(lambda d: "/user/login" not in d.current_url)
    except TimeoutException:
        driver.save_screenshot(str(artifacts / "login_failed.png"))
        (artifacts / "login_failed.html").write_text(driver.page_source, encoding="utf-8")
        raise


def _task_name(task: dict[str, Any]) -> str:
    """``A7367_0`` from the task's image (``s3://.../A7367_0.png``, or Label Studio's
    ``/tasks/<id>/resolve/?fileuri=<base64 of it>``)."""
    image = str(task["data"].get("image", ""))
    query = parse_qs(urlsplit(image).query)
    if "fileuri" in query:
        image = base64.urlsafe_b64decode(query["fileuri"][0] + "==").decode(errors="replace")
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", PurePosixPath(urlsplit(image).path).stem)
    return stem or f"task{task['id']}"


def test_pre_annotated_pages_read_well_in_the_browser(stack, project, browser, artifacts) -> None:  # type: ignore[no-untyped-def]
    driver = browser
    _login(driver, stack, artifacts)
    report: dict[str, Any] = {"model_version": project["model_version"], "tasks": []}
    problems: list[str] = []
    predicted: list[int] = []
    for task in sorted(project["tasks"], key=_task_name):
        name = _task_name(task)
        predictions = task.get("predictions") or []
        result = predictions[0]["result"] if predictions else []
        expected_ids = {r["id"] for r in result if r.get("type") == "rectanglelabels"}
        if predictions:
            predicted.append(task["id"])
        started = time.monotonic()
        driver.get(f"{stack.ls_url}/projects/{project['id']}/data?task={task['id']}")
        seen = driver.execute_async_script(MEASURE_JS, len(expected_ids))
        seconds = time.monotonic() - started
        driver.save_screenshot(str(artifacts / f"{name}.png"))
        if "error" in seen:
            problems.append(f"{name}: script error {seen['error']}")
            continue
        regions = seen["regions"]
        depth = [r for r in regions if r["label"] == "Depth Interval"]
        conflicts = depth_box_conflicts([_percent_box(r) for r in depth])
        depth_screen = [tuple(r["screen"]) for r in depth if r["screen"]]
        # Label Studio draws a 20 px label tag on each box's top edge when labels are shown
        label_tags = [
            (r["id"], (s[0], s[1] - 20, s[2], s[1]))
            for r in regions
            if seen["showLabels"] and (s := r["screen"]) is not None
        ]
        relation_tags_over = tags_over_boxes([tuple(t) for t in seen["relationTags"]], depth_screen)
        label_tags_over = sum(
            1
            for owner, tag in label_tags
            if tags_over_boxes(
                [tag], [tuple(r["screen"]) for r in depth if r["screen"] and r["id"] != owner]
            )
        )
        image = seen["image"] or {}
        entry = {
            "task": task["id"],
            "name": name,
            "predicted_regions": len(expected_ids),
            "editor_regions": len({r["id"] for r in regions}),
            "relations": seen["relations"],
            "image_natural_width": image.get("naturalWidth", 0),
            "depth_boxes": len(depth),
            "depth_conflicts": [f"{c.kind} {c.share:.2f}" for c in conflicts],
            "relation_tags": len(seen["relationTags"]),
            "relation_tags_over_depth_boxes": relation_tags_over,
            "label_tags_over_depth_boxes": label_tags_over,
            "seconds_to_regions": round(seconds, 1),
        }
        report["tasks"].append(entry)
        if not image.get("naturalWidth"):
            problems.append(f"{name}: page image not loaded ({image})")
        if entry["editor_regions"] != len(expected_ids):
            problems.append(
                f"{name}: editor shows {entry['editor_regions']} regions, "
                f"prediction holds {len(expected_ids)}"
            )
        if relation_tags_over or label_tags_over:
            problems.append(
                f"{name}: {relation_tags_over} relation tags and {label_tags_over} labels "
                "cover Depth Interval boxes"
            )
        if conflicts:
            problems.append(f"{name}: Depth Interval boxes collide: {entry['depth_conflicts']}")

    # the Data Manager, on a tab that shows the score column (tall window: every row shows)
    driver.set_window_size(WINDOW[0], max(WINDOW[1], 260 + 75 * len(project["tasks"])))
    driver.get(f"{stack.ls_url}/projects/{project['id']}/data?tab={project['view']}")
    dm: dict[str, Any] = {"header": False, "cells": []}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        dm = driver.execute_script(DM_JS)
        if dm["header"] and len(dm["cells"]) >= len(predicted):
            break
        time.sleep(0.5)
    time.sleep(0.5)
    driver.save_screenshot(str(artifacts / "data_manager.png"))
    driver.set_window_size(*WINDOW)
    (artifacts / "data_manager.html").write_text(driver.page_source, encoding="utf-8")
    api_scores = _scores(stack, project["id"], project["view"])
    shown = [c for c in dm["cells"] if c and c not in ("-", "—")]
    report["data_manager"] = {
        "score_header": dm["header"],
        "cells": dm["cells"],
        "scores_shown": len(shown),
        "predicted_tasks": len(predicted),
        "api_scores": api_scores,
        "api_scores_with_hand_title": project["scores_with_hand_title"],
    }
    if not dm["header"] or len(shown) < len(predicted):
        problems.append(
            f"Data Manager shows {len(shown)} scores for {len(predicted)} predicted tasks"
        )
    if any(api_scores.get(t) is None for t in predicted):
        problems.append(f"predictions_score missing for some tasks: {api_scores}")

    totals = {
        "pages": len(report["tasks"]),
        "depth_box_conflicts": sum(len(t["depth_conflicts"]) for t in report["tasks"]),
        "relation_tags_over_depth_boxes": sum(
            t["relation_tags_over_depth_boxes"] for t in report["tasks"]
        ),
        "label_tags_over_depth_boxes": sum(
            t["label_tags_over_depth_boxes"] for t in report["tasks"]
        ),
        "scores_shown": f"{len(shown)}/{len(predicted)}",
        "scores_with_hand_title": sum(
            1 for v in project["scores_with_hand_title"].values() if v is not None
        ),
    }
    report["totals"] = totals
    (artifacts / "report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print("\nbrowser check:", json.dumps(totals))
    assert len(report["tasks"]) >= 4 and predicted, report
    assert not problems, "\n".join(problems)


SUGGESTION_JS = r"""
const done = arguments[arguments.length - 1];
(async () => {
  const started = Date.now();
  while (Date.now() - started < 90000) {
    const ann = window.Htx.annotationStore.selected;
    const areas = [...ann.suggestions.values(), ...ann.regions];
    const texts = areas
      .map((a) => (a.texting && a.texting.mainValue ? a.texting.mainValue.join(" ") : ""))
      .filter((t) => t.trim());
    if (texts.length) {
      done({ suggestions: ann.suggestions.size, regions: ann.regions.length, texts });
      return;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const ann = window.Htx.annotationStore.selected;
  done({ suggestions: ann.suggestions.size, regions: ann.regions.length, texts: [] });
})().catch((e) => done({ error: String(e) }));
"""


def test_a_box_drawn_by_hand_gets_its_text(stack, project, browser, artifacts) -> None:  # type: ignore[no-untyped-def]
    """Issue 10: a box drawn with the smart rectangle (Auto-Annotation on, key M) gets its text."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver = browser
    if "/user/login" in driver.current_url or not driver.current_url.startswith(stack.ls_url):
        _login(driver, stack, artifacts)
    task = next(t for t in project["tasks"] if _task_name(t) == "page_break_6_0")
    result = task["predictions"][0]["result"]
    target = next(
        r["value"]
        for r in result
        if r["type"] == "rectanglelabels"
        and r["value"]["rectanglelabels"] == ["Material Description"]
    )
    driver.get(f"{stack.ls_url}/projects/{project['id']}/data?task={task['id']}")
    driver.execute_async_script(
        MEASURE_JS, sum(1 for r in result if r["type"] == "rectanglelabels")
    )
    # an empty page: only the box drawn now can carry text
    driver.execute_script(
        "window.Htx.annotationStore.selected.deleteAllRegions({deleteReadOnly: true});"
    )
    stage = driver.find_element(By.CSS_SELECTOR, ".konvajs-content")
    image = driver.execute_script(
        """const i = [...document.querySelectorAll('img')].sort((a, b) =>
             b.getBoundingClientRect().width - a.getBoundingClientRect().width)[0];
           const r = i.getBoundingClientRect(); return [r.left, r.top, r.width, r.height];"""
    )
    box = stage.rect
    left = image[0] + (target["x"] - 0.5) / 100 * image[2]
    top = image[1] + (target["y"] - 0.5) / 100 * image[3]
    width = (target["width"] + 1.0) / 100 * image[2]
    height = (target["height"] + 1.0) / 100 * image[3]
    # The editor's Auto-Annotation toggle (what an annotator switches on once; kept per browser)
    driver.execute_script("window.Htx.setAutoAnnotation(true);")
    ActionChains(driver).send_keys("1").perform()  # Material Description
    ActionChains(driver).send_keys("m").perform()  # the smart ("auto-detect") rectangle tool
    (
        ActionChains(driver)
        .move_to_element_with_offset(
            stage, int(left - box["x"] - box["width"] / 2), int(top - box["y"] - box["height"] / 2)
        )
        .click_and_hold()
        .move_by_offset(int(width / 2), int(height / 2))
        .move_by_offset(int(width / 2), int(height / 2))
        .release()
        .perform()
    )
    answer = driver.execute_async_script(SUGGESTION_JS)
    driver.save_screenshot(str(artifacts / "drawn_box_suggestion.png"))
    (artifacts / "drawn_box.json").write_text(json.dumps(answer, indent=1), encoding="utf-8")
    assert "error" not in answer, answer
    words = [w for w in re.findall(r"\w{4,}", target_text(result, target)) if not w.isdigit()]
    got = " ".join(answer["texts"])
    assert words and sum(w in got for w in words) >= max(1, len(words) // 2), (words, answer)


def target_text(result: list[dict[str, Any]], value: dict[str, Any]) -> str:
    """The predicted transcription of the region whose rectangle value is ``value``."""
    rect = next(r for r in result if r["type"] == "rectanglelabels" and r["value"] is value)
    return next(
        " ".join(r["value"]["text"])
        for r in result
        if r["type"] == "textarea" and r["id"] == rect["id"]
    )
