"""The edges of intake: tables and repositories, the sensitive-data cipher, metrics."""
