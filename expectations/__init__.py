"""The data-quality gate: Great Expectations suites over the findings and coverage that dbt computes.

Imported only by `ogi check` (Great Expectations takes seconds to import; `ogi load` never pays it).

Exit status of `ogi check` (and of `ogi run`), for CI:

    0  the gate passed
    1  findings fail the gate: the share of checked reports with a counted E finding is above
       --threshold, or (--strict) any gated report has one
    2  usage: bad arguments, or no warehouse to check
    3  coverage fails the gate: no report could be checked, the checked share of the reports that
       should print the template tables is below --min-checked, or (--strict) a report is unverified
    4  the pipeline failed: a pipeline invariant is violated (a bug of OGI Warehouse), or `ogi run`'s
       load or build failed

When several rules fail, the status is the first of 4, 1, 3; the summary, summary.json and junit.xml
name every rule that failed.
"""

# Largest share of checked reports with an E-severity finding that still passes the default gate.
# Published reports that do not add up are common but a minority (a few to a few tens of percent in
# the collections we know), whereas a parser regression breaks the identities of most reports at
# once, usually by leaving cells unreadable, which the gate counts as unverifiable findings: more
# than half failing points at the pipeline, not the sources. (On the samples: 1 of 3 checked.)
DEFAULT_THRESHOLD = 0.5
# Smallest share of the reports that should print the template tables (v2019, v2021, or not read) that
# must be checked for the default gate to pass. The mirror of the threshold: a parser regression that
# loses tables makes most reports unverified at once, while reports printed as images or without their
# tables are a minority. (On the samples: 3 of 4; Wenzhou prints none of its tables.)
DEFAULT_MIN_CHECKED = 0.5
