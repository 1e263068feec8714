//! Delegations (下放): the power of one step of an item moved to a lower level for listed
//! divisions, from a date, by a document; revoked from a date (stored as `valid_until` = that
//! date − 1, so acts already done under the delegation keep their authority). The engine reads
//! them (`domain::engine::authority`); this module records them, each act with its event
//! (`delegation.grant` / `delegation.revoke` in stream `item:{slug}`).

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::division::{DivisionCode, Level};
use domain::problem::{text_field, FieldError};
use serde_json::json;

pub use store::catalog::DelegationRow;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// A delegation as asked for (by the API or the CLI); every field is checked here.
#[derive(Debug, Clone, Default)]
pub struct DelegationInput {
    /// The item's slug.
    pub item: String,
    /// The step's id in the item's procedure.
    pub step: String,
    /// `township`, `county`…: must lie below the step's own level.
    pub to_level: String,
    /// Division codes, each at `to_level`.
    pub divisions: Vec<String>,
    /// YYYY-MM-DD, the first day in force.
    pub from: String,
    /// The document that delegates (e.g. 达市民发〔2021〕X号).
    pub document: String,
}

fn parse_date(field: &str, text: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, "invalid_date", "日期应为 YYYY-MM-DD 格式的有效日期"))
}

impl App {
    fn may_manage_catalog(&self, actor: Option<&Actor>) -> ServiceResult<()> {
        match actor {
            Some(actor) if !actor.may_somewhere(Permission::ManageCatalog) => Err(ServiceError::forbidden()),
            _ => Ok(()),
        }
    }

    /// Records a delegation, one row per division. `actor` None is the CLI operator; an
    /// administrator must reach every division listed.
    pub async fn grant_delegation(
        &self,
        actor: Option<&Actor>,
        input: &DelegationInput,
    ) -> ServiceResult<Vec<DelegationRow>> {
        self.may_manage_catalog(actor)?;
        let mut problems = Vec::new();
        let from = parse_date("from", &input.from).map_err(|p| problems.push(p)).ok();
        let document = text_field("document", &input.document, 200, true).map_err(|p| problems.push(p)).ok();

        // The item and the step, in the version in force on the first day (else the newest).
        let slug = input.item.trim();
        let versions = self.catalog.versions(slug);
        let item = from.and_then(|d| self.catalog.in_force(slug, d)).or(versions.last());
        let step_level = match item {
            None => {
                problems.push(FieldError::new("item", "unknown_item", "事项不存在"));
                None
            }
            Some(item) => match item.procedure.step(input.step.trim()) {
                None => {
                    let ids: Vec<&str> = item.procedure.steps.iter().map(|s| s.id.as_str()).collect();
                    problems.push(FieldError::new(
                        "step",
                        "unknown_step",
                        format!("“{}”没有该环节；环节为：{}", item.name, ids.join("、")),
                    ));
                    None
                }
                Some(step) => match step.level {
                    Some(level) => Some(level),
                    None => {
                        problems.push(FieldError::new(
                            "step",
                            "step_without_level",
                            format!("“{}”环节由办理地本级办理，未设行使层级，无可下放的权限", step.name),
                        ));
                        None
                    }
                },
            },
        };
        let to_level = match Level::parse(input.to_level.trim()) {
            Ok(level) => Some(level),
            Err(_) => {
                problems.push(FieldError::new(
                    "to_level",
                    "unknown_level",
                    "层级应为 province、prefecture、county 或 township",
                ));
                None
            }
        };
        if let (Some(step_level), Some(to_level)) = (step_level, to_level) {
            if to_level <= step_level {
                problems.push(FieldError::new(
                    "to_level",
                    "level_not_below",
                    format!("只能下放到该环节行使层级（{}）以下的层级", step_level.name_zh()),
                ));
            }
        }
        let mut codes: Vec<DivisionCode> = Vec::new();
        if input.divisions.is_empty() {
            problems.push(FieldError::new("divisions", "required", "须列出承接下放权限的行政区划"));
        }
        let mut seen = BTreeSet::new();
        for (i, text) in input.divisions.iter().enumerate() {
            let field = format!("divisions[{i}]");
            match self.division(&field, text) {
                Err(err) => problems.push(FieldError::new(&field, err.code, err.message)),
                Ok(code) => {
                    let level = self.divisions().get(&code).map(|d| d.level);
                    if !seen.insert(code.clone()) {
                        problems.push(FieldError::new(&field, "duplicate_division", format!("{code} 重复列出")));
                    } else if let Some(to_level) = to_level.filter(|l| level != Some(*l)) {
                        problems.push(FieldError::new(
                            &field,
                            "division_level_mismatch",
                            format!("{code} 不是{}行政区划", to_level.name_zh()),
                        ));
                    } else {
                        codes.push(code);
                    }
                }
            }
        }
        let (Some(item), Some(from), Some(document), Some(to_level), Some(step_level), true) =
            (item, from, document, to_level, step_level, problems.is_empty())
        else {
            return Err(ServiceError::invalid(problems));
        };
        if let Some(actor) = actor {
            for code in &codes {
                self.authorize(actor, Permission::ManageCatalog, code)?;
            }
        }
        let step = input.step.trim();
        let existing = self.store.all_delegations(Some(&item.slug)).await?;
        if let Some(overlap) = existing.iter().find(|d| {
            d.step == step
                && codes.iter().any(|c| c.as_str() == d.division)
                && d.valid_until.is_none_or(|until| until >= from)
        }) {
            return Err(ServiceError::new(
                ErrorKind::Conflict,
                "delegation_exists",
                format!("{} 已有该环节的下放（编号 {}，{}），须先收回", overlap.division, overlap.id, overlap.document),
            ));
        }
        let rows: Vec<DelegationRow> = codes
            .iter()
            .map(|code| DelegationRow {
                id: 0,
                item_slug: item.slug.clone(),
                step: step.to_string(),
                to_level: to_level.as_str().to_string(),
                division: code.to_string(),
                valid_from: from,
                valid_until: None,
                document: document.clone(),
            })
            .collect();
        let label = actor.map(Actor::label).unwrap_or_else(crate::accounts::system_actor);
        let event = EventDraft::new(
            format!("item:{}", item.slug),
            label,
            "delegation.grant",
            json!({"item": item.slug, "step": step, "from_level": step_level.as_str(), "to_level": to_level.as_str(),
                   "divisions": codes.iter().map(|c| c.as_str()).collect::<Vec<_>>(), "from": from.to_string(),
                   "document": document}),
        );
        let ids = self.store.add_delegations(&rows, self.now(), &event).await?;
        self.delegation_cache.clear();
        Ok(rows.into_iter().zip(ids).map(|(row, id)| DelegationRow { id, ..row }).collect())
    }

    /// Revokes a delegation from `from` (YYYY-MM-DD, today or later): in force until the day
    /// before. Acts already done under it keep their authority.
    pub async fn revoke_delegation(&self, actor: Option<&Actor>, id: i64, from: &str) -> ServiceResult<DelegationRow> {
        self.may_manage_catalog(actor)?;
        let from = parse_date("from", from)?;
        let row = self.store.delegation(id).await.map_err(|e| match e {
            store::StoreError::NotFound => {
                ServiceError::new(ErrorKind::NotFound, "delegation_not_found", format!("下放记录 {id} 不存在"))
            }
            other => other.into(),
        })?;
        if let Some(actor) = actor {
            self.authorize(actor, Permission::ManageCatalog, &self.division("division", &row.division)?)?;
        }
        let today = self.today();
        if from < today {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "revoke_backdated",
                format!("收回只能自今日（{today}）或以后生效：此前依下放作出的行为不受影响"),
            )
            .with_field("from"));
        }
        if let Some(until) = row.valid_until {
            return Err(ServiceError::new(
                ErrorKind::Conflict,
                "delegation_already_revoked",
                format!("该下放已于 {until} 后失效"),
            ));
        }
        let last_day = from
            .checked_sub_days(Days::new(1))
            .ok_or_else(|| ServiceError::new(ErrorKind::Invalid, "invalid_date", "日期超出范围").with_field("from"))?;
        let label = actor.map(Actor::label).unwrap_or_else(crate::accounts::system_actor);
        let event = EventDraft::new(
            format!("item:{}", row.item_slug),
            label,
            "delegation.revoke",
            json!({"id": id, "item": row.item_slug, "step": row.step, "division": row.division,
                   "from": from.to_string(), "valid_until": last_day.to_string(), "document": row.document}),
        )
        .in_division(row.division.clone());
        self.store.revoke_delegation(id, last_day, self.now(), &event).await?;
        self.delegation_cache.clear();
        Ok(DelegationRow { valid_until: Some(last_day), ..row })
    }

    /// The delegations whose division the administrator reaches, optionally of one item.
    pub async fn delegation_list(
        &self,
        actor: Option<&Actor>,
        item: Option<&str>,
    ) -> ServiceResult<Vec<DelegationRow>> {
        self.may_manage_catalog(actor)?;
        let item = item.map(str::trim).filter(|i| !i.is_empty());
        let rows = self.store.all_delegations(item).await?;
        Ok(rows
            .into_iter()
            .filter(|row| match actor {
                None => true,
                Some(actor) => DivisionCode::parse(&row.division)
                    .is_ok_and(|code| actor.may(Permission::ManageCatalog, &code, self.divisions())),
            })
            .collect())
    }
}
