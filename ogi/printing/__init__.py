"""Reports as publishers print them: the one renderer behind `ogi synth` and every test fixture.

A report is a list of blocks, ("title" | "h" | "p", text) and ("grid", Grid), in reading order. The
template's tables come out of `template` as grids of merged cells, built from the seeds (the printed
labels live there only); the callers decide the figures and the prose. Each output format has its
module and its layouts, the ones found in the wild:

    template   table 2 (one table, or one per 第二十条 block), table 3, table 4 (two layouts)
    text       one cell per line, with empty separator lines, tab-indented cells, tab-separated rows,
               labels then figures, pipe tables (merges as empty fillers), markdown
    html       the table markup and the pages around it: a plain page, a government portal page,
               Word's "save as web page", a traditional-script mirror, a page for a browser to print
    docx       WordprocessingML written directly (merged cells as Word writes them)
    pdf        PDF with CJK text in Adobe's predefined CID font and ruled tables, and a scanned page
"""
