//! Attachments of a case (附件): evidence, the applicant's materials, papers staff add. Generic:
//! any case of any item may have them.
//!
//! Who: whoever may read the case lists and downloads its attachments; staff who work cases
//! (every case role but 领导, who reads only) with a grant reaching the case's accepting or
//! competent division, and the citizen who submitted the case while it is not closed, add them.
//! Every upload and every download is an event on the case's record carrying the SM3 hash of the
//! bytes, so the record proves which file was on the case and who took it out.

use chrono::{DateTime, Utc};
use domain::access::{Actor, Role};
use domain::attachment::{check_attachment, MediaType};
use domain::audit::EventDraft;
use domain::engine::case::CaseStatus;
use serde_json::json;
use store::attachments::{AttachmentRow, NewAttachment};
use store::StoreError;

use crate::case_json::Stored;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// One attachment as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    pub case_id: i64,
    /// SM3 of the bytes, 64 hex digits.
    pub hash: String,
    pub file_name: String,
    pub media_type: MediaType,
    pub size: i64,
    pub label: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

/// A file as it was sent: the name the client gave it, a label, the bytes.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub label: &'a str,
    pub bytes: &'a [u8],
}

/// An attachment with its bytes, for a download.
#[derive(Debug, Clone)]
pub struct Download {
    pub attachment: Attachment,
    pub bytes: Vec<u8>,
}

/// The attachments of a case as its page shows them: the list, and whether this reader may add.
#[derive(Debug, Clone)]
pub struct CaseAttachments {
    pub items: Vec<Attachment>,
    pub may_add: bool,
}

fn from_row(row: AttachmentRow) -> ServiceResult<Attachment> {
    let media_type = MediaType::parse(&row.media_type)
        .ok_or_else(|| ServiceError::internal(format!("attachment {}: unknown media type", row.id)))?;
    Ok(Attachment {
        id: row.id,
        case_id: row.case_id,
        hash: row.hash,
        file_name: row.file_name,
        media_type,
        size: row.size,
        label: row.label,
        uploaded_by: row.uploaded_by_name,
        uploaded_at: DateTime::from_timestamp_millis(row.uploaded_at_ms).unwrap_or_default(),
    })
}

/// The refusal of an upload by a reader who may not add (a 领导, or a citizen once the case is
/// closed).
fn may_not_add(stored: &Stored) -> ServiceError {
    if matches!(stored.case.status, CaseStatus::Closed(_)) {
        ServiceError::new(ErrorKind::Forbidden, "attachment_case_closed", "办件已办结，不能再上传附件")
    } else {
        ServiceError::forbidden()
    }
}

impl App {
    /// May `actor` (who may see the case) add attachments to it?
    fn may_attach(&self, actor: &Actor, stored: &Stored) -> bool {
        let case = &stored.case;
        let divisions = self.divisions();
        let staff = actor.grants.iter().any(|g| {
            !matches!(g.role, Role::Citizen | Role::Admin | Role::Leader)
                && (divisions.is_within(&case.accepting, &g.division)
                    || divisions.is_within(&case.competent, &g.division))
        });
        let own = actor.has_role(Role::Citizen)
            && stored.submitted_by == Some(actor.account_id)
            && !matches!(case.status, CaseStatus::Closed(_));
        staff || own
    }

    /// The attachments of a case, oldest first, for whoever may read the case.
    pub async fn attachments(&self, actor: &Actor, case_id: i64) -> ServiceResult<CaseAttachments> {
        let (_, stored, _) = self.case_for(actor, case_id, false).await?;
        let items = self.store.attachments(case_id).await?.into_iter().map(from_row).collect::<ServiceResult<_>>()?;
        Ok(CaseAttachments { items, may_add: self.may_attach(actor, &stored) })
    }

    /// Refuses, before a body is read, a caller who may not add attachments to the case (the same
    /// decision [`App::add_attachment`] makes again).
    pub async fn check_may_add_attachment(&self, actor: &Actor, case_id: i64) -> ServiceResult<()> {
        let (_, stored, _) = self.case_for(actor, case_id, false).await?;
        if self.may_attach(actor, &stored) {
            Ok(())
        } else {
            tracing::warn!(actor.id = actor.account_id, case = case_id, "attachment upload denied");
            Err(may_not_add(&stored))
        }
    }

    /// Adds a file to a case: who may add (see the module), then the file checked
    /// (`domain::attachment::check_attachment`: 422 `attachment_type`, `attachment_too_large`,
    /// `attachment_empty`), stored once per content with its event on the case's record.
    pub async fn add_attachment(&self, actor: &Actor, case_id: i64, upload: Upload<'_>) -> ServiceResult<Attachment> {
        let (_, stored, _) = self.case_for(actor, case_id, false).await?;
        if !self.may_attach(actor, &stored) {
            tracing::warn!(actor.id = actor.account_id, case = case_id, "attachment upload denied");
            return Err(may_not_add(&stored));
        }
        let checked = check_attachment(upload.file_name, upload.label, upload.bytes).map_err(ServiceError::invalid)?;
        let new = NewAttachment {
            case_id,
            hash: &checked.hash,
            file_name: &checked.file_name,
            media_type: checked.media_type.as_str(),
            label: &checked.label,
            uploaded_by: actor.account_id,
            bytes: upload.bytes,
        };
        let event = |id: i64| {
            EventDraft::new(
                format!("case:{case_id}"),
                actor.label(),
                "attachment.added",
                json!({
                    "attachment": id,
                    "sm3": checked.hash,
                    "file_name": checked.file_name,
                    "media_type": checked.media_type.as_str(),
                    "size": checked.size,
                    "label": checked.label,
                }),
            )
            .in_division(stored.case.competent.as_str())
        };
        let row = self.store.add_attachment(&new, event, self.now()).await?;
        from_row(row)
    }

    /// One attachment's bytes, for whoever may read the case; the download is an event on the
    /// case's record (who, which attachment, its SM3 hash), committed before the bytes leave.
    pub async fn download_attachment(&self, actor: &Actor, case_id: i64, id: i64) -> ServiceResult<Download> {
        let (_, stored, _) = self.case_for(actor, case_id, false).await?;
        let row = self.store.attachment(case_id, id).await.map_err(|e| match e {
            StoreError::NotFound => ServiceError::new(ErrorKind::NotFound, "attachment_not_found", "附件不存在"),
            other => other.into(),
        })?;
        if row.withdrawn {
            return Err(ServiceError::new(ErrorKind::NotFound, "attachment_not_found", "附件不存在"));
        }
        let attachment = from_row(row)?;
        let event = EventDraft::new(
            format!("case:{case_id}"),
            actor.label(),
            "attachment.downloaded",
            json!({"attachment": id, "sm3": attachment.hash}),
        )
        .in_division(stored.case.competent.as_str());
        let bytes = self.store.attachment_download(&attachment.hash, &event, self.now()).await?;
        Ok(Download { attachment, bytes })
    }
}
