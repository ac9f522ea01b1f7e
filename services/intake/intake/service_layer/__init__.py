"""Intake's use cases, one module per area; each takes a unit of work and the caller."""
