//! 办事指南要素核查: a catalogue administrator checks the guide of an item as published at a
//! division, element by element ([`domain::catalog::guide::ELEMENTS`]), and records which were
//! found wrong. The review is an act whose record is its event (`catalog.guide_reviewed` in the
//! item's stream `item:{slug}`, beside its claims and publications): nothing else changes. The
//! annual report's 准确率 reads the latest review of each item.

use chrono::NaiveDate;
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::catalog::guide::GuideReview;
use serde_json::json;

use crate::{App, ServiceError, ServiceResult};

/// One recorded review of an item's guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideReviewRecord {
    pub slug: String,
    /// The item version the guide was of.
    pub item_version: i64,
    pub division: String,
    /// Milliseconds since the Unix epoch (UTC).
    pub at_ms: i64,
    pub reviewer: String,
    pub review: GuideReview,
}

impl GuideReviewRecord {
    /// The day of the review (Asia/Shanghai).
    pub fn date(&self) -> Option<NaiveDate> {
        crate::stats::date_of_ms(self.at_ms)
    }
}

impl App {
    /// Records a review of `slug`'s guide as in force today at `division` (administrators whose
    /// grant reaches the division): `wrong` the element keys found wrong, `note` what was wrong.
    pub async fn review_guide(
        &self,
        actor: &Actor,
        slug: &str,
        division: &str,
        wrong: &[String],
        note: &str,
    ) -> ServiceResult<GuideReviewRecord> {
        if !actor.may_somewhere(Permission::ManageCatalog) {
            return Err(ServiceError::forbidden());
        }
        let item = self.item_on(slug, self.today())?;
        let mut problems = Vec::new();
        let code = match self.division("division", division) {
            Ok(code) => Some(code),
            Err(err) => {
                problems.push(domain::problem::FieldError::new("division", err.code, err.message));
                None
            }
        };
        let review = GuideReview::parse(wrong, note).map_err(|p| problems.extend(p)).ok();
        let (Some(code), Some(review), true) = (code, review, problems.is_empty()) else {
            return Err(ServiceError::invalid(problems));
        };
        self.authorize(actor, Permission::ManageCatalog, &code)?;
        let event = EventDraft::new(
            format!("item:{slug}"),
            actor.label(),
            "catalog.guide_reviewed",
            json!({
                "slug": slug,
                "version": item.version.number,
                "division": code.as_str(),
                "wrong": review.wrong,
                "note": review.note,
            }),
        )
        .in_division(code.to_string());
        let recorded = self.store.record(&event, self.now()).await?;
        Ok(GuideReviewRecord {
            slug: slug.to_string(),
            item_version: i64::from(item.version.number),
            division: code.to_string(),
            at_ms: recorded.at_ms,
            reviewer: recorded.actor,
            review,
        })
    }

    /// The reviews of `slug`'s guide at `division` recorded before `before_ms`, oldest first.
    pub async fn guide_reviews(
        &self,
        slug: &str,
        division: &str,
        before_ms: i64,
    ) -> ServiceResult<Vec<GuideReviewRecord>> {
        let events = self.store.stream_events(&format!("item:{slug}")).await?;
        Ok(events
            .into_iter()
            .filter(|e| e.act == "catalog.guide_reviewed" && e.at_ms < before_ms)
            .filter_map(|e| {
                let payload: serde_json::Value = serde_json::from_str(&e.payload).ok()?;
                if payload.get("division")?.as_str()? != division {
                    return None;
                }
                let wrong: Vec<String> = serde_json::from_value(payload.get("wrong")?.clone()).ok()?;
                Some(GuideReviewRecord {
                    slug: slug.to_string(),
                    item_version: payload.get("version")?.as_i64()?,
                    division: division.to_string(),
                    at_ms: e.at_ms,
                    reviewer: e.actor,
                    review: GuideReview { wrong, note: payload.get("note")?.as_str()?.to_string() },
                })
            })
            .collect())
    }
}
