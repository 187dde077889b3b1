"""What `docgen serve` was started with: the data folder, casebook, docgen.toml and the limits."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MB = 1 << 20


@dataclass(frozen=True)
class WebConfig:
    data: Path
    casebook: Path
    config_file: Path | None = None  # docgen.toml (None: ./docgen.toml when present, else defaults)
    max_upload: int = 20 * MB
    secure_cookies: bool = False  # set behind an HTTPS reverse proxy
    workers: int = max(1, os.cpu_count() or 1)
    job_timeout: float = 900.0

    @property
    def files(self) -> Path:
        return self.data / "files"

    @property
    def uploads(self) -> Path:
        return self.data / "uploads"

    def settings(self):
        from docgen.core.config import load_settings

        return load_settings(self.config_file)
