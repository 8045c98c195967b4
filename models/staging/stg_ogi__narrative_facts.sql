select
    report_id,
    fact,
    value,
    unit,
    sentence,
    line
from {{ source('ogi', 'narrative_facts') }}
