"""OCR of pages in worker threads, results handed back in page order.

PDFium is not thread-safe, so pages are rendered on the calling thread; only recognition (which
releases the GIL) runs in the workers. At most `2 x jobs` pages wait rendered at a time, so memory
stays bounded however long the file.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from extract.ocr import OcrEngine, OcrSettings, open_engine

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")


class Engines:
    """One OCR engine per worker thread, opened on first use, all closed together."""

    def __init__(self, settings: OcrSettings):
        self.settings = settings
        self._local = threading.local()
        self._opened: list[OcrEngine] = []
        self._lock = threading.Lock()

    def get(self) -> OcrEngine:
        engine = getattr(self._local, "engine", None)
        if engine is None:
            engine = self._local.engine = open_engine(self.settings)
            with self._lock:
                self._opened.append(engine)
        return engine

    def describe(self) -> tuple[str, str]:
        """(name, version) of the engine, opening one on this thread if none is open yet."""
        engine = self._opened[0] if self._opened else self.get()
        return engine.name, engine.version

    def close(self) -> None:
        for engine in self._opened:
            engine.close()
        self._opened.clear()


def in_order(items: Iterable[T | Callable[[], T]], jobs: int) -> Iterator[T]:
    """Each item as given, or (a callable) what it returns, in order; callables run in up to
    `jobs` threads, at most 2 x jobs of them started ahead of the item being handed back."""
    if jobs <= 1:
        for item in items:
            yield item() if callable(item) else item
        return
    from concurrent.futures import Future, ThreadPoolExecutor  # a run with one thread never needs them

    pending: deque[Future | tuple[T]] = deque()
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="nap-ocr") as pool:
        try:
            for item in items:
                pending.append(pool.submit(item) if callable(item) else (item,))
                while sum(isinstance(p, Future) for p in pending) > 2 * jobs:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        finally:
            for p in pending:
                if isinstance(p, Future):
                    p.cancel()


def _result(p):
    return p[0] if isinstance(p, tuple) else p.result()
