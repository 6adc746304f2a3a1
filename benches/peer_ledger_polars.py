#!/usr/bin/env python3
"""The peer for `follow-up` on a ledger: Polars reads the extract, parses the Swedish amounts
exactly (whole kronor as Int64 after removing the group spaces), keeps object OBJECT up to
UNTIL and sums per intervention. What a data-savvy user would write instead of fordela; it
checks nothing fordela checks. Prints the sums, one line per intervention.

usage: peer_ledger_polars.py LEDGER OBJECT UNTIL
"""
import sys

import polars as pl

path, obj, until = sys.argv[1], sys.argv[2], sys.argv[3]
frame = pl.read_csv(path, separator=";", encoding="utf8", infer_schema=False)
frame = frame.rename({frame.columns[0]: frame.columns[0].lstrip("\ufeff")})
sums = (
    frame.with_columns(pl.col("Belopp").str.replace_all(r"[\s\u00a0]", "").cast(pl.Int64))
    .filter((pl.col("Objekt") == obj) & (pl.col("Datum") <= until))
    .group_by("Insats")
    .agg(pl.col("Belopp").sum())
    .sort("Insats")
)
for name, kronor in sums.iter_rows():
    print(f"{name};{kronor}")
