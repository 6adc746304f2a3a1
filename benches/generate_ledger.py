#!/usr/bin/env python3
"""Writes a synthetic ledger extract of N rows shaped like a Swedish finance system's export to
Excel (UTF-8 with BOM, `;`, CRLF, amounts grouped with spaces, `Insats;Belopp;Datum;Objekt;
Kommentar;Beslut`), booked on the interventions of examples/jamtland-harjedalen-2019.toml, for
benches/ledger.sh. Synthetic, not real data: the amounts, dates, objects and comments are drawn
from a seeded generator. One row in nine is on another object than 9916, one in ten after 2019.

A FILE ending in .xlsx is written as a workbook instead (one sheet, the same columns; amounts
as numbers, dates as date cells, as Excel keeps them), for benches/ledger_xlsx.sh; that needs
openpyxl (`pip install openpyxl`).

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


def rows():
    for row in range(n):
        name = names[row % len(names)]
        # Tens of kronor to tens of thousands, so a million rows add up to a few times the plan.
        amount = rng.randint(1, 3000) * 10
        year = 2020 if row % 10 == 9 else 2019
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        obj = "9917" if row % 9 == 8 else "9916"
        yield name, amount, (year, month, day), obj, rng.choice(comments)


if path.endswith(".xlsx"):
    import datetime

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Utfall")
    sheet.append(["Insats", "Belopp", "Datum", "Objekt", "Kommentar", "Beslut"])
    for name, amount, (year, month, day), obj, comment in rows():
        sheet.append([name, amount, datetime.date(year, month, day), obj, comment or None, None])
    book.save(path)
    sys.exit(0)

with open(path, "w", encoding="utf-8", newline="") as out:
    out.write("\ufeffInsats;Belopp;Datum;Objekt;Kommentar;Beslut\r\n")
    for name, amount, (year, month, day), obj, comment in rows():
        out.write(f"{name};{grouped(amount)};{year}-{month:02d}-{day:02d};{obj};{comment};\r\n")
