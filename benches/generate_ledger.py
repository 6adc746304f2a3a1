#!/usr/bin/env python3
"""Writes a synthetic ledger extract of N rows shaped like a Swedish finance system's export to
Excel (UTF-8 with BOM, `;`, CRLF, amounts grouped with spaces, `Insats;Belopp;Datum;Objekt;
Kommentar;Beslut`), booked on the interventions of examples/jamtland-harjedalen-2019.toml, for
benches/ledger.sh. Synthetic, not real data: the amounts, dates, objects and comments are drawn
from a seeded generator. One row in nine is on another object than 9916, one in ten after 2019.

usage: generate_ledger.py N FILE
"""
import random
import re
import sys

n, path = int(sys.argv[1]), sys.argv[2]
plan = open("examples/jamtland-harjedalen-2019.toml", encoding="utf-8").read()
names = re.findall(r'\{ name = "([^"]+)"', plan)
rng = random.Random(20261207)
comments = ["", "", "Konsultarvode", "Utbildning", "Resor och logi", "Licenser", "Lokalhyra"]


def grouped(kronor):
    text = str(kronor)
    groups = []
    while len(text) > 3:
        groups.insert(0, text[-3:])
        text = text[:-3]
    groups.insert(0, text)
    return " ".join(groups)


with open(path, "w", encoding="utf-8", newline="") as out:
    out.write("\ufeffInsats;Belopp;Datum;Objekt;Kommentar;Beslut\r\n")
    for row in range(n):
        name = names[row % len(names)]
        # Tens of kronor to tens of thousands, so a million rows add up to a few times the plan.
        amount = rng.randint(1, 3000) * 10
        year = 2020 if row % 10 == 9 else 2019
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        obj = "9917" if row % 9 == 8 else "9916"
        out.write(f"{name};{grouped(amount)};{date};{obj};{rng.choice(comments)};\r\n")
