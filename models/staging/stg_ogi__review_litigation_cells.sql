select
    report_id,
    proceeding,
    result,
    value,
    cell_state,
    raw_text,
    line
from {{ source('ogi', 'review_litigation_cells') }}
