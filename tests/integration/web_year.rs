//! `fordela web`'s pages of the grant year, spoken to over HTTP: an outcome followed up, payouts
//! per quarter, a region explained and its targets, a published table audited, two versions of
//! a plan compared, and each of these dropped on the page. Every download is compared byte for
//! byte with the command line's file, and every figure checked is computed here from the input.

use crate::common::grouped;
use crate::web::{EXAMPLES, Server, canonical, cli, jamtland_folder};
use std::path::Path;

/// A folder holding copies of `names` from examples/.
fn folder_of(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        let to = dir.path().join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(Path::new(EXAMPLES).join(name), to).unwrap();
    }
    dir
}

/// The file the command line writes for `args` run in `dir`: `-o NAME` read back, else stdout.
fn cli_file(dir: &Path, args: &[&str]) -> Vec<u8> {
    let printed = cli(dir, args);
    match args.iter().position(|arg| *arg == "-o") {
        Some(at) => {
            let path = dir.join(args[at + 1]);
            let bytes = std::fs::read(&path).unwrap_or_else(|_| panic!("{args:?} wrote no file"));
            std::fs::remove_file(path).unwrap();
            bytes
        }
        None => printed,
    }
}

/// Each download of `page` (with `query`, `&`-joined) against the command line's `command`
/// with the same `flags`, the files named as the folder names them.
fn downloads_match(server: &Server, dir: &Path, page: &str, query: &str, command: &[&str], files: &[&str]) {
    let cases: [(&str, &[&str]); 3] =
        [("xlsx", &["-o", "out.xlsx"]), ("excel", &["--excel"]), ("csv", &["--format", "csv"])];
    for (download, flags) in cases {
        let answer = server.get(&format!("/download{page}?as={download}{query}"));
        assert_eq!(answer.status, 200, "{page} as {download}: {}", answer.text());
        let args = [&["--lang", "sv"], command, flags, &["--"], files].concat();
        assert!(answer.body == cli_file(dir, &args), "{page} as {download}: the page's file differs from {args:?}");
    }
}

/// `kronor` in mkr with five decimals, Swedish style (`9,65550`).
fn mkr5(kronor: i64) -> String {
    assert_eq!(kronor % 10, 0);
    format!("{},{:05}", kronor / 1_000_000, (kronor % 1_000_000) / 10)
}

#[test]
fn the_outcome_page_follows_up_its_plan_with_a_chart_per_area_and_downloads_the_command_lines_files() {
    let dir = jamtland_folder();
    let root = canonical(&dir);
    let server = Server::start_in(&root);
    let outcome = "jamtland-harjedalen-2019-utfall.csv";
    let page = server.get(&format!("/file/{outcome}"));
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    // The outcome's rows of one intervention, added up here.
    let intervention = "Påbörjat arbete med Region Jämtland Härjedalens strategi för nära vård";
    let ledger = std::fs::read_to_string(root.join(outcome)).unwrap();
    let spent: i64 = ledger
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(';').collect();
            (cells[0] == intervention).then(|| cells[1].replace(' ', "").parse::<i64>().unwrap())
        })
        .sum();
    assert!(text.contains(&mkr5(spent)), "{} for the intervention", mkr5(spent));
    assert!(text.contains("id=\"verdict\">fel<"), "an over-budget outcome is an error");
    // The TOML plan beside it, whose name the outcome's begins with, is the one followed up.
    assert!(text.contains("jamtland-harjedalen-2019.toml"));
    // A chart per area of the agreement: the HTML report's budget/outcome chart, an outcome over
    // its budget marked by class for the page's style sheet to colour.
    assert_eq!(text.matches("<svg class=\"chart budget-outcome\"").count(), 3, "a chart per area of the agreement");
    assert!(text.contains("<rect class=\"outcome over\""), "the overspend is marked");
    let style = server.get("/static/style.css").text();
    for rule in ["rect.budget", "rect.outcome", "rect.outcome.over"] {
        assert!(style.contains(&format!("svg.chart {rule} {{")), "the page's style sheet colours {rule}");
    }
    let plan = "jamtland-harjedalen-2019.toml";
    downloads_match(&server, &root, &format!("/file/{outcome}"), "", &["follow-up"], &[plan, outcome]);
    // The HTML report of the same plan and outcome: `fordela report`'s bytes.
    let report = server.get(&format!("/download/file/{outcome}?as=html"));
    assert_eq!(report.status, 200);
    assert!(report.body == cli_file(&root, &["--lang", "sv", "report", "-o", "r.html", "--", plan, outcome]));
    // Another plan asked for, with the command line's flags for a CSV plan and a period.
    let query = "&plan=jamtland-harjedalen-2019.csv&plan_unit=mkr&object=9916&until=2019-06-30";
    let page = server.get(&format!("/file/{outcome}?{}", &query[1..]));
    assert_eq!(page.status, 200, "{}", page.text());
    let args = ["follow-up", "--plan-unit=mkr", "--object=9916", "--until=2019-06-30"];
    downloads_match(
        &server,
        &root,
        &format!("/file/{outcome}"),
        query,
        &args,
        &["jamtland-harjedalen-2019.csv", outcome],
    );
    // A bad date is the command line's own words, and a page that says what to do.
    let bad = server.get(&format!("/file/{outcome}?until=30/6"));
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("--until"), "{}", bad.text());
}

#[test]
fn the_outcome_pages_comments_and_rows_not_counted_are_tables_drawn_from_the_result() {
    let dir = jamtland_folder();
    let root = canonical(&dir);
    let server = Server::start_in(&root);
    let outcome = "jamtland-harjedalen-2019-utfall.csv";
    let query = "plan=jamtland-harjedalen-2019.csv&plan_unit=mkr&object=9916&until=2019-06-30";
    let page = server.get(&format!("/file/{outcome}?{query}"));
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    // Nothing of the command line's text report: no box drawing, no preformatted block.
    assert!(!text.contains('└') && !text.contains("<pre"), "{text}");
    // The ledger read here: Insats;Belopp;Datum;Objekt;Kommentar;Beslut, its first line the header.
    let ledger = std::fs::read_to_string(root.join(outcome)).unwrap();
    let rows: Vec<(usize, Vec<String>)> = ledger
        .lines()
        .enumerate()
        .skip(1)
        .map(|(at, line)| (at + 1, line.split(';').map(str::to_string).collect()))
        .collect();
    let amount = |cells: &[String]| cells[1].replace(' ', "").parse::<i64>().unwrap();
    // Each comment of a counted row, under its intervention, in the comments' table.
    let comments = &text[text.find("id=\"comments\"").expect("a table of comments")..];
    let comments = &comments[..comments.find("</table>").unwrap()];
    for (_, cells) in rows.iter().filter(|(_, cells)| cells[3] == "9916" && cells[2].as_str() <= "2019-06-30") {
        if !cells[4].is_empty() {
            assert!(comments.contains(&format!("<bdi>{}</bdi>", cells[4])), "{} in {comments}", cells[4]);
        }
    }
    // Rows on another object: each line listed, then their sum.
    let other: Vec<&(usize, Vec<String>)> = rows.iter().filter(|(_, cells)| cells[3] != "9916").collect();
    let section = &text[text.find("Rader på annat objekt än 9916").expect("the other object's rows")..];
    let section = &section[..section.find("</table>").unwrap()];
    for (line, _) in &other {
        assert!(section.contains(&format!("<td class=\"num\">{line}</td>")), "line {line} in {section}");
    }
    let sum: i64 = other.iter().map(|(_, cells)| amount(cells)).sum();
    assert!(section.contains(&format!("<td class=\"num\">{}</td>", mkr5(sum))), "{} in {section}", mkr5(sum));
    // Rows of the object dated after the period: the first 20, what is left out, their sum.
    let after: Vec<&(usize, Vec<String>)> =
        rows.iter().filter(|(_, cells)| cells[3] == "9916" && cells[2].as_str() > "2019-06-30").collect();
    let section = &text[text.find("Rader daterade efter 2019-06-30").expect("the rows after the period")..];
    let section = &section[..section.find("</table>").unwrap()];
    assert_eq!(section.matches("<tr><td class=\"num\">").count(), 20, "the first 20 rows listed: {section}");
    let more = format!("… och {} rader till ({} i allt)", after.len() - 20, after.len());
    assert!(section.contains(&more), "{more} in {section}");
    let sum: i64 = after.iter().map(|(_, cells)| amount(cells)).sum();
    assert!(section.contains(&format!("<td class=\"num\">{}</td>", mkr5(sum))), "{} in {section}", mkr5(sum));
}

#[test]
fn the_payouts_page_splits_each_decision_per_quarter_and_downloads_the_command_lines_files() {
    let dir = folder_of(&["payouts-2019.csv", "payout-requests-2019.csv"]);
    let root = canonical(&dir);
    let server = Server::start_in(&root);
    let first = server.get("/").text();
    assert!(first.contains("<td>rekvisitioner</td>") && first.contains("<td>beslut om utbetalning</td>"));
    // A decision with no quarters needs the year: the page asks for it.
    let page = server.get("/file/payouts-2019.csv");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("id=\"question\"") && page.text().contains("--year"), "{}", page.text());
    let page = server.get("/file/payouts-2019.csv?year=2019");
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    // Each decision split in four (or two) quarters, the odd kronor to the earliest.
    let decisions: [(i64, usize, usize); 3] = [(1_000_001, 0, 4), (250_000, 2, 2), (600_002, 0, 4)];
    let mut quarters = [0i64; 4];
    for (amount, from, count) in decisions {
        let count_i64 = i64::try_from(count).unwrap();
        for at in 0..count {
            let odd = i64::from(i64::try_from(at).unwrap() < amount % count_i64);
            quarters[from + at] += amount / count_i64 + odd;
        }
    }
    for quarter in quarters {
        assert!(text.contains(&format!("{} kr", grouped(quarter))), "{} kr in the chart", grouped(quarter));
    }
    assert!(text.contains(&grouped(quarters.iter().sum::<i64>())), "the total");
    assert!(text.contains("<svg class=\"chart\""));
    // A requests file's page leads to the decisions it is read against.
    let requests = server.get("/file/payout-requests-2019.csv").text();
    assert!(requests.contains("href=\"/file/payouts-2019.csv?requests=payout-requests-2019.csv\""), "{requests}");
    let query = "&year=2019&requests=payout-requests-2019.csv";
    let args = ["payouts", "--year=2019", "--requests=payout-requests-2019.csv"];
    downloads_match(&server, &root, "/file/payouts-2019.csv", query, &args, &["payouts-2019.csv"]);
}

#[test]
fn a_regions_name_on_the_first_page_opens_its_explanation_and_its_targets() {
    let dir = jamtland_folder();
    let root = canonical(&dir);
    let server = Server::start_in(&root);
    let first = server.get("/").text();
    assert!(first.contains("href=\"/explain?region=23\""), "Jämtland's name links to its explanation");
    let page = server.get("/explain?region=23");
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("30 640 080"));
    for (download, flags) in [("xlsx", &["-o", "e.xlsx"][..]), ("text", &[])] {
        let answer = server.get(&format!("/download/explain?as={download}&region=23"));
        assert_eq!(answer.status, 200);
        let args = [&["--lang", "sv", "explain"], flags, &["--", "23"]].concat();
        assert!(answer.body == cli_file(&root, &args), "explain as {download}");
    }
    let targets = server.get("/targets?region=23&round=0.1mkr");
    assert_eq!(targets.status, 200, "{}", targets.text());
    // The three areas' targets at 0,1 mkr add up to the total rounded: 30,6 mkr.
    assert!(targets.text().contains("30,6"));
    // As a table of the areas and the total (not the text report in a <pre>): Jämtland's
    // 30 640 080 kr to the nearest 0,1 mkr is 30,6 in the total row.
    let text = targets.text();
    assert!(!text.contains("<pre"), "{text}");
    let table = &text[text.find("<table id=\"targets-1\">").expect("the targets as a table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr>").count(), 1 + 3 + 1, "header, three areas, the total: {table}");
    let total_row = &table[table.rfind("<tr>").unwrap()..];
    assert!(total_row.contains("<bdi>30,640080</bdi>") && total_row.contains("<bdi>30,6</bdi>"), "{total_row}");
    let args = ["allocate", "--region=23", "--round=0.1mkr"];
    downloads_match(&server, &root, "/targets", "&region=23&round=0.1mkr", &args, &[]);
    // Bad choices: the command line's words, never a server error.
    for path in ["/explain?region=99", "/targets?region=23&round=3"] {
        let answer = server.get(path);
        assert_eq!(answer.status, 422, "{path}: {}", answer.text());
        assert!(answer.text().contains("id=\"problem\""), "{path}");
    }
    // No region chosen yet: asked, not failed.
    for path in ["/explain", "/targets?round=0.1mkr"] {
        let answer = server.get(path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.text());
        assert!(answer.text().contains("<h1>Välj region</h1>"), "{path}: {}", answer.text());
    }
    assert_eq!(server.get("/download/explain?as=nothing&region=23").status, 400);
}

#[test]
fn the_audit_page_audits_a_published_table_and_downloads_the_command_lines_files() {
    let dir = folder_of(&["audit/omstallning-2017-figures.csv"]);
    let root = canonical(&dir);
    let server = Server::start_in(&root);
    let name = "audit/omstallning-2017-figures.csv";
    assert!(server.get("/").text().contains(&format!("<a href=\"/file/{name}\">")));
    // The table does not say its unit: asked for, not failed; the form first, nothing guessed.
    let page = server.get(&format!("/file/{name}"));
    assert_eq!(page.status, 200, "{}", page.text());
    let question = page.text();
    let question = &question[question.find("id=\"question\"").expect("the question")..];
    assert!(question.contains("<h1>Välj enhet</h1>") && question.contains("Tabellen säger inte sin enhet"));
    assert!(question.contains("<select name=\"unit\"><option value=\"\" selected>"), "{question}");
    // A step that is no amount is bad input: the command line's words, 422.
    let page = server.get(&format!("/file/{name}?unit=kr&step=x"));
    assert_eq!(page.status, 422);
    assert!(page.text().contains("--step") && !page.text().contains("id=\"question\""), "{}", page.text());
    let page = server.get(&format!("/file/{name}?unit=kr"));
    assert_eq!(page.status, 200, "{}", page.text());
    // The regions' amounts (rows with a county code; SKR's set-aside row has none), added up here.
    let table = std::fs::read_to_string(root.join(name)).unwrap();
    let regions: i64 = table
        .lines()
        .skip(1)
        .filter(|line| !line.starts_with(','))
        .map(|line| line.rsplit(',').next().unwrap().parse::<i64>().unwrap())
        .sum();
    assert!(page.text().contains(&grouped(regions)), "{} for the regions", grouped(regions));
    assert!(page.text().contains("2017-12-31"), "the date that fits the table");
    // The report's tables as tables, drawn from the result (not its text in a <pre>): the rows
    // audited, one per line of the table, and the population file's dates.
    let text = page.text();
    assert!(!text.contains("<pre"), "{text}");
    let rows_table = &text[text.find("<table id=\"audit-1\">").expect("the rows as a table")..];
    let rows_table = &rows_table[..rows_table.find("</table>").unwrap()];
    assert_eq!(rows_table.matches("<tr>").count(), 1 + table.lines().skip(1).count(), "{rows_table}");
    let dates = &text[text.find("<table id=\"audit-2\">").expect("the dates as a table")..];
    assert!(dates[..dates.find("</table>").unwrap()].contains("<td><bdi>2017-12-31</bdi></td>"), "{dates}");
    downloads_match(&server, &root, &format!("/file/{name}"), "&unit=kr", &["audit", "--unit=kr"], &[name]);
}

#[test]
fn the_diff_page_compares_two_versions_of_a_plan_and_downloads_the_command_lines_files() {
    let dir = folder_of(&["jamtland-harjedalen-2019.csv", "jamtland-harjedalen-2019-revision.csv"]);
    let root = canonical(&dir);
    let server = Server::start_in(&root);
    let plan = server.get("/file/jamtland-harjedalen-2019.csv?region=23&unit=mkr").text();
    assert!(plan.contains("action=\"/diff\"") && plan.contains("jamtland-harjedalen-2019-revision.csv"));
    let (old, new) = ("jamtland-harjedalen-2019.csv", "jamtland-harjedalen-2019-revision.csv");
    let query = format!("&old={old}&new={new}&unit=mkr");
    let page = server.get(&format!("/diff?{}", &query[1..]));
    assert_eq!(page.status, 200, "{}", page.text());
    // The one name the revision changed, found here by comparing the two files' lines.
    let old_text = std::fs::read_to_string(root.join(old)).unwrap();
    let new_text = std::fs::read_to_string(root.join(new)).unwrap();
    let renamed: Vec<&str> = new_text.lines().filter(|line| !old_text.lines().any(|other| other == *line)).collect();
    let renamed_name = renamed[0].split(';').nth(1).unwrap();
    assert!(page.text().contains(renamed_name), "{renamed_name}");
    // Drawn from the result as tables, not the text report: the rename as `old → new` in its cell,
    // each area and the total before and after (in mkr, one decimal), summed here.
    let text = page.text();
    assert!(!text.contains("<pre") && !text.contains('┌'), "{text}");
    let old_name = old_text.lines().nth(2).unwrap().split(';').nth(1).unwrap();
    assert!(text.contains(&format!("<td><bdi>{old_name} → {renamed_name}</bdi></td>")), "{text}");
    // The interventions' rows only: not the areas' `Totalt` rows, the blank one, the plan's total.
    let tenths = |plan: &str| -> i64 {
        plan.lines()
            .skip(1)
            .map(|line| line.trim_end().split(';').collect::<Vec<_>>())
            .filter(|cells| cells.len() == 3 && !cells[1].is_empty() && cells[1] != "Totalt")
            .map(|cells| {
                let (whole, tenth) = cells[2].split_once(',').unwrap_or((cells[2], "0"));
                whole.parse::<i64>().unwrap() * 10 + tenth.parse::<i64>().unwrap()
            })
            .sum()
    };
    let (before, after) = (tenths(&old_text), tenths(&new_text));
    let total = format!(
        "<tr class=\"total\"><td><bdi>totalt</bdi></td><td class=\"num\"><bdi>{},{}</bdi></td><td class=\"num\"><bdi>{},{}</bdi></td>",
        before / 10,
        before % 10,
        after / 10,
        after % 10
    );
    assert!(text.contains(&total), "{total} in {text}");
    downloads_match(&server, &root, "/diff", &query, &["diff", "--unit=mkr"], &[old, new]);
    // The new version not chosen yet: asked, in the page's language.
    let missing = server.get(&format!("/diff?old={old}"));
    assert_eq!(missing.status, 200);
    assert!(missing.text().contains("<h1>Välj versioner</h1>"), "{}", missing.text());
}

#[test]
fn the_diff_and_follow_up_pages_ask_for_the_unit_a_csv_plan_does_not_say() {
    let dir = folder_of(&[
        "jamtland-harjedalen-2019.csv",
        "jamtland-harjedalen-2019-revision.csv",
        "jamtland-harjedalen-2019-utfall.csv",
    ]);
    let root = canonical(&dir);
    let server = Server::start_in(&root);
    // Neither CSV plan says its unit (their amount column is a bare `Belopp`).
    let diff = server.get("/diff?old=jamtland-harjedalen-2019.csv&new=jamtland-harjedalen-2019-revision.csv");
    assert_eq!(diff.status, 200, "{}", diff.text());
    let text = diff.text();
    let question = &text[text.find("id=\"question\"").expect("the question")..];
    assert!(question.contains("<h1>Välj enhet</h1>") && question.contains("name=\"unit\""), "{question}");
    assert!(!text.contains("id=\"download-xlsx\""), "nothing to download before the unit is chosen");
    // The outcome against the CSV plan: the plan's unit asked for, not the outcome's.
    let follow_up = server.get("/file/jamtland-harjedalen-2019-utfall.csv");
    assert_eq!(follow_up.status, 200, "{}", follow_up.text());
    assert!(follow_up.text().contains("<h1>Välj planens enhet</h1>"), "{}", follow_up.text());
    // Once given, the pages are the command line's results.
    let page = server.get("/file/jamtland-harjedalen-2019-utfall.csv?plan_unit=mkr");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("id=\"follow-up\"") && !page.text().contains("id=\"question\""));
}

#[test]
fn an_outcome_or_decisions_dropped_on_the_page_are_read_in_memory_and_download_as_the_command_lines() {
    let dir = folder_of(&["jamtland-harjedalen-2019.toml"]);
    let root = canonical(&dir);
    let server = Server::start_in(&root);
    let token = server.token();
    let origin = format!("http://{}", server.host());
    let send = |name: &str, bytes: &[u8]| -> String {
        let answer = server.post_form(&[("token", None, token.as_bytes()), ("plan", Some(name), bytes)], Some(&origin));
        assert_eq!(answer.status, 303, "{name}");
        answer.header("location").unwrap().to_string()
    };
    let outcome_name = "jamtland-harjedalen-2019-utfall.csv";
    let outcome = std::fs::read(Path::new(EXAMPLES).join(outcome_name)).unwrap();
    let location = send(&format!("C:\\Users\\a\\{outcome_name}"), &outcome);
    let page = server.get(&location);
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("id=\"follow-up\""), "followed up against the folder's plan");
    assert_eq!(std::fs::read_dir(&root).unwrap().count(), 1, "nothing written into the folder");
    let id = location.rsplit('/').next().unwrap();
    let workbook = server.get(&format!("/download/upload/{id}?as=xlsx"));
    assert_eq!(workbook.status, 200);
    // The command line run where the outcome is a file of that name beside the folder's plan.
    let out = folder_of(&["jamtland-harjedalen-2019.toml"]);
    std::fs::write(out.path().join(outcome_name), &outcome).unwrap();
    let args = ["--lang", "sv", "follow-up", "-o", "x.xlsx", "--", "jamtland-harjedalen-2019.toml", outcome_name];
    assert!(workbook.body == cli_file(out.path(), &args), "the uploaded outcome's workbook");

    // The same outcome beside a folder with no plan: what to do, in words.
    let empty = tempfile::tempdir().unwrap();
    let lone = Server::start_in(empty.path());
    let lone_token = lone.token();
    let lone_origin = format!("http://{}", lone.host());
    let accepted = lone.post_form(
        &[("token", None, lone_token.as_bytes()), ("plan", Some(outcome_name), &outcome)],
        Some(&lone_origin),
    );
    let page = lone.get(accepted.header("location").unwrap());
    assert_eq!(page.status, 422);
    assert!(page.text().contains("holds no plan"), "{}", page.text());

    let decisions = std::fs::read(Path::new(EXAMPLES).join("payouts-2019.toml")).unwrap();
    let location = send("payouts-2019.toml", &decisions);
    let page = server.get(&location);
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("id=\"payouts\""));
    let id = location.rsplit('/').next().unwrap();
    let csv = server.get(&format!("/download/upload/{id}?as=csv"));
    std::fs::write(out.path().join("payouts-2019.toml"), &decisions).unwrap();
    assert!(
        csv.body == cli_file(out.path(), &["--lang", "sv", "payouts", "--format", "csv", "--", "payouts-2019.toml"])
    );
}

#[test]
fn the_new_pages_read_nothing_outside_the_folder_and_answer_only_their_own_host() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(Path::new(EXAMPLES).join("jamtland-harjedalen-2019.toml"), outside.path().join("secret.toml"))
        .unwrap();
    let secret = outside.path().join("secret.toml").display().to_string();
    let dir = folder_of(&[
        "jamtland-harjedalen-2019.toml",
        "jamtland-harjedalen-2019-utfall.csv",
        "payouts-2019.csv",
        "audit/omstallning-2017-figures.csv",
    ]);
    let server = Server::start(dir.path());
    let pages = [
        "/explain?region=23",
        "/targets?region=23&round=0.1mkr",
        "/diff",
        "/file/jamtland-harjedalen-2019-utfall.csv",
        "/file/payouts-2019.csv?year=2019",
        "/file/audit/omstallning-2017-figures.csv?unit=kr",
        "/download/explain?as=xlsx&region=23",
        "/download/file/payouts-2019.csv?as=csv&year=2019",
    ];
    for path in pages {
        assert_eq!(server.get_with_host(path, "evil.example").status, 403, "{path}");
        assert_eq!(server.get_with_host(path, &format!("evil.example:{}", server.port)).status, 403, "{path}");
    }
    // Every file a page names is one of the folder's list: a path is refused, never read.
    let refused = [
        format!("/file/jamtland-harjedalen-2019-utfall.csv?plan={secret}"),
        "/file/jamtland-harjedalen-2019-utfall.csv?plan=..%2fjamtland-harjedalen-2019.toml".to_string(),
        format!("/download/file/jamtland-harjedalen-2019-utfall.csv?as=html&plan={secret}"),
        format!("/file/payouts-2019.csv?year=2019&requests={secret}"),
        "/file/payouts-2019.csv?year=2019&requests=%2Fetc%2Fpasswd".to_string(),
        format!("/diff?old=jamtland-harjedalen-2019.toml&new={secret}"),
        format!("/download/diff?as=csv&old={secret}&new=jamtland-harjedalen-2019.toml"),
        format!("/explain?region=23&agreement={secret}"),
        "/targets?region=23&round=0.1mkr&agreement=..%2f..%2fetc%2fpasswd".to_string(),
        format!("/file/audit/omstallning-2017-figures.csv?unit=kr&agreement={secret}"),
    ];
    for path in &refused {
        let answer = server.get(path);
        assert_eq!(answer.status, 422, "{path}");
        let text = answer.text();
        assert!(text.contains("choose one of the list") || text.contains("no agreement"), "{path}: {text}");
        assert!(!text.contains("secret.toml:"), "{path} read the file");
    }
    for path in [
        "/file/..%2fsecret.toml",
        "/download/file/%2e%2e%2fsecret.toml?as=xlsx",
        "/download/file/..%2f..%2fetc%2fpasswd?as=html",
    ] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }
}

/// A folder holding copies of examples/ under other names: `(example, name)`.
fn folder_renamed(pairs: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (example, name) in pairs {
        std::fs::copy(Path::new(EXAMPLES).join(example), dir.path().join(name)).unwrap();
    }
    dir
}

#[test]
fn an_outcomes_plan_is_the_longest_name_it_begins_with_and_toml_only_on_a_tie() {
    let outcome = ("jamtland-harjedalen-2019-utfall.csv", "region-2020-utfall.csv");
    let (toml, csv) = ("jamtland-harjedalen-2019.toml", "jamtland-harjedalen-2019.csv");
    // `region.toml` is a prefix too, but `region-2020.csv` is the longer, nearer name.
    let dir = folder_renamed(&[outcome, (toml, "region.toml"), (csv, "region-2020.csv")]);
    let server = Server::start_in(&canonical(&dir));
    let page = server.get("/file/region-2020-utfall.csv").text();
    assert!(page.contains("<option value=\"region-2020.csv\" selected>"), "{page}");
    // Of two names as long, the TOML plan: it says its unit.
    let dir = folder_renamed(&[outcome, (toml, "region-2020.toml"), (csv, "region-2020.csv")]);
    let server = Server::start_in(&canonical(&dir));
    let page = server.get("/file/region-2020-utfall.csv");
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("<option value=\"region-2020.toml\" selected>"), "{}", page.text());
}

#[test]
fn the_outcome_page_shows_every_line_of_the_command_lines_heading() {
    let dir = jamtland_folder();
    let root = canonical(&dir);
    let server = Server::start_in(&root);
    let outcome = "jamtland-harjedalen-2019-utfall.csv";
    let page = server.get(&format!("/file/{outcome}")).text();
    let printed = cli(&root, &["--lang", "sv", "follow-up", "--", "jamtland-harjedalen-2019.toml", outcome]);
    let printed = String::from_utf8(printed).unwrap();
    // The heading: the lines before the table's frame.
    let heading: Vec<&str> = printed.lines().take_while(|line| !line.starts_with('┌')).collect();
    // The outcome in kr beside a plan in mkr: the CLI says so on a line of its own.
    assert!(heading.contains(&"utfallet i kr."), "{heading:?}");
    for line in heading {
        assert!(page.contains(&format!("<p><bdi>{line}</bdi></p>")), "the page leaves out {line:?}");
    }
}

#[test]
fn a_missing_year_is_asked_with_the_agreements_year_suggested_and_the_only_requests_file_given_as_a_flag() {
    let dir = folder_of(&["payouts-2019.csv", "payout-requests-2019.csv"]);
    let root = canonical(&dir);
    let server = Server::start_in(&root);
    // First view, and the link from the requests file's page: a question, not a failure.
    for path in ["/file/payouts-2019.csv", "/file/payouts-2019.csv?requests=payout-requests-2019.csv"] {
        let page = server.get(path);
        assert_eq!(page.status, 200, "{path}: {}", page.text());
        let text = page.text();
        assert!(text.contains("<h1>Välj år</h1>"), "{path}: {text}");
        assert!(!text.contains("id=\"problem\""), "{path}");
        // The year field first in the form, filled in with the year the bundled agreement's
        // name ends with ("God och nära vård 2019"), said to be a suggestion.
        let form = &text[text.find("<form").unwrap()..];
        assert!(form.find("name=\"year\"").unwrap() < form.find("name=\"requests\"").unwrap(), "{form}");
        assert!(form.contains("value=\"2019\""), "{form}");
        assert!(text.contains("Förslaget 2019") && text.contains("God och nära vård 2019"), "{text}");
        // The folder's only requests file chosen.
        assert!(form.contains("<option value=\"payout-requests-2019.csv\" selected>"), "{form}");
    }
    // Confirmed, the requests file is a flag of the command line the page shows, and the
    // downloads are that command line's files.
    let page = server.get("/file/payouts-2019.csv?year=2019").text();
    assert!(page.contains("payouts --requests=payout-requests-2019.csv --year=2019 -o"), "{page}");
    let args = ["payouts", "--requests=payout-requests-2019.csv", "--year=2019"];
    downloads_match(&server, &root, "/file/payouts-2019.csv", "&year=2019", &args, &["payouts-2019.csv"]);
    // "–" chosen: no requests, in the page and in its downloads.
    let page = server.get("/file/payouts-2019.csv?year=2019&requests=").text();
    assert!(page.contains("payouts --year=2019 -o payouts-2019.xlsx payouts-2019.csv"), "{page}");
    assert!(page.contains("href=\"/download/file/payouts-2019.csv?as=csv&amp;year=2019&amp;requests=\""), "{page}");
    downloads_match(
        &server,
        &root,
        "/file/payouts-2019.csv",
        "&year=2019&requests=",
        &["payouts", "--year=2019"],
        &["payouts-2019.csv"],
    );
    // A TOML file holds its own requests: the folder's file is not added (the command line
    // would refuse both).
    let dir = folder_of(&["payouts-2019.toml", "payout-requests-2019.csv"]);
    let server = Server::start_in(&canonical(&dir));
    let page = server.get("/file/payouts-2019.toml");
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(!page.text().contains("--requests="), "{}", page.text());
}

#[test]
fn a_regions_targets_without_a_step_ask_for_it_and_a_flags_bad_value_is_a_sentence_naming_the_flag() {
    let dir = jamtland_folder();
    let server = Server::start_in(&canonical(&dir));
    let page = server.get("/targets?region=23");
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(text.contains("<h1>Välj steg</h1>") && text.contains("0,1 mkr"), "{text}");
    let form = &text[text.find("<form").unwrap()..];
    assert!(form.contains("name=\"round\"") && form.contains("<option value=\"23\" selected>"), "{form}");
    // A value the command's parser refuses: a Swedish sentence naming the flag, never clap's
    // usage text.
    let dir = folder_of(&["payouts-2019.csv"]);
    let payouts = Server::start_in(&canonical(&dir));
    for (server, path, flag) in [
        (&server, "/targets?region=23&round=3", "--round"),
        (&payouts, "/file/payouts-2019.csv?year=12", "--year"),
        (&payouts, "/file/payouts-2019.csv?year=2019&unit=gkr", "--unit"),
    ] {
        let page = server.get(path);
        assert_eq!(page.status, 422, "{path}: {}", page.text());
        let text = page.text();
        let problem = &text[text.find("id=\"problem\"").unwrap()..];
        let problem = &problem[..problem.find("</p>").unwrap()];
        assert!(problem.contains(&format!("{flag}: värdet")), "{path}: {problem}");
        for clap in ["Usage", "error:", "<STEP>", "&lt;", "--help"] {
            assert!(!problem.contains(clap), "{path}: {clap} in {problem}");
        }
    }
}

#[test]
fn the_payouts_page_is_a_table_of_decisions_by_quarter_with_their_sums_drawn_from_the_result() {
    let dir = folder_of(&["payouts-2019.csv"]);
    let server = Server::start_in(&canonical(&dir));
    let page = server.get("/file/payouts-2019.csv?year=2019");
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(!text.contains("<pre"), "the text report is no longer shown as is");
    // A column per quarter, its payment date (the last day of its first month) under it.
    for (quarter, date) in
        [("2019Q1", "2019-01-31"), ("2019Q2", "2019-04-30"), ("2019Q3", "2019-07-31"), ("2019Q4", "2019-10-31")]
    {
        assert!(text.contains(&format!("<th class=\"num\">{quarter}<br>{date}</th>")), "{quarter} in {text}");
    }
    // Each decision a row, split here: the odd kronor to the earliest quarters.
    let split = |amount: i64, from: usize, count: usize| -> [i64; 4] {
        let mut cells = [0; 4];
        let count_i64 = i64::try_from(count).unwrap();
        for at in 0..count {
            cells[from + at] = amount / count_i64 + i64::from(i64::try_from(at).unwrap() < amount % count_i64);
        }
        cells
    };
    let cells = |quarters: [i64; 4]| -> String {
        let total: i64 = quarters.iter().sum();
        let mut row = String::new();
        for kronor in quarters.iter().chain([&total]) {
            row.push_str("<td class=\"num\"><bdi>");
            row.push_str(&grouped(*kronor));
            row.push_str("</bdi></td>");
        }
        row
    };
    let decisions = [
        ("Hälsocentralen Exempel AB", "tillganglighet", "2019Q1–2019Q4", split(1_000_001, 0, 4)),
        ("Hälsocentralen Exempel AB", "patientkontrakt", "2019Q3–2019Q4", split(250_000, 2, 2)),
        ("Vårdcentralen Prov", "tillganglighet", "2019Q1–2019Q4", split(600_002, 0, 4)),
    ];
    let mut total = [0i64; 4];
    for (provider, area, period, quarters) in decisions {
        let row = format!(
            "<tr><td><bdi>{provider}</bdi></td><td><bdi>{area}</bdi></td><td><bdi>{period}</bdi></td>{}</tr>",
            cells(quarters)
        );
        assert!(text.contains(&row), "{row} in {text}");
        for (sum, kronor) in total.iter_mut().zip(quarters) {
            *sum += kronor;
        }
    }
    // An area's sum a row of its own, and the total last.
    let area: Vec<i64> = decisions[0].3.iter().zip(decisions[2].3).map(|(a, b)| a + b).collect();
    let area_row = format!(
        "<tr class=\"subtotal\"><td><bdi>alla</bdi></td><td><bdi>tillganglighet</bdi></td><td><bdi></bdi></td>{}</tr>",
        cells(area.try_into().unwrap())
    );
    assert!(text.contains(&area_row), "{area_row}");
    let total_row = format!(
        "<tr class=\"total\"><td><bdi>totalt</bdi></td><td><bdi></bdi></td><td><bdi></bdi></td>{}</tr>",
        cells(total)
    );
    assert!(text.contains(&total_row), "{total_row}");
    assert!(text.contains("Udda kronor går till de tidigaste kvartalen"));
}

#[test]
fn an_outcomes_plan_is_named_by_whole_parts_of_its_name_and_its_links_keep_the_plan_shown() {
    // `jh-2` begins `jh-2019-utfall` only inside a word: the plan is `jh`.
    let dir = folder_renamed(&[
        ("jamtland-harjedalen-2019.csv", "jh.csv"),
        ("jamtland-harjedalen-2019-revision.csv", "jh-2.csv"),
        ("jamtland-harjedalen-2019-utfall.csv", "jh-2019-utfall.csv"),
    ]);
    let server = Server::start_in(&canonical(&dir));
    let page = server.get("/file/jh-2019-utfall.csv?plan_unit=mkr").text();
    assert!(page.contains(" jh.csv jh-2019-utfall.csv"), "followed up against jh.csv: {page}");
    // The downloads name the plan the page used: a file that could match, added after, does not
    // change what they follow up.
    assert!(page.contains("plan=jh.csv"), "the links name the plan: {page}");
    std::fs::copy(dir.path().join("jh.csv"), dir.path().join("jh-2019.csv")).unwrap();
    let link = server.get("/download/file/jh-2019-utfall.csv?as=xlsx&plan_unit=mkr&plan=jh.csv");
    assert_eq!(link.status, 200);
    assert!(link.header("content-disposition").is_some_and(|value| value.contains("jh.xlsx")), "made from jh.csv");
}

#[test]
fn the_explanations_link_to_the_targets_asks_for_the_step_and_guesses_none() {
    let dir = jamtland_folder();
    let server = Server::start_in(&canonical(&dir));
    let page = server.get("/explain?region=23").text();
    let at = page.find("id=\"targets-link\"").expect("a link to the targets");
    let link = &page[page[..at].rfind("href=\"").unwrap() + 6..at];
    let href = &link[..link.find('"').unwrap()].replace("&amp;", "&");
    assert!(!href.contains("round"), "no step chosen for the person: {href}");
    let targets = server.get(href);
    assert_eq!(targets.status, 200);
    assert!(targets.text().contains("<h1>Välj steg</h1>"), "{}", targets.text());
}

#[test]
fn an_outcome_beside_several_plans_none_named_as_it_asks_which_one() {
    let dir = folder_renamed(&[
        ("jamtland-harjedalen-2019.csv", "a.csv"),
        ("jamtland-harjedalen-2019-revision.csv", "b.csv"),
        ("jamtland-harjedalen-2019-utfall.csv", "utfall.csv"),
    ]);
    let server = Server::start_in(&canonical(&dir));
    let page = server.get("/file/utfall.csv");
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(text.contains("<h1>Välj plan</h1>") && text.contains("flera planer"), "{text}");
    assert!(!text.contains("the folder holds several plans"), "in the page's language: {text}");
}

#[test]
fn several_requests_files_none_chosen_are_said_not_to_have_been_read() {
    let dir = folder_renamed(&[
        ("payouts-2019.csv", "payouts-2019.csv"),
        ("payout-requests-2019.csv", "r1.csv"),
        ("payout-requests-2019.csv", "r2.csv"),
    ]);
    let server = Server::start_in(&canonical(&dir));
    let page = server.get("/file/payouts-2019.csv?year=2019");
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("id=\"requests-unread\"") && page.text().contains("2 filer med rekvisitioner"));
    // Chosen, or none chosen on purpose: nothing to say.
    for query in ["&requests=r1.csv", "&requests="] {
        let page = server.get(&format!("/file/payouts-2019.csv?year=2019{query}"));
        assert!(!page.text().contains("requests-unread"), "{query}");
    }
}
