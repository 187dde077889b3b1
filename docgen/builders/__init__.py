"""Builders of the bundled Word templates (python -m docgen.builders.<kind>)."""
