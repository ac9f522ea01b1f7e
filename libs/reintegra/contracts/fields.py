"""Field schemas shared by the event contracts (cerberus rules)."""
ID = {"type": "string", "required": True, "empty": False, "maxlength": 64}
OPTIONAL_ID = {"type": "string", "nullable": True, "maxlength": 64}
DATE = {"type": "string", "required": True, "regex": r"^\d{4}-\d{2}-\d{2}$"}
OPTIONAL_DATE = {"type": "string", "nullable": True, "regex": r"^\d{4}-\d{2}-\d{2}$"}
TIMESTAMP = {"type": "string", "required": True, "regex": r"^\d{4}-\d{2}-\d{2}T.*"}
COUNTRY = {"type": "string", "required": True, "regex": "^[A-Z]{2}$"}
CURRENCY = {"type": "string", "required": True, "regex": "^[A-Z]{3}$"}
AMOUNT = {"type": "integer", "required": True, "min": 0}
MONEY = {"type": "dict", "required": True, "schema": {"amount": AMOUNT, "currency": CURRENCY}}
LEVEL = {"type": "string", "required": True, "allowed": ["none", "low", "medium", "high"]}
