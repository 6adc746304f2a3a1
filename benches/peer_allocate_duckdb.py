#!/usr/bin/env python3
"""A peer for `allocate --format csv` on benches/generate.py's file: DuckDB reads the population
and splits the shares (millionths) and each area by largest remainder in exact integers (HUGEINT),
with fordela's tie rule (larger remainder, then larger population, then lower code), and writes
fordela's CSV byte for byte to stdout. It checks nothing fordela checks.

usage: peer_allocate_duckdb.py POPULATION.csv ID=TOTAL ...
"""
import sys

import duckdb

path, areas = sys.argv[1], [arg.split("=") for arg in sys.argv[2:]]
con = duckdb.connect()
con.execute(
    "CREATE TABLE p AS SELECT code::BIGINT AS code, region, population::BIGINT AS population "
    f"FROM read_csv('{path}', header = true, all_varchar = true)"
)
weight = con.execute("SELECT sum(population) FROM p").fetchone()[0]


def split(total):
    """The SQL of one largest-remainder column: whole quota plus one unit for the top remainders."""
    product = f"({total}::HUGEINT * population)"
    left = f"({total} - (SELECT sum({product} // {weight}) FROM p))"
    rank = f"row_number() OVER (ORDER BY {product} % {weight} DESC, population DESC, code)"
    return f"({product} // {weight} + CASE WHEN {rank} <= {left} THEN 1 ELSE 0 END)::BIGINT"


columns = ", ".join(f"{split(int(total))} AS \"{area}\"" for area, total in areas)
ids = [area for area, _ in areas]
con.execute(f"CREATE TABLE s AS SELECT code, region, population, {split(1_000_000)} AS share, {columns} FROM p")
share = "(share // 10000)::VARCHAR || '.' || lpad((share % 10000)::VARCHAR, 4, '0')"
total = " + ".join(f'"{area}"' for area in ids)
con.execute(
    f"COPY (SELECT code, region, population, {share} AS share, {', '.join(chr(34) + a + chr(34) for a in ids)}, "
    f"{total} AS total FROM s ORDER BY code) TO '/dev/stdout' (HEADER, DELIMITER ',', QUOTE '')"
)
