"""Case studies: the sales job.

Loading and linting casebook/*.md, the search index (tokenising, BM25F,
synonyms) and its on-disk cache, matching cases against a client's
requirements, case-study packs and result tables.

May import: docgen.core, and docgen.intake.models (a client's requirements are
what `cases match` ranks against).
"""
