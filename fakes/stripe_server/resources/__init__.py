"""The Stripe API operations this server implements, one module per resource."""
from . import accounts, balance, events, external_accounts, issuing, payouts, tokens, topups, transfers

ROUTES = [*accounts.ROUTES, *external_accounts.ROUTES, *tokens.ROUTES, *transfers.ROUTES, *payouts.ROUTES,
          *issuing.ROUTES, *topups.ROUTES, *balance.ROUTES, *events.ROUTES]
