//! The 2021 annual report generated from the demo year, checked from outside against the
//! Dazhou report it reproduces (tests/data/seed-report-2021.txt): every figure of that text,
//! with the phrase before it, is found in the generated report with the same value, or is in the
//! printed pending list (figures the demo year cannot produce yet, each with its reason). Then the .docx is read back and the
//! published version's signature and drift are checked with `report verify`.
//!
//! The demo year is built once per test process (about 20 s in a debug build).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// A fixed data key, so that every command opens the demo's database with the key it was written with.
const KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minzheng"))
        .args(args)
        .current_dir(dir)
        .env_remove("MINZHENG_DB")
        .env("MINZHENG_DATA_KEY", KEY)
        .env("MINZHENG_LOG", "warn")
        .output()
        .unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "failed ({}): {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The folder holding the demo's database, built on first use.
fn demo() -> &'static PathBuf {
    static DEMO: OnceLock<PathBuf> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("minzheng-report-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let started = std::time::Instant::now();
        ok(run(&dir, &["demo", "--db", "sqlite://demo.db"]));
        eprintln!("demo year built in {:?}", started.elapsed());
        dir
    })
}

/// A figure of a text: the number, its unit, whether the text says "以上" (at least), and the
/// phrase before it.
#[derive(Debug, Clone, PartialEq)]
struct Figure {
    value: f64,
    unit: String,
    at_least: bool,
    before: String,
}

/// Every number followed by a counting unit (件 项 个 例 名 %), with the 12 characters before it
/// (dates and years are not figures: 年 月 日 are no units here).
fn figures(text: &str) -> Vec<Figure> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let Some(unit) = chars.get(i).filter(|c| "件项个例名%".contains(**c)) else { continue };
        let at_least = chars[i + 1..].iter().take(2).collect::<String>() == "以上";
        let before: String = chars[start.saturating_sub(12)..start].iter().collect();
        out.push(Figure { value: number.parse().unwrap(), unit: unit.to_string(), at_least, before });
    }
    out
}

/// How each figure of the Dazhou text is found in the generated one: the phrase before it in the
/// Dazhou text, and the phrases before the generated figures that must carry its value (several
/// where the Dazhou text states one value for several rates).
const MATCHES: &[(&str, &[&str])] = &[
    ("办理人大代表建议", &["办理人大代表建议"]),
    ("代表满意率达到", &["代表满意率达到"]),
    ("将", &["将"]),
    ("可、", &["可、"]),
    ("办理时限压缩幅度达", &["办理时限压缩幅度达"]),
    ("即办率", &["即办率"]),
    ("全程网办率均为", &["事项认领率", "发布率", "准确率", "情形化率", "全程网办率"]),
    ("已有", &["已有"]),
    ("试点地区扩大到", &["试点地区扩大到"]),
    ("全市已办理", &["全市已办理"]),
    // The demo's narrative is set with full-width punctuation, as a bureau's document is.
    ("“跨省登记”,", &["“跨省登记”，"]),
    ("“跨地市登记”和", &["“跨地市登记”和"]),
    ("两项补贴“跨省通办”", &["两项补贴“跨省通办”"]),
    ("已办结", &["已办结"]),
    ("其余", &["其余"]),
    ("局机关有", &["局机关有"]),
    ("渠南街道大山社区等", &["渠南街道大山社区等"]),
];

/// Figures the demo cannot produce yet: the phrase before them in the Dazhou text, the phrase
/// before the generated figure ("" for the whole figure) and why. Printed, never skipped silently;
/// each must still be in the Dazhou text.
const PENDING: &[(&str, &str, &str)] = &[];

fn pending(before: &str, target: &str) -> Option<&'static str> {
    PENDING.iter().find(|(seed, t, _)| before.ends_with(seed) && (t.is_empty() || *t == target)).map(|(_, _, why)| *why)
}

fn rule_for(before: &str) -> Option<&'static (&'static str, &'static [&'static str])> {
    MATCHES.iter().filter(|(seed, _)| before.ends_with(seed)).max_by_key(|(seed, _)| seed.chars().count())
}

#[test]
fn the_2021_report_reproduces_every_figure_of_the_dazhou_report() {
    let dir = demo();
    let generated = ok(run(
        dir,
        &["report", "build", "--db", "sqlite://demo.db", "--year", "2021", "--format", "text", "--out", "-"],
    ));
    let seed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed-report-2021.txt")).unwrap();
    let seed_figures = figures(&seed);
    assert!(seed_figures.len() >= 17, "the extraction finds the Dazhou figures: {seed_figures:?}");
    let ours = figures(&generated);
    let mut pending_seen = Vec::new();
    let mut wrong = Vec::new();
    for f in &seed_figures {
        if let Some(why) = pending(&f.before, "") {
            pending_seen.push(format!("{}{}（“{}”之后）：{why}", f.value, f.unit, f.before));
            continue;
        }
        let Some((_, targets)) = rule_for(&f.before) else {
            wrong.push(format!("达州报告的指标 {}{}（前文“{}”）没有对应规则", f.value, f.unit, f.before));
            continue;
        };
        for target in targets.iter() {
            if let Some(why) = pending(&f.before, target) {
                pending_seen.push(format!("{}{}（“{target}”之后）：{why}", f.value, f.unit));
                continue;
            }
            let found: Vec<&Figure> = ours.iter().filter(|g| g.before.ends_with(target) && g.unit == f.unit).collect();
            let good = found.iter().any(|g| if f.at_least { g.value >= f.value } else { g.value == f.value });
            if !good {
                wrong.push(format!(
                    "{}{}{}（“{target}”之后）：生成的报告为 {:?}",
                    f.value,
                    f.unit,
                    if f.at_least { "以上" } else { "" },
                    found.iter().map(|g| g.value).collect::<Vec<_>>()
                ));
            }
        }
    }
    eprintln!("尚不能由演示数据得出的指标（pending）：");
    for p in &pending_seen {
        eprintln!("  - {p}");
    }
    assert_eq!(pending_seen.len(), PENDING.len(), "every pending figure is still in the Dazhou text: {pending_seen:?}");
    assert!(wrong.is_empty(), "figures that differ:\n{}\n\n{generated}", wrong.join("\n"));
}

#[test]
fn the_docx_is_a_gbt_9704_document_carrying_every_figure() {
    let dir = demo();
    ok(run(
        dir,
        &["report", "build", "--db", "sqlite://demo.db", "--year", "2021", "--format", "docx", "--out", "r.docx"],
    ));
    let json = ok(run(
        dir,
        &["report", "build", "--db", "sqlite://demo.db", "--year", "2021", "--format", "json", "--out", "-"],
    ));
    let indicators: serde_json::Value = serde_json::from_str(&json).unwrap();
    let unzip = Command::new("unzip").args(["-p", "r.docx", "word/document.xml"]).current_dir(dir).output();
    let xml = String::from_utf8(unzip.expect("unzip is installed (it reads the .docx back)").stdout).unwrap();
    // A4, margins 37/35/28/26 mm in twips, 22 lines a page, title 22 pt, body 16 pt.
    for needle in [
        r#"w:w="11906""#,
        r#"w:h="16838""#,
        r#"w:top="2098""#,
        r#"w:bottom="1984""#,
        r#"w:left="1587""#,
        r#"w:right="1474""#,
        // 225 mm ÷ 22 lines = 10.23 mm = 580 twips, a line grid; 156 mm ÷ 28 characters = 15.79 pt,
        // 16 pt characters drawn 0.2 pt (4 twentieths) closer.
        r#"w:type="lines""#,
        r#"w:linePitch="580""#,
        r#"<w:spacing w:val="-4" />"#,
        r#"<w:sz w:val="44" />"#,
        r#"<w:sz w:val="32" />"#,
        // 首行缩进 two characters (2 × 156 mm ÷ 28 = 11.14 mm = 632 twips).
        r#"w:firstLine="632""#,
        "达州市民政局",
    ] {
        assert!(xml.contains(needle), "document.xml lacks {needle}");
    }
    // The default font size the grid's character pitch is reckoned from: 16 pt.
    let styles = Command::new("unzip").args(["-p", "r.docx", "word/styles.xml"]).current_dir(dir).output().unwrap();
    let styles = String::from_utf8(styles.stdout).unwrap();
    let defaults = styles.split("</w:docDefaults>").next().unwrap_or_default();
    assert!(defaults.contains(r#"<w:sz w:val="32" />"#), "default size 16 pt: {defaults}");
    let footer = Command::new("unzip").args(["-p", "r.docx", "word/footer1.xml"]).current_dir(dir).output().unwrap();
    let footer = String::from_utf8(footer.stdout).unwrap();
    assert!(footer.contains("<w:instrText>PAGE</w:instrText>"), "page numbers at the foot: {footer}");
    let runs = footer.matches("<w:r>").count();
    assert!(runs >= 3, "{footer}");
    assert_eq!(
        runs,
        footer.matches(r#"<w:r><w:rPr><w:sz w:val="28" />"#).count(),
        "every run of the page number in 4号 (14 pt): {footer}"
    );
    let text: String = {
        // The text runs, joined: a figure may sit in a run of its own.
        let mut out = String::new();
        for part in xml.split("<w:t").skip(1) {
            if let Some(start) = part.find('>') {
                if let Some(end) = part.find("</w:t>") {
                    out.push_str(&part[start + 1..end]);
                }
            }
        }
        out
    };
    let body = ok(run(
        dir,
        &["report", "build", "--db", "sqlite://demo.db", "--year", "2021", "--format", "text", "--out", "-"],
    ));
    // The date under the organ is the report's own: the demo's legal staff saved it on the demo's
    // clock in December 2021; the file is built years later and does not take that day.
    // The charts follow the date as the report's 附件, named under the body.
    let (text, annex) =
        text.split_once("附件办件情况图表").expect("the charts' annex, named under the body and after the date");
    assert!(text.contains("附件：办件情况图表") && annex.contains("按月办件量"), "{annex}");
    let media = Command::new("unzip").args(["-l", "r.docx"]).current_dir(dir).output().unwrap();
    let media = String::from_utf8(media.stdout).unwrap();
    assert!(media.contains("word/media/"), "the charts' pictures: {media}");
    let dated =
        text[text.rfind("达州市民政局").expect("the organ under the body")..].trim_start_matches("达州市民政局");
    assert!(dated.starts_with("2021年12月") && dated.ends_with('日'), "the .docx is dated {dated}");
    assert!(body.trim_end().ends_with(&format!("达州市民政局\n{dated}")), "the text is dated the same: {body}");
    let narrative_keys =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/demo/annual_report_2021.txt")).unwrap();
    let mut checked = 0;
    for i in indicators.as_array().unwrap() {
        let key = i["key"].as_str().unwrap();
        if !narrative_keys.contains(&format!("{{{{{key}}}}}")) {
            continue;
        }
        let label = i["label"].as_str().unwrap();
        let n = i["numerator"].as_i64().unwrap();
        let shown = match i["denominator"].as_i64() {
            Some(d) if d > 0 => {
                let tenths = n * 1000 / d;
                if tenths % 10 == 0 {
                    format!("{}%", tenths / 10)
                } else {
                    format!("{}.{}%", tenths / 10, tenths % 10)
                }
            }
            _ => n.to_string(),
        };
        assert!(text.contains(&shown), "the .docx lacks {label} = {shown}");
        assert!(body.contains(&shown), "the text lacks {label} = {shown}");
        checked += 1;
    }
    assert!(checked >= 15, "the narrative's figures were checked ({checked})");
}

#[test]
fn a_published_report_verifies_and_a_tampered_one_does_not() {
    let dir = demo();
    let copy = dir.join("published");
    let _ = std::fs::create_dir_all(&copy);
    for f in ["demo.db", "demo.db-wal", "demo.db-shm"] {
        if dir.join(f).exists() {
            std::fs::copy(dir.join(f), copy.join(f)).unwrap();
        }
    }
    ok(run(&copy, &["report", "publish", "--db", "sqlite://demo.db", "--year", "2021"]));
    ok(run(
        &copy,
        &[
            "report",
            "build",
            "--db",
            "sqlite://demo.db",
            "--year",
            "2021",
            "--format",
            "signed",
            "--out",
            "signed.json",
        ],
    ));
    let verified = ok(run(&copy, &["report", "verify", "--db", "sqlite://demo.db", "signed.json"]));
    assert!(verified.contains("签名：有效") && verified.contains("无变动"), "{verified}");
    // One figure changed in the signed text: the signature no longer holds.
    let text = std::fs::read_to_string(copy.join("signed.json")).unwrap();
    let tampered = text.replacen("556", "557", 1);
    assert_ne!(tampered, text, "the signed text carries the figure");
    std::fs::write(copy.join("tampered.json"), tampered).unwrap();
    let out = run(&copy, &["report", "verify", "--db", "sqlite://demo.db", "tampered.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("签名：无效"));
}
