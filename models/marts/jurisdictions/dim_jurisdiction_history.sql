-- Every record of every division code (行政区划沿革): one row per code and period of validity, with
-- the name, level and parents of that period and the series its figures belong to. Join a report to
-- the record valid in its year: report_year >= valid_from and (valid_to is null or report_year < valid_to).
select
    periods.division_code,
    periods.valid_from,
    periods.valid_to,
    periods.name,
    periods.level,
    periods.status,
    periods.province_code,
    periods.province_name,
    periods.prefecture_code,
    periods.prefecture_name,
    periods.successor_codes,
    series.series_code
from {{ ref('int_divisions__periods') }} as periods
inner join {{ ref('int_divisions__series') }} as series using (division_code)
