"""Who may do what: the roles of DOMAIN.md §9. Each route names the roles it admits."""

CASEWORKER, SUPERVISOR, FINANCE, OPERATIONS, ADMIN, AUDITOR = (
    "caseworker", "supervisor", "finance_officer", "operations", "admin", "auditor")
ROLES = (CASEWORKER, SUPERVISOR, FINANCE, OPERATIONS, ADMIN, AUDITOR)

# "staff" in API.md: everyone who works on cases. Operations sees metrics and dead letters,
# never personal data, so it is not staff.
STAFF = (CASEWORKER, SUPERVISOR, FINANCE, ADMIN, AUDITOR)
