-- Every record of every division code (行政区划沿革): one row per code and period of validity, with
-- the name, level and parents of that period and the series its figures belong to. Join a report to
-- the record valid in its year: report_year >= valid_from and (valid_to is null or report_year < valid_to).
select
    records.division_code,
    records.valid_from,
    records.valid_to,
    records.name,
    records.level,
    records.status,
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
    records.successor_codes,
    series.series_code
from {{ ref('division_records') }} as records
inner join {{ ref('int_divisions__series') }} as series using (division_code)
