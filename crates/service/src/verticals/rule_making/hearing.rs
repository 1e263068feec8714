//! 听证报名 online (重大行政决策程序暂行条例第十六条): a signed-in 实名认证 citizen applies to take
//! part in the hearing announced for a decision, before its day and until its list of
//! participants is published; staff decide each application (selected or not, with how), and
//! the list may not be published while one is undecided (the gate is in
//! `App::rule_decision_step`). The applicant is the account's person: their ID number and phone
//! stay encrypted in their record.

use domain::access::{Actor, Permission, Role};
use domain::audit::EventDraft;
use domain::division::DivisionCode;
use domain::verticals::rule_making::decision::DecisionHistory;
use domain::verticals::rule_making::decision_stream;
use domain::verticals::rule_making::hearing::{parse_selection, NewApplication, Selection};
use serde_json::json;
pub use store::verticals::rule_making::ApplicationRow;
use store::StoreError;

use super::{conflict, history};
use crate::{App, ErrorKind, ServiceError, ServiceResult};

fn closed() -> ServiceError {
    ServiceError::new(
        ErrorKind::Invalid,
        "hearing_registration_closed",
        "该决策草案目前没有接受报名的听证会（听证会召开前、公布听证参加人名单前接受报名）",
    )
    .with_field("statement")
}

impl App {
    /// The hearing of decision `history` taking applications today: its notice's position
    /// and day (before its day, its list not yet published).
    pub fn rule_hearing_taking_applications(&self, history: &DecisionHistory) -> Option<(i64, chrono::NaiveDate)> {
        let (at, held_on) = history.hearing_unlisted()?;
        (self.today() < held_on).then_some((at as i64, held_on))
    }

    /// A citizen's application to take part in the hearing of decision `id` (a draft published
    /// for comment, whose hearing is on its public page). Once per person and hearing.
    pub async fn rule_hearing_apply(&self, actor: &Actor, id: i64, side: &str, statement: &str) -> ServiceResult<i64> {
        if !actor.has_role(Role::Citizen) {
            return Err(ServiceError::forbidden());
        }
        let (consultation, _) = self.rule_consultation(id).await?;
        let full = &consultation.view.full;
        let Some((hearing_at, _)) = self.rule_hearing_taking_applications(&history(full)) else {
            return Err(closed());
        };
        let account = self.store.account(actor.account_id).await?;
        let Some(person_id) = account.person_id else {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "identity_unverified",
                "请先完成实名认证，再报名参加听证会（听证参加人应当身份明确）",
            )
            .with_field("statement"));
        };
        let application = NewApplication::parse(side, statement).map_err(ServiceError::invalid)?;
        let already = || ServiceError::new(ErrorKind::Conflict, "hearing_already_applied", "您已报名参加该听证会");
        let applications = self.store.rule_hearing_applications(id).await?;
        if applications.iter().any(|a| a.hearing_at == hearing_at && a.person_id == person_id) {
            return Err(already());
        }
        let division = full.decision.division.clone();
        self.store
            .create_rule_hearing_application(
                id,
                hearing_at,
                (actor.account_id, person_id),
                &account.display_name,
                application.side,
                &application.statement,
                self.today(),
                self.now(),
                |aid| {
                    EventDraft::new(
                        decision_stream(id),
                        actor.label(),
                        "rule_making.hearing_applied",
                        json!({ "application": aid, "side": application.side.as_str() }),
                    )
                    .in_division(division)
                },
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => already(),
                other => other.into(),
            })
    }

    /// The applications to a decision's hearings, for its staff.
    pub async fn rule_hearing_applications(&self, actor: &Actor, id: i64) -> ServiceResult<Vec<ApplicationRow>> {
        self.rule_decision_load(actor, id).await?;
        Ok(self.store.rule_hearing_applications(id).await?)
    }

    /// The organ's selection on one application: selected or not, with how (the published
    /// 遴选办法 applied). Only while the hearing's list is not yet published; once per
    /// application.
    pub async fn rule_hearing_select(
        &self,
        actor: &Actor,
        id: i64,
        application_id: i64,
        revision: i64,
        status: &str,
        reason: &str,
    ) -> ServiceResult<ApplicationRow> {
        let full = self.store.rule_decision(id).await.map_err(conflict("重大行政决策"))?;
        let division = DivisionCode::parse(&full.decision.division).map_err(|_| ServiceError::forbidden())?;
        self.authorize(actor, Permission::ManageRules, &division)?;
        let find = |rows: Vec<ApplicationRow>| {
            rows.into_iter().find(|a| a.id == application_id).ok_or_else(|| ServiceError::not_found("听证报名"))
        };
        let application = find(self.store.rule_hearing_applications(id).await?)?;
        if application.status != Selection::Applied {
            return Err(ServiceError::new(ErrorKind::Conflict, "application_decided", "该报名已作出遴选决定"));
        }
        let (selection, reason) = parse_selection(status, reason).map_err(|e| ServiceError::invalid(vec![e]))?;
        let unlisted = history(&full).hearing_unlisted().map(|(at, _)| at as i64);
        if unlisted != Some(application.hearing_at) {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "hearing_registration_closed",
                "该听证会的参加人名单已经公布或听证会已经召开，不能再作遴选决定",
            )
            .with_field("status"));
        }
        let event = EventDraft::new(
            decision_stream(id),
            actor.label(),
            "rule_making.hearing_selected",
            json!({ "application": application_id, "status": selection.as_str() }),
        )
        .in_division(full.decision.division.clone());
        self.store
            .decide_rule_hearing_application(
                application_id,
                revision,
                selection,
                &reason,
                self.today(),
                actor.account_id,
                self.now(),
                &event,
            )
            .await
            .map_err(conflict("听证报名"))?;
        find(self.store.rule_hearing_applications(id).await?)
    }

    /// How many applications to the hearing at `hearing_at` of decision `id` are undecided.
    pub(super) async fn rule_hearing_undecided(&self, id: i64, hearing_at: usize) -> ServiceResult<usize> {
        let rows = self.store.rule_hearing_applications(id).await?;
        Ok(rows.iter().filter(|a| a.hearing_at == hearing_at as i64 && a.status == Selection::Applied).count())
    }
}
