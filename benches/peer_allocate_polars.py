#!/usr/bin/env python3
"""A peer for `allocate --format csv` on benches/generate.py's file: Polars reads the population,
sorts it by code and splits the shares (millionths) and each area by largest remainder in exact
integers, with fordela's tie rule (larger remainder, then larger population, then lower code),
and writes fordela's CSV byte for byte. What a data-savvy user would write instead of fordela;
it checks nothing fordela checks (dates, duplicates, codes, sum rows, limits).

usage: peer_allocate_polars.py POPULATION.csv ID=TOTAL ...
"""
import sys

import polars as pl

path, areas = sys.argv[1], [arg.split("=") for arg in sys.argv[2:]]
frame = pl.read_csv(path, schema_overrides={"code": pl.Int64, "region": pl.String, "population": pl.Int64})
frame = frame.sort("code")
weight = frame["population"].sum()


def split(total, name):
    """Largest remainder of `total` by population: whole quotas, then the largest remainders."""
    global frame
    product = pl.lit(total, dtype=pl.Int128) * pl.col("population").cast(pl.Int128)
    frame = frame.with_columns(
        (product // weight).cast(pl.Int64).alias(name), (product % weight).cast(pl.Int64).alias("_rem")
    )
    left = total - frame[name].sum()
    order = pl.arg_sort_by(["_rem", "population", "code"], descending=[True, True, False])
    winners = frame.select(order.head(left)).to_series()
    won = pl.int_range(pl.len()).is_in(winners.implode()).cast(pl.Int64)
    frame = frame.with_columns(pl.col(name) + won).drop("_rem")


split(1_000_000, "_share")
for area, total in areas:
    split(int(total), area)
ids = [area for area, _ in areas]
out = frame.select(
    pl.col("code"),
    pl.col("region"),
    pl.col("population"),
    pl.format("{}.{}", pl.col("_share") // 10_000, (pl.col("_share") % 10_000).cast(pl.String).str.zfill(4)).alias("share"),
    *[pl.col(area) for area in ids],
    pl.sum_horizontal(ids).alias("total"),
)
sys.stdout.buffer.write(out.write_csv().encode())
