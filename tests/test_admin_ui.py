"""The admin UI in real headless Chromium, driven through a whole case: a caseworker registers
a person and prepares the plan, a supervisor approves it, finance sees the budget."""
import json
import subprocess
import sys
from pathlib import Path

DRIVER = Path(__file__).parent / "browser" / "admin_ui_journey.py"


def test_caseworker_supervisor_and_finance_take_a_case_to_an_approved_plan_in_the_admin_ui(api, programme_id, system):
    screenshots = system["workdir"]
    run = subprocess.run([sys.executable, str(DRIVER), api.base, "correct horse battery staple", str(screenshots)],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert "wrong username or password" in seen["wrong_password_message"]
    assert seen["registered"].startswith("Registered case") and "(registered)" in seen["registered"]
    assert seen["status_after_journey"] == "return_approved"
    assert seen["application"].startswith("Application ") and "score" in seen["application"]
    assert "approved" in seen["plan"] and "1500.00 EUR" in seen["plan"]
    assert "reserved" in seen["budget"] and "available" in seen["budget"]
    for name in ("caseworker-case.png", "finance-budget.png"):
        assert (screenshots / name).stat().st_size > 0
