#!/usr/bin/env python3
"""Writes a synthetic population CSV of N recipients with 7-digit codes, in random order, and
an agreement of three areas totalling 10^11 kr, for benches/scale.sh. Synthetic, not real data.

usage: generate.py N DIR
"""
import random
import sys

n, directory = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261123)
codes = rng.sample(range(1_000_000, 10_000_000), n) if n <= 9_000_000 else range(10_000_000, 10_000_000 + n)
with open(f"{directory}/population.csv", "w", encoding="utf-8") as out:
    out.write("code,region,date,population\n")
    out.writelines(f"{code},Enhet {code},2020-12-31,{rng.randint(1, 100_000)}\n" for code in codes)
with open(f"{directory}/agreement.toml", "w", encoding="utf-8") as out:
    out.write(
        'name = "Scale test (synthetic)"\nunit = "kr"\ntotal = 100000000000\npopulation_date = 2020-12-31\n'
        'population = "population.csv"\n'
        '[[areas]]\nid = "a"\nregions = 50000000000\n'
        '[[areas]]\nid = "b"\nregions = 30000000000\n'
        '[[areas]]\nid = "c"\nregions = 20000000000\n'
    )
