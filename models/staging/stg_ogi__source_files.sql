select
    source_path,
    report_id,
    source_sha256,
    size_bytes
from {{ source('ogi', 'source_files') }}
