"""Who may do what: roles (DOMAIN.md §9) and the roles each API route admits."""

CASEWORKER, SUPERVISOR, FINANCE, OPERATIONS, ADMIN, AUDITOR = (
    "caseworker", "supervisor", "finance_officer", "operations", "admin", "auditor")
ROLES = (CASEWORKER, SUPERVISOR, FINANCE, OPERATIONS, ADMIN, AUDITOR)

# "staff" in API.md: everyone who works on cases. Operations sees metrics and dead letters,
# never personal data, so it is not staff.
STAFF = (CASEWORKER, SUPERVISOR, FINANCE, ADMIN, AUDITOR)

ROUTE_ROLES = {
    "create_programme": (ADMIN,),
    "list_programmes": STAFF,
    "get_programme": STAFF,
    "register_case": (CASEWORKER,),
    "get_case": STAFF,
}
