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

use crate::{App, ErrorKind, ServiceError, ServiceResult};

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
    /// Records a review of `slug`'s guide as in force today at `division`: `wrong` the element keys
    /// found wrong, `note` what was wrong. Only an administrator of that division's organ or of one
    /// above it (`reviewer_outside_organ`), and only at a division of one of the item's levels
    /// (`guide_level_not_in_item`); nothing is recorded on a refusal.
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
        let divisions = self.divisions();
        let place = divisions.get(&code);
        let place_name = divisions.full_name(&code).unwrap_or_else(|| code.to_string());
        // The reviewer answers for the guide of the organ it administers: its grant reaches the
        // division (that organ, or one above it), never a sibling's or a parent's guide.
        self.authorize(actor, Permission::ManageCatalog, &code).map_err(|_| {
            ServiceError::new(
                ErrorKind::Forbidden,
                "reviewer_outside_organ",
                format!("只有{place_name}或其上级的事项管理员可以核查{place_name}发布的办事指南，您的授权不及于此"),
            )
            .with_field("division")
        })?;
        // A guide is published where the item is exercised (行使层级): a division of another
        // level publishes none to review.
        if let Some(level) = place.map(|d| d.level).filter(|l| !item.levels.contains(l)) {
            let levels: Vec<&str> = item.levels.iter().map(|l| l.name_zh()).collect();
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "guide_level_not_in_item",
                format!(
                    "“{}”的行使层级为{}，{place_name}（{}）不发布该事项的办事指南，无从核查",
                    item.name,
                    levels.join("、"),
                    level.name_zh()
                ),
            )
            .with_field("division"));
        }
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
        Ok(self.reviews_of(slug).await?.into_iter().filter(|r| r.division == division && r.at_ms < before_ms).collect())
    }

    /// The latest review of each item's guide at each division the administrator's grants reach,
    /// by item then division (the staff page and the API's list).
    pub async fn latest_guide_reviews(&self, actor: &Actor) -> ServiceResult<Vec<GuideReviewRecord>> {
        if !actor.may_somewhere(Permission::ManageCatalog) {
            return Err(ServiceError::forbidden());
        }
        let divisions = self.divisions();
        let mut out = Vec::new();
        for slug in self.catalog.slugs() {
            let mut latest: std::collections::BTreeMap<String, GuideReviewRecord> = Default::default();
            for review in self.reviews_of(slug).await? {
                let reaches = domain::division::DivisionCode::parse(&review.division)
                    .is_ok_and(|code| actor.may(Permission::ManageCatalog, &code, divisions));
                if reaches {
                    latest.insert(review.division.clone(), review);
                }
            }
            out.extend(latest.into_values());
        }
        Ok(out)
    }

    /// Every review of `slug`'s guide, oldest first (read from the item's stream).
    async fn reviews_of(&self, slug: &str) -> ServiceResult<Vec<GuideReviewRecord>> {
        let events = self.store.stream_events(&format!("item:{slug}")).await?;
        Ok(events
            .into_iter()
            .filter(|e| e.act == "catalog.guide_reviewed")
            .filter_map(|e| {
                let payload: serde_json::Value = serde_json::from_str(&e.payload).ok()?;
                let wrong: Vec<String> = serde_json::from_value(payload.get("wrong")?.clone()).ok()?;
                Some(GuideReviewRecord {
                    slug: slug.to_string(),
                    item_version: payload.get("version")?.as_i64()?,
                    division: payload.get("division")?.as_str()?.to_string(),
                    at_ms: e.at_ms,
                    reviewer: e.actor,
                    review: GuideReview { wrong, note: payload.get("note")?.as_str()?.to_string() },
                })
            })
            .collect())
    }
}
