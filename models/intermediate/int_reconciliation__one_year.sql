-- Residuals of every identity whose operands all lie in one report (its tables, its prose, its parse
-- issues): one row per report × identity × scope, generated from the identities and identity_operands
-- seeds (macros/identities.sql says how a check is formed and decided).
{{ identity_residuals('one') }}
