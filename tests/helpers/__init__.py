"""Shared test helpers: reading documents back (docs), building cases (casebook) and score workbooks (review)."""
