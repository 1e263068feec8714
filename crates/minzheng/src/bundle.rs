//! `minzheng audit export --case N --out FILE` and `audit verify --file FILE` for one 行政处罚
//! case: the bundle of `service::verticals::enforcement::bundle` (events with their SM3 chain,
//! evidence files, documents, a manifest signed with SM2) as a zip archive (stored, not
//! compressed: the files are hashed as they are), read back and verified offline.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;
use service::verticals::enforcement::bundle::{verify_bundle, BundleFile, BundleReport};
use service::App;
use web::verticals::enforcement::notices::{build, NOTICES};

/// Whether a file is a zip archive (by its signature `PK\x03\x04`).
pub fn is_zip(path: &Path) -> bool {
    let mut head = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && head == *b"PK\x03\x04"
}

/// Writes the bundle of case `number` to `path`; returns how many files it holds.
pub async fn export(app: &App, number: &str, path: &Path) -> anyhow::Result<usize> {
    let (view, register) = app.enforcement_by_number(number).await?;
    let calendar = app.calendar();
    let notices: Vec<(String, String)> = NOTICES
        .iter()
        .filter_map(|(kind, _)| build(kind, &view, &register, &calendar).map(|doc| (kind.to_string(), doc.canonical())))
        .collect();
    let files = app.enforcement_bundle(number, &notices).await?;
    let out = std::fs::File::create(path).with_context(|| format!("无法写入 {}", path.display()))?;
    write_zip(out, &files)?;
    Ok(files.len())
}

/// The files as a zip archive.
pub fn write_zip(out: impl Write + std::io::Seek, files: &[BundleFile]) -> anyhow::Result<()> {
    let mut zip = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    zip.finish()?;
    Ok(())
}

/// The files of a zip archive.
pub fn read_zip(input: impl Read + std::io::Seek) -> anyhow::Result<Vec<BundleFile>> {
    let mut archive = zip::ZipArchive::new(input).context("不是有效的 zip 文件")?;
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name().context("zip 文件中的文件名不正确")?.to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).context("zip 文件已损坏")?;
        files.push((name, bytes));
    }
    Ok(files)
}

/// Verifies a bundle file; the first failure in words.
pub fn verify_file(path: &Path, public_key: Option<&str>) -> Result<BundleReport, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("无法打开 {}：{e}", path.display()))?;
    let files = read_zip(std::io::BufReader::new(file)).map_err(|e| format!("{e:#}"))?;
    verify_bundle(&files, public_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_round_trips_through_zip_byte_for_byte() {
        let files: Vec<BundleFile> = vec![
            ("events.jsonl".into(), b"{\"a\":1}\n".to_vec()),
            ("evidence/ab.pdf".into(), b"%PDF-1.4 \x00\xff".to_vec()),
        ];
        let mut buffer = std::io::Cursor::new(Vec::new());
        write_zip(&mut buffer, &files).expect("write");
        let bytes = buffer.into_inner();
        assert!(bytes.starts_with(b"PK\x03\x04"));
        assert_eq!(read_zip(std::io::Cursor::new(bytes.clone())).expect("read"), files);
        // A zip's own checksum catches a flipped byte in a stored entry.
        let at = bytes.windows(8).position(|w| w == b"%PDF-1.4").expect("the entry") + 2;
        let mut flipped = bytes;
        flipped[at] ^= 0x01;
        let read = read_zip(std::io::Cursor::new(flipped));
        assert!(read.is_err() || read.is_ok_and(|f| f != files));
    }
}
