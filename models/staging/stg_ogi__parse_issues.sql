select
    report_id,
    source_path,
    severity,
    code,
    message,
    line
from {{ source('ogi', 'parse_issues') }}
