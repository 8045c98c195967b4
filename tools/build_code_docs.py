"""Regenerate models/_code_lists.md (the code lists as dbt doc blocks) from the seed CSVs."""
from ogi.code_docs import CODE_LISTS_FILE, render_code_lists

if __name__ == "__main__":
    CODE_LISTS_FILE.write_text(render_code_lists(), encoding="utf-8")
