"""The report and the query page in a real browser: headless Chromium from Debian's packages, driven
by Selenium through the system chromedriver (no browser or driver is downloaded).

Opens the static report from disk (file://) and as `treatykg serve` serves it, types a name into
the search box, opens that entity's page, checks that a <mark> highlights the evidence and saves a
screenshot; then runs queries through /query. Skipped when chromium or chromedriver is missing
(install them with ``apt-get install -y chromium chromium-driver``).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from serve_helpers import build_seed_out, running
from treatykg.serve import TreatyServer, make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()),
    reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): "
    "apt-get install -y chromium chromium-driver",
)
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium (a test extra) is not installed")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
]
QUERY = (
    "SELECT ?name WHERE { ?p <https://w3id.org/treatykg/ontology#signs> ?t ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name"
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TreatyServer]:
    """The seed build served on a free port of 127.0.0.1 (which also writes its report)."""
    out = build_seed_out(tmp_path_factory.mktemp("browser"))
    with running(make_server(out, port=0)) as server:
        yield server


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """Headless Chromium through the system chromedriver, with a throw-away profile."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(
        options=options, service=webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    )
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver: WebDriver, condition: Any, seconds: float = 10) -> Any:
    return WebDriverWait(driver, seconds).until(condition)


def _png_size(path: Path) -> tuple[int, int]:
    """The width and height of a PNG file, after checking its signature and header chunk."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _search_and_open(driver: WebDriver, index_url: str, name: str, screenshot: Path) -> list[str]:
    """Type name into the report's search box, open the one entity left, and return the marked texts."""
    driver.get(index_url)
    box = _wait(driver, expected_conditions.presence_of_element_located((By.ID, "q")))
    total = len(driver.find_elements(By.CSS_SELECTOR, "#entities li"))
    box.send_keys(name)
    _wait(driver, lambda d: d.find_element(By.ID, "count").text.split(" of ")[0] != str(total))
    shown = [li for li in driver.find_elements(By.CSS_SELECTOR, "#entities li") if li.is_displayed()]
    assert shown, f"no entity matches {name!r}"
    assert len(shown) < total, "the search box filtered nothing"
    link = next(li for li in shown if name.lower() in li.text.lower()).find_element(By.TAG_NAME, "a")
    link.click()
    marks = _wait(driver, expected_conditions.presence_of_all_elements_located((By.TAG_NAME, "mark")))
    assert name.lower() in driver.find_element(By.TAG_NAME, "h1").text.lower()
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", marks[0])
    assert driver.save_screenshot(str(screenshot))
    assert min(_png_size(screenshot)) > 100 and screenshot.stat().st_size > 5000
    return [mark.text for mark in marks]


def test_browser_static_report_search_opens_entity_with_marks(
    served: TreatyServer, browser: WebDriver, tmp_path: Path
) -> None:
    marks = _search_and_open(
        browser, (served.report_dir / "index.html").as_uri(), "Zhou", tmp_path / "file-zhou.png"
    )
    assert any(text.lower() in ("chou en-lai", "zhou enlai", "周恩来") for text in marks)


def test_browser_served_report_search_opens_entity_with_marks(
    served: TreatyServer, browser: WebDriver, tmp_path: Path
) -> None:
    marks = _search_and_open(browser, served.url, "Zhou", tmp_path / "served-zhou.png")
    assert browser.current_url == served.url + "entities/person-zhou.html"
    assert any(text.lower() in ("chou en-lai", "zhou enlai", "周恩来") for text in marks)


def test_browser_query_page_shows_result_rows(
    served: TreatyServer, browser: WebDriver, tmp_path: Path
) -> None:
    browser.get(served.url + "query")
    box = _wait(browser, expected_conditions.presence_of_element_located((By.ID, "query")))
    box.clear()
    box.send_keys(QUERY)
    browser.find_element(By.ID, "run").click()
    rows = _wait(
        browser, expected_conditions.presence_of_all_elements_located((By.CSS_SELECTOR, "#result tbody tr"))
    )
    assert [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#result th")] == ["name"]
    assert any("Zhou" in row.text for row in rows)
    assert browser.find_element(By.ID, "status").text.startswith(f"{len(rows)} rows")
    assert (
        browser.save_screenshot(str(tmp_path / "query.png")) and min(_png_size(tmp_path / "query.png")) > 100
    )


def test_browser_query_page_shows_the_error_then_runs_again(served: TreatyServer, browser: WebDriver) -> None:
    browser.get(served.url + "query")
    box = _wait(browser, expected_conditions.presence_of_element_located((By.ID, "query")))
    box.clear()
    box.send_keys("SELECT ?s WHERE { ?s ?p }")
    browser.find_element(By.ID, "run").click()
    _wait(browser, lambda d: d.find_element(By.ID, "status").text.startswith("Error 400"))
    assert "malformed SPARQL" in browser.find_element(By.ID, "status").text
    box.clear()
    box.send_keys("ASK { ?p <https://w3id.org/treatykg/ontology#signs> ?t }")
    browser.find_element(By.ID, "run").click()
    _wait(browser, lambda d: d.find_element(By.ID, "status").text == "ASK: true")
