-- One row per division code. A code can carry several names over time (状态 变更); the row shows the
-- latest record, and first_valid_from / valid_to span the code's whole life. series_code is the code
-- its figures continue under after a re-zoning (int_divisions__series); dim_jurisdiction_history
-- has every record.
select
    periods.division_code,
    periods.name,
    periods.level,
    periods.province_code,
    periods.province_name,
    periods.prefecture_code,
    periods.prefecture_name,
    periods.status,
    periods.first_valid_from,
    periods.valid_to,
    periods.successor_codes,
    series.series_code,
    series.series_name,
    series.series_rule,
    series.followed_code,
    series.followed_from_year
from {{ ref('int_divisions__periods') }} as periods
inner join {{ ref('int_divisions__series') }} as series using (division_code)
where periods.is_latest
