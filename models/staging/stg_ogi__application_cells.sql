select
    report_id,
    row_code,
    applicant,
    value,
    cell_state,
    raw_text,
    line
from {{ source('ogi', 'application_cells') }}
