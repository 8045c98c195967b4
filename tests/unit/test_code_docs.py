"""The code lists in the docs are generated from the seeds, so a label lives in one place."""
from ogi.code_docs import CODE_LISTS, CODE_LISTS_FILE, render_code_lists


def test_code_list_doc_blocks_are_generated_from_the_seeds():
    assert CODE_LISTS_FILE.read_text(encoding="utf-8") == render_code_lists(), (
        "models/_code_lists.md is stale: run `python tools/build_code_docs.py`"
    )


def test_every_code_list_has_its_codes_and_labels():
    page = render_code_lists()
    assert page.count("{% docs code_list_") == len(CODE_LISTS) == page.count("{% enddocs %}")
    assert "| other_overdue_correction | 三（六）1 |" in page
    assert "| change_or_supplement | other_handling | other | medium |" in page
    assert "| litigation_after_review | 复议后起诉 |" in page
