"""Regenerate seeds/division_records.csv from data/divisions (see data/divisions/SOURCE.md)."""
from pathlib import Path

from loaders.divisions import write_division_seed

if __name__ == "__main__":
    write_division_seed(Path(__file__).resolve().parents[1] / "seeds" / "division_records.csv")
