#!/usr/bin/env python3
"""The peer a user would write: exact largest remainder with Python integers, reading the
population CSV and writing one row per recipient, as `fordela allocate --format csv` does
(without fordela's checks). Ties: larger population, then lower code.

usage: peer_largest_remainder.py POPULATION.csv DATE AREA_TOTAL... > out.csv
"""
import csv
import sys


def largest_remainder(total, weights):
    weight_sum = sum(weights)
    units = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    left = total - sum(units)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], -weights[i], i))
    for i in order[:left]:
        units[i] += 1
    return units


def main():
    path, date, totals = sys.argv[1], sys.argv[2], [int(t) for t in sys.argv[3:]]
    with open(path, newline="", encoding="utf-8") as file:
        rows = [row for row in csv.DictReader(file) if row["date"] == date]
    rows.sort(key=lambda row: (len(row["code"]), row["code"]))
    weights = [int(row["population"]) for row in rows]
    columns = [largest_remainder(total, weights) for total in totals]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "region", "population", *[f"area{i}" for i in range(len(totals))], "total"])
    for i, row in enumerate(rows):
        amounts = [column[i] for column in columns]
        out.writerow([row["code"], row["region"], row["population"], *amounts, sum(amounts)])


main()
