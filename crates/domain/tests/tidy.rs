//! Architecture invariants, as tests: the domain stays pure, and only `web` knows HTTP.

use std::path::Path;

fn read(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn dependencies(manifest: &str) -> String {
    // The [dependencies] table only (dev-dependencies may use anything).
    let start = manifest.find("[dependencies]").map(|i| i + "[dependencies]".len()).unwrap_or(manifest.len());
    let rest = &manifest[start..];
    let end = rest.find("\n[").unwrap_or(rest.len());
    rest[..end].to_string()
}

#[test]
fn domain_has_no_io_dependencies() {
    let deps = dependencies(&read("crates/domain/Cargo.toml"));
    for forbidden in ["tokio", "sqlx", "axum", "reqwest", "hyper", "tower", "async-trait", "store", "service", "web"] {
        assert!(
            !deps.lines().any(|l| l.trim_start().starts_with(forbidden)),
            "crates/domain must stay pure but depends on {forbidden}"
        );
    }
}

#[test]
fn domain_source_does_no_io() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for forbidden in ["std::fs", "std::net", "std::process", "std::env", "async fn", "File::open"] {
                assert!(!text.contains(forbidden), "{} uses {forbidden}: the domain does no IO", path.display());
            }
        }
    }
}

#[test]
fn only_web_knows_http_and_web_reaches_the_store_only_through_service() {
    for krate in ["domain", "store", "service"] {
        let deps = dependencies(&read(&format!("crates/{krate}/Cargo.toml")));
        for http in ["axum", "tower", "hyper", "utoipa"] {
            assert!(!deps.lines().any(|l| l.trim_start().starts_with(http)), "{krate} depends on {http}");
        }
    }
    let web = dependencies(&read("crates/web/Cargo.toml"));
    assert!(!web.lines().any(|l| l.trim_start().starts_with("store")), "web must call service, not store");
}

/// The web layer and the binary go through `App`'s use cases: neither reads `App`'s store (the
/// field is public for the integration tests only). The benchmark opens its own handle on the
/// database for what it measures below the use cases.
#[test]
fn the_binary_and_web_reach_the_store_only_through_the_service() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut stack: Vec<std::path::PathBuf> = ["web", "minzheng"].iter().map(|c| root.join(c).join("src")).collect();
    let mut found = Vec::new();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for (number, line) in text.lines().enumerate() {
            if line.contains("app.store") || line.contains("app().store") {
                found.push(format!("{}:{}: {}", path.display(), number + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "reads App's store instead of calling a use case:\n{}", found.join("\n"));
}

/// Every reference in the repository can be followed by a reader of the repository: no pointer to
/// notes outside it (a machine's paths, the team's working notes) and no issue numbers, in code,
/// catalog data or docs. Legal sources are cited by statute and article instead.
#[test]
fn references_stay_inside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stack: Vec<std::path::PathBuf> =
        ["crates", "catalog", "docs", "README.md", "ARCHITECTURE.md", "BENCHMARKS.md"]
            .iter()
            .map(|p| root.join(p))
            .collect();
    // Spelled in pieces so that this list is not itself a reference of the kind it forbids.
    let forbidden = [
        concat!("domain", ".md"),
        concat!("../", "shared/"),
        concat!("/wo", "rk/"),
        concat!("(iss", "ue "),
        concat!("iss", "ue #"),
    ];
    let mut found = Vec::new();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target" || n == "proptest-regressions") {
                continue;
            }
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for (number, line) in text.lines().enumerate() {
            if let Some(word) = forbidden.iter().find(|w| line.contains(*w)) {
                found.push(format!("{}:{}: {word}", path.strip_prefix(&root).unwrap_or(&path).display(), number + 1));
            }
        }
    }
    assert!(found.is_empty(), "references a reader of the repository cannot follow:\n{}", found.join("\n"));
}

/// Every event name the code emits has its one Chinese label (`domain::event_label`), so no page,
/// notice, export or trace needs to show a machine name: the source of every crate (tests and
/// `#[cfg(test)]` modules aside) is scanned for string literals shaped like an event name.
/// (`catalog.claim`/`publish`/`withdraw` are built with `format!` and listed in the table by hand.)
#[test]
fn every_event_name_the_code_emits_has_a_label() {
    const STREAMS: [&str; 13] = [
        "case",
        "person",
        "organization",
        "assistance",
        "household",
        "marriage",
        "account",
        "session",
        "calendar",
        "catalog",
        "delegation",
        "disclosure",
        "hotline",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut stack: Vec<std::path::PathBuf> =
        ["domain", "store", "service", "web", "minzheng"].iter().map(|c| root.join(c).join("src")).collect();
    let mut seen = 0;
    let mut missing = Vec::new();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for literal in code.split('"') {
            let Some((stream, name)) = literal.split_once('.') else { continue };
            let shaped = STREAMS.contains(&stream)
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && name != "html";
            if !shaped {
                continue;
            }
            seen += 1;
            if domain::event_label::known_event_label(literal).is_none() {
                missing.push(format!("{}: {literal}", path.display()));
            }
        }
    }
    assert!(seen > 30, "the scan found only {seen} event names: is it still looking in the right place?");
    assert!(missing.is_empty(), "event names without a Chinese label in domain::event_label:\n{}", missing.join("\n"));
}

/// The generic pipeline names no area (docs/designs/areas.md §7): an area's rules, pages, routes
/// and demo live in its own folders (`verticals/<area>/`, `demo/<area>.rs`), listed only in each
/// layer's `verticals/mod.rs` (and the demo's one list of years). The files below may name an
/// area at most as often as the table says; a count that rises fails (move the new code into the
/// area), and a count that falls fails too, so the table is lowered as files are cleaned and
/// ends empty. A file missing from the tree fails unless it is listed as not written yet.
#[test]
fn generic_files_name_no_area() {
    const FORBIDDEN: [&str; 15] = [
        "marriage",
        "divorce",
        "marital",
        "assistance",
        "household",
        "payment_roll",
        "婚姻",
        "救助",
        "disclosure",
        "enforcement",
        "rule_making",
        "hotline",
        "suggestion",
        "elderly_care",
        "social_org",
    ];
    /// Generic files, with the area names each may still hold while the move is under way.
    const ALLOWED: [(&str, usize); 32] = [
        ("crates/web/src/lib.rs", 0),
        ("crates/web/src/views.rs", 0),
        ("crates/web/src/openapi.rs", 0),
        ("crates/web/src/routes/work.rs", 0),
        ("crates/web/src/routes/cases.rs", 0),
        ("crates/web/src/routes/apply.rs", 0),
        ("crates/web/src/routes/pages.rs", 0),
        ("crates/web/src/routes/portal.rs", 0),
        ("crates/web/templates/base.html", 0),
        ("crates/web/templates/case.html", 0),
        ("crates/web/templates/work.html", 0),
        ("crates/web/templates/apply.html", 0),
        ("crates/service/src/cases.rs", 0),
        ("crates/service/src/sweep.rs", 0),
        ("crates/service/src/case_json.rs", 0),
        ("crates/service/src/search.rs", 0),
        ("crates/service/src/portal.rs", 0),
        ("crates/service/src/stats.rs", 0),
        ("crates/service/src/dashboard.rs", 0),
        ("crates/store/src/cases.rs", 0),
        ("crates/service/src/open_case.rs", 0),
        ("crates/service/src/lib.rs", 0),
        ("crates/store/src/lib.rs", 0),
        ("crates/store/src/rows.rs", 0),
        ("crates/domain/src/openness.rs", 0),
        ("crates/service/src/openness.rs", 0),
        ("crates/web/src/openness/mod.rs", 0),
        ("crates/web/src/openness/api.rs", 0),
        ("crates/web/src/openness/pages.rs", 0),
        ("crates/web/templates/openness/column.html", 0),
        ("crates/web/templates/openness/register.html", 0),
        // The one list of the areas' demo years (its enum and the match arms).
        ("crates/minzheng/src/demo/mod.rs", 63),
    ];
    /// Generic files of the design not written yet: skipped while absent.
    const NOT_YET: [&str; 0] = [];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut wrong = Vec::new();
    for (file, allowed) in ALLOWED {
        let text = match std::fs::read_to_string(root.join(file)) {
            Ok(text) => text,
            Err(_) if NOT_YET.contains(&file) => continue,
            Err(e) => panic!("{file}: {e} (a generic file that is not written yet belongs in NOT_YET)"),
        };
        // A `lib.rs` keeps the areas' old module paths in one marked block while the move settles.
        let text = without_alias_block(&text);
        let count: usize = FORBIDDEN.iter().map(|word| text.to_lowercase().matches(word).count()).sum();
        if count > allowed {
            let lines: Vec<String> = text
                .lines()
                .enumerate()
                .filter(|(_, line)| FORBIDDEN.iter().any(|w| line.to_lowercase().contains(w)))
                .map(|(n, line)| format!("  {}: {}", n + 1, line.trim()))
                .collect();
            wrong.push(format!(
                "{file} names an area {count} times, {allowed} allowed: move the new code into the area's folder\n{}",
                lines.join("\n")
            ));
        } else if count < allowed {
            wrong.push(format!("{file} names an area {count} times, {allowed} allowed: lower its row of the table"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The text without the marked block of the areas' old module paths (a `lib.rs`'s `pub use`
/// lines, between `// --- Old module paths` and `// --- end of the old module paths`).
fn without_alias_block(text: &str) -> String {
    let mut kept = String::new();
    let mut in_aliases = false;
    for line in text.lines() {
        if line.starts_with("// --- Old module paths") {
            in_aliases = true;
        } else if line.starts_with("// --- end of the old module paths") {
            in_aliases = false;
        } else if !in_aliases {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

#[path = "support/code_scan.rs"]
mod code_scan;

/// Every machine code the source mints is in one table (`domain::codes` for the generic code,
/// `domain::verticals::<area>::codes` for an area's, through `Vertical::codes`), with one meaning
/// and one status: a code in no table, in two, minted with another status than its row's, minted
/// by a generic file from an area's table, or an area's file minting another area's code fails;
/// so does a row nothing mints. How an area registers its codes: `docs/designs/areas.md`.
#[test]
fn every_code_the_source_mints_is_in_one_table() {
    use domain::codes::Code;
    use domain::vertical::Vertical;
    use std::collections::{HashMap, HashSet};

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let minted = code_scan::minted(&code_scan::sources(&root));
    assert!(minted.len() > 400, "the scan found only {} codes: is it still looking in the right place?", minted.len());

    // Which table each code is in (None = the generic one); a code in two tables has two meanings.
    let mut tables: HashMap<&str, (Option<Vertical>, &Code)> = HashMap::new();
    let mut wrong = Vec::new();
    let all = domain::codes::CODES.iter().map(|c| (None, c));
    let areas = Vertical::ALL.into_iter().flat_map(|v| v.codes().iter().map(move |c| (Some(v), c)));
    for (area, code) in all.chain(areas) {
        if let Some((other, _)) = tables.insert(code.code, (area, code)) {
            wrong.push(format!("`{}` is in two tables ({other:?} and {area:?}): one code, one meaning", code.code));
        }
    }
    let by_name: HashMap<&str, &str> = tables.values().map(|(_, c)| (c.name, c.code)).collect();

    let mut used = HashSet::new();
    for m in &minted {
        let code = if m.constant {
            match by_name.get(m.code.as_str()) {
                Some(code) => *code,
                None => continue, // a constant of something else
            }
        } else {
            m.code.as_str()
        };
        used.insert(code);
        // The area a file belongs to: `…/verticals/<area>/…` or `demo/<area>.rs`; a
        // `verticals/mod.rs` (the one list per layer) may mint any area's code.
        let parts: Vec<&str> = m.file.split(['/', '\\']).collect();
        let dispatch = m.file.ends_with("verticals/mod.rs") || m.file.ends_with("demo/mod.rs");
        let file_area =
            parts.windows(3).find(|w| w[0] == "verticals").and_then(|w| Vertical::parse(w[1])).or_else(|| {
                parts.windows(2).find(|w| w[0] == "demo").and_then(|w| Vertical::parse(w[1].trim_end_matches(".rs")))
            });
        match tables.get(code) {
            None => wrong.push(format!(
                "{}: `{code}` is in no table: add a row to {}, e.g.\n    {} = \"{code}\", {}, \"{}\";",
                m.at,
                match file_area {
                    Some(area) => format!("crates/domain/src/verticals/{}/codes.rs", area.as_str()),
                    None => "crates/domain/src/codes.rs".to_string(),
                },
                code.to_uppercase(),
                m.status.unwrap_or(422),
                m.message.as_deref().unwrap_or("…").replace('"', "\\\""),
            )),
            Some((table, row)) => {
                if table.is_some() && *table != file_area && !dispatch {
                    wrong.push(format!(
                        "{}: `{code}` is {:?}'s code: a file outside that area mints it (move the row to crates/domain/src/codes.rs if it is shared)",
                        m.at, table
                    ));
                }
                if m.status.is_some() && m.status != row.status {
                    wrong.push(format!(
                        "{}: `{code}` minted with status {:?}, its row says {:?}: one code, one status (a new code for the other meaning)",
                        m.at, m.status, row.status
                    ));
                }
            }
        }
    }
    for (code, (table, _)) in &tables {
        if !used.contains(code) {
            wrong.push(format!("`{code}` ({table:?}'s table) is minted nowhere: remove its row"));
        }
    }
    wrong.sort();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
