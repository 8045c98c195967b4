-- One row per division code. A code can carry several names over time (状态 变更); the row shows the
-- latest record, and first_valid_from / valid_to span the code's whole life. series_code is the code
-- its figures continue under after a re-zoning (int_divisions__series); dim_jurisdiction_history
-- has every record.
with records as (
    select
        *,
        row_number() over (partition by division_code order by valid_from desc) as recency
    from {{ ref('division_records') }}
),

lifetimes as (
    select division_code, min(valid_from) as first_valid_from
    from records
    group by division_code
)

select
    records.division_code,
    records.name,
    records.level,
    records.province_code,
    records.province_name,
    case records.level
        when 'prefecture' then records.division_code
        when 'county' then records.prefecture_code
    end as prefecture_code,
    case records.level
        when 'prefecture' then records.name
        when 'county' then records.prefecture_name
    end as prefecture_name,
    records.status,
    lifetimes.first_valid_from,
    records.valid_to,
    records.successor_codes,
    series.series_code,
    series.series_name,
    series.series_rule,
    series.followed_code,
    series.followed_from_year
from records
inner join lifetimes using (division_code)
inner join {{ ref('int_divisions__series') }} as series using (division_code)
where records.recency = 1
