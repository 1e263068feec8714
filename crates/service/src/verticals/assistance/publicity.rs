//! An assistance case's 公示: whether it is passed over (decided from the birth date of the person
//! the notice would name, on the day the case reaches the step, domain::assistance::publicity —
//! not from the 情形 chosen at the window), where and when its notice was posted, and its period
//! in the unit the law counts it (natural days for 公示 7 天).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::access::{Actor, Permission};
use domain::assistance::{is_publicity_step, minor_on, publicity_required, Program};
use domain::audit::EventDraft;
use domain::calendar::shanghai_date;
use domain::catalog::ServiceItem;
use domain::engine::case::Case;
use domain::problem::FieldError;
use domain::procedure::{LimitUnit, StepDef, StepKind};
use serde_json::json;

use crate::case_json::Stored;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

impl App {
    /// For a case of an assistance item whose procedure has a 公示 step: true when an act at
    /// `now` must pass it over (the person the notice would name — the application's
    /// beneficiary, else the applicant — is a minor that day, or the program is never
    /// publicised). False for every other item.
    pub(crate) async fn publicity_passed_over(
        &self,
        item: &ServiceItem,
        stored: &Stored,
        now: DateTime<Utc>,
    ) -> ServiceResult<bool> {
        let case = &stored.case;
        let programs = Program::for_item(&case.item_slug);
        let has_publicity = item.procedure.steps.iter().any(|s| s.kind == StepKind::Wait);
        if programs.is_empty() || !has_publicity || case.step.is_none() {
            return Ok(false);
        }
        let application = self.store.application(case.id).await?;
        let program = application
            .as_ref()
            .and_then(|a| Program::parse(&a.program))
            .or_else(|| programs.first().copied())
            .unwrap_or(Program::MinimumLiving);
        let named = application.and_then(|a| a.beneficiary).unwrap_or(case.applicant);
        let birth = self.store.person_summary(named).await?.birth_date;
        let minor = NaiveDate::parse_from_str(&birth, "%Y-%m-%d").is_ok_and(|b| minor_on(b, shanghai_date(now)));
        Ok(!publicity_required(program, minor))
    }
}

/// The engine's skip hook for a case whose 公示 is passed over
/// ([`App::publicity_passed_over`]): the 公示 step.
pub(crate) fn skip_publicity(step: &StepDef, _: &Case) -> bool {
    is_publicity_step(step)
}

/// A posting of the 公示 notice, as entered.
#[derive(Debug, Clone, Default)]
pub struct PostingInput {
    /// Where it was posted, e.g. "东城街道朝阳社区居委会公示栏".
    pub place: String,
    /// When, Asia/Shanghai: `YYYY-MM-DDTHH:MM` (the form's datetime-local) or `YYYY-MM-DD HH:MM`.
    pub posted_at: String,
}

/// A recorded posting.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PostingView {
    pub place: String,
    /// `YYYY-MM-DD HH:MM`, Asia/Shanghai.
    pub posted_at: String,
    /// The period counted from the day of posting (that day not counted), by the step's limit.
    pub period_end: Option<String>,
}

/// A case's 公示: the period of its current 公示 step, if it is at one, and every posting.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PublicityView {
    pub case_id: i64,
    /// The step's name while the case is at its 公示 step.
    pub step_name: Option<String>,
    /// `N 天（自然日）` or `N 个工作日`: the length of the step's period as the law counts it.
    pub period: Option<String>,
    /// The step's due date (its timer's last day).
    pub due: Option<String>,
    /// Natural days left for a natural-day period, else working days (see `days_unit`).
    pub remaining: Option<i64>,
    /// `天` or `个工作日`.
    pub days_unit: Option<String>,
    pub postings: Vec<PostingView>,
}

const PLACE_MAX_CHARS: usize = 100;

fn shanghai() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("UTC"))
}

fn posted_text(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&shanghai()).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

impl App {
    /// The 公示 step of a case's item that the case is at now, if any.
    fn publicity_step<'a>(item: &'a ServiceItem, stored: &Stored) -> Option<&'a domain::procedure::StepDef> {
        let case = &stored.case;
        if case.status != domain::engine::case::CaseStatus::InProgress || Program::for_item(&case.item_slug).is_empty()
        {
            return None;
        }
        case.step.as_deref().and_then(|s| item.procedure.step(s)).filter(|s| is_publicity_step(s))
    }

    /// The end of a period of the step's length counted from `start` (not counted).
    fn period_end_from(&self, step: &domain::procedure::StepDef, start: NaiveDate) -> Option<NaiveDate> {
        let limit = &step.timer.as_ref()?.after;
        let calendar = self.calendar();
        match limit.unit {
            LimitUnit::Day => calendar.add_days(start, limit.value).ok(),
            LimitUnit::Workday => calendar.add_workdays(start, limit.value).ok(),
            LimitUnit::Month => calendar.add_months(start, limit.value).ok(),
            // An hour limit is not a 公示 period (the catalog allows hours on a step's own limit only).
            LimitUnit::Hour => None,
        }
    }

    /// Records where and when the case's 公示 notice was posted (社会救助暂行办法第十一条第二项),
    /// while the case is at its 公示 step: by whoever keeps records where the case is (as the
    /// application), with `assistance.publicity_posted` on the case's record, in one transaction.
    /// The time is not before the step was entered nor after now; the place is required.
    pub async fn record_publicity_posting(
        &self,
        actor: &Actor,
        case_id: i64,
        input: &PostingInput,
    ) -> ServiceResult<PublicityView> {
        self.posting_write(actor, case_id, None, None, input).await
    }

    /// [`App::record_publicity_posting`] as a client sends it: at the revision it saw, with an
    /// optional idempotency key (the contract of acts, [`App::case_write`]).
    pub async fn record_publicity_posting_keyed(
        &self,
        actor: &Actor,
        case_id: i64,
        expected_revision: i64,
        key: Option<&str>,
        input: &PostingInput,
    ) -> ServiceResult<PublicityView> {
        self.posting_write(actor, case_id, Some(expected_revision), key, input).await
    }

    async fn posting_write(
        &self,
        actor: &Actor,
        case_id: i64,
        expected_revision: Option<i64>,
        key: Option<&str>,
        input: &PostingInput,
    ) -> ServiceResult<PublicityView> {
        let request = ("assistance_publicity", format!("{input:?}"));
        self.case_write(actor, case_id, expected_revision, key, request, |w| self.put_posting_on(actor, w, input)).await
    }

    async fn put_posting_on(
        &self,
        actor: &Actor,
        w: crate::idempotency::CaseWrite<'_>,
        input: &PostingInput,
    ) -> ServiceResult<PublicityView> {
        let (stored, item) = (&w.stored, w.item);
        let case = &stored.case;
        let case_id = case.id;
        self.authorize(actor, Permission::WritePerson, &case.accepting)
            .or_else(|_| self.authorize(actor, Permission::WritePerson, &case.competent))?;
        let Some(step) = Self::publicity_step(item, stored) else {
            return Err(ServiceError::new(ErrorKind::Invalid, "not_at_publicity", "本件当前不在公示环节"));
        };
        let mut p = Vec::new();
        let place = input.place.trim();
        if place.is_empty() {
            p.push(FieldError::new("place", "publicity_place_required", "请填写公示张贴地点"));
        } else if place.chars().count() > PLACE_MAX_CHARS || place.chars().any(char::is_control) {
            p.push(FieldError::new(
                "place",
                "invalid_publicity_place",
                format!("公示张贴地点不超过{PLACE_MAX_CHARS}字，且不能含控制字符"),
            ));
        }
        let text = input.posted_at.trim();
        let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
            .ok();
        let posted = local.and_then(|l| l.and_local_timezone(shanghai()).single()).map(|t| t.with_timezone(&Utc));
        let entered_on = shanghai_date(case.step_entered_at);
        match posted {
            None => p.push(FieldError::new("posted_at", "invalid_posted_at", "张贴时间应为 YYYY-MM-DD HH:MM")),
            Some(t) if t > self.now() => {
                p.push(FieldError::new("posted_at", "posted_in_future", "张贴时间不能晚于现在"))
            }
            Some(t) if shanghai_date(t) < entered_on => p.push(FieldError::new(
                "posted_at",
                "posted_before_publicity",
                format!("张贴时间不能早于本件进入公示环节之日（{entered_on}）"),
            )),
            Some(_) => {}
        }
        let Some(posted) = posted.filter(|_| p.is_empty()) else { return Err(ServiceError::invalid(p)) };
        let event = EventDraft::new(
            format!("case:{case_id}"),
            actor.label(),
            "assistance.publicity_posted",
            json!({"step": step.id, "place": place, "posted_at": posted_text(posted.timestamp_millis())}),
        )
        .in_division(case.competent.as_str());
        // The answer as it will read once the posting is on record (a retry replays it).
        let mut view = self.publicity(actor, case_id).await?;
        let day = shanghai_date(posted);
        view.postings.push(PostingView {
            place: place.to_string(),
            posted_at: posted_text(posted.timestamp_millis()),
            period_end: self.period_end_from(step, day).map(|d| d.to_string()),
        });
        let answer = serde_json::to_string(&view).map_err(ServiceError::internal)?;
        self.store
            .put_publicity_posting(
                case_id,
                place,
                posted.timestamp_millis(),
                actor.account_id,
                self.now(),
                &event,
                Some(&w.touch(&answer)),
            )
            .await
            .map_err(|e| crate::idempotency::touch_error(&e).unwrap_or_else(|| e.into()))?;
        Ok(view)
    }

    /// A case's 公示 for whoever may see the case: the current step's period in the unit the law
    /// counts it (natural days for 公示 7 天) and every posting recorded.
    pub async fn publicity(&self, actor: &Actor, case_id: i64) -> ServiceResult<PublicityView> {
        let view = self.case(actor, case_id).await?;
        let (_, stored, item) = self.load_case(case_id).await?;
        let step = Self::publicity_step(item, &stored);
        let postings = self.store.publicity_postings(case_id).await?;
        let postings = postings
            .iter()
            .map(|r| {
                let day = DateTime::<Utc>::from_timestamp_millis(r.posted_at_ms).map(shanghai_date);
                PostingView {
                    place: r.place.clone(),
                    posted_at: posted_text(r.posted_at_ms),
                    period_end: step.zip(day).and_then(|(s, d)| self.period_end_from(s, d)).map(|d| d.to_string()),
                }
            })
            .collect();
        let limit = step.and_then(|s| s.timer.as_ref()).map(|t| &t.after);
        let d = &view.step_deadline;
        Ok(PublicityView {
            case_id,
            step_name: step.map(|s| s.name.clone()),
            period: limit.map(|l| match l.unit {
                LimitUnit::Day => format!("{} 天（自然日）", l.value),
                other => format!("{} {}", l.value, other.name_zh()),
            }),
            due: step.and(d.due).map(|d| d.to_string()),
            remaining: step.map(|_| d.remaining_days.unwrap_or(d.remaining_workdays)),
            days_unit: step.map(|_| if d.remaining_days.is_some() { "天" } else { "个工作日" }.to_string()),
            postings,
        })
    }
}
