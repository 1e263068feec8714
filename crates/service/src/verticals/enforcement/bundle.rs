//! The 全过程记录 of one case as a bundle anyone can verify offline (国办发〔2018〕118号: 执法
//! 全过程记录, 可回溯管理): the case's events with their SM3 chain (`events.jsonl`, each event's
//! hash recomputed from its content and the hash before it), its evidence files named by their
//! SM3 (`evidence/<sm3>.<ext>`), its documents (`notices/<kind>.json`: the canonical content and
//! its SM3, the digest the QR code carries), and a manifest of every file's SM3 signed with the
//! bureau's SM2 key (`manifest.json`, `manifest.sig`). An edited byte anywhere fails
//! [`verify_bundle`]: a file against the manifest, the manifest against the signature, an event
//! against its hash.

use domain::audit::Event;
use domain::verticals::enforcement::{self as rules, Act};
use serde_json::{json, Value};
use sm3::{Digest, Sm3};
use store::audit::{event_from_json, event_to_json};
use store::crypto::verify_signature;

use super::{case_number, CaseView, OfficerRow};
use crate::{App, ServiceError, ServiceResult};

/// The bundle's format, in its manifest.
pub const FORMAT: &str = "minzheng-enforcement-bundle/1";

/// A file of a bundle: its path in the archive and its bytes.
pub type BundleFile = (String, Vec<u8>);

fn sm3_hex(bytes: &[u8]) -> String {
    hex::encode(Sm3::digest(bytes))
}

/// The SM2 signature's message: the manifest's bytes under a label of their own.
fn manifest_message(manifest: &[u8]) -> Vec<u8> {
    let mut message = b"minzheng-enforcement-bundle:".to_vec();
    message.extend_from_slice(manifest);
    message
}

fn extension(bytes: &[u8]) -> &'static str {
    use domain::attachment::MediaType;
    match MediaType::sniff(bytes) {
        Some(MediaType::Pdf) => "pdf",
        Some(MediaType::Jpeg) => "jpg",
        Some(MediaType::Png) => "png",
        None => "bin",
    }
}

impl App {
    /// A case by its number (`511702-2021-000007`) with the register, for the operator's
    /// export and the public verification (which checks the code first).
    pub async fn enforcement_by_number(&self, number: &str) -> ServiceResult<(CaseView, Vec<OfficerRow>)> {
        let not_found = || ServiceError::not_found("行政处罚案件");
        let number = number.trim();
        let id = number.rsplit('-').next().and_then(|n| n.parse::<i64>().ok()).ok_or_else(not_found)?;
        let full = self.store.enforcement_case(id).await.map_err(|e| match e {
            store::StoreError::NotFound => not_found(),
            other => other.into(),
        })?;
        if case_number(&full.case) != number {
            return Err(not_found());
        }
        let register = self.store.enforcement_officers(None).await?;
        Ok((self.enforcement_view_of(full)?, register))
    }

    /// The bundle of a case (the operator's export, `minzheng audit export --case`): the export
    /// is itself recorded on the case's stream first, so the bundle shows it. `notices` are the
    /// documents as (kind, canonical content), built by the web layer's document builder.
    pub async fn enforcement_bundle(
        &self,
        number: &str,
        notices: &[(String, String)],
    ) -> ServiceResult<Vec<BundleFile>> {
        let (view, _) = self.enforcement_by_number(number).await?;
        let id = view.full.case.id;
        let stream = rules::stream(id);
        let event = domain::audit::EventDraft::new(
            stream.clone(),
            "system",
            "enforcement.bundle_exported",
            json!({ "case": number }),
        )
        .in_division(view.full.case.division.clone());
        self.store.record(&event, self.now()).await?;
        let events = self.store.stream_events(&stream).await?;
        let mut files: Vec<BundleFile> = Vec::new();
        let lines: String = events.iter().map(|e| format!("{}\n", event_to_json(e))).collect();
        files.push(("events.jsonl".into(), lines.into_bytes()));
        for act in &view.full.acts {
            if let Act::Record { evidence_sm3: Some(hash), .. } = &act.act {
                let bytes = self.store.enforcement_evidence(hash).await?;
                let path = format!("evidence/{hash}.{}", extension(&bytes));
                if !files.iter().any(|(p, _)| *p == path) {
                    files.push((path, bytes));
                }
            }
        }
        for (kind, canonical) in notices {
            let body = json!({ "kind": kind, "canonical": canonical, "sm3": sm3_hex(canonical.as_bytes()) });
            files.push((format!("notices/{kind}.json"), body.to_string().into_bytes()));
        }
        let listed: Vec<Value> =
            files.iter().map(|(path, bytes)| json!({ "path": path, "sm3": sm3_hex(bytes) })).collect();
        let manifest = json!({
            "format": FORMAT,
            "case": number,
            "stream": stream,
            "events": events.len(),
            "exported_at_ms": self.now().timestamp_millis(),
            "files": listed,
            "public_key": self.keys.public_key_hex(),
        });
        let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| ServiceError::internal(e.to_string()))?;
        let signature = self.keys.sign(&manifest_message(&manifest));
        files.push(("manifest.json".into(), manifest));
        files.push(("manifest.sig".into(), signature.into_bytes()));
        Ok(files)
    }
}

/// What a verified bundle holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleReport {
    pub case: String,
    pub events: usize,
    pub evidence: usize,
    pub notices: usize,
}

/// Verifies a bundle offline: the manifest's SM2 signature (against `public_key` when given,
/// the bureau's published key; else the key the manifest names), every file against its SM3 in
/// the manifest and no file unlisted, every event's hash recomputed and the stream's sequence
/// unbroken, every evidence file named by its own SM3 and every evidence hash the events record
/// present, every document's content against its digest. The first failure, in words.
pub fn verify_bundle(files: &[BundleFile], public_key: Option<&str>) -> Result<BundleReport, String> {
    let file = |path: &str| files.iter().find(|(p, _)| p == path).map(|(_, b)| b.as_slice());
    let manifest_bytes = file("manifest.json").ok_or("缺少 manifest.json")?;
    let signature = file("manifest.sig").ok_or("缺少 manifest.sig")?;
    let manifest: Value = serde_json::from_slice(manifest_bytes).map_err(|_| "manifest.json 不是有效的 JSON")?;
    if manifest["format"] != FORMAT {
        return Err("不是行政处罚案件全过程记录包".into());
    }
    let named_key = manifest["public_key"].as_str().unwrap_or_default();
    let key = public_key.unwrap_or(named_key);
    let signature = std::str::from_utf8(signature).map_err(|_| "manifest.sig 格式不正确")?.trim();
    if !verify_signature(key, &manifest_message(manifest_bytes), signature) {
        return Err("清单的 SM2 签名无效：清单被改动，或不是该公钥签署".into());
    }
    let listed = manifest["files"].as_array().ok_or("清单缺少文件列表")?;
    let mut paths = vec!["manifest.json", "manifest.sig"];
    for entry in listed {
        let path = entry["path"].as_str().ok_or("清单格式不正确")?;
        let bytes = file(path).ok_or_else(|| format!("缺少文件 {path}"))?;
        if entry["sm3"].as_str() != Some(sm3_hex(bytes).as_str()) {
            return Err(format!("文件 {path} 的 SM3 与清单不符：文件被改动"));
        }
        paths.push(path);
    }
    if let Some((extra, _)) = files.iter().find(|(p, _)| !paths.contains(&p.as_str())) {
        return Err(format!("文件 {extra} 不在清单中"));
    }
    // The events: each hash recomputed, the stream's sequence from 1 without a gap.
    let stream = manifest["stream"].as_str().unwrap_or_default();
    let lines =
        std::str::from_utf8(file("events.jsonl").ok_or("缺少 events.jsonl")?).map_err(|_| "events.jsonl 格式不正确")?;
    let mut events: Vec<Event> = Vec::new();
    for (i, line) in lines.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let event = serde_json::from_str::<Value>(line)
            .ok()
            .and_then(|v| event_from_json(&v))
            .ok_or_else(|| format!("events.jsonl 第{}行格式不正确", i + 1))?;
        if event.computed_hash() != event.hash {
            return Err(format!("第{}条事件的 SM3 与内容不符：事件被改动", i + 1));
        }
        if event.stream != stream || event.stream_seq != i as i64 + 1 {
            return Err(format!("第{}条事件不属于本案或顺序不连续", i + 1));
        }
        events.push(event);
    }
    if manifest["events"].as_u64() != Some(events.len() as u64) {
        return Err("事件条数与清单不符".into());
    }
    let mut evidence = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.starts_with("evidence/")) {
        let name = path.trim_start_matches("evidence/");
        let hash = name.split('.').next().unwrap_or_default();
        if hash != sm3_hex(bytes) {
            return Err(format!("证据文件 {path} 的内容与其 SM3 不符"));
        }
        evidence += 1;
    }
    for event in events.iter().filter(|e| e.act == "enforcement.record") {
        let payload: Value = serde_json::from_str(&event.payload).unwrap_or_default();
        if let Some(hash) = payload["evidence_sm3"].as_str() {
            if !files.iter().any(|(p, _)| p.starts_with(&format!("evidence/{hash}."))) {
                return Err(format!("缺少记录中的证据文件 {hash}"));
            }
        }
    }
    let mut notices = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.starts_with("notices/")) {
        let doc: Value = serde_json::from_slice(bytes).map_err(|_| format!("{path} 格式不正确"))?;
        let canonical = doc["canonical"].as_str().unwrap_or_default();
        if doc["sm3"].as_str() != Some(sm3_hex(canonical.as_bytes()).as_str()) {
            return Err(format!("文书 {path} 的内容与其 SM3 不符"));
        }
        notices += 1;
    }
    Ok(BundleReport {
        case: manifest["case"].as_str().unwrap_or_default().to_string(),
        events: events.len(),
        evidence,
        notices,
    })
}
