"""The progress display of a text run in a terminal: files indexed, files reviewed, on stderr.

It appears only once a run has lasted DELAY seconds, so a quick run prints nothing, and it is
transient: it leaves no trace once the run is done. The engine reports progress through a
callback (engine.OnProgress) and knows nothing about rich."""

from __future__ import annotations

import sys
import threading
import time

DELAY = 1.0  # seconds before the display appears
LABELS = {"index": "indexed", "review": "reviewed"}


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


class ProgressDisplay:
    """A context manager whose `update` is the engine's on_progress callback. The rich display
    starts on the first update after DELAY seconds, or from a timer when no update comes."""

    def __init__(self, console=None):
        self.console = console
        self.totals: dict[str, tuple[int, int]] = {}  # phase -> (done, total), last heard
        self._progress = None
        self._tasks: dict[str, int] = {}
        self._lock = threading.Lock()
        self._started_at = 0.0
        self._timer: threading.Timer | None = None
        self._closed = False

    def __enter__(self) -> ProgressDisplay:
        self._started_at = time.monotonic()
        self._timer = threading.Timer(DELAY, self._show)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            if self._progress is not None:
                self._progress.stop()

    def update(self, phase: str, done: int, total: int) -> None:
        with self._lock:
            self.totals[phase] = (done, total)
            if self._progress is None and time.monotonic() - self._started_at >= DELAY:
                self._start()
            self._sync()

    def _show(self) -> None:
        with self._lock:
            if self._progress is None:
                self._start()
                self._sync()

    def _start(self) -> None:
        if self._closed:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("[bold]djreview[/bold] files {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console or Console(stderr=True),
            transient=True,
            redirect_stdout=False,  # the report on stdout is never drawn into stderr
        )
        self._progress.start()

    def _sync(self) -> None:
        if self._progress is None:
            return
        for phase, (done, total) in self.totals.items():
            if phase not in self._tasks:
                self._tasks[phase] = self._progress.add_task(LABELS.get(phase, phase), total=total)
            self._progress.update(self._tasks[phase], completed=done, total=total)
