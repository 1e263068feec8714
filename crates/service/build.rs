//! Embeds the catalog files (`catalog/<slug>/v<N>.toml` at the repository root) in the binary,
//! so the program ships its catalog: `CATALOG_FILES: &[(&str, &str)]` of (path, text).

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    if let Ok(dirs) = std::fs::read_dir(&root) {
        for dir in dirs.flatten() {
            let path = dir.path();
            if !path.is_dir() {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            for file in std::fs::read_dir(&path).into_iter().flatten().flatten() {
                let file = file.path();
                if file.extension().is_some_and(|e| e == "toml") {
                    println!("cargo:rerun-if-changed={}", file.display());
                    files.push(file);
                }
            }
        }
    }
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
