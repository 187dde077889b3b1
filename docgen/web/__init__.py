"""The team workspace behind `docgen serve`: accounts and roles, pages for HR, sales and presales.

app builds the Starlette application; db holds the SQLite schema and its
migrations; accounts the users, sessions, login throttle and audit log; jobs
the bounded worker pool that runs fills and builds in separate processes;
routes/ one module per area. Pages call the library (docgen.api and the
domains) and show its DocgenError messages; nothing here re-implements a check.

May import: core, intake, casebook, proposal, review and web. Nothing but cli imports web.
"""
