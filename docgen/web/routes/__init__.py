"""One module per area: auth (login, logout, language), cases, review, proposals, jobs and files, admin."""
