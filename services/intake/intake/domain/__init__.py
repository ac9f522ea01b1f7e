"""The intake domain: registration rules, eligibility, vulnerability, duplicates and the
return journey. Imports only the standard library, so every rule is testable without a
database or a broker."""
