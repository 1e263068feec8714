//! The catalog as the public reads it (the items in force on a date, the adjustment history of
//! each item) and as an administrator keeps it for a division: 认领 (claim), 发布 (publish) and
//! 撤回 (withdraw), each recorded as `catalog.claim|publish|withdraw` in stream `item:{slug}`.
//! The claims and publications feed the 认领率 and 发布率 metrics (`stats.rs`).

use chrono::NaiveDate;
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::catalog::ServiceItem;
use domain::division::DivisionCode;
use serde_json::json;

pub use store::catalog::{Publication, PublicationAct};

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// One recorded version of an item: the public adjustment history (调整记录).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemVersionRecord {
    pub version: i64,
    pub effective_from: String,
    pub name: String,
    /// Why the item changed (机构改革, 放管服…).
    pub reason: String,
    /// The document that ordered the change.
    pub ordered_by: String,
    /// When this program first recorded the version.
    pub recorded_at_ms: i64,
}

/// Where an item stands in a division, derived from its publication row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicationState {
    /// 未认领
    Unclaimed,
    /// 已认领（未发布）
    Claimed,
    /// 已发布
    Published,
    /// 已撤回
    Withdrawn,
}

impl PublicationState {
    pub fn of(publication: Option<&Publication>) -> PublicationState {
        match publication {
            None => PublicationState::Unclaimed,
            Some(p) if p.published_at_ms.is_some() && p.withdrawn_at_ms.is_none() => PublicationState::Published,
            Some(p) if p.withdrawn_at_ms.is_some() => PublicationState::Withdrawn,
            Some(p) if p.claimed_at_ms.is_some() => PublicationState::Claimed,
            Some(_) => PublicationState::Unclaimed,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PublicationState::Unclaimed => "unclaimed",
            PublicationState::Claimed => "claimed",
            PublicationState::Published => "published",
            PublicationState::Withdrawn => "withdrawn",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            PublicationState::Unclaimed => "未认领",
            PublicationState::Claimed => "已认领",
            PublicationState::Published => "已发布",
            PublicationState::Withdrawn => "已撤回",
        }
    }
}

/// `claim` | `publish` | `withdraw`.
pub fn parse_publication_act(text: &str) -> Option<PublicationAct> {
    match text {
        "claim" => Some(PublicationAct::Claim),
        "publish" => Some(PublicationAct::Publish),
        "withdraw" => Some(PublicationAct::Withdraw),
        _ => None,
    }
}

pub fn publication_act_name(act: PublicationAct) -> (&'static str, &'static str) {
    match act {
        PublicationAct::Claim => ("claim", "认领"),
        PublicationAct::Publish => ("publish", "发布"),
        PublicationAct::Withdraw => ("withdraw", "撤回"),
    }
}

/// Whether `act` may follow `state`: claim once; publish what is claimed (again after a
/// withdrawal); withdraw what is published. The refusal's code and Chinese message otherwise.
pub fn publication_allowed(state: PublicationState, act: PublicationAct) -> Result<(), (&'static str, &'static str)> {
    use PublicationAct as A;
    use PublicationState as S;
    match (act, state) {
        (A::Claim, S::Unclaimed) => Ok(()),
        (A::Claim, _) => Err(("already_claimed", "该事项已由本单位认领")),
        (A::Publish, S::Claimed | S::Withdrawn) => Ok(()),
        (A::Publish, S::Unclaimed) => Err(("not_claimed", "须先认领该事项，才能发布")),
        (A::Publish, S::Published) => Err(("already_published", "该事项已发布")),
        (A::Withdraw, S::Published) => Ok(()),
        (A::Withdraw, _) => Err(("not_published", "该事项未发布，无需撤回")),
    }
}

/// A slug for a message: echoed only when it has the shape of one (lowercase letters, digits,
/// hyphens, at most 64), so that no markup or other input is sent back.
fn echo(slug: &str) -> String {
    let shaped = (1..=64).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if shaped {
        slug.to_string()
    } else {
        "（所给标识）".to_string()
    }
}

impl App {
    /// The date a query asks about: the given one, else today (Asia/Shanghai).
    pub fn on_or_today(&self, on: Option<NaiveDate>) -> NaiveDate {
        on.unwrap_or_else(|| self.today())
    }

    /// The items in force on `on` (one version each, by slug). Public.
    pub fn items_on(&self, on: NaiveDate) -> Vec<&ServiceItem> {
        self.catalog.items_on(on)
    }

    /// The version of `slug` in force on `on`. Public. 404 `item_not_found` for an unknown slug,
    /// 404 `item_not_in_force` before its first version takes effect.
    pub fn item_on(&self, slug: &str, on: NaiveDate) -> ServiceResult<&ServiceItem> {
        if self.catalog.versions(slug).is_empty() {
            return Err(item_not_found(slug));
        }
        self.catalog.in_force(slug, on).ok_or_else(|| {
            ServiceError::new(ErrorKind::NotFound, "item_not_in_force", format!("事项“{}”在 {on} 尚未施行", echo(slug)))
        })
    }

    /// Every recorded version of an item, oldest first: the public adjustment history.
    pub async fn item_history(&self, slug: &str) -> ServiceResult<Vec<ItemVersionRecord>> {
        let rows = self.store.item_history(slug).await?;
        if rows.is_empty() && self.catalog.versions(slug).is_empty() {
            return Err(item_not_found(slug));
        }
        Ok(rows
            .into_iter()
            .map(|(version, effective_from, name, reason, ordered_by, recorded_at_ms)| ItemVersionRecord {
                version,
                effective_from,
                name,
                reason,
                ordered_by,
                recorded_at_ms,
            })
            .collect())
    }

    /// Claims, publishes or withdraws `slug` for `division` (administrators whose grant reaches
    /// the division). The division's level must be one of the item's levels (行使层级).
    pub async fn set_publication(
        &self,
        actor: &Actor,
        slug: &str,
        division: &str,
        act: &str,
    ) -> ServiceResult<Publication> {
        if !actor.may_somewhere(Permission::ManageCatalog) {
            return Err(ServiceError::forbidden());
        }
        let versions = self.catalog.versions(slug);
        let Some(newest) = versions.last() else {
            return Err(item_not_found(slug));
        };
        let mut problems = Vec::new();
        let act = parse_publication_act(act.trim());
        if act.is_none() {
            problems.push(domain::problem::FieldError::new(
                "act",
                "unknown_act",
                "操作应为 claim（认领）、publish（发布）或 withdraw（撤回）",
            ));
        }
        let code = match self.division("division", division) {
            Ok(code) => Some(code),
            Err(err) => {
                problems.push(domain::problem::FieldError::new("division", err.code, err.message));
                None
            }
        };
        let (Some(act), Some(code), true) = (act, code, problems.is_empty()) else {
            return Err(ServiceError::invalid(problems));
        };
        self.authorize(actor, Permission::ManageCatalog, &code)?;
        let level = self.divisions().get(&code).map(|d| d.level);
        let item = self.catalog.in_force(slug, self.today()).unwrap_or(newest);
        if let Some(level) = level.filter(|l| !item.levels.contains(l)) {
            let levels: Vec<&str> = item.levels.iter().map(|l| l.name_zh()).collect();
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "level_not_in_item",
                format!("“{}”的行使层级为{}，不能由{}单位认领或发布", item.name, levels.join("、"), level.name_zh()),
            )
            .with_field("division"));
        }
        let current = self.publication(slug, &code).await?;
        let state = PublicationState::of(current.as_ref());
        publication_allowed(state, act)
            .map_err(|(code, message)| ServiceError::new(ErrorKind::Conflict, code, message))?;
        let (act_name, _) = publication_act_name(act);
        let event = EventDraft::new(
            format!("item:{slug}"),
            actor.label(),
            &format!("catalog.{act_name}"),
            json!({"slug": slug, "division": code.as_str(), "act": act_name, "from": state.as_str()}),
        )
        .in_division(code.to_string());
        self.store.set_publication(slug, code.as_str(), act, self.now(), &event).await?;
        self.publication(slug, &code).await?.ok_or_else(|| ServiceError::internal("publication row missing"))
    }

    async fn publication(&self, slug: &str, division: &DivisionCode) -> ServiceResult<Option<Publication>> {
        Ok(self.store.publications(Some(division.as_str())).await?.into_iter().find(|p| p.slug == slug))
    }

    /// The publication rows of one division, or of every division the administrator reaches.
    pub async fn publications(&self, actor: &Actor, division: Option<&str>) -> ServiceResult<Vec<Publication>> {
        if !actor.may_somewhere(Permission::ManageCatalog) {
            return Err(ServiceError::forbidden());
        }
        let division = division.map(str::trim).filter(|d| !d.is_empty());
        let rows = match division {
            Some(division) => {
                let code = self.division("division", division)?;
                self.authorize(actor, Permission::ManageCatalog, &code)?;
                self.store.publications(Some(code.as_str())).await?
            }
            None => self.store.publications(None).await?,
        };
        Ok(rows
            .into_iter()
            .filter(|p| {
                DivisionCode::parse(&p.division)
                    .is_ok_and(|code| actor.may(Permission::ManageCatalog, &code, self.divisions()))
            })
            .collect())
    }
}

fn item_not_found(slug: &str) -> ServiceError {
    ServiceError::new(ErrorKind::NotFound, "item_not_found", format!("事项“{}”不存在", echo(slug)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publication_acts_follow_their_order() {
        use PublicationAct as A;
        use PublicationState as S;
        assert!(publication_allowed(S::Unclaimed, A::Claim).is_ok());
        assert_eq!(publication_allowed(S::Claimed, A::Claim).map_err(|e| e.0), Err("already_claimed"));
        assert_eq!(publication_allowed(S::Unclaimed, A::Publish).map_err(|e| e.0), Err("not_claimed"));
        assert!(publication_allowed(S::Claimed, A::Publish).is_ok());
        assert!(publication_allowed(S::Withdrawn, A::Publish).is_ok(), "republish after a withdrawal");
        assert_eq!(publication_allowed(S::Published, A::Publish).map_err(|e| e.0), Err("already_published"));
        assert!(publication_allowed(S::Published, A::Withdraw).is_ok());
        assert_eq!(publication_allowed(S::Claimed, A::Withdraw).map_err(|e| e.0), Err("not_published"));
        assert_eq!(parse_publication_act("publish"), Some(A::Publish));
        assert_eq!(parse_publication_act("Publish"), None);
    }

    #[test]
    fn state_is_read_from_the_row() {
        let row = |claimed: Option<i64>, published: Option<i64>, withdrawn: Option<i64>| Publication {
            slug: "x".into(),
            division: "511702".into(),
            claimed_at_ms: claimed,
            published_at_ms: published,
            withdrawn_at_ms: withdrawn,
        };
        assert_eq!(PublicationState::of(None), PublicationState::Unclaimed);
        assert_eq!(PublicationState::of(Some(&row(Some(1), None, None))), PublicationState::Claimed);
        assert_eq!(PublicationState::of(Some(&row(Some(1), Some(2), None))), PublicationState::Published);
        assert_eq!(PublicationState::of(Some(&row(Some(1), Some(2), Some(3)))), PublicationState::Withdrawn);
    }
}
