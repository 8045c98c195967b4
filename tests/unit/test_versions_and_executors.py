"""Republished versions, publication dates, and the executors' handling of lost work."""
import datetime as dt
import errno
import os
import signal
import time

import pytest

from loaders.executors import Lost, ProcessPoolExecutor, SerialExecutor
from loaders.versions import Candidate, choose_versions, publication_date


def test_publication_date_from_the_label_or_the_sign_off():
    assert publication_date(["标题", "发布日期: 2018-02-23 09:40 来源: 东阳市人民政府"]) == dt.date(2018, 2, 23)
    assert publication_date(["標題", "發佈時間：2021/1/5"]) == dt.date(2021, 1, 5)
    assert publication_date(["正文"] * 100 + ["义乌市人民政府办公室", "2021年1月29日", ""]) == dt.date(2021, 1, 29)
    assert publication_date(["正文", "某某局", "二〇二一年一月二十日"]) == dt.date(2021, 1, 20)
    assert publication_date(["正文", "二〇二〇年十二月三日"]) == dt.date(2020, 12, 3)
    # A date inside prose is not a publication date; an impossible date is none.
    assert publication_date(["2020年1月1日至2020年12月31日的数据", "正文"]) is None
    assert publication_date(["发布日期：2021-02-30"]) is None



def test_publication_date_in_a_field_table_and_on_a_pdfs_numbered_lines():
    """A page's field table puts the date in the next cell; a PDF's lines are numbered from 1001, so
    the first lines with text come after a thousand empty entries."""
    assert publication_date(["索引号： | 001008003017002/2022-123456", "发布日期： | 2022-01-20 | 公开方式： | 主动公开"]) == (
        dt.date(2022, 1, 20))
    assert publication_date([""] * 1000 + ["标题", "发布⽇期： | 2022-01-20"] + ["正文"] * 30) == dt.date(2022, 1, 20)


def candidate(report_id, status="ok", published=None, figures=200, organ="某县财政局", year=2020):
    return Candidate(report_id, status, organ, "330100", year, published, figures)


def test_the_current_version_and_why():
    versions = choose_versions([
        candidate("aa", published=dt.date(2021, 1, 20)),
        candidate("bb", published=dt.date(2021, 3, 5)),
        candidate("cc", status="partial", published=dt.date(2021, 6, 1)),
        candidate("dd", organ="另一个局"),
        candidate("ee", status="failed", organ=None, year=None),
    ])
    assert versions["bb"].is_current_version and versions["bb"].version_reason == "latest publication (2021-03-05) of 3 versions"
    assert not versions["aa"].is_current_version
    assert versions["aa"].version_reason == "superseded by bb: latest publication (2021-03-05) of 3 versions"
    assert versions["cc"].current_report_id == "bb" and versions["cc"].version_count == 3
    assert versions["dd"].version_reason == versions["ee"].version_reason == "only version"


def test_completeness_before_date_and_ties_are_said():
    versions = choose_versions([candidate("aa", status="partial", published=dt.date(2022, 1, 1)), candidate("bb")])
    assert versions["bb"].version_reason == "most complete parse (ok) of 2 versions"
    versions = choose_versions([candidate("aa", figures=10), candidate("bb", figures=220)])
    assert versions["bb"].version_reason == "most figures read (220) of 2 versions"
    versions = choose_versions([candidate("bb"), candidate("aa")])
    assert versions["aa"].is_current_version and "first by report id; check both" in versions["aa"].version_reason


def _square(n, tick):
    tick()
    return n * n


def _die_on_three(n, tick):
    if n == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def _hang_on_two(n, tick):
    tick()
    if n == 2:
        while True:  # never ticks again: only the pool's stall detection can stop it
            time.sleep(3600)
    return n


def _items_then_hang(items, tick):
    for n in items:
        tick(1.0)
        tick.note(f"item {n}")
        if n == 2:
            while True:  # past its limit of 1 second, for ever
                time.sleep(3600)
    return items


def _no_space(n, tick):
    raise OSError(errno.ENOSPC, "No space left on device", f"/spool/{n}")


def test_serial_executor():
    assert list(SerialExecutor().map(_square, [1, 2])) == [(1, 1), (2, 4)]


def test_pool_runs_everything_and_survives_dead_and_stuck_workers():
    with ProcessPoolExecutor(2) as pool:
        assert sorted(r for _, r in pool.map(_square, range(10))) == [n * n for n in range(10)]
        results = dict(pool.map(_die_on_three, range(6)))
        assert isinstance(results[3], Lost) and "killed by SIGKILL" in results[3].reason
        assert [results[n] for n in (0, 1, 2, 4, 5)] == [0, 1, 2, 4, 5]
        results = dict(pool.map(_hang_on_two, range(4), stall_after=1))
        assert isinstance(results[2], Lost) and "no progress for 1s" in results[2].reason
        assert [results[n] for n in (0, 1, 3)] == [0, 1, 3]
        # The replaced workers take new work.
        assert sorted(r for _, r in pool.map(_square, range(4))) == [0, 1, 4, 9]


def test_pool_kills_an_item_past_its_limit_says_which_and_passes_errors_on():
    with ProcessPoolExecutor(1) as pool:
        [(task, lost)] = list(pool.map(_items_then_hang, [(1, 2, 3)]))
        assert (task, lost) == ((1, 2, 3), Lost("its file outlived 1s: worker killed", 2, True, "item 2"))
        with pytest.raises(OSError, match="No space left on device") as raised:
            list(pool.map(_no_space, [7]))
        assert raised.value.errno == errno.ENOSPC and raised.value.filename == "/spool/7"
        assert list(pool.map(_square, [3])) == [(3, 9)]


def test_pool_replaces_a_worker_that_died_while_idle():
    """A worker killed between tasks (the OOM killer, a Dask worker's child whose thread ended) is
    replaced before it is given a task: its pipe has no reader any more."""
    with ProcessPoolExecutor(1) as pool:
        assert list(pool.map(_square, [2])) == [(2, 4)]
        idle = pool._workers[0].process
        idle.kill()
        idle.join()
        assert list(pool.map(_square, [3])) == [(3, 9)]
