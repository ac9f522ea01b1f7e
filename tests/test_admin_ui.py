"""The admin UI in real headless Chromium, driven through a whole case: a caseworker registers
a person and prepares the plan, a supervisor approves it; the caseworker has the allowance paid
to a trusted third party, which a supervisor approves; finance enters an exchange rate,
prepares and (a second officer) releases the batch, and sees the budget by return country."""
import json
import subprocess
import sys
from pathlib import Path

DRIVER = Path(__file__).parent / "browser" / "admin_ui_journey.py"


def test_caseworker_supervisor_and_finance_take_a_case_from_registration_to_a_paid_instalment_in_the_admin_ui(
        api, programme_id, system):
    screenshots = system["workdir"]
    run = subprocess.run([sys.executable, str(DRIVER), api.base, "correct horse battery staple", str(screenshots),
                          programme_id], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert "wrong username or password" in seen["wrong_password_message"]
    assert seen["registered"].startswith("Registered case") and "(registered)" in seen["registered"]
    assert seen["status_after_journey"] == "return_approved"
    assert seen["application"].startswith("Application ") and "score" in seen["application"]
    assert "approved" in seen["plan"] and "1500.00 EUR" in seen["plan"]

    assert "E.164" in seen["phone_error"]  # shown next to the phone field
    assert "Mamadou Diallo" in seen["third_party_recorded"] and ": pending" in seen["third_party_recorded"]
    assert "not payable" in seen["third_party_recorded"]
    assert seen["payout_method"] == "Paid by third party: Mamadou Diallo"
    assert "sibling, authorisation AUTH-UI-7" in seen["third_party_approved"]
    assert ": approved" in seen["third_party_approved"] and " — payable" in seen["third_party_approved"]
    assert not seen["supervisor_sees_payout_forms"] and not seen["caseworker_sees_approve"]

    assert "GNF\t9350.5\tmanual" in seen["rates"] and "CHF\t0.9377\tECB" in seen["rates"]
    assert seen["ecb_import"].endswith(" 1 imported, 0 updated, 0 unchanged")
    assert "— prepared;" in seen["batch_prepared"] and "to the third party" in seen["batch_prepared"]
    assert "waiting for release\t1\t" in seen["batches_waiting"]  # status, payouts, who prepared it
    assert "— completed;" in seen["batch_completed"] and "mobile money: 750.00 EUR — paid" in seen["batch_completed"]
    assert "reserved" in seen["budget"] and "available" in seen["budget"]
    gn = next(row for row in seen["budget_by_country"].splitlines() if row.startswith("GN"))
    assert gn.split("\t") == ["GN", "750.00 EUR", "750.00 EUR", "0.00 EUR"]  # reserved, paid, returned
    assert "mobile money\t" in seen["budget_by_route"]
    assert "Instalment 1: 750.00 EUR — paid, paid 750.00 EUR" in seen["instalments"]
    assert "mobile money: 750.00 EUR — paid" in seen["instalments"]
    assert not seen["finance_sees_payout_forms"]
    for name in ("caseworker-case.png", "caseworker-payouts.png", "finance-budget.png"):
        assert (screenshots / name).stat().st_size > 0
