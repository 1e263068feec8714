//! Embeds the catalog files (`catalog/<slug>/v<N>.toml` at the repository root) in the binary,
//! so the program ships its catalog: `CATALOG_FILES: &[(&str, &str)]` of (path, text).
//!
//! The catalog's path is read when the build script runs (`CARGO_MANIFEST_DIR` of this build),
//! not baked into the script when it is compiled: a build script compiled for one checkout and
//! reused by another that shares the target directory must still embed *this* checkout's files.
//! A missing or empty catalog fails the build: a program without its items is no program.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("../../catalog");
    // Relative to the package root, so cargo checks the files of the checkout being built (an
    // absolute path would keep pointing at whichever checkout first ran this script); cargo scans
    // a directory named here for any change below it.
    println!("cargo:rerun-if-changed=../../catalog");
    let dirs = match std::fs::read_dir(&root) {
        Ok(dirs) => dirs,
        Err(e) => panic!("the catalog directory {} cannot be read: {e}", root.display()),
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in dirs.flatten() {
        let path = dir.path();
        if !path.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&path).into_iter().flatten().flatten() {
            let file = file.path();
            if file.extension().is_some_and(|e| e == "toml") {
                files.push(file);
            }
        }
    }
    assert!(!files.is_empty(), "the catalog directory {} holds no item files (<slug>/v<N>.toml)", root.display());
    files.sort();
    let mut out = String::from("/// The catalog files shipped with the program: (path, text).\npub const CATALOG_FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        let relative = file.strip_prefix(root.parent().unwrap_or(&root)).unwrap_or(file);
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            relative.display().to_string(),
            file.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("catalog_files.rs");
    std::fs::write(dest, out).expect("write catalog_files.rs");
}
