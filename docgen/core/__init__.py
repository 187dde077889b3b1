"""What every job stands on.

Errors and their places, text cleaning, the shared vocabulary (industries,
languages), docgen.toml settings, atomic output, the docxtpl rendering core and
its zip writer, Word styles, Markdown → Word, PDF export through LibreOffice,
xlsx and YAML reading with size limits (xlsxguard, yamlload), the bounded
Jinja sandbox for templates people edit (sandbox), clean client copies
(hygiene), what a document is (docprops), and template checking.

May import: the standard library and third-party packages only — never a
domain (intake, casebook, proposal, review) and never cli.
"""
