"""The spool on a URL (loaders.spool through fsspec; here its in-memory filesystem): a task's rows
read back as written, and a load's spool folder is removed, with what a killed load left."""
import fsspec

from loaders import batch, spool


def issue(report_id: str, line: int) -> dict:
    return {"report_id": report_id, "source_path": f"{report_id}.txt", "severity": "warning", "code": "c",
            "message": f"{report_id}.txt: line {line}", "line": line}


def test_a_fragment_on_a_url_reads_back_by_bucket():
    by_bucket = [(2, [issue("c", 1), issue("c", 2)]), (0, [issue("a", 3)]), (2, [issue("d", 4)])]
    assert spool.join("memory://spool/one", "x.arrow") == "memory://spool/one/x.arrow"
    fragments = batch._write_fragments(
        "parse_issues", by_bucket, 4, lambda group: spool.join("memory://spool/one", f"000007-parse_issues-{group:02d}.arrow"))
    path = "memory://spool/one/000007-parse_issues-00.arrow"
    assert fragments == {0: (path, (0, 1, 1, 4, 4))}  # four buckets, one group
    fs = fsspec.filesystem("memory")
    assert fs.ls("/spool/one", detail=False) == ["/spool/one/000007-parse_issues-00.arrow"]  # the partial file renamed
    table = batch._read_fragment(path)
    assert table.slice(0, 1)["report_id"].to_pylist() == ["a"]
    assert table.slice(1, 3)["line"].to_pylist() == [1, 2, 4]


def test_a_loads_spool_is_removed_with_what_a_killed_load_left():
    fs = fsspec.filesystem("memory")

    def inner(url: str) -> str:  # the memory filesystem's own path of a memory:// URL
        return "/" + url.removeprefix("memory://")

    with spool.scratch("memory://spools", "/data/staging", ".spool-1") as first:
        fs.pipe(inner(first) + "/000000-reports.arrow", b"rows")
        owner = first.rsplit("/", 1)[0]
    assert not fs.exists(inner(owner))
    fs.pipe(inner(owner) + "/.spool-0/left-by-a-killed-load.arrow", b"rows")
    with spool.scratch("memory://spools", "/data/staging", ".spool-2") as second:
        assert second == owner + "/.spool-2" and fs.ls(inner(owner), detail=False) == [inner(second)]
        with spool.scratch("memory://spools", "/data/other-staging", ".spool-3") as other:  # another staging folder's
            assert not other.startswith(owner) and fs.exists(inner(second))
    assert not fs.exists(inner(owner))
