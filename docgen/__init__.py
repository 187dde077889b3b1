"""docgen: staged proposal drafts, KPI review packets and case-study packs in Word."""

__version__ = "0.1.0"
