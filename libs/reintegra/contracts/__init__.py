"""Message contracts: what services say to each other, versioned and validated with cerberus."""
from reintegra.contracts.envelope import Envelope, new_envelope
from reintegra.contracts.registry import ContractViolation, validate_outgoing, validate_incoming

__all__ = ["Envelope", "new_envelope", "ContractViolation", "validate_outgoing", "validate_incoming"]
