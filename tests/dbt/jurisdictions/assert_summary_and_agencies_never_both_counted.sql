-- Pipeline invariant: for a place and year, the figure is either its summary or the sum of its
-- organs' reports, never both. Returns the places and years where both would be counted.
select report_year, division_code
from {{ ref('int_reports__placed') }}
where figure_role in ('summary', 'agency')
group by report_year, division_code
having count(distinct figure_role) > 1
