"""Loaders: raw OGI annual reports -> the staging Parquet tables of the data contract.

The pipeline reads top to bottom (see docs/ogi-report-spec.md, section 10):
bytes -> decoded text (decode) -> tokens with line numbers (formats.*) -> located tables
(tables.*) -> typed cells with provenance -> Parquet (staging).
"""

# Bump whenever parsing output can change: staging rows record it, and incremental loads re-parse
# files whose recorded parser_version differs.
PARSER_VERSION = "0.2.1"
