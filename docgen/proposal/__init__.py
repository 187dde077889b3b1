"""Staged, targeted proposal drafts: the presales job.

The section library, selection (which categories, sections and cases, in which
order), the template context and its wording, building drafts/briefs/plans,
and the review gate (check and release). build_templates writes the bundled
proposal .docx templates.

May import: docgen.core, docgen.intake, docgen.casebook.
"""
