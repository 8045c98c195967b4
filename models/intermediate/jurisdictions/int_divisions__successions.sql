-- One row per succession printed in the division list (新代码): which code took over all or part of
-- a code's area, and in which year. An entry `S[YYYY]` is a part that moved to S in YYYY while the
-- code lived on; a bare `S` took over when the record ended: the code retired into S, or (S being the
-- code itself) the code was kept with a changed area.
with records as (
    select
        division_code,
        valid_to,
        successor_codes,
        valid_from = max(valid_from) over (partition by division_code) as is_last_record
    from {{ ref('division_records') }}
),

entries as (
    select
        division_code,
        valid_to,
        is_last_record,
        unnest(string_split(successor_codes, ';')) as entry
    from records
    where successor_codes is not null
),

parsed as (
    select
        division_code,
        valid_to,
        is_last_record,
        regexp_extract(entry, '^\s*(\d{6})', 1) as successor_code,
        try_cast(nullif(regexp_extract(entry, '\[(\d{4})\]', 1), '') as integer) as transfer_year
    from entries
)

select distinct
    division_code,
    successor_code,
    coalesce(transfer_year, valid_to) as change_year,
    case
        when transfer_year is not null then 'part_transferred'
        when successor_code = division_code then 'area_changed'
        when is_last_record then 'retired_into'
        -- an earlier record of a code that lives on handed area to another code
        else 'part_transferred'
    end as change_kind
from parsed
where successor_code <> '' and coalesce(transfer_year, valid_to) is not null
