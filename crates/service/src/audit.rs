//! The full-process record: checkpoints published outside the database, verification, export.

use std::io::Write;
use std::path::Path;

use domain::access::{Actor, Permission};
use domain::audit::Checkpoint;
use serde_json::Value;
use store::audit::{SignedCheckpoint, Verification};

use crate::{App, ServiceError, ServiceResult};

/// How many checkpoints the record's page lists (the newest).
pub const RECENT_CHECKPOINTS: usize = 20;

/// The record as its verification page shows it: the walk's result, the newest checkpoints, and
/// the newest signed checkpoint with its SM2 signature checked against this server's key.
pub struct RecordOverview {
    pub verification: Verification,
    /// Events in the record (counted apart from the walk, which stops at a break).
    pub events: i64,
    /// How many checkpoints there are, and the newest [`RECENT_CHECKPOINTS`] of them, newest first.
    pub checkpoint_count: usize,
    pub checkpoints: Vec<Checkpoint>,
    /// The newest checkpoint as signed in the database.
    pub latest: Option<SignedCheckpoint>,
    /// The checkpoint published outside the database (the checkpoint file), when one is
    /// configured: `Some(None)` while nothing has been published yet.
    pub published: Option<Option<SignedCheckpoint>>,
    /// The SM2 public key (hex) this server signs checkpoints with.
    pub public_key: String,
}

/// Reads the signed checkpoint file; `Ok(None)` when it does not exist yet.
pub fn read_checkpoint_file(path: &Path) -> ServiceResult<Option<SignedCheckpoint>> {
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| ServiceError::internal(format!("cannot read {}: {e}", path.display())))?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| ServiceError::internal(format!("{} is not JSON: {e}", path.display())))?;
    SignedCheckpoint::from_json(&value)
        .map(Some)
        .ok_or_else(|| ServiceError::internal(format!("{} is not a signed checkpoint", path.display())))
}

impl App {
    /// The public key (SM2, hex) that verifies the signed checkpoints, for `minzheng audit verify`
    /// run elsewhere.
    pub fn checkpoint_public_key(&self) -> String {
        self.keys.public_key_hex()
    }

    /// Writes a checkpoint if anything moved, and publishes it to the checkpoint file.
    pub async fn checkpoint(&self) -> ServiceResult<Option<SignedCheckpoint>> {
        let Some((_, signed)) = self.store.checkpoint(&self.keys, self.now()).await? else {
            return Ok(None);
        };
        if let Some(path) = &self.checkpoint_file {
            // Checkpoints taken at the same time (the ticker, a request) may get here in the
            // other order than they committed: publish one at a time, never an older over a newer.
            let mut published = self.published.lock().await;
            if signed.no > *published {
                let text = serde_json::to_string_pretty(&signed.to_json()).map_err(ServiceError::internal)?;
                store::crypto::write_private_file(path, &text)?;
                *published = signed.no;
            }
        }
        Ok(Some(signed))
    }

    /// Verifies the whole record against the checkpoint file (when there is one).
    pub async fn verify_record(&self) -> ServiceResult<Verification> {
        let external = match &self.checkpoint_file {
            Some(path) => read_checkpoint_file(path)?,
            None => None,
        };
        Ok(self.store.verify_record(external.as_ref()).await?)
    }

    /// Same, for an API caller, who must hold `ReadAudit`.
    pub async fn verify_record_as(&self, actor: &Actor) -> ServiceResult<Verification> {
        if !actor.may_somewhere(Permission::ReadAudit) {
            return Err(ServiceError::forbidden());
        }
        self.verify_record().await
    }

    /// The record's verification page: the whole record walked (as `verify_record`), the newest
    /// checkpoints and the signed ones. For holders of `ReadAudit`, as the API's verification.
    pub async fn record_overview_as(&self, actor: &Actor) -> ServiceResult<RecordOverview> {
        if !actor.may_somewhere(Permission::ReadAudit) {
            return Err(ServiceError::forbidden());
        }
        let verification = self.verify_record().await?;
        let mut checkpoints = self.store.checkpoints().await?;
        let checkpoint_count = checkpoints.len();
        checkpoints.reverse();
        checkpoints.truncate(RECENT_CHECKPOINTS);
        let latest = self.store.latest_signed_checkpoint(&self.keys).await?;
        let published = match &self.checkpoint_file {
            Some(path) => Some(read_checkpoint_file(path)?),
            None => None,
        };
        Ok(RecordOverview {
            verification,
            events: self.store.event_count().await?,
            checkpoint_count,
            checkpoints,
            latest,
            published,
            public_key: self.checkpoint_public_key(),
        })
    }

    /// Writes the events from `from` on as JSON lines, then every checkpoint and the newest
    /// signed checkpoint, so a third party can verify the file on its own. Read in one
    /// snapshot, so a file written while clerks work still verifies.
    pub async fn export_record(&self, from: i64, out: &mut dyn Write) -> ServiceResult<u64> {
        let write =
            |line: Value| writeln!(out, "{line}").map_err(|e| store::StoreError::Other(format!("write failed: {e}")));
        Ok(self.store.export_record(&self.keys, from, write).await?)
    }
}
