-- Each division code mapped to its series code: the code under which its figures continue after a
-- re-zoning, so that a time series survives it.
--   * a code in use is its own series;
--   * a code that retired into exactly one other code (a merger, a rename, 县 -> 市) follows it, and
--     on through further single successions, to the code in use (or the last one of the chain);
--   * a prefecture retired without a successor listed (地区 -> 市, a merged city) follows the one
--     prefecture that all its counties' series now lie in, when there is exactly one;
--   * a code that split into several codes keeps its own series, which ends there: its figures
--     cannot be apportioned between the successors, whose areas changed in that year.
with recursive

last_records as (
    select *
    from {{ ref('int_divisions__periods') }}
    where is_latest
),

retirements as (
    select
        division_code,
        count(distinct successor_code) as successor_count,
        min(successor_code) as only_successor
    from {{ ref('int_divisions__successions') }}
    where change_kind = 'retired_into'
    group by division_code
),

single_successors as (
    select division_code, only_successor as successor_code
    from retirements
    where successor_count = 1
),

chain (division_code, series_code, steps) as (
    select division_code, division_code, 0
    from last_records
    union all
    select chain.division_code, single_successors.successor_code, chain.steps + 1
    from chain
    inner join single_successors on single_successors.division_code = chain.series_code
    where chain.steps < 20
),

followed as (
    select division_code, arg_max(series_code, steps) as series_code
    from chain
    group by division_code
),

unlisted_prefectures as (
    select division_code, valid_to
    from last_records
    where level = 'prefecture'
        and valid_to is not null
        and division_code not in (select division_code from retirements)
),

destinations as (
    -- The codes that hold each code's area today: its series, or for a code that split, the
    -- series of each of its successors.
    select followed.division_code, followed.series_code as destination_code
    from followed
    left join retirements using (division_code)
    where coalesce(retirements.successor_count, 0) <= 1
    union all
    select successions.division_code, followed.series_code
    from {{ ref('int_divisions__successions') }} as successions
    inner join retirements using (division_code)
    inner join followed on followed.division_code = successions.successor_code
    where successions.change_kind = 'retired_into' and retirements.successor_count > 1
),

inferred_successors as (
    -- The prefectures that hold the areas of the counties it had in its last year: exactly one.
    select
        ended.division_code,
        min(destination_record.prefecture_code) as successor_code
    from unlisted_prefectures as ended
    inner join {{ ref('int_divisions__periods') }} as county
        on county.prefecture_code = ended.division_code
        and county.level = 'county'
        and county.valid_from < ended.valid_to
        and (county.valid_to is null or county.valid_to >= ended.valid_to)
    inner join destinations on destinations.division_code = county.division_code
    inner join last_records as destination_record on destination_record.division_code = destinations.destination_code
    group by ended.division_code
    having count(distinct destination_record.prefecture_code) = 1
        and count(destination_record.prefecture_code) = count(*)
),

series as (
    select
        followed.division_code,
        coalesce(inferred_followed.series_code, followed.series_code) as series_code
    from followed
    left join inferred_successors as inferred on inferred.division_code = followed.series_code
    left join followed as inferred_followed on inferred_followed.division_code = inferred.successor_code
)

select
    series.division_code,
    series.series_code,
    case
        when own.valid_to is null then 'in_use'
        when single_successors.division_code is not null then 'followed_successor'
        when inferred_successors.division_code is not null then 'followed_inferred_successor'
        when retirements.successor_count > 1 then 'split_series_ends'
        else 'no_successor_series_ends'
    end as series_rule,
    coalesce(single_successors.successor_code, inferred_successors.successor_code) as followed_code,
    case
        when single_successors.division_code is not null or inferred_successors.division_code is not null
            then own.valid_to
    end as followed_from_year,
    series_record.name as series_name,
    series_record.level as series_level,
    series_record.prefecture_code as series_prefecture_code,
    series_record.province_code as series_province_code
from series
inner join last_records as own on own.division_code = series.division_code
inner join last_records as series_record on series_record.division_code = series.series_code
left join retirements on retirements.division_code = series.division_code
left join single_successors on single_successors.division_code = series.division_code
left join inferred_successors on inferred_successors.division_code = series.division_code
