#!/usr/bin/env python3
"""`fordela web` in a real browser: the system's Chromium driven by Selenium.

Starts `fordela --lang sv web examples --no-open`, opens the first page, chooses the bundled
agreement and reads Jämtland Härjedalen's amount, opens every file's page, drops Jämtland's
plan as .xlsx on the upload form, reads the verdict and the figures from the page, downloads
the workbook and compares it byte for byte with the one `fordela check` writes; then the
follow-up, payouts, audit, diff, explain and targets pages, an outcome dropped on the page and
the question a CSV plan without its region and unit asks;
and takes a screenshot of every page at 1280×800. Run through web.sh.
"""

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[2]
FORDELA = os.environ.get("FORDELA", str(ROOT / "target/debug/fordela"))
SHOTS = pathlib.Path(os.environ.get("SHOTS", tempfile.mkdtemp(prefix="fordela-web-shots-")))
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def shot(driver, name):
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    print(f"      screenshot {path}")


def xlsx_plan(work):
    """Jämtland's CSV plan as the workbook Excel or LibreOffice would save."""
    plan = work / "jamtland-harjedalen-2019.xlsx"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo-profile",
         "--infilter=CSV:59,34,76,1", "--convert-to", "xlsx", "--outdir", str(work),
         str(ROOT / "examples/jamtland-harjedalen-2019.csv")],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    return plan


def browser(downloads, profile):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={profile}", "--window-size=1280,800", "--lang=sv-SE"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
    })
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


def main():
    # A workbook says when it was made, to the second: the same moment for the page's and the
    # command line's, so that their bytes can be compared.
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    SHOTS.mkdir(parents=True, exist_ok=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="fordela-web-"))
    downloads = work / "downloads"
    downloads.mkdir()
    plan = xlsx_plan(work)
    server = subprocess.Popen([FORDELA, "--lang", "sv", "web", "examples", "--no-open"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    driver = None
    try:
        address = server.stdout.readline().strip()
        check(address.startswith("http://127.0.0.1:"), f"the address on stdout: {address}")
        driver = browser(downloads, work / "profile")

        driver.get(address)
        check("fordela" in driver.title, "the first page opens")
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#files a")]
        check(len(links) >= 8, f"the folder's files are listed with links ({len(links)})")
        check(len(driver.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")) > 0, "the split's chart is drawn")
        shot(driver, "01-start")

        driver.get(driver.find_element(By.LINK_TEXT, "god-och-nara-vard-2019").get_attribute("href"))
        rows = {tr.find_elements(By.TAG_NAME, "td")[0].text: tr for tr in driver.find_elements(By.CSS_SELECTOR, "#split tbody tr")}
        jamtland = rows.get("23")
        total = jamtland.find_elements(By.TAG_NAME, "td")[-1].text if jamtland else ""
        check(total.replace("\u00a0", " ") == "30 640 080", f"Jämtland Härjedalen's amount on the page: {total!r}")
        check(len(driver.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")) == 21, "a bar per region")
        shot(driver, "02-split-bundled")

        for at, link in enumerate(links, start=3):
            driver.get(link)
            name = link.rsplit("/file/", 1)[-1].replace("/", "_").replace("%", "")
            shot(driver, f"{at:02d}-file-{name}")
        driver.get(address + "file/jamtland-harjedalen-2019.toml")
        check(driver.find_element(By.ID, "verdict").text == "varning", "the TOML plan's verdict")

        driver.get(address)
        form = driver.find_element(By.CSS_SELECTOR, "form.drop")
        form.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(plan))
        Select(form.find_element(By.NAME, "region")).select_by_value("23")
        Select(form.find_element(By.NAME, "unit")).select_by_value("mkr")
        form.find_element(By.ID, "upload-submit").click()
        try:
            WebDriverWait(driver, 30).until(lambda d: "/upload/" in d.current_url and d.find_elements(By.ID, "verdict"))
        except TimeoutException:
            pass
        url = driver.current_url
        check("/upload/" in url, f"the upload's page: {url}")
        verdict = driver.find_element(By.ID, "verdict").text
        check(verdict == "varning", f"the upload's verdict: {verdict!r}")
        cells = [td.text.replace("\u00a0", " ") for td in
                 driver.find_elements(By.CSS_SELECTOR, "#figures tr[data-area=total] td")]
        check(cells[:4] == ["totalt", "30,640080", "30,6", ""] or cells[1:3] == ["30,640080", "30,6"],
              f"the total's figures: {cells}")
        findings = driver.find_elements(By.CSS_SELECTOR, "#figures tr.finding")
        check(any("allocation-under" in row.text for row in findings), "the finding beside its row")
        shot(driver, f"{len(links) + 3:02d}-upload-xlsx")

        driver.find_element(By.ID, "download-xlsx").click()
        got = None
        for _ in range(100):
            done = [p for p in downloads.iterdir() if p.suffix == ".xlsx"]
            busy = [p for p in downloads.iterdir() if p.suffix == ".crdownload"]
            if done and not busy and done[0].stat().st_size > 0:
                # Written whole: its size no longer changes.
                size = done[0].stat().st_size
                time.sleep(0.3)
                if done[0].stat().st_size == size:
                    got = done[0]
                    break
            time.sleep(0.1)
        check(got is not None, "the workbook is downloaded")
        cli = work / "cli"
        cli.mkdir()
        shutil.copy(plan, cli / plan.name)
        subprocess.run([FORDELA, "--lang", "sv", "check", "--region=23", "--unit=mkr", "-o", "cli.xlsx", "--", plan.name],
                       cwd=cli, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        same = got is not None and got.read_bytes() == (cli / "cli.xlsx").read_bytes()
        check(same, "the downloaded workbook is the command line's, byte for byte")

        # The grant year's pages, each with the choices its command needs.
        at = len(links) + 4
        driver.get(address + "file/jamtland-harjedalen-2019-utfall.csv")
        check(driver.find_element(By.ID, "verdict").text == "fel", "the outcome's follow-up: over budget is an error")
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart.budget-outcome")
        check(len(charts) == 3 and all(c.size["height"] > 40 for c in charts), "a budget-and-outcome chart per area")
        shot(driver, f"{at:02d}-follow-up")
        driver.get(address + "file/payouts-2019.csv?year=2019&requests=payout-requests-2019.csv")
        check(len(driver.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")) == 4, "payouts: a bar per quarter")
        check("400 002" in driver.find_element(By.ID, "result").text.replace("\u00a0", " "), "payouts: the first quarter")
        shot(driver, f"{at + 1:02d}-payouts")
        driver.get(address + "file/audit/omstallning-2017-figures.csv?unit=kr")
        check("2017-12-31" in driver.find_element(By.ID, "result").text, "the audit finds the table's date")
        shot(driver, f"{at + 2:02d}-audit")
        driver.get(address + "file/jamtland-harjedalen-2019.csv?region=23&unit=mkr")
        Select(driver.find_element(By.ID, "diff-new")).select_by_value("jamtland-harjedalen-2019-revision.csv")
        driver.find_element(By.ID, "diff-submit").click()
        WebDriverWait(driver, 10).until(lambda d: "/diff?" in d.current_url)
        check("/diff?" in driver.current_url, f"the plan's page compares it with another version: {driver.current_url}")
        form = driver.find_element(By.CSS_SELECTOR, "form[action='/diff']")
        Select(form.find_element(By.NAME, "unit")).select_by_value("mkr")
        form.find_element(By.CSS_SELECTOR, "button").click()
        WebDriverWait(driver, 10).until(lambda d: "unit=mkr" in d.current_url and d.find_elements(By.ID, "result"))
        check("omdöpt" in driver.find_element(By.ID, "result").text, "the diff names the renamed intervention")
        shot(driver, f"{at + 3:02d}-diff")
        driver.get(address + "?agreement=god-och-nara-vard-2019")
        driver.find_element(By.CSS_SELECTOR, "a.region[href^='/explain?region=23&']").click()
        WebDriverWait(driver, 10).until(lambda d: "/explain" in d.current_url)
        check("30 640 080" in driver.find_element(By.ID, "result").text.replace("\u00a0", " "), "explain from the region's name")
        shot(driver, f"{at + 4:02d}-explain")
        driver.find_element(By.ID, "targets-link").click()
        WebDriverWait(driver, 10).until(lambda d: "/targets" in d.current_url)
        # The step is asked for, never guessed: the plan's own, 0,1 mkr.
        check(driver.find_element(By.TAG_NAME, "h1").text == "Välj steg", "the targets ask for the step")
        driver.find_element(By.NAME, "round").send_keys("0,1 mkr")
        driver.find_element(By.CSS_SELECTOR, "form.choose button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: "round=" in d.current_url and d.find_elements(By.ID, "result"))
        check("30,6" in driver.find_element(By.ID, "result").text, "the region's targets")
        shot(driver, f"{at + 5:02d}-targets")
        driver.get(address)
        form = driver.find_element(By.CSS_SELECTOR, "form.drop")
        form.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(ROOT / "examples/jamtland-harjedalen-2019-utfall.csv"))
        form.find_element(By.ID, "upload-submit").click()
        WebDriverWait(driver, 30).until(lambda d: "/upload/" in d.current_url)
        check(len(driver.find_elements(By.CSS_SELECTOR, "#follow-up tbody tr")) > 10, "an outcome dropped on the page is followed up")
        shot(driver, f"{at + 6:02d}-upload-outcome")

        # A CSV plan that does not say its region and unit: a question, the form first.
        driver.get(address + "file/jamtland-harjedalen-2019.csv")
        question = driver.find_elements(By.CSS_SELECTOR, "#question h1")
        check(bool(question) and question[0].text == "Välj region och enhet", "the CSV plan asks for its region and unit")
        Select(driver.find_element(By.ID, "region")).select_by_value("23")
        Select(driver.find_element(By.ID, "unit")).select_by_value("mkr")
        shot(driver, f"{at + 7:02d}-question")
        driver.find_element(By.CSS_SELECTOR, "#question button").click()
        WebDriverWait(driver, 10).until(lambda d: "region=23" in d.current_url)
        check(driver.find_element(By.ID, "verdict").text != "", "answered, the plan is checked")

        driver.get(address + "file/nothing-here.csv")
        shot(driver, f"{at + 8:02d}-not-found")
        problems = [entry["message"] for entry in driver.get_log("browser")
                    if entry["level"] == "SEVERE" and "the server responded with a status of 4" not in entry["message"]]
        check(not problems, f"no error in the browser's console (CSP included): {problems}")
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
        if failures and os.environ.get("KEEP"):
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots in {SHOTS}")
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
