#!/usr/bin/env python3
"""A second peer for `follow-up` on a ledger: DuckDB reads the extract, parses the Swedish amounts
exactly (whole kronor as BIGINT after removing the group spaces), keeps object OBJECT up to
UNTIL and sums per intervention, as benches/peer_ledger_polars.py does; it checks nothing
fordela checks. Prints the sums, one line per intervention.

usage: peer_ledger_duckdb.py LEDGER OBJECT UNTIL
"""
import sys

import duckdb

path, obj, until = sys.argv[1], sys.argv[2], sys.argv[3]
rows = duckdb.sql(
    """
    SELECT Insats, sum(CAST(regexp_replace(Belopp, '[\\s\u00a0]', '', 'g') AS BIGINT))
    FROM read_csv(?, delim = ';', header = true, all_varchar = true)
    WHERE Objekt = ? AND Datum <= ?
    GROUP BY Insats ORDER BY Insats
    """,
    params=[path, obj, until],
).fetchall()
for name, kronor in rows:
    print(f"{name};{kronor}")
