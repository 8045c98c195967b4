"""`pip install` of the wheel, not an editable clone: the wheel carries the dbt project (dbt_project.yml,
models/, seeds/, macros/, analyses/, tests/dbt/, profiles.yml), and the installed `ogi`, in a fresh
environment (the project's dependencies at the versions of requirements.lock), runs on the samples
from another folder, then writes the report and the export."""
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.scratch_env import venv

PROJECT_DIR = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())


# What a checkout has that is not source: built from a copy without them, nothing stale gets in.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", ".test-cache", "build", "data", "test-artifacts", "*.egg-info",
                                    "__pycache__", ".pytest_cache", ".hypothesis")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source, out = tmp_path_factory.mktemp("source") / "ogi-warehouse", tmp_path_factory.mktemp("wheel")
    shutil.copytree(PROJECT_DIR, source, ignore=NOT_SOURCE)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(source)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("ogi_warehouse-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel) -> Path:
    """The `bin/` of an environment with the project's declared dependencies (pinned by the lock) and
    the wheel: made once per lock and dependency list, the wheel installed again every time."""
    python = venv("wheel", ["-c " + str(PROJECT_DIR / "requirements.lock"), *PYPROJECT["project"]["dependencies"]])
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                           "--force-reinstall", str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # Every dependency the wheel declares is installed, at a version it accepts.
    check = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    return python.parent


def test_the_wheel_carries_the_dbt_project(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    in_project = {n.removeprefix("ogi_project/") for n in names if n.startswith("ogi_project/")}
    tracked = subprocess.run(["git", "ls-files", "dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "analyses",
                              "tests/dbt"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True).stdout.split()
    assert set(tracked) <= in_project, sorted(set(tracked) - in_project)
    # Every module of the packages, and the report's templates and assets.
    code = subprocess.run(["git", "ls-files", "ogi", "loaders", "expectations"], cwd=PROJECT_DIR, capture_output=True,
                          text=True, check=True).stdout.split()
    code += [str(p.relative_to(PROJECT_DIR)) for folder in ("ogi", "loaders", "expectations")
             for p in (PROJECT_DIR / folder).rglob("*.py") if "__pycache__" not in p.parts]
    assert set(code) <= names, sorted(set(code) - names)


def test_the_installed_wheel_runs_on_the_samples_from_another_folder(installed, tmp_path, samples_dir):
    def ogi(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(installed / "ogi"), *args], cwd=tmp_path, capture_output=True, text=True)

    version = ogi("--version")
    assert version.stdout.strip() == f"ogi {PYPROJECT['project']['version']}"
    # The code and the dbt project it uses are the installed ones, not this checkout.
    where = subprocess.run([str(installed / "python"), "-c", "import ogi.paths; print(ogi.paths.PROJECT_DIR)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()
    assert where.endswith("site-packages/ogi_project") and not where.startswith(str(PROJECT_DIR) + "/ogi")

    run = ogi("run", str(samples_dir))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "load: 5 files, 5 reports (ok 4, partial 1, failed 0)" in run.stdout
    assert re.search(r"build: ok \(.*model success: \d+", run.stdout) and "check: PASSED" in run.stdout
    assert (tmp_path / "data" / "ogi.duckdb").is_file()

    report = ogi("report")
    assert report.returncode == 0, report.stdout + report.stderr
    assert (tmp_path / "data" / "ogi.report" / "jurisdictions" / "510500.html").is_file()
    export = ogi("export")
    assert export.returncode == 0, export.stdout + export.stderr
    assert (tmp_path / "data" / "ogi.export" / "csv" / "fct_jurisdiction_year.csv").is_file()
