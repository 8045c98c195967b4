"""`make bench`: the pipeline on synthetic corpora of 10,000 and 100,000 reports, measured.

The corpus is `ogi synth`'s text, HTML and DOCX reports and, as a share of them (`--pdf-share`,
default 0.1), its PDF reports, generated with another seed into the same folder. For each size: the parser's CPU
per report and format in one process over a sample of each format (ms per report, and per page for
PDF) with its profile by stage (format reading, metadata, table location, prose, the rest), the floor (read and decode every file in one process: what any parser must pay),
then `ogi load`, `ogi build` and `ogi check` on a fresh staging folder and warehouse, then a re-run
of the three with nothing changed. Per stage it prints the wall time, the CPU time of the process
tree, reports per second and peak memory (the PSS of the process tree, sampled), and the loader's
ratio to the floor. Results are appended to docs/bench-results.csv with the machine they came from.

With `--executor dask` the load also runs on Dask (a local cluster of one worker per core, started
by `ogi load --executor dask`, its start timed with the load) into a staging folder of its own,
right after the process pool's load of the same corpus: both figures come from one run, each with
the load average when it started, and the two staging snapshots are compared byte for byte.

This prints figures; it asserts nothing. Corpora are generated once (`ogi synth`, not timed) and
kept under --work; other processes on the machine slow every stage, so the load average at the
start is recorded with the results.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
OGI = Path(sys.executable).with_name("ogi")
RESULTS = PROJECT / "docs" / "bench-results.csv"
COLUMNS = ["run_at", "commit", "machine", "load_average", "reports", "formats", "stage", "wall_s", "cpu_s",
           "reports_per_s", "peak_mib", "floor_s", "ratio_to_floor", "note"]


@dataclass
class Stage:
    name: str
    wall: float
    cpu: float
    peak_mib: float
    returncode: int
    output: str
    load_average: float  # of the machine when the stage started


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(pid))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _memory_kib(pid: int) -> int:
    """Proportional set size (shared pages split between the processes that share them)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_stage(name: str, args: list[str], cwd: Path) -> Stage:
    """Run an `ogi` command; sample the memory of its process tree every 0.2 s."""
    load_average = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen([str(OGI), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], sum(_memory_kib(p) for p in _tree(process.pid)))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.communicate()[0]
    wall = time.monotonic() - started
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of the largest process, for when PSS is not available.
    peak_mib = max(peak[0], after.ru_maxrss if after.ru_maxrss > before.ru_maxrss else 0) / 1024
    return Stage(name, wall, cpu, peak_mib, process.returncode, output, load_average)


def floor(corpus: Path) -> tuple[float, float, int]:
    """Read and decode every file, in this process: (wall, cpu, files)."""
    from loaders.decode import decode_bytes

    started, cpu = time.monotonic(), time.process_time()
    count = 0
    for root, dirs, names in os.walk(corpus):
        dirs.sort()
        for name in sorted(names):
            with open(os.path.join(root, name), "rb") as f:
                decode_bytes(f.read())
            count += 1
    return time.monotonic() - started, time.process_time() - cpu, count


def corpus_for(size: int, formats: str, pdf_share: float, work: Path) -> Path:
    """`size` synthetic reports: `formats`, and a share of them in PDF (generated apart, with another
    seed, into reports/pdf)."""
    out = work / (f"synth-{size}-{formats.replace(',', '-')}" + (f"-pdf{pdf_share:g}" if pdf_share else ""))
    pdfs = round(size * pdf_share)
    parts = [(out, size - pdfs, formats, "1")] + ([(out / "pdf", pdfs, "pdf", "2")] if pdfs else [])
    if all(_generated(folder, count) for folder, count, _, _ in parts):
        return out / "reports"
    subprocess.run(["rm", "-rf", str(out)], check=True)
    for folder, count, kinds, seed in parts:
        print(f"generating {count} reports ({kinds}) in {folder} ...", flush=True)
        subprocess.run([str(OGI), "synth", str(count), "--out", str(folder), "--formats", kinds, "--seed", seed], check=True)
    if pdfs:
        os.rename(out / "pdf" / "reports", out / "reports" / "pdf")
    return out / "reports"


def _generated(folder: Path, count: int) -> bool:
    options = folder / "truth" / "options.json"
    if not options.exists():
        return False
    saved = json.loads(options.read_text())
    from ogi.synth import GENERATOR_VERSION

    return saved.get("count") == count and saved.get("generator_version") == GENERATOR_VERSION


# The parser's stages, as named in loaders.parse (module, attribute), for the profile by stage.
PARSE_STAGES = {
    "format reading": ("loaders.parse", "read_document"),
    "metadata": ("loaders.parse", "describe"),
    "table location": ("loaders.parse", "_locate_tables"),
    "segmenting": ("loaders.segment", "cut_at_labels"),
    "prose": ("loaders.parse", "extract_facts"),
    "statistics tables": ("loaders.tables.legacy_statistics", "extract"),
    "publication date": ("loaders.parse", "publication_date"),
}
SAMPLE_PER_FORMAT = 300


def parse_cpu(corpus: Path) -> tuple[dict[str, tuple[int, float, int]], dict[str, float]]:
    """In this process, over up to SAMPLE_PER_FORMAT files of each format (chosen evenly by path):
    per format (reports, CPU seconds, PDF pages), and the CPU seconds of each parser stage."""
    import importlib

    from loaders.formats import detect_format
    from loaders.parse import parse_report
    from loaders.registry import load_registry

    by_format: dict[str, list[Path]] = {}
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        by_format.setdefault(path.suffix.lower().lstrip("."), []).append(path)
    registry = load_registry()
    stages: dict[str, float] = {name: 0.0 for name in PARSE_STAGES}
    originals = []
    for name, (module_name, attribute) in PARSE_STAGES.items():
        module = importlib.import_module(module_name)
        original = getattr(module, attribute)
        originals.append((module, attribute, original))

        def timed(*args, _original=original, _name=name, **kwargs):
            started = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                stages[_name] += time.process_time() - started
        setattr(module, attribute, timed)
    results: dict[str, tuple[int, float, int]] = {}
    try:
        parse_report(b"warm up", "warm-up.txt", registry)
        for stage in stages:
            stages[stage] = 0.0
        for paths in by_format.values():
            step = max(1, len(paths) // SAMPLE_PER_FORMAT)
            for path in paths[::step][:SAMPLE_PER_FORMAT]:
                data = path.read_bytes()
                kind = detect_format(data)
                started = time.process_time()
                parse_report(data, str(path), registry)
                spent = time.process_time() - started
                pages = _pdf_pages(data) if kind == "pdf" else 0
                n, cpu, p = results.get(kind, (0, 0.0, 0))
                results[kind] = (n + 1, cpu + spent, p + pages)
    finally:
        for module, attribute, original in originals:
            setattr(module, attribute, original)
    return results, stages


def _pdf_pages(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores {model}, {memory / 2**20:.0f} GiB"


def commit() -> str:
    done = subprocess.run(["git", "-C", str(PROJECT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "?"


def same_staging(a: Path, b: Path) -> bool:
    """Whether two staging folders' current snapshots hold the same Parquet files, byte for byte."""
    import filecmp

    def parts(staging: Path) -> dict[str, Path]:
        current = (staging / "current").resolve()
        return {str(p.relative_to(current)): p for p in current.rglob("*.parquet")}

    pa_, pb = parts(a), parts(b)
    return sorted(pa_) == sorted(pb) and all(filecmp.cmp(pa_[n], pb[n], shallow=False) for n in pa_)


def bench(size: int, formats: str, pdf_share: float, work: Path, executor: str = "processes") -> list[dict]:
    corpus = corpus_for(size, formats, pdf_share, work)
    if pdf_share:
        formats += f",pdf ({pdf_share:.0%})"
    run = work / f"run-{size}"
    subprocess.run(["rm", "-rf", str(run)], check=True)
    run.mkdir(parents=True)
    staging, db = run / "staging", run / "ogi.duckdb"
    load_average = os.getloadavg()[0]
    floor_wall, floor_cpu, files = floor(corpus)
    print(f"\n== {size} reports ({files} files, {formats}) on {machine()}, load average {load_average:.1f}", flush=True)
    print(f"floor (read + decode, one process): {floor_wall:.1f}s wall, {floor_cpu:.1f}s CPU", flush=True)
    per_format, stage_cpu = parse_cpu(corpus)
    parse_rows = []
    print("parser CPU in one process (a sample of each format):")
    for kind, (n, cpu, pages) in sorted(per_format.items()):
        per_page = f", {1000 * cpu / pages:.1f} ms per page ({pages} pages)" if pages else ""
        line = f"{1000 * cpu / n:.2f} ms CPU per report over {n} reports{per_page}"
        print(f"  {kind:<10}{line}", flush=True)
        parse_rows.append(("parse CPU (one process): " + kind, cpu, n, line))
    text_formats = [(n, cpu) for kind, (n, cpu, _) in per_format.items() if kind != "pdf"]
    if text_formats:
        n, cpu = sum(x for x, _ in text_formats), sum(c for _, c in text_formats)
        line = f"{1000 * cpu / n:.2f} ms CPU per report over {n} reports"
        print(f"  not PDF   {line}", flush=True)
        parse_rows.append(("parse CPU (one process): text, markdown, html, docx", cpu, n, line))
    total_reports = sum(n for n, _, _ in per_format.values())
    total_cpu = sum(cpu for _, cpu, _ in per_format.values())
    shares = ", ".join(f"{name} {100 * t / total_cpu:.0f}%" for name, t in sorted(stage_cpu.items(), key=lambda x: -x[1]))
    shares += f", the rest {100 * (total_cpu - sum(stage_cpu.values())) / total_cpu:.0f}%"
    print(f"  all       {1000 * total_cpu / total_reports:.2f} ms CPU per report; by stage: {shares}", flush=True)
    parse_rows.append(("parse CPU (one process): all, by stage", total_cpu, total_reports,
                       f"{1000 * total_cpu / total_reports:.2f} ms CPU per report; by stage: {shares}"))
    stages = [run_stage("load", ["load", str(corpus), "--staging", str(staging)], run)]
    if executor == "dask":
        dask_staging = run / "staging-dask"
        stages.append(run_stage("load (dask, local cluster)", ["load", str(corpus), "--staging", str(dask_staging),
                                                              "--executor", "dask"], run))
    stages += [
        run_stage("build", ["build", "--staging", str(staging), "--db", str(db)], run),
        run_stage("check", ["check", "--staging", str(staging), "--db", str(db)], run),
        run_stage("load (re-run, nothing changed)", ["load", str(corpus), "--staging", str(staging)], run),
        run_stage("build (re-run, nothing changed)", ["build", "--staging", str(staging), "--db", str(db)], run),
        run_stage("check (re-run, nothing changed)", ["check", "--staging", str(staging), "--db", str(db)], run),
    ]
    rows = []
    first = {s.name: s for s in stages if s.name in ("load", "build", "check")}
    print(f"{'stage':<34}{'wall s':>9}{'CPU s':>9}{'reports/s':>11}{'peak MiB':>10}  note")
    for s in stages:
        note = ""
        if s.returncode not in (0, 1) or (s.returncode == 1 and not s.name.startswith("check")):
            note = f"exit {s.returncode}: " + s.output[-300:].replace("\n", " | ")
        elif s.name.startswith("load"):
            note = next((line.strip() for line in s.output.splitlines() if line.startswith("load:")), "")
            if s.name == "load (dask, local cluster)":
                pool = first["load"]
                said = next((line.strip() for line in s.output.splitlines() if line.strip().startswith("executor:")), "")
                note = (f"{pool.wall / s.wall:.2f}x the process pool's throughput ({size / s.wall:.0f} against "
                        f"{size / pool.wall:.0f} reports/s; load average {s.load_average:.1f} against {pool.load_average:.1f}); "
                        f"staging {'identical' if same_staging(staging, dask_staging) else 'DIFFERENT'}; {said}; {note}")
            else:
                note = f"load average {s.load_average:.1f} at its start; {note}"
        elif s.name.startswith("check"):
            note = next((line.strip() for line in s.output.splitlines() if line.startswith("check:")), "")[:140]
        base = s.name.split(" ")[0]
        if "re-run" in s.name and base in first:
            note = f"{100 * s.wall / first[base].wall:.1f}% of the first {base}; " + note
        ratio = s.wall / floor_wall if s.name == "load" else None
        print(f"{s.name:<34}{s.wall:>9.1f}{s.cpu:>9.1f}{size / s.wall:>11.0f}{s.peak_mib:>10.0f}  {note[:300]}", flush=True)
        rows.append({
            "run_at": time.strftime("%Y-%m-%d %H:%M"), "commit": commit(), "machine": machine(),
            "load_average": f"{load_average:.1f}", "reports": size, "formats": formats, "stage": s.name,
            "wall_s": f"{s.wall:.1f}", "cpu_s": f"{s.cpu:.1f}", "reports_per_s": f"{size / s.wall:.0f}",
            "peak_mib": f"{s.peak_mib:.0f}", "floor_s": f"{floor_wall:.1f}",
            "ratio_to_floor": f"{ratio:.1f}" if ratio else "", "note": note,
        })
    for name, cpu, n, note in parse_rows:
        rows.append({**rows[0], "stage": name, "wall_s": "", "cpu_s": f"{cpu:.2f}", "reports_per_s": f"{n / cpu:.0f}",
                     "peak_mib": "", "ratio_to_floor": "", "note": note})
    end_to_end = sum(first[n].wall for n in ("load", "build", "check"))
    rerun = sum(s.wall for s in stages if "re-run" in s.name)
    print(f"end to end: {end_to_end:.1f}s; re-run with nothing changed: {rerun:.1f}s ({100 * rerun / end_to_end:.1f}%); "
          f"loader / floor: {first['load'].wall / floor_wall:.1f}x wall, {first['load'].cpu / max(floor_cpu, 1e-9):.1f}x CPU",
          flush=True)
    rows.append({**rows[0], "stage": "end to end (load + build + check)", "wall_s": f"{end_to_end:.1f}",
                 "cpu_s": f"{sum(first[n].cpu for n in first):.1f}", "reports_per_s": f"{size / end_to_end:.0f}",
                 "peak_mib": f"{max(s.peak_mib for s in first.values()):.0f}", "ratio_to_floor": "",
                 "note": f"re-run with nothing changed {rerun:.1f}s ({100 * rerun / end_to_end:.1f}%)"})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes (default 10000,100000)")
    parser.add_argument("--formats", default="text,html,docx", help="formats of the synthetic reports (default text,html,docx: every format synth writes)")
    parser.add_argument("--pdf-share", type=float, default=0.1,
                        help="share of the reports in PDF (default 0.1; 0: none)")
    parser.add_argument("--work", default=str(PROJECT / "data" / "bench"), help="corpora and runs (default data/bench)")
    parser.add_argument("--results", default=str(RESULTS), help="CSV the results are appended to")
    parser.add_argument("--executor", choices=("processes", "dask"), default="processes",
                        help="dask: also load each corpus through Dask on a local cluster, after the process pool")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    results = Path(args.results)
    for size in (int(s) for s in args.sizes.split(",")):
        rows = bench(size, args.formats, args.pdf_share, work, args.executor)
        new = not results.exists()
        with open(results, "a", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            if new:
                writer.writeheader()
            writer.writerows(rows)
    print(f"\nresults appended to {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
