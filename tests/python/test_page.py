"""The configurator page (issue 12) in a real browser: headless Chromium driven by Selenium against
the real `sumisura serve` on a free local port. Screenshots go to page-screenshots/ in the
folder the tests run from (the build folder under CTest)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import pytest

import sumisura as s
from conftest import BICYCLE, CLI, KITCHEN, SHOES, SOURCE_DIR

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="python3-selenium is not installed (scripts/install-deps.sh)")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CATALOGS = {"shoes": SHOES, "kitchen": KITCHEN, "bicycle": BICYCLE}
SCREENSHOTS = Path.cwd() / "page-screenshots"


def start_server(*catalogs: str, extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    if not CLI or not Path(CLI).is_file():
        pytest.skip("the sumisura command is not built (SUMISURA_CLI)")
    server = subprocess.Popen([CLI, "serve", "--port", "0", *[f"--catalog={c}" for c in catalogs],
                               *extra], stdout=subprocess.PIPE, text=True)
    port = int(server.stdout.readline().rsplit(":", 1)[1])
    return server, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def service() -> Iterator[str]:
    server, url = start_server(*[f"{cid}={path}" for cid, path in CATALOGS.items()])
    yield url
    server.terminate()
    server.wait(timeout=60)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    driver_path = shutil.which("chromedriver")
    if driver_path is None:
        pytest.skip("chromedriver is not installed (chromium-driver; scripts/install-deps.sh)")
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.chrome.service.Service(driver_path),
                              options=options)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def idle(browser: webdriver.Chrome, seconds: float = 60) -> None:
    """Waits until the page has finished what it was doing (it marks <body aria-busy>)."""
    WebDriverWait(browser, seconds, poll_frequency=0.02).until(
        lambda d: d.execute_script("return document.body.getAttribute('aria-busy') === null "
                                   "&& document.querySelectorAll('button.value').length > 0"))


def open_page(browser: webdriver.Chrome, url: str) -> None:
    browser.get("about:blank")
    browser.get(url)
    idle(browser)


def error_text(browser: webdriver.Chrome) -> str:
    box = browser.find_element(By.ID, "error")
    return box.text if box.is_displayed() else ""


SNAPSHOT = """
const out = {};
for (const b of document.querySelectorAll('button.value')) {
  (out[b.dataset.name] = out[b.dataset.name] || []).push(
    {value: b.dataset.value, state: b.dataset.state, pressed: b.getAttribute('aria-pressed') === 'true'});
}
return out;
"""


def snapshot(browser: webdriver.Chrome) -> dict[str, list[dict]]:
    """Every value the page shows, by variable: its JSON text, its state (available, default,
    implied, chosen, unavailable) and whether it is pressed; one round trip to the browser."""
    return browser.execute_script(SNAPSHOT)


def buttons(browser: webdriver.Chrome) -> list:
    return browser.find_elements(By.CSS_SELECTOR, "button.value")


def chosen(browser: webdriver.Chrome) -> dict[str, object]:
    """What the page shows as the customer's own choices: {name: value}."""
    return {name: json.loads(v["value"]) for name, values in snapshot(browser).items()
            for v in values if v["pressed"]}


def click(browser: webdriver.Chrome, button) -> None:
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    idle(browser)


def find(browser: webdriver.Chrome, name: str, value: object):
    """The button of one value (a real element, clicked as a user clicks)."""
    key = json.dumps(value, separators=(",", ":"))
    button = browser.execute_script(
        "return [...document.querySelectorAll('button.value')]"
        ".find(b => b.dataset.name === arguments[0] && b.dataset.value === arguments[1]) || null",
        name, key)
    assert button is not None, f"no button for {name} = {value}"
    return button


def open_variables(shown: dict[str, list[dict]]) -> list[str]:
    """Variables without a choice, not implied, with more than one value shown available."""
    return [name for name, values in shown.items()
            if not any(v["state"] in ("chosen", "implied") for v in values)
            and sum(v["state"] in ("available", "default", "suggested") for v in values) > 1]


def library_total(path: Path, choices: dict[str, object]) -> Decimal:
    where = {n: (str(v).lower() if isinstance(v, bool) else str(v)) for n, v in choices.items()}
    result = s.Configurator(path).configure(None, where=where)
    assert result.price is not None, result.status
    return result.price.total


@pytest.mark.parametrize("catalog", list(CATALOGS))
def test_click_through_a_whole_product(service: str, browser: webdriver.Chrome,
                                       catalog: str) -> None:
    open_page(browser, f"{service}/#catalog={catalog}")
    assert error_text(browser) == ""
    assert browser.find_element(By.ID, "price").text  # the live price range
    rng = random.Random(catalog)

    # Every value shown available for the first open variable is accepted (a choice of the same
    # variable replaces the earlier one, and the others stay offered).
    first = open_variables(snapshot(browser))[0]
    offered = [json.loads(v["value"]) for v in snapshot(browser)[first]
               if v["state"] != "unavailable"]
    for value in offered[:8]:
        click(browser, find(browser, first, value))
        assert error_text(browser) == ""
        assert chosen(browser).get(first) == value

    # Then a whole product, one random available value of an open variable at a time.
    for _ in range(60):
        shown = snapshot(browser)
        names = open_variables(shown)
        if not names:
            break
        name = rng.choice(names)
        value = json.loads(rng.choice([v["value"] for v in shown[name]
                                       if v["state"] in ("available", "default")]))
        click(browser, find(browser, name, value))
        assert error_text(browser) == "", (name, value)
        assert chosen(browser).get(name) == value, f"{name} = {value} shown available, refused"
    assert not open_variables(snapshot(browser))

    picked = chosen(browser)
    browser.find_element(By.ID, "complete").click()
    idle(browser)
    breakdown = browser.find_element(By.ID, "breakdown")
    total = Decimal(breakdown.get_attribute("data-total"))
    assert total == library_total(CATALOGS[catalog], picked)
    assert browser.find_elements(By.CSS_SELECTOR, "#bom tbody tr")  # the bill of materials

    # Undo takes back the last choice; the restore link brings the configuration back.
    link = browser.find_element(By.ID, "restore-link").get_attribute("href")
    browser.find_element(By.ID, "undo").click()
    idle(browser)
    assert len(chosen(browser)) == len(picked) - 1
    open_page(browser, link)
    assert error_text(browser) == ""
    assert chosen(browser) == picked


def test_unavailable_value_explains_and_repairs(service: str, browser: webdriver.Chrome) -> None:
    open_page(browser, f"{service}/#catalog=shoes")
    click(browser, find(browser, "color", "white"))
    unavailable = browser.find_elements(By.CSS_SELECTOR, 'button.value[aria-disabled="true"]')
    assert unavailable
    target = unavailable[0]
    name = target.get_attribute("data-name")
    value = json.loads(target.get_attribute("data-value"))
    browser.execute_script("arguments[0].focus()", target)  # focus alone explains
    why = browser.find_element(By.ID, "why")
    WebDriverWait(browser, 30).until(lambda d: why.is_displayed() and "Why not" in why.text)
    assert "Colour = white" in why.text
    repair = why.find_element(By.CSS_SELECTOR, "button.repair")
    assert "Drop Colour = white" in repair.text
    click(browser, repair)
    assert error_text(browser) == ""
    now = chosen(browser)
    assert now.get(name) == value and "color" not in now


def test_keyboard_alone_chooses(service: str, browser: webdriver.Chrome) -> None:
    open_page(browser, f"{service}/#catalog=kitchen")
    body = browser.find_element(By.TAG_NAME, "body")
    for _ in range(40):  # Tab until a value has the focus
        body.send_keys(Keys.TAB) if _ == 0 else browser.switch_to.active_element.send_keys(Keys.TAB)
        focused = browser.switch_to.active_element
        if "value" in (focused.get_attribute("class") or "").split() and \
                focused.get_attribute("aria-disabled") != "true":
            break
    else:
        raise AssertionError("Tab never reached a value")
    name = focused.get_attribute("data-name")
    value = json.loads(focused.get_attribute("data-value"))
    assert focused.get_attribute("aria-label")  # labelled for screen readers
    focused.send_keys(Keys.SPACE)
    idle(browser)
    assert chosen(browser).get(name) == value


def test_screenshots_desktop_and_phone(service: str, browser: webdriver.Chrome) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    try:
        for width, height, label in ((1280, 900, "desktop"), (390, 844, "phone")):
            browser.set_window_size(width, height)
            open_page(browser, f"{service}/#catalog=shoes")
            click(browser, find(browser, "product", "oxford"))
            click(browser, find(browser, "color", "oxblood"))
            browser.find_element(By.ID, "complete").click()
            idle(browser)
            # Nothing wider than the screen: readable on a phone without scrolling sideways.
            assert browser.execute_script(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1")
            browser.execute_script("window.scrollTo(0, 0)")
            assert browser.save_screenshot(str(SCREENSHOTS / f"page-{label}.png"))
    finally:
        browser.set_window_size(1280, 900)


def test_errors_are_shown_in_words(service: str, browser: webdriver.Chrome) -> None:
    # A restore link that is not one: said, and a new configuration starts.
    open_page(browser, f"{service}/#catalog=shoes&resume=not-a-token")
    assert "could not be restored" in error_text(browser)
    assert buttons(browser)
    # The service gone: a click says so in words, the page stays.
    server, url = start_server(f"shoes={SHOES}")
    try:
        open_page(browser, f"{url}/#catalog=shoes")
    finally:
        server.terminate()
        server.wait(timeout=60)
    name, values = next((n, vs) for n, vs in snapshot(browser).items()
                        if any(v["state"] == "available" for v in vs))
    value = next(v["value"] for v in values if v["state"] == "available")
    find(browser, name, json.loads(value)).click()
    try:
        WebDriverWait(browser, 30).until(lambda d: "cannot be reached" in error_text(d))
    except TimeoutException:
        raise AssertionError(f"no words for a service gone: {error_text(browser)!r}")
    assert buttons(browser)


def test_the_shop_suggests_what_customers_chose(browser: webdriver.Chrome, tmp_path: Path) -> None:
    history = SOURCE_DIR / "examples" / "orders" / "shoes-history.txt"
    model = tmp_path / "shoes-prefs.json"
    subprocess.run([CLI, "learn", SHOES, history, "-o", model], check=True, capture_output=True)
    server, url = start_server(f"shoes={SHOES}", extra=(f"--preferences=shoes={model}",))
    try:
        library = s.Configurator(SHOES, preferences=str(model)).session()
        open_page(browser, f"{url}/#catalog=shoes")
        for _ in range(3):
            shown = snapshot(browser)
            suggested = [(n, json.loads(v["value"])) for n, values in shown.items()
                         for v in values if v["state"] == "suggested"]
            expected = library.recommend_next()
            assert suggested == [(expected.name, expected.values[0].value)]
            name, value = suggested[0]
            click(browser, find(browser, name, value))
            library.choose(name, str(value).lower() if isinstance(value, bool) else str(value))
            assert chosen(browser)[name] == value
    finally:
        server.terminate()
        server.wait(timeout=60)
