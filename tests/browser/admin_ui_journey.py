"""Drives the admin UI in headless Chromium; run as its own process (no eventlet patching,
which Playwright's threads do not survive). Prints one JSON line with what it saw.

    python admin_ui_journey.py <base url> <username> <password> <screenshot path>
"""
import json
import shutil
import sys

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(base, username, password, screenshot):
    seen = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        page.goto(base + "/")
        page.wait_for_selector("#health li.ok")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "not the password")
        page.click("#login-form button")
        page.wait_for_selector("#login-error:not(:empty)")
        seen["wrong_password_message"] = page.inner_text("#login-error")
        page.fill("input[name=password]", password)
        page.click("#login-form button")
        page.wait_for_selector("#register-panel:not([hidden])")
        for name, value in (("given_names", "Amina"), ("family_names", "Diallo"), ("date_of_birth", "1990-02-03"),
                            ("nationality", "gn"), ("return_country", "gn")):
            page.fill(f"input[name={name}]", value)
        page.check("input[name=consent]")
        page.click("#register-form button")
        page.wait_for_selector("#register-result:has-text('Registered case')")
        seen["registered"] = page.inner_text("#register-result")
        page.screenshot(path=screenshot)
        browser.close()
    print(json.dumps(seen))


if __name__ == "__main__":
    main(*sys.argv[1:5])
