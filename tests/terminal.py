"""Run `ogi` as a person does, with its output on a terminal (a pseudo-terminal), and read what it
draws there: its summaries and its progress bars, redrawn after carriage returns."""
from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path

OGI = Path(sys.executable).with_name("ogi")


class Terminal:
    """`ogi ARGS` started with standard output and error on a terminal of `columns` columns."""

    def __init__(self, *args: str, cwd: Path | None = None, columns: int = 120):
        self._leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
        self.process = subprocess.Popen([str(OGI), *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=follower,
                                        stderr=follower, env={**os.environ, "TERM": "xterm"})
        os.close(follower)
        self.output = ""

    def read_until(self, seen: Callable[[str], bool]) -> bool:
        """Read what the process draws until `seen(everything drawn so far)`; False if it ended first."""
        while not seen(self.output):
            try:
                chunk = os.read(self._leader, 65536)
            except OSError:  # EIO: the process has ended and closed the terminal
                chunk = b""
            if not chunk:
                return False
            self.output += chunk.decode("utf-8", errors="replace")
        return True

    def wait(self) -> int:
        self.read_until(lambda _: False)
        os.close(self._leader)
        return self.process.wait()


def run_in_terminal(*args: str, cwd: Path | None = None, columns: int = 120) -> tuple[int, str]:
    """(exit status, everything the command drew on the terminal: standard output and error together)."""
    terminal = Terminal(*args, cwd=cwd, columns=columns)
    return terminal.wait(), terminal.output
