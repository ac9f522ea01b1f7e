"""Payout route adapters, one module per provider (the port is in service_layer.payout_route)."""
