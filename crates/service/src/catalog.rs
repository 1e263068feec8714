//! The catalog in force: loaded from the files shipped with the program (or a directory given at
//! start), validated (the program refuses to start on a broken file, naming file, line and
//! problem), and recorded in the database, where a published version is immutable.

use std::path::Path;

use domain::catalog::{parse_item, Catalog, CatalogProblem};
use sm3::{Digest, Sm3};

use crate::{App, ErrorKind, ServiceError, ServiceResult};

include!(concat!(env!("OUT_DIR"), "/catalog_files.rs"));

/// The embedded catalog files as owned (path, text) pairs.
pub fn embedded_files() -> Vec<(String, String)> {
    CATALOG_FILES.iter().map(|(path, text)| (path.to_string(), text.to_string())).collect()
}

/// A catalog parsed and validated, with the files it was read from (recorded in the database by
/// [`App::sync_catalog`]). Cheap to clone.
#[derive(Clone)]
pub struct LoadedCatalog {
    pub catalog: std::sync::Arc<Catalog>,
    pub files: std::sync::Arc<Vec<(String, String)>>,
}

impl LoadedCatalog {
    /// Parses the files; a broken file is refused, naming every problem with its file and line.
    pub fn parse(files: Vec<(String, String)>) -> ServiceResult<LoadedCatalog> {
        let catalog = load_catalog(&files).map_err(|problems| {
            let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            ServiceError::new(
                ErrorKind::Invalid,
                "catalog_invalid",
                format!("事项清单文件有误：\n{}", lines.join("\n")),
            )
        })?;
        Ok(LoadedCatalog { catalog: std::sync::Arc::new(catalog), files: std::sync::Arc::new(files) })
    }

    /// The catalog shipped in the program.
    pub fn embedded() -> ServiceResult<LoadedCatalog> {
        LoadedCatalog::parse(embedded_files())
    }
}

/// Reads every `<slug>/v<N>.toml` under `dir`.
pub fn read_dir_files(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("无法读取目录 {}：{e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let inner = std::fs::read_dir(&path).map_err(|e| format!("无法读取目录 {}：{e}", path.display()))?;
        for file in inner.flatten() {
            let file = file.path();
            if file.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&file).map_err(|e| format!("无法读取 {}：{e}", file.display()))?;
                files.push((file.display().to_string(), text));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Parses and validates a set of catalog files; every problem is returned.
pub fn load_catalog(files: &[(String, String)]) -> Result<Catalog, Vec<CatalogProblem>> {
    Catalog::from_files(files)
}

/// Validates the files and parses each one to check it stands alone too (used by `catalog check`).
pub fn check_files(files: &[(String, String)]) -> Vec<CatalogProblem> {
    let mut problems: Vec<CatalogProblem> = Vec::new();
    for (path, text) in files {
        if let Err(mut found) = parse_item(path, text) {
            problems.append(&mut found);
        }
    }
    if problems.is_empty() {
        if let Err(found) = Catalog::from_files(files) {
            problems = found;
        }
    }
    problems
}

pub(crate) fn content_hash(text: &str) -> String {
    hex::encode(Sm3::digest(text.as_bytes()))
}

impl App {
    /// Records every catalog version in the database. A version already recorded with other
    /// content is refused: a published version is immutable (cases keep the version they
    /// started under), so a change must be a new version file.
    pub async fn sync_catalog(&self) -> ServiceResult<u64> {
        let mut added = 0;
        for (path, text) in self.catalog_files.iter() {
            let Some(item) =
                self.catalog.all().find(|i| path.ends_with(&format!("{}/v{}.toml", i.slug, i.version.number)))
            else {
                continue;
            };
            let hash = content_hash(text);
            let recorded = self.store.record_item_version(item, &hash, text, self.now()).await?;
            match recorded {
                store::catalog::Recorded::Added => added += 1,
                store::catalog::Recorded::Same => {}
                store::catalog::Recorded::Different => {
                    return Err(ServiceError::new(
                        ErrorKind::Conflict,
                        "catalog_version_changed",
                        format!(
                            "{path}：事项 {} 第 {} 版已发布，内容不得修改；请新增版本文件（v{}.toml）",
                            item.slug,
                            item.version.number,
                            item.version.number + 1
                        ),
                    ))
                }
            }
        }
        Ok(added)
    }
}

#[cfg(test)]
mod published {
    use super::*;

    /// `catalog/published.sm3`: the content hash of every item version published so far.
    const PUBLISHED: &str = include_str!("../../../catalog/published.sm3");

    /// A published version is never edited (a database that recorded it refuses to start on
    /// other content, `catalog_version_changed`): each shipped file has the hash recorded when
    /// it was published, and a new version file adds its line. The repository's own rule, held
    /// here rather than only against a database.
    #[test]
    fn a_published_version_is_never_edited() {
        let recorded: std::collections::BTreeMap<&str, &str> = PUBLISHED
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                let (hash, path) = l.split_once("  ").expect("<hash>  <slug>/v<N>.toml");
                (path.trim(), hash.trim())
            })
            .collect();
        let mut problems = Vec::new();
        let files = embedded_files();
        for (path, text) in &files {
            let relative = path.trim_start_matches("catalog/");
            let hash = content_hash(text);
            match recorded.get(relative) {
                Some(h) if *h == hash => {}
                Some(_) => problems
                    .push(format!("{relative}: 已发布的版本被修改；请恢复原文件，把修改写成新版本（v<N+1>.toml）")),
                None => problems
                    .push(format!("{relative}: 新版本，请在 catalog/published.sm3 中加一行：{hash}  {relative}")),
            }
        }
        for path in recorded.keys() {
            if !files.iter().any(|(p, _)| p.trim_start_matches("catalog/") == *path) {
                problems.push(format!("{path}: 已发布的版本不能删除"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
