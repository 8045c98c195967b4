-- Every division record (one per code and period of validity) with its parents as analysts use
-- them: a prefecture is its own prefecture; a county under a province or a municipality has none.
-- is_latest marks the code's latest record, first_valid_from the start of the code's whole life.
select
    division_code,
    valid_from,
    valid_to,
    name,
    level,
    status,
    province_code,
    province_name,
    case level
        when 'prefecture' then division_code
        when 'county' then prefecture_code
    end as prefecture_code,
    case level
        when 'prefecture' then name
        when 'county' then prefecture_name
    end as prefecture_name,
    successor_codes,
    valid_from = max(valid_from) over (partition by division_code) as is_latest,
    min(valid_from) over (partition by division_code) as first_valid_from
from {{ ref('division_records') }}
