"""Account-holder lookups that let the payer confirm a payee's name before paying."""


def test_returns_the_registered_name_of_a_known_msisdn(operator, control):
    control.add_account_holders([{"msisdn": "+2207000001", "givenName": "Awa", "familyName": "Jallow"}])

    found = operator.request("GET", "/disbursement/v1_0/accountholder/msisdn/2207000001/basicuserinfo")

    assert found.status == 200
    assert found.body == {"given_name": "Awa", "family_name": "Jallow", "name": "Awa Jallow"}


def test_an_unknown_msisdn_is_404(operator, control):
    missing = operator.request("GET", "/disbursement/v1_0/accountholder/msisdn/2207999999/basicuserinfo")

    assert (missing.status, missing.body["code"]) == (404, "RESOURCE_NOT_FOUND")


def test_registering_a_number_again_replaces_its_name(operator, control):
    control.add_account_holders([{"msisdn": "2207000001", "givenName": "Awa", "familyName": "Jallow"}])
    control.add_account_holders([{"msisdn": "+2207000001", "givenName": "Awa", "familyName": "Ceesay"}])

    found = operator.request("GET", "/disbursement/v1_0/accountholder/msisdn/+2207000001/basicuserinfo")

    assert found.body["family_name"] == "Ceesay"


def test_reports_whether_an_account_holder_is_active(operator, control):
    control.add_account_holders([{"msisdn": "2207000001", "givenName": "Awa", "familyName": "Jallow"}])

    known = operator.request("GET", "/disbursement/v1_0/accountholder/msisdn/2207000001/active")
    unknown = operator.request("GET", "/disbursement/v1_0/accountholder/msisdn/2207999999/active")

    assert (known.body, unknown.body) == ({"result": True}, {"result": False})
