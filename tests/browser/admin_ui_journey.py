"""Drives the admin UI in headless Chromium; run as its own process (no eventlet patching,
which Playwright's threads do not survive). Prints one JSON line with what it saw.

    python admin_ui_journey.py <base url> <password> <screenshot dir>

The journey: a caseworker registers a person and records counselling; a supervisor approves
the return; the caseworker records the support application and drafts and submits a plan;
the supervisor approves it; a finance officer sees the programme budget.
"""
import json
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def sign_in(page, username, password):
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-form button")
    page.wait_for_selector("#nav:not([hidden])")


def sign_out(page):
    page.click("#sign-out")
    page.wait_for_selector("#login-panel:not([hidden])")


def register(page, seen):
    page.goto(page.url.split("#")[0] + "#register")
    page.wait_for_selector("#register-panel:not([hidden]) select[name=programme_id] option", state="attached")
    for name, value in (("given_names", "Amina"), ("family_names", "Diallo"), ("date_of_birth", "1990-02-03"),
                        ("nationality", "gn"), ("languages", "fr, en"), ("phone", "+351912000111"),
                        ("return_country", "gn"), ("return_city", "Conakry")):
        page.fill(f"#register-form [name={name}]", value)
    page.check("#register-form input[value=homeless]")
    page.check("#register-form [name=intends]")
    page.check("#register-form [name=consent]")
    page.click("#register-form button")
    page.wait_for_selector("#register-result:has-text('Registered case')")
    seen["registered"] = page.inner_text("#register-result")
    page.click("#register-result a")
    page.wait_for_selector("#case-panel:not([hidden]) #case-facts dt")


def move(page, to, reason):
    before = page.locator("#case-history li").count()
    page.select_option("#transition-targets", to)
    page.fill("#transition-form [name=reason]", reason)
    page.click("#transition-form button")
    page.wait_for_function(f"document.querySelectorAll('#case-history li').length > {before}"
                           " || document.getElementById('transition-error').textContent !== ''")
    error = page.inner_text("#transition-error")
    if error:
        raise AssertionError(f"moving to {to}: {error}")


def apply_and_draft(page, seen):
    page.wait_for_selector("#application-form:not([hidden])")
    page.fill("#application-form [name=interview_date]", "2026-11-02")
    page.fill("#application-form [name=needs]", "tools and stock for a tailoring shop")
    page.fill("#application-form [name=intended_use]", "open a tailoring shop in Conakry")
    # Plans learns of the return approval from intake's event a moment later; like a user,
    # try again while it says the case is not there yet.
    for _ in range(20):
        page.click("#application-form button")
        page.wait_for_function("document.querySelector('.application-summary')"
                               " || document.getElementById('application-error').textContent !== ''")
        if page.query_selector(".application-summary"):
            break
        page.wait_for_timeout(250)
    seen["application"] = page.inner_text(".application-summary")
    row = "#plan-lines tbody tr:first-child"
    page.select_option(f"{row} [name=category]", "income_generating_activity")
    page.fill(f"{row} [name=description]", "sewing machine and fabric")
    page.fill(f"{row} [name=amount]", "1500")
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector(".plan-summary")
    page.click("#case-plans button:has-text('Submit for approval')")
    page.wait_for_selector(".plan-summary:has-text('submitted')")


def main(base, password, screenshots):
    screenshots = Path(screenshots)
    seen = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        page.goto(base + "/")
        page.wait_for_selector("#health li.ok")
        page.fill("input[name=username]", "caseworker")
        page.fill("input[name=password]", "not the password")
        page.click("#login-form button")
        page.wait_for_selector("#login-error:not(:empty)")
        seen["wrong_password_message"] = page.inner_text("#login-error")

        sign_in(page, "caseworker", password)
        register(page, seen)
        case_url = page.url
        move(page, "counselled", "information session held")
        sign_out(page)

        sign_in(page, "supervisor", password)
        page.goto(case_url)
        page.wait_for_selector("#transition-targets option", state="attached")
        move(page, "return_approved", "immigration authority agreed")
        seen["status_after_journey"] = page.inner_text("#case-facts dd")
        sign_out(page)

        sign_in(page, "caseworker", password)
        page.goto(case_url)
        apply_and_draft(page, seen)
        page.screenshot(path=str(screenshots / "caseworker-case.png"), full_page=True)
        sign_out(page)

        sign_in(page, "supervisor", password)
        page.goto(case_url)
        page.wait_for_selector("#case-plans button:has-text('Approve')")
        page.click("#case-plans button:has-text('Approve')")
        page.wait_for_selector(".plan-summary:has-text('approved')")
        seen["plan"] = page.inner_text(".plan-summary")
        sign_out(page)

        sign_in(page, "finance_officer", password)
        page.goto(base + "/#finance")
        page.wait_for_selector("#budget-programme option", state="attached")
        page.dispatch_event("#budget-programme", "change")
        page.wait_for_selector("#budget th:has-text('reserved')")
        seen["budget"] = page.inner_text("#budget")
        page.screenshot(path=str(screenshots / "finance-budget.png"), full_page=True)
        browser.close()
    print(json.dumps(seen))


if __name__ == "__main__":
    main(*sys.argv[1:4])
