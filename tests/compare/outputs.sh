#!/usr/bin/env bash
# tests/compare/outputs.sh: does fordela print and write exactly the same bytes at two revisions?
#
# For a refactoring that must not change any output: builds fordela at two git revisions, runs
# every session listed below (after SESSIONS) with each binary, and compares, per session, the
# exit code, stdout, stderr and every file the session wrote. Prints one line per session,
# `same` or `DIFF: what`, then `N sessions, M identical`.
#
# Usage (from anywhere inside the repository):
#   tests/compare/outputs.sh [OLD [NEW]]     # revisions; default OLD=4dbdfc78d6d45eb9fb32810cf8442d60cd197c19, NEW=HEAD
#   FORDELA_OLD=path/to/fordela FORDELA_NEW=target/debug/fordela tests/compare/outputs.sh
#                                            # prebuilt binaries: no build (either one, or both)
#   tests/compare/outputs.sh --list          # print the sessions and exit
#   ONLY='^report' tests/compare/outputs.sh  # only the sessions whose name matches the regex
#   KEEP=1 tests/compare/outputs.sh          # keep both runs' outputs (the path is printed)
#
# Building: each revision is exported with `git archive` into $FORDELA_COMPARE_CACHE/<commit>
# (default /tmp/fordela-compare) and built there with `cargo build --locked` (debug) and a
# CARGO_TARGET_DIR of its own, so no checkout is touched and a commit is built only once; later
# runs reuse the binary (a first build takes about 2 minutes on 2 cores and about 800 MB of
# disk; delete the directory to reclaim it). NEW=HEAD means the last commit: to compare uncommitted work, build it
# and pass it as FORDELA_NEW.
#
# Sessions run in a fresh copy of the NEW revision's tree (so both binaries read the same input
# files from examples/, data/, tests/data/), with stdin from /dev/null, LANG=C.UTF-8 and no
# LC_ALL/LC_MESSAGES/FORDELA_MAX_*, and $OUT a new empty directory at the same path for both
# binaries (so messages naming an output file agree). Files a session writes into the tree are
# compared too.
#
# Workbooks (.xlsx, and a workbook written to stdout) are compared part by part: the list of
# parts in order, then each part's bytes; a difference names the part. The one normalisation:
# docProps/core.xml holds the time of writing in <dcterms:created> and <dcterms:modified>; only
# the text of those two elements is replaced by a fixed value before comparing. Nothing else is
# normalised. The zip container itself is not compared byte for byte (that timestamp changes
# its bytes); a file or stdout that is not a zip is compared byte for byte.
#
# Exit: 0 every session identical, 1 some session differs, 2 the comparison could not run.
#
# Adding a session: one line `name  command` in the list below. The name is unique; the command
# is shell words starting with `fordela` (environment assignments may come first, a redirection
# or a `cp` into $OUT before `&&` is fine); $OUT is the session's empty output directory.

set -euo pipefail

DEFAULT_OLD=4dbdfc78d6d45eb9fb32810cf8442d60cd197c19

sessions() {
    # name                        command
    cat <<'SESSIONS'
version                         fordela --version
help                            fordela --help
help-allocate                   fordela allocate --help
help-check                      fordela check -h
no-command                      fordela
unknown-command                 fordela frobnicate

# allocate: the README's sessions
allocate                        fordela allocate
allocate-bundled-id-mkr         fordela allocate god-och-nara-vard-2019 --unit mkr
allocate-mkr                    fordela allocate --unit mkr
allocate-tkr-sek                fordela allocate --unit TSEK
allocate-csv                    fordela allocate --format csv
allocate-excel-stdout           fordela allocate --excel
allocate-excel-file             fordela allocate --excel --output $OUT/fordela.csv
allocate-format-excel           fordela allocate -f excel -u mkr
allocate-json                   fordela allocate --format json
allocate-json-file              fordela allocate -f json -o $OUT/fordela.json
allocate-csv-file               fordela allocate -f csv -o $OUT/fordela.csv
allocate-xlsx-file              fordela allocate --unit mkr -o $OUT/fordela.xlsx
allocate-xlsx-stdout            fordela allocate -f xlsx
allocate-sv                     fordela --lang sv allocate
allocate-sv-csv                 fordela allocate --lang sv -f csv
allocate-sv-xlsx                fordela --lang sv allocate -o $OUT/fordela.xlsx
allocate-en-locale-sv           LANG=sv_SE.UTF-8 fordela --lang en allocate
allocate-locale-sv              LANG=sv_SE.UTF-8 fordela allocate -f csv
allocate-round                  fordela allocate --round 0.1mkr
allocate-round-csv              fordela allocate --round 0.1mkr -f csv
allocate-round-kr-unit          fordela allocate --round 100000kr --unit mkr
allocate-round-sv-xlsx          fordela --lang sv allocate --round 0.1mkr -o $OUT/avrundad.xlsx
allocate-region-round           fordela allocate --region 23 --round 0.1mkr
allocate-region-round-csv       fordela allocate -r "Region Jämtland Härjedalen" --round 0.1mkr -f csv
allocate-region-round-json      fordela allocate --region 23 --round 0.1mkr --format json
allocate-region-round-xlsx      fordela allocate --region 23 --round 1mkr -o $OUT/mal.xlsx
allocate-within                 fordela allocate --within 23
allocate-within-csv             fordela allocate --within "Jämtlands län" -f csv
allocate-within-json            fordela allocate --within 23 -f json
allocate-within-xlsx            fordela allocate --within 23 -o $OUT/kommuner.xlsx
allocate-nested-csv             fordela allocate --nested --format csv
allocate-nested-excel           fordela allocate --nested --excel -o $OUT/nested.csv
allocate-nested-table           fordela allocate --nested --unit tkr
allocate-method-dhondt          fordela allocate --method dhondt
allocate-method-sainte-lague    fordela allocate --method sainte-lague --unit tkr -f json
allocate-method-adams           fordela allocate --method adams -f csv
allocate-method-hh              fordela allocate --method huntington-hill --unit mkr --excel
allocate-exclude-withhold       fordela allocate --exclude 09 --exclusion-policy withhold
allocate-exclude-redistribute   fordela allocate --exclude "Region Uppsala",01 -f json
allocate-population-date        fordela allocate --population-date 2019
allocate-population-date-csv    fordela allocate --population-date 2017-12-31 -f csv
allocate-per-capita             fordela allocate examples/per-capita-synthetic.toml
allocate-per-capita-within      fordela allocate examples/per-capita-synthetic.toml --within 23 -f json
allocate-swedish-amounts        fordela allocate tests/data/swedish-amounts.toml
allocate-swedish-amounts-xlsx   fordela allocate tests/data/swedish-amounts.toml --population-date 2021 -o $OUT/s.xlsx
allocate-tie                    fordela allocate tests/data/tie.toml
allocate-tie-csv                fordela allocate tests/data/tie.toml -f csv
allocate-tie-json               fordela allocate tests/data/tie.toml -f json
allocate-stdin                  fordela allocate - --population data/population/scb-county-population-31dec-2010-2020.csv -f json < data/agreements/god-och-nara-vard-2019.toml
allocate-population-keys        fordela allocate --population tests/data/population-keys.csv --population-date 2020 --allow-missing
allocate-population-file        fordela allocate --population data/population/scb-county-population-31dec-2010-2020.csv -f csv

# allocate: bad input (exit 2)
allocate-err-tie-error          fordela allocate tests/data/tie.toml --ties error
allocate-err-round-no-unit      fordela allocate --round 0.1
allocate-err-region-no-round    fordela allocate --region 23
allocate-err-nested-round       fordela allocate --nested --round 0.1mkr
allocate-err-method             fordela allocate --method foo
allocate-err-unit               fordela allocate --unit eur
allocate-err-exclude            fordela allocate --exclude 99
allocate-err-population-date    fordela allocate --population-date 2025
allocate-err-population-small   fordela allocate --population tests/data/population-small.csv
allocate-err-no-file            fordela allocate nosuch.toml
allocate-err-not-toml           fordela allocate tests/data/population-keys.csv
allocate-err-max-input          fordela allocate tests/data/tie.toml --max-input-size 100B
allocate-err-max-input-env      FORDELA_MAX_INPUT=100B fordela allocate tests/data/swedish-amounts.toml
allocate-err-stdin-population   fordela allocate - < tests/data/tie.toml
allocate-err-output-is-input    cp tests/data/tie.toml tests/data/population-small.csv $OUT/ && fordela allocate $OUT/tie.toml -o $OUT/tie.toml
allocate-round-fine-xlsx        fordela allocate --unit mkr --round 0.000001mkr -f xlsx -o $OUT/x.xlsx
allocate-err-xlsx-digits        printf 'name = "Big"\nunit = "kr"\ntotal = 123456789012345678\npopulation_date = 2018-12-31\n[[areas]]\nid = "big"\nregions = 123456789012345678\n' >$OUT/big.toml && fordela allocate $OUT/big.toml -o $OUT/big.xlsx
allocate-big-mkr-csv            printf 'name = "Big"\nunit = "kr"\ntotal = 123456789012345678\npopulation_date = 2018-12-31\n[[areas]]\nid = "big"\nregions = 123456789012345678\n' >$OUT/big.toml && fordela allocate $OUT/big.toml --unit mkr -f csv

# check
check-toml                      fordela check examples/jamtland-harjedalen-2019.toml
check-toml-strict               fordela check examples/jamtland-harjedalen-2019.toml --strict
check-csv                       fordela check examples/jamtland-harjedalen-2019.csv --region "Jämtland Härjedalen" --unit MSEK
check-csv-format-csv            fordela check examples/jamtland-harjedalen-2019.toml -f csv
check-excel                     fordela check examples/jamtland-harjedalen-2019.toml -f excel
check-json                      fordela check examples/jamtland-harjedalen-2019.csv --region 23 --unit mkr --format json --strict
check-json-file                 fordela check examples/jamtland-harjedalen-2019.toml -f json -o $OUT/kontroll.json
check-csv-file                  fordela check examples/jamtland-harjedalen-2019.toml -f excel -o $OUT/kontroll.csv
check-xlsx-file                 fordela check examples/jamtland-harjedalen-2019.toml -o $OUT/kontroll.xlsx
check-sv                        fordela --lang sv check examples/jamtland-harjedalen-2019.toml
check-sv-xlsx                   fordela --lang sv check examples/jamtland-harjedalen-2019.toml --strict -o $OUT/kontroll.xlsx
check-revision                  fordela check examples/jamtland-harjedalen-2019-revision.csv --region 23 --unit mkr
check-ods                       fordela check tests/data/jamtland-plan-libreoffice.ods --region 23 --unit mkr
check-xls                       fordela check tests/data/jamtland-plan-libreoffice.xls --region 23 --unit mkr -f json
check-stdin                     fordela check - < examples/jamtland-harjedalen-2019.toml
check-err-no-unit-region        fordela check examples/jamtland-harjedalen-2019.csv
check-err-formula               fordela check tests/data/plan-formula-without-value.xlsx --region 23 --unit mkr
check-err-formula-below         fordela check tests/data/plan-formula-below-without-value.xlsx --region 23 --unit mkr
check-err-second-sheet          fordela check tests/data/plan-second-sheet-unreadable.xlsx --region 23 --unit mkr
check-err-outcome-as-plan       fordela check examples/jamtland-harjedalen-2019-utfall.csv --region 23 --unit mkr
check-err-wrong-region          fordela check examples/jamtland-harjedalen-2019.toml --region 01
check-err-excel-flag            fordela check examples/jamtland-harjedalen-2019.toml --excel

# explain
explain                         fordela explain 23
explain-name-json               fordela explain "Region Jämtland Härjedalen" god-och-nara-vard-2019 --format json
explain-text-alias              fordela explain "Jämtland Härjedalen" -f text --population-date 2019
explain-xlsx                    fordela explain 23 -o $OUT/explain.xlsx
explain-json-file               fordela explain 23 -f json -o $OUT/explain.json
explain-sv                      fordela --lang sv explain 01 --method dhondt
explain-tie                     fordela explain 01 tests/data/tie.toml
explain-within-agreement        fordela explain 23 examples/per-capita-synthetic.toml -f json
explain-err-csv                 fordela explain 23 -f csv
explain-err-region              fordela explain 99

# list
list                            fordela list
list-json                       fordela list --format json
list-xlsx                       fordela list -o $OUT/list.xlsx
list-sv                         fordela --lang sv list
list-err-csv                    fordela list -f csv

# diff
diff-csv-mkr                    fordela diff examples/jamtland-harjedalen-2019.csv examples/jamtland-harjedalen-2019-revision.csv --unit mkr
diff-toml-csv                   fordela diff examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-revision.csv --unit mkr
diff-agreement-allow            fordela diff examples/jamtland-harjedalen-2019.csv examples/jamtland-harjedalen-2019-revision.csv --unit mkr -a god-och-nara-vard-2019 --allow-between-areas
diff-csv                        fordela diff examples/jamtland-harjedalen-2019.csv examples/jamtland-harjedalen-2019-revision.csv --unit mkr -f csv
diff-excel                      fordela diff examples/jamtland-harjedalen-2019.csv examples/jamtland-harjedalen-2019-revision.csv --unit mkr --excel -o $OUT/diff.csv
diff-json                       fordela diff examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-revision.csv --unit mkr -f json
diff-xlsx                       fordela diff examples/jamtland-harjedalen-2019.csv examples/jamtland-harjedalen-2019-revision.csv --unit mkr -o $OUT/revision.xlsx
diff-sv                         fordela --lang sv diff examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-revision.csv --unit mkr
diff-ods-csv                    fordela diff tests/data/jamtland-plan-libreoffice.ods examples/jamtland-harjedalen-2019.csv --unit mkr
diff-err-no-unit                fordela diff examples/jamtland-harjedalen-2019.csv examples/jamtland-harjedalen-2019-revision.csv

# payouts
payouts-toml                    fordela payouts examples/payouts-2019.toml
payouts-csv-year                fordela payouts examples/payouts-2019.csv --year 2019
payouts-requests                fordela payouts examples/payouts-2019.csv --year 2019 --requests examples/payout-requests-2019.csv
payouts-agreement-quarter-end   fordela payouts examples/payouts-2019.csv --year 2019 -a god-och-nara-vard-2019 --payment-day quarter-end
payouts-csv                     fordela payouts examples/payouts-2019.toml -f csv
payouts-excel-file              fordela payouts examples/payouts-2019.csv --year 2019 --unit kr --excel -o $OUT/utbetalningar.csv
payouts-json                    fordela payouts examples/payouts-2019.csv --year 2019 --requests examples/payout-requests-2019.csv -f json
payouts-xlsx                    fordela payouts examples/payouts-2019.csv --year 2019 -o $OUT/utbetalningar.xlsx
payouts-sv-xlsx                 fordela --lang sv payouts examples/payouts-2019.toml --payment-day quarter-start -o $OUT/utbetalningar.xlsx
payouts-err-no-year             fordela payouts examples/payouts-2019.csv
payouts-err-year-range          fordela payouts examples/payouts-2019.csv --year 1800

# follow-up
follow-up                       fordela follow-up examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --object 9916 --until 2019-12-31
follow-up-all-rows              fordela follow-up examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv
follow-up-strict                fordela follow-up examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --object 9916 --until 2019-12-31 --strict
follow-up-period-csv            fordela follow-up examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --object 9916 --from 2019-04-01 --until 2019-06-30 -f csv
follow-up-excel                 fordela follow-up examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --object 09916 -f excel -o $OUT/uppfoljning.csv
follow-up-json                  fordela follow-up examples/jamtland-harjedalen-2019.csv examples/jamtland-harjedalen-2019-utfall.csv --plan-unit mkr --until 2019-06-30 --format json
follow-up-xlsx                  fordela follow-up examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --object 9916 --until 2019-12-31 -o $OUT/uppfoljning.xlsx
follow-up-sv                    fordela --lang sv follow-up examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --object 9916 -u kr
follow-up-unit-mkr              fordela follow-up examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --unit mkr
follow-up-err-plan-unit         fordela follow-up examples/jamtland-harjedalen-2019.csv examples/jamtland-harjedalen-2019-utfall.csv

# report
report-html                     fordela report examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --object 9916 --until 2019-12-31 -o $OUT/rapport.html
report-html-stdout              fordela report examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --object 9916
report-plan-only                fordela report examples/jamtland-harjedalen-2019.toml -o $OUT/plan.html
report-en                       fordela --lang en report examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --object 9916 --until 2019-12-31 -o $OUT/report.html
report-xlsx                     fordela report examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --object 9916 --until 2019-12-31 -o $OUT/redovisning.xlsx
report-xlsx-en-strict           fordela report examples/jamtland-harjedalen-2019.toml examples/jamtland-harjedalen-2019-utfall.csv --strict --lang en -o $OUT/redovisning.xlsx
report-csv-plan                 fordela report examples/jamtland-harjedalen-2019.csv --region 23 --plan-unit mkr
report-err-no-region            fordela report examples/jamtland-harjedalen-2019.csv --plan-unit mkr -o $OUT/r.html

# audit
audit-half-up                   fordela audit examples/audit/tillganglighet-half-up-mkr.csv --area tillganglighet
audit-half-up-strict            fordela audit examples/audit/tillganglighet-half-up-mkr.csv --area tillganglighet --strict
audit-2017                      fordela audit examples/audit/omstallning-2017-figures.csv --unit kr
audit-2017-date                 fordela audit examples/audit/omstallning-2017-figures.csv --unit kr --population-date 2017 -f json
audit-skr                       fordela audit data/tables/skr-kvinnors-halsa-2020.csv --total 937000000 --unit kr
audit-skr-csv                   fordela audit data/tables/skr-kvinnors-halsa-2020.csv --total 937000000 --unit kr -f csv
audit-skr-excel                 fordela audit data/tables/skr-kvinnors-halsa-2020.csv --total 937000000 --unit kr --format excel -o $OUT/granskning.csv
audit-json                      fordela audit examples/audit/tillganglighet-half-up-mkr.csv --area tillganglighet --format json -o $OUT/audit.json
audit-xlsx                      fordela audit examples/audit/tillganglighet-half-up-mkr.csv --area tillganglighet -o $OUT/granskning.xlsx
audit-sv-xlsx                   fordela --lang sv audit data/tables/skr-kvinnors-halsa-2020.csv --total 937000000 --unit kr -o $OUT/granskning.xlsx
audit-sv                        fordela --lang sv audit examples/audit/omstallning-2017-figures.csv --unit kr
audit-err-step                  fordela audit data/tables/skr-kvinnors-halsa-2020.csv --total 937000000 --unit kr --step 1000kr
audit-err-within-no-total       fordela audit examples/audit/omstallning-2017-figures.csv --within 23

# completions and man pages
completions-bash                fordela completions bash
completions-zsh                 fordela completions zsh
completions-fish                fordela completions fish
completions-powershell          fordela completions powershell
completions-elvish              fordela completions elvish
man                             fordela man
man-allocate                    fordela man allocate
man-follow-up                   fordela man follow-up
man-err-unknown                 fordela man nosuch
SESSIONS
}

die() { echo "outputs.sh: $*" >&2; exit 2; }

# The sessions as `name<TAB>command`, comments and blank lines left out.
session_table() {
    sessions | sed -e 's/^[[:space:]]*//' -e '/^#/d' -e '/^$/d' \
        | sed -E 's/^([^[:space:]]+)[[:space:]]+/\1\t/'
}

if [[ ${1-} == --list ]]; then
    session_table | cut -f1
    exit 0
fi
if [[ ${1-} == -h || ${1-} == --help ]]; then
    sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
fi

# Names must be unique: results are filed by name.
dups=$(session_table | cut -f1 | sort | uniq -d)
[[ -z $dups ]] || die "session names given twice: $dups"

OLD=${1:-$DEFAULT_OLD}
NEW=${2:-HEAD}
REPO=$(git -C "$(dirname "$0")" rev-parse --show-toplevel) || die "not inside a git repository"
CACHE=${FORDELA_COMPARE_CACHE:-/tmp/fordela-compare}
mkdir -p "$CACHE"

resolve() { git -C "$REPO" rev-parse --verify --quiet "$1^{commit}" || die "no such revision: $1"; }

# The tree of a commit, exported once into the cache.
export_tree() {
    local commit=$1 dir=$CACHE/$1
    if [[ ! -f $dir/tree.done ]]; then
        rm -rf "$dir/src"
        mkdir -p "$dir/src"
        git -C "$REPO" archive "$commit" | tar -x -C "$dir/src"
        touch "$dir/tree.done"
    fi
}

# Build a commit once (debug) in its own target directory; prints the binary's path.
build() {
    local commit=$1 dir=$CACHE/$1
    (
        flock 9
        export_tree "$commit"
        if [[ ! -x $dir/fordela ]]; then
            echo "building ${commit:0:12} in $dir (log: $dir/build.log)" >&2
            local start=$SECONDS
            if ! (cd "$dir/src" && CARGO_TARGET_DIR=$dir/target cargo build --locked --bin fordela) >"$dir/build.log" 2>&1; then
                tail -n 30 "$dir/build.log" >&2
                exit 1
            fi
            cp "$dir/target/debug/fordela" "$dir/fordela.tmp" && mv "$dir/fordela.tmp" "$dir/fordela"
            echo "built ${commit:0:12} in $((SECONDS - start)) s" >&2
        fi
    ) 9>"$CACHE/$1.lock" || die "build of $commit failed"
    echo "$dir/fordela"
}

NEW_COMMIT=$(resolve "$NEW")
if [[ -n ${FORDELA_OLD-} ]]; then
    OLD_BIN=$(realpath "$FORDELA_OLD") || die "FORDELA_OLD: no such file: $FORDELA_OLD"
    OLD_LABEL="$OLD_BIN"
else
    OLD_COMMIT=$(resolve "$OLD")
    OLD_BIN=$(build "$OLD_COMMIT")
    OLD_LABEL="$OLD (${OLD_COMMIT:0:12})"
fi
if [[ -n ${FORDELA_NEW-} ]]; then
    NEW_BIN=$(realpath "$FORDELA_NEW") || die "FORDELA_NEW: no such file: $FORDELA_NEW"
    NEW_LABEL="$NEW_BIN"
else
    NEW_BIN=$(build "$NEW_COMMIT")
    NEW_LABEL="$NEW (${NEW_COMMIT:0:12})"
fi
[[ -x $OLD_BIN && -x $NEW_BIN ]] || die "a binary is not executable: $OLD_BIN $NEW_BIN"
(flock 9; export_tree "$NEW_COMMIT") 9>"$CACHE/$NEW_COMMIT.lock"
built=$SECONDS

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fordela-outputs.XXXXXX")
if [[ -z ${KEEP-} ]]; then trap 'rm -rf "$WORK"' EXIT; fi
TREE=$WORK/tree   # the NEW revision's tree, where every session runs
OUT=$WORK/out     # the session's output directory, the same path for both binaries
cp -a "$CACHE/$NEW_COMMIT/src" "$TREE"

echo "old: $OLD_LABEL"
echo "new: $NEW_LABEL"
echo "inputs: tree of ${NEW_COMMIT:0:12}"

# Run one session with one binary; results go to $3.
run_session() {
    local bin=$1 command=$2 result=$3
    rm -rf "$OUT"
    mkdir -p "$OUT" "$result"
    touch "$WORK/stamp"
    local rc=0
    (
        cd "$TREE"
        unset LC_ALL LC_MESSAGES LANGUAGE FORDELA_MAX_INPUT FORDELA_MAX_UNPACKED FORDELA_MAX_CELLS FORDELA_MAX_FIELD COLUMNS LINES
        export LANG=C.UTF-8 TZ=UTC OUT
        umask 022
        fordela() { "$bin" "$@"; }
        eval "$command"
    ) </dev/null >"$result/stdout" 2>"$result/stderr" || rc=$?
    echo "$rc" >"$result/rc"
    mv "$OUT" "$result/out"
    # Anything the session wrote into the tree: listed (and compared), then the tree restored.
    (cd "$TREE" && find . -newer "$WORK/stamp" -type f | sort) >"$result/tree-writes"
    if [[ -s $result/tree-writes ]]; then
        rm -rf "$TREE" && cp -a "$CACHE/$NEW_COMMIT/src" "$TREE"
    fi
}

count=0
while IFS=$'\t' read -r name command; do
    [[ -z ${ONLY-} || $name =~ $ONLY ]] || continue
    run_session "$OLD_BIN" "$command" "$WORK/old/$name"
    run_session "$NEW_BIN" "$command" "$WORK/new/$name"
    printf '%s\n' "$name" >>"$WORK/names"
    count=$((count + 1))
done < <(session_table)
[[ $count -gt 0 ]] || die "no session matches ONLY=$ONLY"

cat >"$WORK/compare.py" <<'PYTHON'
"""Compares the results of the sessions in old/ and new/; one line per session, then a summary."""
import io
import os
import re
import sys
import zipfile

work = sys.argv[1]

# docProps/core.xml: the time the workbook was written, the only field normalised.
CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def short(b, limit=100):
    text = b.decode("utf-8", "backslashreplace")
    return repr(text if len(text) <= limit else text[:limit] + "…")


def first_difference(a, b):
    """Where two byte strings first differ: line and column, and both lines from a little before."""
    la, lb = a.split(b"\n"), b.split(b"\n")
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            col = next((j for j, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            start = max(0, col - 40)
            dots = "…" if start else ""
            return f"line {i + 1}, byte {col + 1}: {dots}{short(x[start:])} → {dots}{short(y[start:])}"
    if len(la) != len(lb):
        return f"{len(la)} lines → {len(lb)} lines"
    return f"{len(a)} bytes → {len(b)} bytes"


def is_zip(b):
    return b[:4] == b"PK\x03\x04"


def compare_workbook(a, b):
    """None when the workbooks have the same parts with the same bytes, else what differs."""
    try:
        za, zb = zipfile.ZipFile(io.BytesIO(a)), zipfile.ZipFile(io.BytesIO(b))
        na, nb = za.namelist(), zb.namelist()
    except zipfile.BadZipFile as err:
        return f"not a readable workbook ({err})"
    if na != nb:
        gone = [n for n in na if n not in nb]
        added = [n for n in nb if n not in na]
        if gone or added:
            return f"parts removed {gone}, added {added}"
        return f"parts in another order: {na} → {nb}"
    for name in na:
        pa, pb = za.read(name), zb.read(name)
        if name == "docProps/core.xml":
            pa = CORE_TIMES.sub(rb"\1(time normalised)\3", pa)
            pb = CORE_TIMES.sub(rb"\1(time normalised)\3", pb)
        if pa != pb:
            return f"part {name}: " + first_difference(pa.replace(b"><", b">\n<"), pb.replace(b"><", b">\n<"))
    return None


def compare_bytes(what, a, b, workbook=False):
    if a == b:
        return None
    if workbook or (is_zip(a) and is_zip(b)):
        found = compare_workbook(a, b)
        return None if found is None else f"{what}: {found}"
    return f"{what}: {first_difference(a, b)}"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def files(root):
    out = {}
    for base, _, names in os.walk(root):
        for n in names:
            p = os.path.join(base, n)
            out[os.path.relpath(p, root)] = p
    return out


def compare_session(name):
    old, new = os.path.join(work, "old", name), os.path.join(work, "new", name)
    diffs = []
    rc_old, rc_new = read(f"{old}/rc").strip().decode(), read(f"{new}/rc").strip().decode()
    if rc_old != rc_new:
        diffs.append(f"exit {rc_old} → {rc_new}")
    for stream, label in (("stdout", "stdout"), ("stderr", "stderr"), ("tree-writes", "files written into the tree")):
        d = compare_bytes(label, read(f"{old}/{stream}"), read(f"{new}/{stream}"))
        if d:
            diffs.append(d)
    fo, fn = files(f"{old}/out"), files(f"{new}/out")
    for rel in sorted(set(fo) | set(fn)):
        if rel not in fn:
            diffs.append(f"file {rel}: written by old only")
        elif rel not in fo:
            diffs.append(f"file {rel}: written by new only")
        else:
            mo, mn = os.stat(fo[rel]).st_mode & 0o7777, os.stat(fn[rel]).st_mode & 0o7777
            if mo != mn:
                diffs.append(f"file {rel}: mode {mo:o} → {mn:o}")
            d = compare_bytes(f"file {rel}", read(fo[rel]), read(fn[rel]), rel.endswith(".xlsx"))
            if d:
                diffs.append(d)
    return diffs


names = read(os.path.join(work, "names")).decode().split()
width = max(len(n) for n in names)
same = 0
for name in names:
    diffs = compare_session(name)
    if diffs:
        print(f"{name:<{width}}  DIFF: " + "; ".join(diffs))
    else:
        same += 1
        print(f"{name:<{width}}  same")
print(f"{len(names)} sessions, {same} identical")
sys.exit(0 if same == len(names) else 1)
PYTHON

status=0
python3 "$WORK/compare.py" "$WORK" || status=$?
echo "time: build ${built}s (0 when cached), sessions $((SECONDS - built))s, total ${SECONDS}s" >&2
if [[ -n ${KEEP-} ]]; then echo "outputs kept in $WORK/old and $WORK/new" >&2; fi
[[ $status -le 1 ]] || die "comparison failed"
exit "$status"
