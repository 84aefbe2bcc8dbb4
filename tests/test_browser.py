"""report.html in a real browser: Debian's chromium, headless, driven by chromedriver.

Skipped, with the reason, where chromium, chromedriver or selenium is missing (.ci/run
installs the Debian packages when it can). Also the screenshot tool of ``make
screenshot``: ``python tests/test_browser.py REPORT.html OUT.png``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
# Flags that work in a container as root with no network and no GPU.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1800",
)
ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "data" / "clean"

pytestmark = pytest.mark.browser


def missing() -> str | None:
    """Why the browser test cannot run here, or None."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not Path(path).is_file():
            return f"{path} not found: apt-get install {package} (done by .ci/run when apt works)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed: pip install -c constraints.txt -e '.[dev]'"
    return None


def open_browser(profile: Path) -> Any:
    """A headless chromium with a fresh profile, recording the console."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


def console_errors(driver: Any) -> list[dict[str, Any]]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def screenshot(report: Path, png: Path) -> list[dict[str, Any]]:
    """Write a screenshot of ``report`` to ``png``; return the console errors."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        driver = open_browser(Path(profile))
        try:
            driver.get(report.resolve().as_uri())
            png.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(png))
            return console_errors(driver)
        finally:
            driver.quit()


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    reason = missing()
    if reason:
        pytest.skip(reason)
    profile = Path(tempfile.mkdtemp(prefix="chromium-"))
    browser = open_browser(profile)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def load(driver: Any, report: Path) -> None:
    driver.get(report.resolve().as_uri())
    driver.get_log("browser")  # start from an empty console log for this page


def check_cluster_shown(driver: Any, story_word: str) -> None:
    from selenium.webdriver.common.by import By

    clusters = driver.find_elements(By.CSS_SELECTOR, "#clusters details.cluster")
    shown = [c for c in clusters if story_word in c.text and c.is_displayed()]
    assert shown, f"no visible duplicate cluster about {story_word}"
    kept, removed = shown[0].find_elements(By.CSS_SELECTOR, ".pair pre.text")[:2]
    assert kept.is_displayed() and removed.is_displayed()
    assert shown[0].find_elements(By.CSS_SELECTOR, ".pair .m.keep, .pair .m.drop, .pair .m.chg")


def test_sample_report_in_chromium(driver: Any, tmp_path: Path) -> None:
    from sample_run import write_sample_run
    from selenium.webdriver.common.by import By

    from pipeline.report.review import OutputFolder
    from pipeline.report.views import render_report

    run = write_sample_run(tmp_path)
    report = run.output / "report.html"
    report.write_text(render_report(OutputFolder(run.output), input_root=run.input_root), "utf-8")
    load(driver, report)
    assert driver.title == "Clean corpus report"
    check_cluster_shown(driver, "尤溪县")
    assert driver.execute_script("return window.__injected === undefined")  # escaped input
    collapse = driver.find_element(By.CSS_SELECTOR, "button[data-open='0']")
    assert collapse.is_displayed()  # the inline script ran
    collapse.click()
    assert not driver.find_element(By.CSS_SELECTOR, "details.cluster").get_attribute("open")
    driver.find_element(By.CSS_SELECTOR, "button[data-open='1']").click()
    driver.save_screenshot(str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert console_errors(driver) == []


def test_committed_report_in_chromium(driver: Any, tmp_path: Path) -> None:
    report = CLEAN / "report.html"
    if not report.is_file():
        pytest.skip(f"{report} does not exist yet (written by make clean-corpus)")
    load(driver, report)
    assert driver.title == "Clean corpus report"
    duplicates = (CLEAN / "duplicates.jsonl").read_text(encoding="utf-8").splitlines()
    if any("尤溪县" in json.loads(line)["text"] for line in duplicates):
        check_cluster_shown(driver, "尤溪县")
    driver.save_screenshot(str(tmp_path / "report.png"))
    assert console_errors(driver) == []


if __name__ == "__main__":  # make screenshot
    if len(sys.argv) != 3:
        sys.exit("usage: python tests/test_browser.py REPORT.html OUT.png")
    if reason := missing():
        sys.exit(f"cannot take a screenshot: {reason}")
    errors = screenshot(Path(sys.argv[1]), Path(sys.argv[2]))
    for entry in errors:
        print(f"console error: {entry['message']}", file=sys.stderr)
    sys.exit(1 if errors else 0)
