#!/usr/bin/env bash
# Recalculates the workbooks fordela writes in LibreOffice Calc, headless, and compares the
# totals LibreOffice computes with the bundled 2019 agreement's figures, and (payouts,
# follow-up, report) with the examples' figures worked out by hand. Not part of
# `cargo test`: it needs LibreOffice (`soffice`) and python3; printing to PDF also pdftotext.
#
#   tests/spreadsheet/libreoffice.sh                     # fordela from PATH
#   FORDELA=target/debug/fordela tests/spreadsheet/libreoffice.sh
#   CHARTS=/tmp/charts FORDELA=… tests/spreadsheet/libreoffice.sh   # also each chart's page as PNG
#
# LibreOffice does not recalculate an .xlsx on load by default (it shows the cached results),
# so the script runs it with a profile of its own that says "always recalculate", and converts
# each workbook twice: as written, and with every formula's cached result replaced by 0. The
# second copy can only show the right totals if LibreOffice computed them. Each sheet is
# exported as CSV "as shown" in the en-US locale (so `1,515.000000` is read as 1515.000000),
# i.e. exactly the digits a user sees, which are then compared as exact decimals.
#
# Exit 0 when every figure matches; 1 on a mismatch; 2 when LibreOffice or python3 is missing
# or a command fails.
set -euo pipefail

FORDELA=${FORDELA:-fordela}
SOFFICE=${SOFFICE:-soffice}
command -v "$SOFFICE" >/dev/null || { echo "libreoffice.sh: no \`$SOFFICE\`: install LibreOffice Calc" >&2; exit 2; }
command -v python3 >/dev/null || { echo "libreoffice.sh: needs python3" >&2; exit 2; }
command -v "$FORDELA" >/dev/null || { echo "libreoffice.sh: no \`$FORDELA\`: set FORDELA" >&2; exit 2; }
FORDELA=$(realpath "$(command -v "$FORDELA")")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")/../.." && pwd)

# A LibreOffice profile that recalculates every OOXML file on load.
mkdir -p "$work/profile/user"
cat >"$work/profile/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU

cd "$work"
"$FORDELA" allocate -o allocation-kr.xlsx
"$FORDELA" allocate --unit mkr -o allocation-mkr.xlsx
"$FORDELA" allocate --round 0.1mkr --unit mkr -o rounded.xlsx
"$FORDELA" --lang sv allocate --round 0.1mkr -o rounded-sv.xlsx
"$FORDELA" allocate --region 23 --round 0.1mkr -o targets.xlsx
"$FORDELA" explain 23 -o explain.xlsx
"$FORDELA" check "$here/examples/jamtland-harjedalen-2019.toml" -o check.xlsx
"$FORDELA" list -o list.xlsx
"$FORDELA" payouts "$here/examples/payouts-2019.csv" --year 2019 -o payouts.xlsx
"$FORDELA" follow-up "$here/examples/jamtland-harjedalen-2019.toml" "$here/examples/jamtland-harjedalen-2019-utfall.csv" \
    --object 9916 --until 2019-12-31 -o follow-up.xlsx
# The report finds an intervention over budget (exit 1): the workbook is written all the same.
"$FORDELA" report "$here/examples/jamtland-harjedalen-2019.toml" "$here/examples/jamtland-harjedalen-2019-utfall.csv" \
    --object 9916 --until 2019-12-31 -o report.xlsx || [ $? -eq 1 ]

# The poisoned copies: every formula's cached result 0.
python3 - <<'PY'
import glob, re, zipfile
for name in glob.glob("*.xlsx"):
    with zipfile.ZipFile(name) as source, zipfile.ZipFile("zeroed-" + name, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(<f>[^<]*</f>)<v>[^<]*</v>", rb"\1<v>0</v>", data)
            target.writestr(item, data)
PY

# 44 `,`, 34 `"`, 76 UTF-8, from line 1, en-US, "as shown", every sheet (-1).
filter='csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false,-1'
"$SOFFICE" -env:UserInstallation="file://$work/profile" --headless --convert-to "$filter" --outdir csv ./*.xlsx \
    >soffice.log 2>&1 || { cat soffice.log >&2; exit 2; }

# Printed as LibreOffice prints them (A4, the workbook's own page setup): no figure cut to `###`
# by a narrow column, and the pages each sheet takes, for a person to read. Needs pdftotext.
if command -v pdftotext >/dev/null; then
    mkdir -p pdf
    for book in [!z]*.xlsx; do
        "$SOFFICE" -env:UserInstallation="file://$work/profile" --headless --convert-to pdf --outdir pdf "$book" \
            >>soffice.log 2>&1 || { cat soffice.log >&2; exit 2; }
        printed="pdf/${book%.xlsx}.pdf"
        pages=$(pdfinfo "$printed" | awk '/^Pages:/ { print $2 }')
        if pdftotext -layout "$printed" - | grep -q '###'; then
            echo "FAILED: $book prints a figure as ### (a column too narrow for it)" >&2
            exit 1
        fi
        echo "printed  $book: $pages page(s) of A4, every figure whole"
        # A native chart (allocate, follow-up, report) prints on a page of its own: the page
        # that shows its title, with its categories' labels drawn, and none of the table's
        # header. With CHARTS=DIR that page is also kept as a PNG there, to look at.
        title=$(python3 -c '
import re, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as book:
    if "xl/charts/chart1.xml" in book.namelist():
        chart = book.read("xl/charts/chart1.xml").decode()
        print(re.search(r"<c:title>.*?<a:t>([^<]*)</a:t>", chart, re.S).group(1))
' "$book")
        if [ -n "$title" ]; then
            page=""
            for number in $(seq 1 "$pages"); do
                if pdftotext -f "$number" -l "$number" "$printed" - | grep -qF "$title"; then page=$number; break; fi
            done
            if [ -z "$page" ]; then
                echo "FAILED: $book: no printed page shows its chart \`$title\`" >&2
                exit 1
            fi
            if pdftotext -f "$page" -l "$page" "$printed" - | grep -qE '^(Code|Kod|Area|Område)$'; then
                echo "FAILED: $book: the chart's page also holds a table" >&2
                exit 1
            fi
            if [ -n "${CHARTS:-}" ] && command -v pdftoppm >/dev/null; then
                mkdir -p "$CHARTS"
                pdftoppm -png -r 60 -f "$page" -l "$page" -singlefile "$printed" "$CHARTS/${book%.xlsx}-chart"
            fi
            echo "chart    $book: \`$title\` on page $page of $pages"
        fi
    done
else
    echo "skipped printing: no pdftotext (poppler-utils)"
fi

python3 - <<'PY'
import csv, glob, sys
from decimal import Decimal

# The bundled agreement, data/agreements/god-och-nara-vard-2019.toml, in MSEK: per area the
# regions' money plus the set-asides (SKR 15 in omstallning, 9 in patientkontrakt).
AREAS = [Decimal(1500 + 15), Decimal(453), Decimal(453 + 9)]
TOTAL = Decimal(2430)
failures = []

def sheet(name):
    with open(name, encoding="utf-8") as file:
        return list(csv.reader(file))

def number(text):
    text = text.replace(",", "").strip()
    return Decimal(text.rstrip("%")) if text else None

def check(what, got, expected):
    status = "ok" if got == expected else "MISMATCH"
    print(f"  {what}: LibreOffice {got}, agreement {expected}: {status}")
    if got != expected:
        failures.append(f"{what}: {got} != {expected}")

def allocation(prefix, name, total_label, unit_kr):
    rows = sheet(f"csv/{prefix}-{name}.csv")
    header = next(i for i, row in enumerate(rows) if row and row[0] in ("Code", "Kod"))
    total = next(i for i, row in enumerate(rows) if len(row) > 1 and row[1] == total_label)
    data = rows[header + 1:total]
    print(f"{prefix} ({name}): {len(data)} rows")
    for column, area in enumerate(AREAS):
        got = number(rows[total][4 + column])
        check(f"{rows[header][4 + column][:40]} total", got, area * unit_kr)
        added = sum(number(row[4 + column]) for row in data)
        check(f"  its cells added", added, got)
    check("Total column, total row", number(rows[total][7]), TOTAL * unit_kr)
    for row in data:
        across = sum(number(cell) for cell in row[4:7])
        if number(row[7]) != across:
            failures.append(f"{prefix}: row {row[1]}: {row[7]} != {across}")
    print(f"  every row's Total is the sum of its areas: checked, {len(data)} rows")

def targets(prefix):
    rows = sheet(f"csv/{prefix}-Targets.csv")
    total = next(row for row in rows if row and row[0] == "Total")
    areas = [row for row in rows if row and row[0] in ("omstallning", "tillganglighet", "patientkontrakt")]
    print(f"{prefix} (Targets):")
    check("targets total", number(total[3]), Decimal("30.6"))
    check("  the targets added", sum(number(row[3]) for row in areas), number(total[3]))
    check("exact total", number(total[2]), sum(number(row[2]) for row in areas))

def explain(prefix):
    rows = sheet(f"csv/{prefix}-Derivation.csv")
    total = next(row for row in rows if row and row[0] == "Total")
    areas = [row for row in rows if row and row[0] in ("omstallning", "tillganglighet", "patientkontrakt")]
    print(f"{prefix} (Derivation):")
    check("Jämtland's total (kr)", number(total[9]), sum(number(row[9]) for row in areas))
    return number(total[9])

for prefix in ("allocation-kr", "zeroed-allocation-kr"):
    allocation(prefix, "Allocation", "Total", Decimal(1_000_000))
for prefix in ("allocation-mkr", "zeroed-allocation-mkr", "rounded", "zeroed-rounded"):
    allocation(prefix, "Allocation", "Total", Decimal(1))
# --round 0.1mkr implies --unit mkr: the Swedish rounded table is in mkr too.
for prefix in ("rounded-sv", "zeroed-rounded-sv"):
    allocation(prefix, "Fördelning", "Totalt", Decimal(1))
for prefix in ("targets", "zeroed-targets"):
    targets(prefix)
jamtland = [explain(prefix) for prefix in ("explain", "zeroed-explain")]
rows = sheet("csv/allocation-kr-Allocation.csv")
row23 = next(row for row in rows if row and row[0] == "23")
check("explain's total is the allocation's row 23", jamtland[1], number(row23[7]))

def payouts(prefix):
    # examples/payouts-2019.csv, split by hand: 1 000 001 = 250 001 + 3 x 250 000 (tillganglighet,
    # Halsocentralen), 250 000 = 2 x 125 000 in Q3-Q4 (patientkontrakt), 600 002 = 150 001 x 2 +
    # 150 000 x 2 (tillganglighet, Vardcentralen): 1 850 003 kr in all.
    rows = sheet(f"csv/{prefix}-Payouts.csv")
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Kind")
    lines = [row for row in rows[header + 1:] if row and row[0] in ("decision", "area", "provider", "total")]
    decisions = [row for row in lines if row[0] == "decision"]
    print(f"{prefix} (Payouts): {len(lines)} lines")
    for row in lines:
        members = [d for d in decisions if (row[0] != "area" or d[2] == row[2]) and (row[0] != "provider" or d[1] == row[1])]
        if row[0] == "decision":
            members = [row]
        for column in range(5, 9):
            if number(row[column]) != sum(number(d[column]) for d in members):
                failures.append(f"{prefix}: {row[:3]} column {column}")
        if number(row[9]) != sum(number(cell) for cell in row[5:9]):
            failures.append(f"{prefix}: {row[:3]} total across")
    total = next(row for row in lines if row[0] == "total")
    check("Q1 of the year (250 001 + 150 001)", number(total[5]), Decimal(400002))
    check("the year (1 000 001 + 250 000 + 600 002)", number(total[9]), Decimal(1850003))
    print(f"  every sum line is the sum of its decisions, every total the sum of its quarters: checked")

def follow_up(prefix, name, total_label, area_label, budget=2):
    # By hand (tests/integration/follow_up.rs): 30,6 mkr planned; on 9916 in 2019
    # 17 612 550 + 4 445 000 + 5 310 000 = 27 367 550 kr spent; 3 232 450 kr left.
    rows = sheet(f"csv/{prefix}-{name}.csv")
    total = next(row for row in rows if row and row[0] == total_label)
    print(f"{prefix} ({name}):")
    check("budget", number(total[budget]), Decimal("30.6"))
    check("outcome (mkr)", number(total[budget + 1]), Decimal("27.36755"))
    check("remaining (mkr)", number(total[budget + 2]), Decimal("3.23245"))
    if area_label is None:
        return
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Area")
    body = rows[header + 1:rows.index(total)]
    items = [row for row in body if row[1] != area_label]
    for row in items:
        if number(row[4]) != number(row[2]) - number(row[3]):
            failures.append(f"{prefix}: {row[1]}: remaining {row[4]}")
    for column in (2, 3, 4):
        check(f"  column {column + 1}: the interventions added", sum(number(row[column]) for row in items), number(total[column]))
        subtotals = [row for row in body if row[1] == area_label]
        check(f"  column {column + 1}: the area totals added", sum(number(row[column]) for row in subtotals), number(total[column]))

def report(prefix):
    rows = sheet(f"csv/{prefix}-Redovisning.csv")
    total = next(row for row in rows if row and row[0] == "Totalt")
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Område")
    areas = rows[header + 1:rows.index(total)]
    print(f"{prefix} (Redovisning):")
    # Jamtland's exact parts: 19,102294 + 5,768893 + 5,768893 = 30,640080 mkr (issue 14).
    check("allocation (mkr)", number(total[2]), Decimal("30.640080"))
    check("  the areas added", sum(number(row[2]) for row in areas), number(total[2]))
    for row in areas:
        if number(row[5]) != number(row[3]) - number(row[4]):
            failures.append(f"{prefix}: {row[0]}: remaining {row[5]}")
    check("plan (mkr)", number(total[3]), Decimal("30.6"))
    check("outcome (mkr)", number(total[4]), Decimal("27.36755"))
    check("remaining (mkr)", number(total[5]), Decimal("3.23245"))

for prefix in ("payouts", "zeroed-payouts"):
    payouts(prefix)
for prefix in ("follow-up", "zeroed-follow-up"):
    follow_up(prefix, "Follow-up", "Total", "Area total")
for prefix in ("report", "zeroed-report"):
    report(prefix)

if failures:
    print("\n".join(["FAILED:"] + failures), file=sys.stderr)
    sys.exit(1)
print("All totals LibreOffice computed equal the agreement's figures.")
PY
