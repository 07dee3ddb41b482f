"""The procedure's pure rules: functions of plain data that decide, with no query, written
once and called by every place that applies them (the queries that feed them are in
tramite.selectors). `vias`: the fast track's rule and the split-purchase check."""
