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
    let forbidden = ["domain.md", "../shared/", "/work/", "(issue ", "issue #"];
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
        if path.ends_with("tidy.rs") {
            continue;
        }
        for (number, line) in text.lines().enumerate() {
            if let Some(word) = forbidden.iter().find(|w| line.contains(*w)) {
                found.push(format!("{}:{}: {word}", path.strip_prefix(&root).unwrap_or(&path).display(), number + 1));
            }
        }
    }
    assert!(found.is_empty(), "references a reader of the repository cannot follow:\n{}", found.join("\n"));
}
