//! 双随机、一公开 (《社会组织抽查暂行办法》, 民发〔2017〕45号): the heads draw, from the inspection
//! list (the organizations the body registered, from the register of social organizations) and
//! the officers' register (those holding a valid credential), the organizations to inspect and two
//! inspectors for each, with a fresh 256-bit seed; the seed, the canonical lists and what was
//! drawn are stored, recorded as an event on `enforcement:draws` and published at once, so that
//! anyone can re-run [`domain::verticals::enforcement::draw::draw`]. A declared conflict of
//! interest (行政处罚法 第四十三条) keeps the pair out of every later draw. The inspectors publish
//! each result, within 20 working days of the inspection (the bureau's limit, by analogy with
//! 企业信息公示暂行条例 第六条第二款; the 抽查办法 sets none).
//!
//! Access: the draw and the declared conflicts are [`Permission::ManageEnforcementOfficers`]
//! (the heads), a result [`Permission::EnforceCases`], the list [`Permission::ReadEnforcement`],
//! each at the body's division; the published draws are public.

use chrono::NaiveDate;
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::division::{DivisionCode, Level};
use domain::problem::{text_field, FieldError};
use domain::verticals::enforcement::draw::{
    self, input_digest, result_publication_due, year_account, Conflict, DrawInput, DrawKind, Finding, Inspector, Tally,
    Target, YearAccount,
};
use domain::verticals::enforcement::officer::date_field;
use serde_json::json;
use store::persons::Scope;
use store::verticals::enforcement::{ConflictRow, NewDraw, NewResult};
pub use store::verticals::enforcement::{DrawRow, LineRow};
use store::verticals::social_organization::RegisterFilter;
use store::StoreError;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The stream of the draws and the declared conflicts.
pub const DRAWS_STREAM: &str = "enforcement:draws";

/// A draw as typed.
#[derive(Debug, Clone, Default)]
pub struct DrawForm {
    /// The body's division.
    pub division: String,
    /// `regular` | `special`.
    pub kind: String,
    pub count: String,
}

/// A declared conflict as typed.
#[derive(Debug, Clone, Default)]
pub struct ConflictForm {
    /// The officer's register id (chosen from the register).
    pub officer: String,
    /// The organization's 统一社会信用代码 (chosen from the inspection list).
    pub credit_code: String,
    pub reason: String,
}

/// A result as typed.
#[derive(Debug, Clone, Default)]
pub struct ResultForm {
    /// The line's position in the draw.
    pub position: String,
    pub checked_on: String,
    /// `clean` | `rectify` | `filed` | `not_found`.
    pub finding: String,
    pub note: String,
}

/// A draw with what it was drawn from and each line's publication limit.
#[derive(Debug, Clone)]
pub struct DrawView {
    pub row: DrawRow,
    pub kind: DrawKind,
    pub input: DrawInput,
    /// Per line: the last day to publish its result (once inspected).
    pub due: Vec<Option<NaiveDate>>,
}

fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> ServiceError {
    ServiceError::invalid(vec![FieldError::new(field, code, message)])
}

fn store_error(err: StoreError) -> ServiceError {
    match err {
        StoreError::Conflict(what) if what == "inspector_conflict_taken" => {
            ServiceError::new(ErrorKind::Conflict, "inspector_conflict_taken", "该执法人员对该社会组织的回避已经登记")
        }
        StoreError::Conflict(_) => {
            ServiceError::new(ErrorKind::Conflict, "result_recorded", "该社会组织的检查结果已经公示")
        }
        StoreError::NotFound => invalid("position", "draw_line_unknown", "该社会组织不在本次抽查名单中"),
        other => other.into(),
    }
}

impl App {
    /// The inspection list of the body at `division`: the organizations it registered that are
    /// in normal standing, in credit-code order.
    async fn enforcement_targets(&self, division: &DivisionCode) -> ServiceResult<Vec<Target>> {
        let rows = self.store.social_orgs(&Scope(vec![division.to_string()]), &RegisterFilter::default()).await?;
        let mut targets: Vec<Target> = rows
            .into_iter()
            .filter(|o| o.status == "normal" && o.authority_division == division.as_str())
            .map(|o| Target { credit_code: o.credit_code, name: o.name })
            .collect();
        targets.sort_by(|a, b| a.credit_code.cmp(&b.credit_code));
        Ok(targets)
    }

    /// The inspection list the caller may draw from, per body (for the pickers).
    pub async fn enforcement_inspection_list(&self, actor: &Actor, division: &str) -> ServiceResult<Vec<Target>> {
        if !actor.may_somewhere(Permission::ManageEnforcementOfficers) {
            return Err(ServiceError::forbidden());
        }
        let division = self.division("division", division)?;
        self.authorize(actor, Permission::ManageEnforcementOfficers, &division)?;
        self.enforcement_targets(&division).await
    }

    /// Records an officer's declared conflict with an organization (行政处罚法 第四十三条).
    pub async fn enforcement_declare_conflict(&self, actor: &Actor, form: &ConflictForm) -> ServiceResult<()> {
        if !actor.may_somewhere(Permission::ManageEnforcementOfficers) {
            return Err(ServiceError::forbidden());
        }
        let mut problems = Vec::new();
        let reason = text_field("reason", &form.reason, 200, true).map_err(|e| problems.push(e)).ok();
        let officer = form.officer.trim().parse::<i64>().ok();
        let register = self.store.enforcement_officers(None).await?;
        let row = officer.and_then(|id| register.into_iter().find(|r| r.officer.id == id));
        if row.is_none() {
            problems.push(FieldError::new("officer", "officer_unknown", "执法人员不在执法人员名录中"));
        }
        let code = form.credit_code.trim().to_uppercase();
        let org = if code.len() == 18 && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            self.store.social_org_id_by_code(&code).await?
        } else {
            None
        };
        if org.is_none() {
            problems.push(FieldError::new("credit_code", "org_unknown", "该社会组织不在检查对象名录库中"));
        }
        let (Some(reason), Some(row), true) = (reason, row, problems.is_empty()) else {
            return Err(ServiceError::invalid(problems));
        };
        let division = self.division("division", &row.division)?;
        self.authorize(actor, Permission::ManageEnforcementOfficers, &division)?;
        let declared_on = self.today();
        let event = EventDraft::new(
            DRAWS_STREAM,
            actor.label(),
            "enforcement.conflict_declared",
            json!({ "officer": row.officer.id, "credit_code": code, "reason": reason }),
        )
        .in_division(row.division.clone());
        let conflict = ConflictRow { officer_id: row.officer.id, credit_code: code, reason, declared_on };
        self.store.enforcement_add_conflict(&conflict, self.now(), &event).await.map_err(store_error)
    }

    /// The declared conflicts of the officers the caller may manage.
    pub async fn enforcement_conflicts(&self, actor: &Actor) -> ServiceResult<Vec<ConflictRow>> {
        let officers = self.enforcement_officers(actor).await?;
        Ok(self
            .store
            .enforcement_conflicts()
            .await?
            .into_iter()
            .filter(|c| officers.iter().any(|o| o.officer.id == c.officer_id))
            .collect())
    }

    /// The draw (双随机): `count` organizations of the body's inspection list and two inspectors
    /// for each, from a fresh seed; stored, recorded and published in one transaction.
    pub async fn enforcement_draw(&self, actor: &Actor, form: &DrawForm) -> ServiceResult<i64> {
        if !actor.may_somewhere(Permission::ManageEnforcementOfficers) {
            return Err(ServiceError::forbidden());
        }
        let division = self.division("division", &form.division)?;
        self.authorize(actor, Permission::ManageEnforcementOfficers, &division)?;
        let mut problems = Vec::new();
        let kind = DrawKind::parse(&form.kind);
        if kind.is_none() {
            problems.push(FieldError::new("kind", "draw_kind", "请选择定期抽查或不定期抽查"));
        }
        let count = form.count.trim().parse::<usize>().ok().filter(|n| (1..=draw::MAX_COUNT).contains(n));
        if count.is_none() {
            problems.push(draw::DrawError::Count.field_error());
        }
        let (Some(kind), Some(count), true) = (kind, count, problems.is_empty()) else {
            return Err(ServiceError::invalid(problems));
        };
        let targets = self.enforcement_targets(&division).await?;
        if targets.is_empty() {
            return Err(invalid("division", "draw_empty", "检查对象名录库中没有可抽取的社会组织"));
        }
        let today = self.today();
        let inspectors: Vec<Inspector> = self
            .store
            .enforcement_officers(Some(&Scope(vec![division.to_string()])))
            .await?
            .into_iter()
            .filter(|r| {
                r.officer.credential_valid(today)
                    && DivisionCode::parse(&r.division).is_ok_and(|d| self.divisions().is_within(&d, &division))
            })
            .map(|r| Inspector { id: r.officer.id, name: r.officer.name, certificate_no: r.officer.certificate_no })
            .collect();
        let conflicts: Vec<Conflict> = self
            .store
            .enforcement_conflicts()
            .await?
            .into_iter()
            .filter(|c| inspectors.iter().any(|i| i.id == c.officer_id))
            .map(|c| Conflict { officer: c.officer_id, credit_code: c.credit_code })
            .collect();
        let seed = {
            use rand::RngCore;
            let mut bytes = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            hex::encode(bytes)
        };
        let level = self.divisions().get(&division).map_or(Level::County, |d| d.level);
        let input = DrawInput { seed: seed.clone(), count, targets, inspectors, conflicts }.canonical();
        let drawn = draw::draw(&input, kind, level).map_err(|e| ServiceError::invalid(vec![e.field_error()]))?;
        let input_sm3 = input_digest(&input);
        let input_json = serde_json::to_string(&input).map_err(|e| ServiceError::internal(e.to_string()))?;
        let new = NewDraw {
            division: division.to_string(),
            kind: kind.as_str().to_string(),
            drawn_on: today,
            seed: seed.clone(),
            input: input_json,
            input_sm3: input_sm3.clone(),
            drawn_by: actor.account_id,
            lines: drawn.iter().map(|d| (d.credit_code.clone(), d.name.clone(), d.inspectors)).collect(),
        };
        let payload = json!({
            "kind": kind.as_str(),
            "seed": seed,
            "input_sm3": input_sm3,
            "count": count,
            "lines": drawn.iter().map(|d| json!({ "credit_code": d.credit_code, "inspectors": d.inspectors })).collect::<Vec<_>>(),
        });
        let label = actor.label();
        let division_text = division.to_string();
        self.store
            .enforcement_add_draw(&new, self.now(), |id| {
                let mut payload = payload;
                if let Some(obj) = payload.as_object_mut() {
                    obj.insert("draw".into(), json!(id));
                }
                EventDraft::new(DRAWS_STREAM, label, "enforcement.draw", payload).in_division(division_text)
            })
            .await
            .map_err(store_error)
    }

    fn enforcement_draw_view(&self, row: DrawRow) -> ServiceResult<DrawView> {
        let input: DrawInput = serde_json::from_str(&row.input)
            .map_err(|_| ServiceError::internal(format!("draw {}: bad input in record", row.id)))?;
        let kind = DrawKind::parse(&row.kind).unwrap_or(DrawKind::Special);
        let cal = self.calendar();
        let due = row.lines.iter().map(|l| l.checked_on.and_then(|c| result_publication_due(&cal, c).ok())).collect();
        Ok(DrawView { row, kind, input, due })
    }

    /// The draws of the caller's jurisdiction, newest first.
    pub async fn enforcement_draws(&self, actor: &Actor) -> ServiceResult<Vec<DrawView>> {
        let scope = actor.scope(Permission::ReadEnforcement);
        if scope.is_empty() {
            return Err(ServiceError::forbidden());
        }
        let store_scope = Scope(scope.iter().map(|c| c.to_string()).collect());
        self.store
            .enforcement_draws(&store_scope)
            .await?
            .into_iter()
            .filter(|d| {
                DivisionCode::parse(&d.division)
                    .is_ok_and(|c| actor.may(Permission::ReadEnforcement, &c, self.divisions()))
            })
            .map(|d| self.enforcement_draw_view(d))
            .collect()
    }

    /// The draws of the body at `division` and below, with their results: public (一公开).
    pub async fn enforcement_public_draws(&self, division: &str) -> ServiceResult<Vec<DrawView>> {
        let division = self.division("division", division)?;
        self.store
            .enforcement_draws(&Scope(vec![division.to_string()]))
            .await?
            .into_iter()
            .filter(|d| DivisionCode::parse(&d.division).is_ok_and(|c| self.divisions().is_within(&c, &division)))
            .map(|d| self.enforcement_draw_view(d))
            .collect()
    }

    /// 一公开: the yearly account of the body's own random inspections against the share of
    /// 第五条 (`draw::year_account`), for every year it drew in and the current one, newest
    /// first. Public.
    pub async fn enforcement_year_accounts(&self, division: &str) -> ServiceResult<Vec<YearAccount>> {
        use chrono::Datelike;
        let division = self.division("division", division)?;
        let level = self.divisions().get(&division).map_or(Level::County, |d| d.level);
        let tallies: Vec<Tally> = self
            .store
            .enforcement_draws(&Scope(vec![division.to_string()]))
            .await?
            .into_iter()
            .filter(|d| d.division == division.as_str())
            .map(|d| {
                let listed = serde_json::from_str::<DrawInput>(&d.input).map_or(0, |i| i.targets.len());
                Tally {
                    kind: DrawKind::parse(&d.kind).unwrap_or(DrawKind::Special),
                    drawn_on: d.drawn_on,
                    listed,
                    lines: d
                        .lines
                        .iter()
                        .map(|l| (l.checked_on, l.finding.as_deref().and_then(Finding::parse), l.published_on))
                        .collect(),
                }
            })
            .collect();
        let mut years: std::collections::BTreeSet<i32> = tallies.iter().map(|t| t.drawn_on.year()).collect();
        years.insert(self.today().year());
        let cal = self.calendar();
        Ok(years.into_iter().rev().map(|year| year_account(&cal, level, year, &tallies)).collect())
    }

    /// Publishes the result of one drawn organization (the inspectors of the body).
    pub async fn enforcement_record_result(&self, actor: &Actor, draw_id: i64, form: &ResultForm) -> ServiceResult<()> {
        if !actor.may_somewhere(Permission::EnforceCases) {
            return Err(ServiceError::forbidden());
        }
        let row = self.store.enforcement_draw(draw_id).await.map_err(|e| match e {
            StoreError::NotFound => ServiceError::not_found("抽查"),
            other => other.into(),
        })?;
        let division = self.division("division", &row.division)?;
        self.authorize(actor, Permission::EnforceCases, &division)?;
        let mut problems = Vec::new();
        let line = form.position.trim().parse::<i64>().ok().and_then(|p| row.lines.iter().find(|l| l.position == p));
        if line.is_none() {
            problems.push(FieldError::new("position", "draw_line_unknown", "该社会组织不在本次抽查名单中"));
        }
        let today = self.today();
        let checked_on = date_field("checked_on", &form.checked_on).map_err(|e| problems.push(e)).ok();
        if checked_on.is_some_and(|c| c < row.drawn_on || c > today) {
            problems.push(FieldError::new("checked_on", "checked_early", "检查日期不能早于抽取日期或晚于今天"));
        }
        let finding = Finding::parse(&form.finding);
        if finding.is_none() {
            problems.push(FieldError::new("finding", "draw_finding", "请选择检查结论"));
        }
        let note = text_field("note", &form.note, 500, false).map_err(|e| problems.push(e)).ok();
        let (Some(line), Some(checked_on), Some(finding), Some(note), true) =
            (line, checked_on, finding, note, problems.is_empty())
        else {
            return Err(ServiceError::invalid(problems));
        };
        let due = result_publication_due(&self.calendar(), checked_on).ok();
        let event = EventDraft::new(
            DRAWS_STREAM,
            actor.label(),
            "enforcement.inspection_result",
            json!({
                "draw": draw_id,
                "credit_code": line.credit_code,
                "checked_on": checked_on.to_string(),
                "finding": finding.as_str(),
                "published_on": today.to_string(),
                "late": due.is_some_and(|d| today > d),
            }),
        )
        .in_division(row.division.clone());
        let result = NewResult {
            draw_id,
            position: line.position,
            checked_on,
            finding: finding.as_str().to_string(),
            note,
            published_on: today,
        };
        self.store.enforcement_record_result(&result, self.now(), &event).await.map_err(store_error)
    }
}
