-- Residuals of the identities that compare a report with the same organ's report one year earlier
-- (pairs from int_reports__previous_year): one row per later report × identity × scope, generated from
-- the identities and identity_operands seeds (macros/identities.sql). When the organ has several reports
-- for the earlier year, their current versions are used; the check is decided only when they agree.
{{ identity_residuals('two') }}
