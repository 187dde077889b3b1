"""The served casebook's search index: built in the background from start-up, kept current while serving.

`docgen serve` starts building (or reading from the on-disk cache) the index
as it starts, so no search waits on a cold build: a request that comes while
it is still being built waits at most WAIT seconds, then gets IndexBuilding
("being built, try again in a moment"). After the first build a background
thread looks for changed case files every few seconds, so no request pays
for the look (10,000 files take ~0.1 s to stat) or waits for a rebuild.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from docgen.core.errors import DocgenError

log = logging.getLogger("docgen.web")


class IndexBuilding(DocgenError):
    """The casebook's index is not built yet; the page says so and asks to try again."""


class CasebookIndex:
    CHECK_EVERY = 5.0
    WAIT = 2.0  # a request waits this long for a build about to finish before being told to come back

    def __init__(self, folder: Path, opener=None):
        self.folder = folder
        self._open = opener or _open_index
        self._lock = threading.Lock()  # starts the builder once
        self._ready = threading.Event()
        self._index = None
        self._key = None
        self._error: Exception | None = None
        self._thread: threading.Thread | None = None
        self._tags: dict[bool, tuple[object, list[str]]] = {}

    def start(self) -> None:
        """Build the index in the background (once); searches answer as soon as it is there."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="docgen-casebook", daemon=True)
                self._thread.start()

    def _load(self) -> None:
        from docgen.casebook.cache import fingerprint

        key = fingerprint(self.folder)
        if key != self._key:
            self._index, self._key = self._open(self.folder), key
        self._error = None

    def _run(self) -> None:
        started = time.monotonic()
        while True:
            try:
                self._load()  # only this thread loads; requests read self._index
            except Exception as exc:  # noqa: BLE001 — a broken or half-edited case file: keep the last index, say why
                self._error = exc
                log.warning("casebook %s: %s", self.folder, exc)
            if not self._ready.is_set():
                self._ready.set()
                log.info("casebook index ready in %.1f s", time.monotonic() - started)
            time.sleep(self.CHECK_EVERY)

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and self._index is not None

    def get(self):
        """The current index; IndexBuilding while the first build runs, the load error when it failed."""
        if self._thread is None:
            self.start()
        if not self._ready.wait(self.WAIT):
            raise IndexBuilding("the casebook index is being built; try again in a moment")
        if self._index is None:
            if isinstance(self._error, DocgenError):
                raise self._error
            raise IndexBuilding(f"the casebook could not be indexed ({self._error.__class__.__name__}); "
                                "the server tries again every few seconds")
        return self._index

    def tags(self, internal: bool) -> list[str]:
        """Every tag of the (external, or all) cases, sorted; computed once per index."""
        index = self.get()
        cached = self._tags.get(internal)
        if cached is None or cached[0] is not index:
            cached = (index, sorted({t for c in index.cases if internal or c.external for t in c.tags}))
            self._tags[internal] = cached
        return cached[1]


def _open_index(folder: Path):
    from docgen.casebook.cache import open_index

    return open_index(folder)
