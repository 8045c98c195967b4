"""Fresh virtual environments for the tests that check what a user's own tools see (an older DuckDB, a
clean install of the wheel). They are kept under .test-cache/ (the tests' own folder, ignored by git
and removed by `make clean`) and made again when what they hold changes. Packages come from the
registry pip is configured with here; a failed install fails the test that needs it."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
CACHE_DIR = PROJECT_DIR / ".test-cache"


def venv(name: str, requirements: list[str]) -> Path:
    """The Python of the environment `name` holding exactly `requirements` (pip specifiers, paths to
    wheels, or `-r file` lines), made if missing or made for other requirements."""
    folder = CACHE_DIR / name
    python = folder / "bin" / "python"
    wanted = "\n".join(requirements) + "\n"
    for line in requirements:  # a file named in the requirements is part of what the environment holds
        path = Path(line.split()[-1])
        if path.is_file():
            wanted += f"# {path.name} {hashlib.sha256(path.read_bytes()).hexdigest()}\n"
    stamp = folder / "installed.txt"
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, capture_output=True)
    args = [arg for line in requirements for arg in line.split()]
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args],
                          capture_output=True, text=True)
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"pip could not install {args} into a fresh environment:\n{done.stdout}\n{done.stderr}")
    stamp.write_text(wanted)
    return python
