"""The progress display of a text run in a terminal: files indexed, files reviewed, on stderr.

It appears only once a run has lasted DELAY seconds, so a quick run prints nothing, and it is
transient: it leaves no trace once the run is done. The engine reports progress through a
callback (engine.OnProgress) and knows nothing about rich."""

from __future__ import annotations

import sys
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
    starts on the first update once DELAY seconds have passed, and is redrawn from the updates
    (at most REFRESH times a second): no thread of its own, so the process pools the engine
    starts never fork a process in the middle of a draw."""

    REFRESH = 10

    def __init__(self, console=None):
        self.console = console
        self.totals: dict[str, tuple[int, int]] = {}  # phase -> (done, total), last heard
        self._progress = None
        self._tasks: dict[str, int] = {}
        self._started_at = 0.0
        self._drawn_at = 0.0

    def __enter__(self) -> ProgressDisplay:
        self._started_at = time.monotonic()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def update(self, phase: str, done: int, total: int) -> None:
        self.totals[phase] = (done, total)
        now = time.monotonic()
        if self._progress is None:
            if now - self._started_at < DELAY:
                return
            self._start()
        assert self._progress is not None
        for name, (finished, size) in self.totals.items():
            if name not in self._tasks:
                self._tasks[name] = self._progress.add_task(LABELS.get(name, name), total=size)
            self._progress.update(self._tasks[name], completed=finished, total=size)
        if now - self._drawn_at >= 1 / self.REFRESH or done == total:
            self._drawn_at = now
            self._progress.refresh()

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("[bold]djreview[/bold] files {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console or Console(stderr=True),
            transient=True,
            auto_refresh=False,
            redirect_stdout=False,  # the report on stdout is never drawn into stderr
            redirect_stderr=False,
        )
        self._progress.start()
