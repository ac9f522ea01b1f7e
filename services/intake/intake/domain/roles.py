"""The staff roles the intake rules refer to (the full list lives with authentication)."""
CASEWORKER = "caseworker"
SUPERVISOR = "supervisor"
