select
    report_id,
    item,
    measure,
    value,
    cell_state,
    raw_text,
    line
from {{ source('ogi', 'disclosure_cells') }}
