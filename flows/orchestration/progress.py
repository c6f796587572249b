"""Progress of a long run on stderr, for a person at a terminal; silent in CI logs.

The command line turns it on when stderr is a terminal (a bar redrawn in place) or when asked
with ``--progress`` (one plain line per finished stage, fit for log files). Scheduled runs and
tests leave it off. The flow reports stages and item counts; it never prints itself.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_BAR_WIDTH = 24


class Progress:
    """Reports the current stage and how many of its items are done."""

    def __init__(self, stream: TextIO | None = None, live: bool = False) -> None:
        self.stream = stream
        self.live = live
        self._stage = ""
        self._unit = ""
        self._total: int | None = None
        self._done = 0
        self._started = 0.0

    @property
    def enabled(self) -> bool:
        """Whether anything is printed at all."""
        return self.stream is not None

    def stage(self, name: str, total: int | None = None, unit: str = "files") -> None:
        """A stage starts; ``total`` items are to be done (None when unknown)."""
        self._stage, self._total, self._unit, self._done = name, total, unit, 0
        self._started = time.monotonic()
        if self.live:
            self._draw()

    def advance(self, count: int = 1) -> None:
        """``count`` more items of the current stage are done."""
        self._done += count
        if self.live:
            self._draw()

    def finish(self, detail: str = "") -> None:
        """The current stage is done; ``detail`` says what it produced."""
        if self.stream is None or not self._stage:
            return
        if self._total is not None:
            self._done = self._total
        seconds = time.monotonic() - self._started
        counted = f"{self._done:,} {self._unit}" if self._total is not None else ""
        parts = [p for p in (counted, detail, f"{seconds:.1f}s") if p]
        line = f"newswire: {self._stage:<10} {', '.join(parts)}"
        if self.live:
            self.stream.write("\r\033[K" + line + "\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self._stage = ""

    def _draw(self) -> None:
        if self.stream is None:
            return
        seconds = time.monotonic() - self._started
        if self._total:
            filled = min(_BAR_WIDTH, _BAR_WIDTH * self._done // self._total)
            bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
            text = f"[{bar}] {self._done:,}/{self._total:,} {self._unit}"
        else:
            text = "..."
        self.stream.write(f"\r\033[Knewswire: {self._stage:<10} {text} {seconds:.0f}s")
        self.stream.flush()


_current = Progress()


def configure(enabled: bool | None, stream: TextIO | None = None) -> Progress:
    """Turn progress on (True), off (False) or on only for a terminal (None)."""
    global _current
    target = stream if stream is not None else sys.stderr
    is_terminal = target.isatty()
    if enabled is None:
        enabled = is_terminal
    _current = Progress(target if enabled else None, live=enabled and is_terminal)
    return _current


def use(reporter: Progress) -> None:
    """Make ``reporter`` the one the flow writes to (the benchmark's, which watches memory)."""
    global _current
    _current = reporter


def current() -> Progress:
    """The reporter the flow writes to (silent unless the command line configured one)."""
    return _current
