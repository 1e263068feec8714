//! The citizen portal's use cases that need no account: tracking a case by its number and a
//! check, and 好差评 (the rating of the service) once the case is closed.
//!
//! The check is either the case's check code (printed on the submission page and on every
//! notice: `App::case_check_code`) or the last 4 characters of the applicant's ID number (read
//! from the column kept for this check alone, `persons.id_number_tail`; nothing is decrypted). A wrong check answers exactly as
//! an unknown number does, and failures are throttled per client, never per number alone
//! (`throttle::TrackThrottle`: 5 per client and number, 20 per client in 15 minutes; a number
//! failed 10 times from everywhere accepts only the full 查询码 for 15 minutes).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::audit::EventDraft;
use domain::calendar::shanghai_offset;
use domain::engine::case::{CaseStatus, Outcome};
use domain::procedure::PauseKind;
use serde_json::json;
pub use store::ratings::Rating;
use store::StoreError;

use crate::cases::{not_found, CaseView};
use crate::throttle::TrackRefusal;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

pub use domain::rating::{Dimension, Grade, RatingChannel, RatingSheet, COMMENT_MAX};

/// How a closed case ended, for its applicant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    /// 办结日期, in Asia/Shanghai.
    pub date: NaiveDate,
    /// What was decided, in plain Chinese (准予, 不予准予, 不予受理, …).
    pub verdict: &'static str,
    /// The label of the item's declared outcome the decision recorded (予以公开, 信息不存在…),
    /// when the item declares its own (`[[outcomes]]`); what the tracking page shows then.
    pub outcome: Option<String>,
    /// The reasons, where the notice served on the applicant gives them.
    pub reasons: Option<String>,
}

/// What happens next on an open case, in plain Chinese for its applicant.
pub fn next_step_zh(status: CaseStatus, step_name: Option<&str>) -> String {
    match status {
        CaseStatus::Draft => "申请尚未提交，请提交申请".to_string(),
        CaseStatus::Submitted => "等待受理：工作人员审查申请材料后决定是否受理".to_string(),
        CaseStatus::AwaitingSupplement | CaseStatus::Paused(PauseKind::Supplement) => {
            "请按一次性告知书补齐材料，补正后继续办理（补正期间不计入办理期限）".to_string()
        }
        CaseStatus::Paused(PauseKind::Special) => {
            "进入特别程序（如听证、检验、鉴定），所需时间不计入办理期限，结束后继续办理".to_string()
        }
        CaseStatus::Paused(PauseKind::Suspend) => "办理已中止，中止的原因消除后恢复办理".to_string(),
        CaseStatus::Paused(PauseKind::PartyTime) => "等待申请人在规定期间内办理下一步手续".to_string(),
        CaseStatus::InProgress => match step_name {
            Some(step) => format!("正在“{step}”环节办理，办结后将通知您"),
            None => "正在办理，办结后将通知您".to_string(),
        },
        CaseStatus::Closed(_) => "已办结".to_string(),
    }
}

/// The one message for an unknown number and a wrong check.
fn not_matched() -> ServiceError {
    ServiceError::new(ErrorKind::NotFound, "case_not_found", "办件编号或查询码不正确")
}

/// True when `check` is the case's check code or `id_tail`, the last 4 characters of the
/// applicant's ID number.
fn check_matches(check: &str, code: &str, id_tail: Option<&str>) -> bool {
    let check = check.trim().to_ascii_lowercase();
    let equal =
        |a: &str, b: &str| a.len() == b.len() && a.bytes().zip(b.bytes()).fold(true, |ok, (x, y)| ok & (x == y));
    let tail = id_tail.filter(|t| t.chars().count() == 4 && !t.contains('*')).map(str::to_ascii_lowercase);
    equal(&check, code) || (check.len() == 4 && tail.is_some_and(|t| !t.contains('*') && equal(&check, &t)))
}

impl App {
    /// The case behind `number` for whoever holds its check; `address` is the caller's (the
    /// client address, for the throttle: failures count per client, see
    /// [`crate::throttle::TrackThrottle`]).
    pub async fn track_case(&self, number: &str, check: &str, address: &str) -> ServiceResult<CaseView> {
        let number = number.trim();
        // Anything but the full 查询码 can only match the ID tail: the weak check.
        let short = check.trim().chars().count() != self.case_check_code(number).len();
        match self.track_throttle.allowed(address, number, short, self.now()) {
            Ok(()) => {}
            Err(TrackRefusal::Client) => {
                return Err(ServiceError::new(
                    ErrorKind::TooManyRequests,
                    "too_many_attempts",
                    "查询失败次数过多，请15分钟后再试",
                ))
            }
            Err(TrackRefusal::ShortCheckClosed) => {
                return Err(ServiceError::new(
                    ErrorKind::TooManyRequests,
                    "check_code_required",
                    "该办件编号近期查询失败次数较多，暂不接受身份证号后4位，请输入查询码（提交申请时给出，也印在受理通知书上）",
                )
                .with_field("check"))
            }
        }
        match self.track_unthrottled(number, check).await {
            Err(err) if err.kind == ErrorKind::NotFound => {
                self.track_throttle.failed(address, number, self.now());
                Err(not_matched())
            }
            other => other,
        }
    }

    /// How a closed case ended, as its applicant is told (`None` while it is open); `view`
    /// is one [`App::track_case`] answered.
    pub async fn tracked_closing(&self, view: &CaseView) -> ServiceResult<Option<Closing>> {
        let case = &view.case;
        let (CaseStatus::Closed(outcome), Some(closed_at)) = (case.status, case.closed_at) else {
            return Ok(None);
        };
        let item = self.case_item(case);
        let verdict = match outcome {
            Outcome::Granted => crate::verticals::outcome_words(item, true).unwrap_or("准予"),
            Outcome::Denied => crate::verticals::outcome_words(item, false).unwrap_or("不予准予"),
            Outcome::NotAccepted => "不予受理",
            Outcome::Withdrawn => "申请人撤回申请，办理终止",
            Outcome::DeemedWithdrawn => "视为撤回申请，办理终止",
            Outcome::Terminated => "终止办理",
        };
        let declared = view.outcome.as_ref().filter(|_| item.is_some_and(|i| i.outcomes.declared));
        let declared_label = declared.map(|o| o.label.clone());
        // The reasons the notices served on the applicant give: the decision's (准予/不予准予
        // 决定书, 行政许可法第三十八条第二款) and the refusal's (不予受理通知书, 第三十二条).
        let reasons = match outcome {
            Outcome::NotAccepted => self
                .store
                .stream_events(&format!("case:{}", case.id))
                .await?
                .iter()
                .rev()
                .find(|e| e.act == "case.refuse_acceptance")
                .and_then(|e| serde_json::from_str::<serde_json::Value>(&e.payload).ok())
                .and_then(|p| p["reasons"].as_str().map(str::to_string)),
            _ => case.decision.as_ref().map(|d| d.reasons.clone()),
        }
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
        Ok(Some(Closing {
            date: closed_at.with_timezone(&shanghai_offset()).date_naive(),
            verdict,
            outcome: declared_label,
            reasons,
        }))
    }

    async fn track_unthrottled(&self, number: &str, check: &str) -> ServiceResult<CaseView> {
        if number.is_empty() || number.len() > 40 || check.trim().is_empty() {
            return Err(not_found());
        }
        let view = self.public_view(number).await?;
        let tail = match &view.applicant {
            Some(_) => self.store.person_id_tail(view.case.applicant).await?,
            None => None,
        };
        if !check_matches(check, &self.case_check_code(&view.case.number), tail.as_deref()) {
            return Err(not_found());
        }
        Ok(view)
    }

    /// The rating of a case, if given.
    pub async fn rating_of(&self, case_id: i64) -> ServiceResult<Option<Rating>> {
        Ok(self.store.case_rating(case_id).await?)
    }

    /// The case behind `number` for whoever holds its check, with its rating if it has one: the
    /// one look-up of the public rating forms (好差评 and the rating of a 差评's fix), with the
    /// same check and throttle as [`App::track_case`].
    pub async fn rater_case(
        &self,
        number: &str,
        check: &str,
        address: &str,
    ) -> ServiceResult<(CaseView, Option<Rating>)> {
        let view = self.track_case(number, check, address).await?;
        let rating = self.store.case_rating(view.case.id).await?;
        Ok((view, rating))
    }

    /// 好差评: rates a closed case, once, on every indicator of the way it was handled (线上 or
    /// 线下, [`RatingChannel::of_case`]); `grades`: indicator key → grade key, parsed by
    /// [`RatingSheet::parse`]. The same check as [`App::track_case`].
    pub async fn rate_case(
        &self,
        number: &str,
        check: &str,
        address: &str,
        grades: &BTreeMap<String, String>,
        comment: &str,
    ) -> ServiceResult<Rating> {
        let (view, rated) = self.rater_case(number, check, address).await?;
        let case = &view.case;
        if rated.is_some() {
            return Err(already_rated());
        }
        if !matches!(case.status, CaseStatus::Closed(_)) {
            return Err(
                ServiceError::new(ErrorKind::Invalid, "case_not_closed", "办件办结后才能评价").with_field("overall")
            );
        }
        let sheet =
            RatingSheet::parse(RatingChannel::of_case(case.channel), grades, comment).map_err(ServiceError::invalid)?;
        let now = self.now();
        let rating = Rating {
            case_id: case.id,
            grade: sheet.overall().as_str().to_string(),
            comment: sheet.comment.clone(),
            accepting_division: case.accepting.to_string(),
            competent_division: case.competent.to_string(),
            rated_at_ms: now.timestamp_millis(),
            channel: sheet.channel.as_str().to_string(),
            grades: sheet.grades.iter().map(|(d, g)| (d.as_str().to_string(), g.as_str().to_string())).collect(),
        };
        let grades_json: serde_json::Map<String, serde_json::Value> =
            rating.grades.iter().map(|(d, g)| (d.clone(), json!(g))).collect();
        let event = EventDraft::new(
            format!("case:{}", case.id),
            "public",
            "case.rate",
            json!({"grade": rating.grade, "channel": rating.channel, "grades": grades_json, "comment": rating.comment}),
        )
        .in_division(case.competent.to_string());
        self.store.rate_case(&rating, &event, now).await.map_err(|e| match e {
            StoreError::Conflict(_) => already_rated(),
            other => other.into(),
        })?;
        Ok(rating)
    }
}

fn already_rated() -> ServiceError {
    ServiceError::new(ErrorKind::Conflict, "case_rated", "该办件已评价，每件只能评价一次").with_field("overall")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_is_the_code_or_the_last_four_of_the_id() {
        let tail = Some("123X");
        assert!(check_matches("a1b2c3d4", "a1b2c3d4", tail));
        assert!(check_matches(" A1B2C3D4 ", "a1b2c3d4", tail), "case and spaces do not matter");
        assert!(check_matches("123x", "a1b2c3d4", tail));
        assert!(!check_matches("1234", "a1b2c3d4", tail));
        assert!(!check_matches("a1b2c3d", "a1b2c3d4", tail), "a prefix of the code");
        assert!(!check_matches("123x", "a1b2c3d4", None), "no applicant on file");
        assert!(!check_matches("****", "a1b2c3d4", Some("****")), "an asterisk is not a check");
        assert!(!check_matches("", "a1b2c3d4", tail));
    }
}
