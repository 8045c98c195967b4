-- Years in which the area of a series changed, which decide whether its figures compare with the
-- year before (see fct_jurisdiction_year.yoy_comparability):
--   boundary: the series gained or lost part of its area (a part moved to another series, a split,
--     a code kept with a changed area, or a place moved between prefectures or provinces, which
--     changes both parents);
--   merge: a code merged into the series or was renamed into it. The series is the union of its
--     codes, so summaries of all of them still compare; one organ's own report does not.
with successions as (
    select * from {{ ref('int_divisions__successions') }}
),

series as (
    select * from {{ ref('int_divisions__series') }}
),

last_records as (
    select * from {{ ref('int_divisions__periods') }} where is_latest
),

edges as (
    select
        successions.change_year,
        successions.change_kind,
        from_series.series_code as from_series,
        to_series.series_code as to_series,
        -- A county moving between prefectures changes both; a prefecture is its own prefecture.
        case when from_record.level = 'county' then from_record.prefecture_code end as from_prefecture,
        case when from_record.level = 'county' then to_record.prefecture_code end as to_prefecture,
        from_record.province_code as from_province,
        to_record.province_code as to_province
    from successions
    inner join series as from_series on from_series.division_code = successions.division_code
    inner join series as to_series on to_series.division_code = successions.successor_code
    inner join last_records as from_record on from_record.division_code = successions.division_code
    inner join last_records as to_record on to_record.division_code = successions.successor_code
),

boundary as (
    select from_series as series_code, change_year
    from edges
    where change_kind = 'area_changed' or (change_kind = 'part_transferred' and from_series <> to_series)
    union
    select to_series, change_year
    from edges
    where change_kind in ('part_transferred', 'retired_into') and from_series <> to_series
),

parents_changed as (
    select change_year, from_prefecture as parent_code from edges where from_prefecture is distinct from to_prefecture
    union
    select change_year, to_prefecture from edges where from_prefecture is distinct from to_prefecture
    union
    select change_year, from_province from edges where from_province <> to_province
    union
    select change_year, to_province from edges where from_province <> to_province
),

parent_boundary as (
    select parent_series.series_code, parents_changed.change_year
    from parents_changed
    inner join series as parent_series on parent_series.division_code = parents_changed.parent_code
),

merges as (
    select series_code, followed_from_year as change_year
    from series
    where followed_code is not null
)

select series_code, change_year, 'boundary' as change_kind from boundary
union
select series_code, change_year, 'boundary' from parent_boundary
union
select series_code, change_year, 'merge' from merges
