"""The admin UI in real headless Chromium: sign in as a caseworker and register a person."""
import json
import subprocess
import sys
from pathlib import Path

DRIVER = Path(__file__).parent / "browser" / "admin_ui_journey.py"


def test_a_caseworker_signs_in_and_registers_a_person_from_the_admin_ui(api, programme_id, system):
    screenshot = system["workdir"] / "admin-ui.png"
    run = subprocess.run([sys.executable, str(DRIVER), api.base, "caseworker", "correct horse battery staple",
                          str(screenshot)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert "wrong username or password" in seen["wrong_password_message"]
    assert seen["registered"].startswith("Registered case") and "(registered)" in seen["registered"]
    assert screenshot.stat().st_size > 0
