"""Drives the admin UI in headless Chromium; run as its own process (no eventlet patching,
which Playwright's threads do not survive). Prints one JSON line with what it saw.

    python admin_ui_journey.py <base url> <password> <screenshot dir> <programme id>

The journey: a caseworker registers a person and records counselling; a supervisor approves
the return; the caseworker records the support application and drafts and submits a plan;
the supervisor approves it. Then the payouts: the caseworker is told which field of a payout
method is wrong, adds a trusted third party and has the rest paid to it, and records the
return journey up to the arrival; a supervisor approves the third party's authorisation; a
finance officer enters an exchange rate and prepares a batch, which another finance officer
releases and follows until paid; the budget report shows the money by return country.
"""
import datetime
import json
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def utc_today() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


def watch(page):
    """Browser-side errors go to stderr, which the test shows when the journey fails."""
    page.on("pageerror", lambda error: print("page error:", error, file=sys.stderr))
    page.on("response", lambda r: r.status >= 500 and print("HTTP", r.status, r.request.method, r.url, file=sys.stderr))


def sign_in(page, username, password):
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-form button")
    page.wait_for_selector("#nav:not([hidden])")


def sign_out(page):
    page.click("#sign-out")
    page.wait_for_selector("#login-panel:not([hidden])")


def register(page, seen, programme_id):
    page.goto(page.url.split("#")[0] + "#register")
    page.wait_for_selector("#register-panel:not([hidden]) select[name=programme_id] option", state="attached")
    page.select_option("#register-form select[name=programme_id]", programme_id)
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


def move(page, to, reason, date=None, airport=None):
    before = page.locator("#case-history li").count()
    page.select_option("#transition-targets", to)
    page.fill("#transition-form [name=reason]", reason)
    if date:
        page.fill("#transition-form [name=date]", date)
    if airport:
        page.fill("#transition-form [name=airport]", airport)
    page.click("#transition-form button")
    page.wait_for_function(f"document.querySelectorAll('#case-history li').length > {before}"
                           " || document.getElementById('transition-error').textContent !== ''")
    error = page.inner_text("#transition-error")
    if error:
        raise AssertionError(f"moving to {to}: {error}")


def try_until_shown(page, click, shown, error_id):
    """Services learn of each other's events a moment later; like a user, try again while
    the page says it is not there yet."""
    for _ in range(40):
        page.click(click)
        page.wait_for_function(f"document.querySelector({json.dumps(shown)})"
                               f" || document.getElementById('{error_id}').textContent !== ''")
        if page.query_selector(shown):
            return
        page.wait_for_timeout(250)
    raise AssertionError(page.inner_text(f"#{error_id}"))


def apply_and_draft(page, seen):
    page.wait_for_selector("#application-form:not([hidden])")
    page.fill("#application-form [name=interview_date]", "2026-11-02")
    page.fill("#application-form [name=needs]", "tools and stock for a tailoring shop")
    page.fill("#application-form [name=intended_use]", "open a tailoring shop in Conakry")
    try_until_shown(page, "#application-form button", ".application-summary", "application-error")
    seen["application"] = page.inner_text(".application-summary")
    row = "#plan-lines tbody tr:first-child"
    page.select_option(f"{row} [name=category]", "income_generating_activity")
    page.fill(f"{row} [name=description]", "sewing machine and fabric")
    page.fill(f"{row} [name=amount]", "1500")
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector(".plan-summary")
    page.click("#case-plans button:has-text('Submit for approval')")
    page.wait_for_selector(".plan-summary:has-text('submitted')")


def fill_wallet(page, form, phone):
    """Chooses mobile money on a payout form and fills the wallet; returns the wallet's fieldset."""
    page.select_option(f"{form} [name=route]", "mobile_money")
    wallet = f"{form} fieldset[data-switch=mobile_money]"
    page.fill(f"{wallet} [name='details.phone']", phone)
    page.fill(f"{wallet} [name='details.operator']", "orange")
    return wallet


def payout_method_refused(page, seen):
    form = "#payout-method-form"
    page.wait_for_selector(f"{form}:not([hidden])")
    wallet = fill_wallet(page, form, "0700 12")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector(f"{wallet} label:has([name='details.phone']) .field-error")
    seen["phone_error"] = page.inner_text(f"{wallet} label:has([name='details.phone']) .field-error")


def add_third_party(page, seen):
    form = "#payee-form"
    page.select_option(f"{form} [name=kind]", "third_party")
    page.fill(f"{form} [name=name]", "Mamadou Diallo")
    page.select_option(f"{form} [name=relationship]", "sibling")
    signed = (utc_today() - datetime.timedelta(days=3)).isoformat()
    page.fill(f"{form} [name='authorisation.signed_on']", signed)
    page.fill(f"{form} [name='authorisation.document_reference']", "AUTH-UI-7")
    fill_wallet(page, form, "+224620001777")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("#case-payees .payee:has-text('Mamadou Diallo')")
    seen["third_party_recorded"] = page.inner_text("#case-payees .payee")
    page.select_option("#payout-method-form [name=route]", "third_party")
    page.select_option("#payout-method-form fieldset[data-switch=third_party] select", label="Mamadou Diallo")
    page.click("#payout-method-form button[type=submit]")
    page.wait_for_selector("#payout-method-current:has-text('third party')")
    seen["payout_method"] = page.inner_text("#payout-method-current")


def travel_and_arrive(page):
    today = utc_today().isoformat()
    move(page, "travel_booked", "flight booked", date=today, airport="CKY")
    move(page, "departed", "boarded")
    move(page, "arrived", "met at the airport", date=today)


def open_finance(page, base, programme_id):
    page.goto(base + "/#finance")
    page.wait_for_selector(f"#budget-programme option[value='{programme_id}']", state="attached")
    page.select_option("#budget-programme", programme_id)


def enter_rate_and_prepare(page, seen, base, programme_id):
    open_finance(page, base, programme_id)
    page.fill("#rate-form [name=currency]", "gnf")
    page.fill("#rate-form [name=rate]", "9350.5")
    page.fill("#rate-form [name=note]", "central bank mid rate")
    page.click("#rate-form button")
    page.wait_for_selector("#rates td:has-text('GNF')")
    # An ECB file of a month ago: the rates tests of the suite work on the last days.
    day = utc_today() - datetime.timedelta(days=30)
    page.set_input_files("#ecb-form [name=csv]", files=[{
        "name": "eurofxref.csv", "mimeType": "text/csv",
        "buffer": f"Date, CHF, \n{day.strftime('%d %B %Y')}, 0.9377, \n".encode()}])
    page.click("#ecb-form button")
    page.wait_for_selector("#rates-result:has-text('ECB file')")
    seen["ecb_import"] = page.inner_text("#rates-result")
    # The answer is shown first, then the rates are fetched again and the table redrawn.
    page.wait_for_selector("#rates td:has-text('CHF')")
    seen["rates"] = page.inner_text("#rates")
    try_until_shown(page, "#batch-form button", ".batch-summary", "batch-error")
    seen["batch_prepared"] = page.inner_text("#batch")
    return page.input_value("#batch-id")


def release_and_follow(page, seen, base, programme_id, batch_id):
    open_finance(page, base, programme_id)
    # The second officer finds the batch among those waiting for release.
    waiting = f"#batches tr.prepared button[data-batch='{batch_id}']"
    page.wait_for_selector(waiting)
    seen["batches_waiting"] = page.inner_text("#batches")
    page.click(waiting)  # found again: the list may have been redrawn meanwhile
    page.wait_for_selector(".batch-summary:has-text('prepared')")
    assert page.input_value("#batch-id") == batch_id
    page.click("#release-batch")
    page.wait_for_selector(".batch-summary:has-text('completed')", timeout=40_000)
    seen["batch_completed"] = page.inner_text("#batch")
    page.wait_for_function("[...document.querySelectorAll('#budget-countries tr')]"
                           ".some((row) => row.textContent.includes('GN') && row.textContent.includes('750.00 EUR'))")
    seen["budget"] = page.inner_text("#budget")
    seen["budget_by_country"] = page.inner_text("#budget-countries")
    seen["budget_by_route"] = page.inner_text("#budget-routes")


def main(base, password, screenshots, programme_id):
    screenshots = Path(screenshots)
    seen = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        watch(page)
        page.goto(base + "/")
        page.wait_for_selector("#health li.ok")
        page.fill("input[name=username]", "caseworker")
        page.fill("input[name=password]", "not the password")
        page.click("#login-form button")
        page.wait_for_selector("#login-error:not(:empty)")
        seen["wrong_password_message"] = page.inner_text("#login-error")

        sign_in(page, "caseworker", password)
        register(page, seen, programme_id)
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
        seen["supervisor_sees_payout_forms"] = page.is_visible("#payout-method-form") or page.is_visible("#payee-form")
        sign_out(page)

        sign_in(page, "caseworker", password)
        page.goto(case_url)
        payout_method_refused(page, seen)
        add_third_party(page, seen)
        travel_and_arrive(page)
        seen["caseworker_sees_approve"] = page.is_visible("#case-payees button:has-text('Approve')")
        page.screenshot(path=str(screenshots / "caseworker-payouts.png"), full_page=True)
        sign_out(page)

        sign_in(page, "supervisor", password)
        page.goto(case_url)
        page.click("#case-payees button:has-text('Approve the authorisation')")
        page.wait_for_selector("#case-payees .payee:has-text('approved')")
        seen["third_party_approved"] = page.inner_text("#case-payees .payee")
        sign_out(page)

        sign_in(page, "finance_officer", password)
        batch_id = enter_rate_and_prepare(page, seen, base, programme_id)
        sign_out(page)

        sign_in(page, "finance-officer-2", password)
        release_and_follow(page, seen, base, programme_id, batch_id)
        page.screenshot(path=str(screenshots / "finance-budget.png"), full_page=True)
        page.goto(case_url)
        page.wait_for_selector(".instalment:has-text('paid')")
        seen["instalments"] = page.inner_text("#case-instalments")
        seen["finance_sees_payout_forms"] = page.is_visible("#payout-method-form") or page.is_visible("#payee-form")
        browser.close()
    print(json.dumps(seen))


if __name__ == "__main__":
    main(*sys.argv[1:5])
