"""The admin UI in real headless Chromium: sign in as a caseworker and register a person."""
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def page(system):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser.new_page()
        browser.close()


def test_a_caseworker_signs_in_and_registers_a_person_from_the_admin_ui(page, api, programme_id, system):
    page.goto(api.base + "/")
    page.wait_for_selector("#health li.ok")
    page.fill("input[name=username]", "caseworker")
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("#login-form button")
    page.wait_for_selector("#register-panel:not([hidden])")
    page.fill("input[name=given_names]", "Amina")
    page.fill("input[name=family_names]", "Diallo")
    page.fill("input[name=date_of_birth]", "1990-02-03")
    page.fill("input[name=nationality]", "gn")
    page.fill("input[name=return_country]", "gn")
    page.check("input[name=consent]")
    page.click("#register-form button")
    page.wait_for_selector("#register-result:has-text('Registered case')")
    page.screenshot(path=str(system["workdir"] / "admin-ui.png"))
    assert "(registered)" in page.inner_text("#register-result")


def test_a_wrong_password_shows_the_reason_in_the_admin_ui(page, api, system):
    page.evaluate("sessionStorage.clear()")
    page.goto(api.base + "/")
    page.fill("input[name=username]", "caseworker")
    page.fill("input[name=password]", "not the password")
    page.click("#login-form button")
    page.wait_for_selector("#login-error:has-text('wrong username or password')")
