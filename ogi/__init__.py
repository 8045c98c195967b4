"""The `ogi` command line: load, build, check, run, docs."""
