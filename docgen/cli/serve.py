"""`docgen serve`: the team workspace in a browser (docs/web.md). Starlette and uvicorn load only when it runs."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_DATA = "docgen-data"


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--data", "data", default=DEFAULT_DATA, show_default=True, type=click.Path(file_okay=False),
              help="Folder for the database (users, jobs, audit log) and generated files.")
@click.option("--casebook", type=click.Path(file_okay=False, exists=True), help="Casebook folder (default: the bundled casebook).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
              help="docgen.toml for company names, fonts and templates (default: ./docgen.toml when present).")
@click.option("--max-upload-mb", default=20, show_default=True, type=click.IntRange(1, 1024), help="Largest upload accepted.")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Jobs run at once (default: the number of cores).")
@click.option("--job-timeout", default=900, show_default=True, type=click.IntRange(10, 86400), help="Seconds before a job is stopped.")
@click.option("--secure-cookies", is_flag=True, help="Mark the session cookie Secure (behind an HTTPS reverse proxy).")
@click.pass_context
def serve(ctx, host, port, data, casebook, config_file, max_upload_mb, workers, job_timeout, secure_cookies) -> None:
    """Start the web workspace for HR, sales and presales (accounts: `docgen users add`)."""
    import os

    import uvicorn

    from docgen.core.config import bundled_path, load_settings
    from docgen.web.accounts import has_admin
    from docgen.web.app import create_app
    from docgen.web.config import MB, WebConfig
    from docgen.web.db import open_db

    config_path = config_file or ctx.meta.get("docgen.config_path")
    load_settings(config_path)  # a broken docgen.toml is a message now, not on the first page
    config = WebConfig(data=Path(data).resolve(), casebook=Path(casebook or bundled_path("casebook")).resolve(),
                       config_file=Path(config_path).resolve() if config_path else None,
                       max_upload=max_upload_mb * MB, secure_cookies=secure_cookies,
                       workers=workers or max(1, os.cpu_count() or 1), job_timeout=float(job_timeout))
    if not has_admin(open_db(config.data)):
        click.echo("No admin yet: create one in another terminal with\n"
                   f"  docgen users add NAME --role admin --data {data}", err=True)
    app = create_app(config)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo(f"docgen workspace: http://{shown}:{port}/  (data: {config.data}; Ctrl-C stops it)", err=True)
    # Keep-alive longer than a reverse proxy's (nginx 60 s): with uvicorn's 5 s, a connection idle
    # for 5 s could be closed just as the next request went out on it (a reset seen under load).
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False,
                timeout_keep_alive=75)
