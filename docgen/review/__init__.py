"""KPI review packets: the HR job.

Roles (KPI catalogs), scoring, the score workbook, packet contexts and batch
filling with summary.xlsx. build_templates writes the bundled 14-page packet
templates; build_example the bundled example score workbook.

May import: docgen.core only.
"""
