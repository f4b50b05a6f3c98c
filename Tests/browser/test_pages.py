"""Browser tests of Dubbelslot's web pages (docs/decisions/0018-web-pages-and-sessions.md), run by Tests/browser/run.sh.

A real headless Chromium (Debian's chromium + chromium-driver) driven by Selenium against a running
`dubbelslot serve` with the fictional demo data; axe-core (axe-selenium-python) on every page type.
The tests run in file order: the signaller's signal is the one the inspector triages and the other
municipality's buyer must never see.
"""

import datetime
import json
import os
import re
import secrets
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["BASE_URL"]
STATE = {"marker": "Browsertest-" + secrets.token_hex(4)}
AXE_RESULTS = {}


def make_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1400", "--lang=nl-NL"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.implicitly_wait(2)
    return driver


@pytest.fixture
def browser():
    driver = make_driver()
    yield driver
    driver.quit()


def api(path, token):
    request = urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def sign_in(driver, token):
    driver.get(BASE + "/app/")
    driver.find_element(By.ID, "token").send_keys(token)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form[action='/app/aanmelden'] button").click()
    WebDriverWait(driver, 15).until(left(page))
    assert "/app/aanmelden" not in driver.current_url
    assert "Aangemeld als" in driver.page_source


def check_axe(driver, page_type):
    """axe-core on the current page: no serious or critical violation."""
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    AXE_RESULTS[page_type] = {
        "serious_or_critical": len(bad),
        "minor_or_moderate": len(results["violations"]) - len(bad),
        "passes": len(results["passes"]),
    }
    assert not bad, f"axe on {page_type}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']}" for v in bad)


def left(page):
    """A wait condition: the page `page` (its html element) is gone, a new one loaded."""
    def check(_):
        try:
            page.is_enabled()
            return False
        except WebDriverException:  # stale, or no longer in the document
            return True
    return check


def press(driver, button_text):
    """Clicks the button labelled `button_text` and waits for the next page."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.XPATH, f"//button[normalize-space()='{button_text}']").click()
    WebDriverWait(driver, 15).until(left(page))


def follow(driver, element):
    """Clicks a link and waits for the next page."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 15).until(left(page))


def set_value(driver, element_id, value):
    """Sets a date field's value (typing into a date input depends on the browser's locale)."""
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, element_id), value)


def screenshot(driver, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height, 800), 4000))
    driver.save_screenshot(os.path.join(folder, name))
    driver.set_window_size(1280, 1400)


def typo(name):
    """The name with one letter of 'Voorbeeld' left out, as a hurried buyer types it."""
    return name.replace("Voorbeeld", "Voorbeld") if "Voorbeeld" in name else name[:-1]


def session_cookie(driver):
    return "dbs_sessie=" + driver.get_cookie("dbs_sessie")["value"]


def test_buyer_searches_with_typo_opens_school_changes_period_and_records_check(browser):
    # A school of Amsterdam (the demo buyer's municipality) with contributions to its score.
    overview = api("/v1/overview?municipality=GM0363", os.environ["BUYER"])
    school = next(i["school"] for i in overview["items"] if i["score"] > 0 and i["school"]["municipalityCode"] == "GM0363")
    STATE["school"] = school

    browser.get(BASE + "/app/")
    check_axe(browser, "aanmelden")
    sign_in(browser, os.environ["BUYER"])
    browser.get(BASE + "/app/zoeken")
    browser.find_element(By.ID, "naam").send_keys(typo(school["name"]))
    browser.find_element(By.ID, "gemeente").send_keys("GM0363")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form[role=search] button"))
    assert "Resultaten" in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, "td .badge"), "every row shows its verdict as a badge"
    check_axe(browser, "zoeken")
    follow(browser, browser.find_element(By.LINK_TEXT, school["name"]))

    assert browser.find_element(By.TAG_NAME, "h1").text == school["name"]
    words = {"Open", "Aandacht", "Dicht", "Niet van toepassing"}
    lock1 = browser.find_element(By.CSS_SELECTOR, "#slot1 .badge").text
    lock2 = browser.find_element(By.CSS_SELECTOR, "#slot2 .badge").text
    assert lock1 in words and lock2 in words, (lock1, lock2)
    rows = browser.find_elements(By.CSS_SELECTOR, "#bijdragen + table tbody tr")
    assert rows, "the contributions are listed"
    assert browser.find_element(By.CSS_SELECTOR, "#bijdragen + table tbody tr td a").get_attribute("href")
    check_axe(browser, "schoolkaart")

    set_value(browser, "contractVan", "2027-01-01")
    set_value(browser, "contractTot", "2028-12-31")
    press(browser, "Opnieuw beoordelen")
    assert "contractVan=2027-01-01" in browser.current_url
    assert "voor contract 1 januari 2027 tot en met 31 december 2028" in browser.find_element(By.ID, "oordeel-kop").text
    screenshot(browser, "schoolkaart.png")

    press(browser, "Inkoopcheck vastleggen")
    assert "/app/inkoopchecks/" in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == "Inkoopcheck: " + school["name"]
    assert "1 januari 2027 tot en met 31 december 2028" in browser.page_source
    verdict = browser.find_element(By.ID, "oordeel").text
    against = "doNotProceed" if verdict == "Vrij" else "proceed"
    Select(browser.find_element(By.ID, "decision")).select_by_value(against)
    press(browser, "Besluit vastleggen")
    assert "Geef een reden" in browser.find_element(By.ID, "reden-fout").text, "a decision against the verdict needs a reason"
    check_axe(browser, "inkoopcheck")
    browser.find_element(By.ID, "reason").send_keys("Besproken met de afdeling; zie het inkoopdossier.")
    press(browser, "Besluit vastleggen")
    assert "Besproken met de afdeling" in browser.find_element(By.ID, "besluit-tekst").text


def test_buyer_compares_and_exports_csv(browser):
    sign_in(browser, os.environ["BUYER"])
    browser.get(BASE + "/app/vergelijken")
    assert browser.find_elements(By.CSS_SELECTOR, "tbody tr")
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Score"))
    assert "sorteer=score" in browser.current_url
    check_axe(browser, "vergelijken")
    href = browser.find_element(By.PARTIAL_LINK_TEXT, "CSV").get_attribute("href")
    request = urllib.request.Request(href, headers={"Cookie": session_cookie(browser)})
    with urllib.request.urlopen(request) as response:
        body = response.read()
        assert response.headers["Content-Type"].startswith("text/csv")
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    lines = body[3:].decode("utf-8").split("\r\n")
    assert lines[0].startswith("school;kvk;gemeente;oordeel;score")
    assert re.search(r";\d+,\d;", lines[1]), "decimal comma"


def test_signaller_gets_pii_refusal_then_reports_and_sees_reference(browser):
    school = STATE["school"]
    sign_in(browser, os.environ["SIGNALLER"])
    assert "/app/signalen" in browser.current_url
    check_axe(browser, "signalen")
    browser.get(BASE + "/app/signalen/nieuw?zoek=" + urllib.parse.quote(typo(school["name"])))
    browser.find_element(By.ID, "school-" + school["id"]).click()
    Select(browser.find_element(By.ID, "category")).select_by_value("lessonsNotGiven")
    Select(browser.find_element(By.ID, "severity")).select_by_value("medium")
    set_value(browser, "observedFrom", (datetime.date.today() - datetime.timedelta(days=30)).isoformat())
    text = STATE["marker"] + ": lessen op het rooster vonden niet plaats."
    browser.find_element(By.ID, "summary").send_keys(text + " Gemeld door inburgeraar met BSN 111222333.")
    press(browser, "Signaal versturen")

    error = browser.find_element(By.ID, "summary-fout").text
    assert "BSN" in error and "111222333" not in error
    assert "111222333" in browser.find_element(By.ID, "summary").get_attribute("value"), "what was typed is kept"
    assert browser.find_element(By.ID, "school-" + school["id"]).is_selected()
    check_axe(browser, "signaal melden")
    summary = browser.find_element(By.ID, "summary")
    summary.clear()
    summary.send_keys(text)
    press(browser, "Signaal versturen")

    reference = browser.find_element(By.ID, "kenmerk").text
    assert re.fullmatch(r"SIG-GM\d{4}-\d{4}-\d{6}", reference)
    STATE["reference"] = reference
    assert reference in browser.find_element(By.TAG_NAME, "table").text
    assert "ontvangen" in browser.page_source


def test_inspector_triages_that_signal_and_logs_a_visit(browser):
    sign_in(browser, os.environ["INSPECTOR"])
    assert "/app/inspectie" in browser.current_url
    check_axe(browser, "inspectie")
    screenshot(browser, "inspectie.png")
    follow(browser, browser.find_element(By.LINK_TEXT, STATE["reference"]))
    STATE["signal_url"] = browser.current_url
    assert STATE["marker"] in browser.page_source
    Select(browser.find_element(By.ID, "to")).select_by_value("triaged")
    press(browser, "Status wijzigen")
    assert browser.find_element(By.ID, "reason-fout"), "a reason is required"
    browser.find_element(By.ID, "reason").send_keys("Concreet en controleerbaar; onderzoek starten.")
    press(browser, "Status wijzigen")
    assert "beoordeeld" in browser.find_element(By.ID, "status-nu").text
    check_axe(browser, "signaal (inspectie)")

    follow(browser, browser.find_element(By.LINK_TEXT, "bezoek vastleggen"))
    Select(browser.find_element(By.ID, "kind")).select_by_value("classroom")
    Select(browser.find_element(By.ID, "outcome")).select_by_value("minorFindings")
    browser.find_element(By.ID, "norm0").send_keys("4.2")
    browser.find_element(By.ID, "note0").send_keys("Twee lessen zonder bevoegde docent.")
    press(browser, "Bezoek vastleggen")
    assert "Norm 4.2" in browser.page_source and "Twee lessen zonder bevoegde docent." in browser.page_source

    browser.get(BASE + "/app/scholen/" + STATE["school"]["id"] + "/bezoek")
    Select(browser.find_element(By.ID, "outcome")).select_by_value("compliant")
    browser.find_element(By.ID, "norm0").send_keys("4.2")
    press(browser, "Bezoek vastleggen")
    assert browser.find_element(By.ID, "kind-fout")
    check_axe(browser, "bezoek")
    browser.get(BASE + "/app/scholen/" + STATE["school"]["id"] + "/keurmerk")
    check_axe(browser, "keurmerkbesluit")


def test_buyer_of_another_municipality_never_sees_the_signal_text(browser):
    sign_in(browser, os.environ["OTHER_BUYER"])
    school = STATE["school"]
    pages = [
        "/app/zoeken?naam=" + urllib.parse.quote(school["name"]),
        "/app/scholen/" + school["id"],
        "/app/vergelijken?gemeente=GM0363",
        "/app/signalen",
        "/app/inspectie",
        STATE["signal_url"].replace(BASE, ""),
    ]
    for page in pages:
        browser.get(BASE + page)
        assert STATE["marker"] not in browser.page_source, page
        assert STATE["reference"] not in browser.page_source, page
    assert "Geen toegang" in browser.page_source
    check_axe(browser, "geen toegang")


def test_a_form_without_csrf_token_is_refused(browser):
    sign_in(browser, os.environ["BUYER"])
    browser.get(BASE + "/app/scholen/" + STATE["school"]["id"])
    set_value(browser, "check-van", "2027-01-01")
    browser.execute_script("document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())")
    press(browser, "Inkoopcheck vastleggen")
    assert "Formulier geweigerd" in browser.page_source
    # The same without a browser: the session cookie alone is not enough.
    data = urllib.parse.urlencode({"contractVan": "2027-01-01"}).encode()
    request = urllib.request.Request(BASE + "/app/scholen/" + STATE["school"]["id"] + "/inkoopcheck", data=data,
                                     headers={"Cookie": session_cookie(browser)})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 403


def test_a_revoked_tokens_session_ends(browser):
    sign_in(browser, os.environ["REVOKE_SECRET"])
    browser.get(BASE + "/app/zoeken")
    assert "Scholen zoeken" in browser.page_source
    subprocess.run([os.environ["DUBBELSLOT_BIN"], "token", "revoke", os.environ["REVOKE_ID"],
                    "--database-url", os.environ["DUBBELSLOT_DATABASE_URL"]], check=True, capture_output=True)
    browser.get(BASE + "/app/zoeken")
    assert "verlopen=1" in browser.current_url
    assert "Uw sessie is beëindigd" in browser.page_source
    browser.get(BASE + "/app/vergelijken")
    assert "Aanmelden" in browser.find_element(By.TAG_NAME, "h1").text


def test_buyer_sees_the_municipalitys_subscriptions(browser):
    body = json.dumps({"url": "https://ontvanger.example.org/dubbelslot?bron=test&soort=keurmerk",
                       "events": ["nl.dubbelslot.quality-mark.decision-recorded"], "filter": {"contracted": True}}).encode()
    request = urllib.request.Request(BASE + "/v1/subscriptions", data=body, method="POST",
                                     headers={"Authorization": "Bearer " + os.environ["BUYER"], "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 201
    sign_in(browser, os.environ["BUYER"])
    follow(browser, browser.find_element(By.LINK_TEXT, "Abonnementen"))
    assert "Abonnementen van GM0363" in browser.find_element(By.TAG_NAME, "h1").text
    assert "Scholen die wij contracteerden" in browser.page_source
    check_axe(browser, "abonnementen")


def test_zz_axe_summary():
    """Writes the axe figures per page type (AXE_REPORT) for the run's summary."""
    assert AXE_RESULTS
    path = os.environ.get("AXE_REPORT")
    if path:
        with open(path, "w") as f:
            for page, figures in AXE_RESULTS.items():
                f.write(f"axe {page}: {figures['serious_or_critical']} serious/critical, "
                        f"{figures['minor_or_moderate']} minor/moderate, {figures['passes']} rules passed\n")
