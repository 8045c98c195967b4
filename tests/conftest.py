from pathlib import Path

import pytest

from loaders.registry import load_registry

PROJECT_DIR = Path(__file__).resolve().parents[1]
SAMPLES = PROJECT_DIR / "data" / "samples"


@pytest.fixture(scope="session")
def registry():
    return load_registry()


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES
