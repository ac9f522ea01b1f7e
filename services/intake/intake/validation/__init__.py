"""Validation of what arrives at the intake service's edge, before it reaches the domain.
Bad payloads come back as {"field.path": ["reason", ...]} and nothing is stored."""
