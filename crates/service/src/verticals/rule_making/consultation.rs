//! 公众参与 online: the public list of drafts published for comment, a draft's public page with
//! its period, the citizen's comment (validated, accepted only within the recorded period, and
//! throttled per client like the public case look-up), the organ's answer to each comment, and
//! the 意见采纳情况 published after the period (重大行政决策程序暂行条例第十四条、第十五条、
//! 第十八条). The period is the decision's last `Step::CommentOpened`; the summary is its
//! `Step::CommentSummary`.

use chrono::NaiveDate;
use domain::access::{Actor, Permission, Role};
use domain::audit::EventDraft;
use domain::division::DivisionCode;
use domain::verticals::rule_making::consultation::{
    accepts, mobile, parse_answer, parse_code, sms_text, CommentStatus, NewComment, PHONE_CODE_MINUTES,
    PHONE_CODE_TRIES,
};
use domain::verticals::rule_making::decision::Step;
use domain::verticals::rule_making::decision_stream;
use serde_json::json;
use store::verticals::rule_making::PhoneComment;
pub use store::verticals::rule_making::{CommentRow, SmsRow};
use store::StoreError;

use super::DecisionView;
use crate::throttle::TrackRefusal;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// A draft published for comment, as the public sees it.
#[derive(Debug, Clone)]
pub struct Consultation {
    pub view: DecisionView,
    pub opened: NaiveDate,
    pub until: NaiveDate,
    /// Comments are accepted today.
    pub open: bool,
    /// The 意见采纳情况 once published: (date, received, adopted, reasons).
    pub summary: Option<(NaiveDate, u32, u32, String)>,
    /// A hearing announced for the draft takes applications today (第十六条).
    pub hearing_open: bool,
}

fn closed(until: NaiveDate) -> ServiceError {
    ServiceError::new(
        ErrorKind::Invalid,
        "consultation_closed",
        format!("征求意见期限至{until}，不在征求意见期限内，不再接收意见"),
    )
    .with_field("content")
}

impl App {
    /// The comment period recorded on a decision: its last `CommentOpened` act (day, last day).
    pub fn rule_consultation_period(&self, view: &DecisionView) -> Option<(NaiveDate, NaiveDate)> {
        view.full.steps.iter().rev().find_map(|(s, _)| match s {
            Step::CommentOpened { on, until, .. } => Some((*on, *until)),
            _ => None,
        })
    }

    fn consultation(&self, view: DecisionView) -> Option<Consultation> {
        let (opened, until) = self.rule_consultation_period(&view)?;
        let summary = view.full.steps.iter().rev().find_map(|(s, _)| match s {
            Step::CommentSummary { on, received, adopted, reasons } => {
                Some((*on, *received, *adopted, reasons.clone()))
            }
            _ => None,
        });
        let open = accepts(opened, until, self.today());
        let hearing_open = self.rule_hearing_taking_applications(&super::history(&view.full)).is_some();
        Some(Consultation { view, opened, until, open, summary, hearing_open })
    }

    /// Every draft published for comment (public): open ones first.
    pub async fn rule_consultations(&self) -> ServiceResult<Vec<Consultation>> {
        let rows = self.store.rule_decisions_consulted().await?;
        let mut out: Vec<Consultation> =
            rows.into_iter().filter_map(|full| self.consultation(DecisionView::new(full))).collect();
        out.sort_by_key(|c| (!c.open, std::cmp::Reverse(c.opened)));
        Ok(out)
    }

    /// One draft's public page: the consultation and the comments answered and published
    /// (a withheld one is never shown; an unanswered one is shown only as counted).
    pub async fn rule_consultation(&self, id: i64) -> ServiceResult<(Consultation, Vec<CommentRow>)> {
        let full = self.store.rule_decision(id).await.map_err(|e| match e {
            StoreError::NotFound => ServiceError::not_found("征求意见的决策草案"),
            other => other.into(),
        })?;
        let consultation =
            self.consultation(DecisionView::new(full)).ok_or_else(|| ServiceError::not_found("征求意见的决策草案"))?;
        let comments =
            self.store.rule_comments(id).await?.into_iter().filter(|c| c.status.public()).collect::<Vec<_>>();
        Ok((consultation, comments))
    }

    /// A citizen's comment: only from a signed-in citizen account bound to its person
    /// (实名认证), so the organ knows who commented while the public sees the name masked; the
    /// name is the account's (the person's) unless the citizen comments for an organization,
    /// whose name they give. Accepted only within the recorded period; throttled like the public
    /// case look-up, both per client address (`client`) and per account: at most 5 on one draft
    /// and 20 in all in 15 minutes. Returns the comment's id.
    pub async fn rule_comment_submit(
        &self,
        actor: &Actor,
        client: &str,
        id: i64,
        organization: &str,
        content: &str,
    ) -> ServiceResult<i64> {
        if !actor.has_role(Role::Citizen) {
            return Err(ServiceError::forbidden());
        }
        let key = format!("rule_comment:{id}");
        let account_key = format!("account:{}", actor.account_id);
        let now = self.now();
        self.rule_throttled(&[client, &account_key], &key)?;
        let (consultation, _) = self.rule_consultation(id).await?;
        if !consultation.open {
            return Err(closed(consultation.until));
        }
        let account = self.store.account(actor.account_id).await?;
        let Some(person_id) = account.person_id else {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "identity_unverified",
                "请先完成实名认证，再提交意见（公众意见应当由实名认证的账户提交）",
            )
            .with_field("content"));
        };
        let name = if organization.trim().is_empty() { account.display_name.as_str() } else { organization };
        let comment = NewComment::parse(name, content).map_err(|problems| {
            ServiceError::invalid(
                problems
                    .into_iter()
                    .map(|mut p| {
                        if p.field == "name" {
                            p.field = "organization".into();
                        }
                        p
                    })
                    .collect(),
            )
        })?;
        let division = consultation.view.full.decision.division.clone();
        let comment_id = self
            .store
            .create_rule_comment(
                id,
                (actor.account_id, person_id),
                &comment.name,
                &comment.content,
                self.today(),
                now,
                |cid| {
                    EventDraft::new(
                        decision_stream(id),
                        actor.label(),
                        "rule_making.comment_received",
                        json!({ "comment": cid }),
                    )
                    .in_division(division)
                },
            )
            .await?;
        self.track_throttle.failed(client, &key, now);
        self.track_throttle.failed(&account_key, &key, now);
        Ok(comment_id)
    }

    /// Refused (429) when any of `who` (a client address, an account, a phone's hash) has used
    /// up its attempts on `key` in the last 15 minutes (the counters of the public case look-up).
    fn rule_throttled(&self, who: &[&str], key: &str) -> ServiceResult<()> {
        let now = self.now();
        for who in who {
            if let Err(TrackRefusal::Client | TrackRefusal::ShortCheckClosed) =
                self.track_throttle.allowed(who, key, false, now)
            {
                return Err(ServiceError::new(
                    ErrorKind::TooManyRequests,
                    "too_many_attempts",
                    "提交次数过多，请15分钟后再试",
                ));
            }
        }
        Ok(())
    }

    /// Sends a one-time code by SMS to the mobile `phone` for commenting on draft `id` while its
    /// period runs: the other way to comment as an identified person, besides a 实名认证
    /// account. There is no SMS gateway: the SMS is recorded as sent
    /// (`store::verticals::rule_making::SmsRow`, the log staff read at `/rule-making/sms`). At
    /// most 5 codes per draft in 15 minutes from one client and to one phone. Returns the
    /// ticket the comment presents with the code, and the phone masked.
    pub async fn rule_phone_code_send(&self, client: &str, id: i64, phone: &str) -> ServiceResult<(i64, String)> {
        let phone = mobile(phone).map_err(|e| ServiceError::invalid(vec![e]))?;
        let key = format!("rule_code:{id}");
        let phone_key = format!("phone:{}", self.keys.lookup_hash("rule_phone_throttle", phone.as_str()));
        self.rule_throttled(&[client, &phone_key], &key)?;
        let (consultation, _) = self.rule_consultation(id).await?;
        if !consultation.open {
            return Err(closed(consultation.until).with_field("phone"));
        }
        let code = {
            use rand::RngCore;
            format!("{:06}", rand::rngs::OsRng.next_u32() % 1_000_000)
        };
        let decision = &consultation.view.full.decision;
        let message = sms_text(&decision.organ, &decision.title, &code);
        let division = decision.division.clone();
        let now = self.now();
        let masked = phone.masked();
        let ticket = self
            .store
            .create_rule_phone_code(
                &self.keys,
                id,
                phone.as_str(),
                &code,
                &message,
                now,
                now + chrono::Duration::minutes(PHONE_CODE_MINUTES),
                |ticket| {
                    EventDraft::new(
                        decision_stream(id),
                        "public",
                        "rule_making.phone_code_sent",
                        json!({ "ticket": ticket, "phone": masked }),
                    )
                    .in_division(division)
                },
            )
            .await?;
        self.track_throttle.failed(client, &key, now);
        self.track_throttle.failed(&phone_key, &key, now);
        Ok((ticket, phone.masked()))
    }

    /// A comment from a mobile verified by the code of `ticket` (`rule_phone_code_send`): the
    /// code is checked, spent and the comment recorded with the phone (SM4-encrypted, shown
    /// masked) in one transaction. The name (a person's or an organization's) is the commenter's
    /// own and shown masked. A wrong code counts against the code (5 tries) and the client's
    /// throttle; the comments count like a signed-in citizen's (5 per draft in 15 minutes).
    pub async fn rule_comment_by_phone(
        &self,
        client: &str,
        id: i64,
        ticket: &str,
        code: &str,
        name: &str,
        content: &str,
    ) -> ServiceResult<i64> {
        let key = format!("rule_comment:{id}");
        self.rule_throttled(&[client], &key)?;
        let (consultation, _) = self.rule_consultation(id).await?;
        if !consultation.open {
            return Err(closed(consultation.until));
        }
        let mut problems = Vec::new();
        let code = parse_code(code).map_err(|e| problems.push(e)).ok();
        let comment = NewComment::parse(name, content).map_err(|p| problems.extend(p)).ok();
        let (Some(code), Some(comment)) = (code, comment) else {
            return Err(ServiceError::invalid(problems));
        };
        let missing = || {
            ServiceError::new(ErrorKind::Invalid, "phone_code_missing", "验证码已失效或尚未获取，请重新获取验证码")
                .with_field("code")
        };
        let ticket = ticket.trim().parse::<i64>().map_err(|_| missing())?;
        let division = consultation.view.full.decision.division.clone();
        let now = self.now();
        let outcome = self
            .store
            .create_rule_comment_by_phone(
                &self.keys,
                ticket,
                id,
                &code,
                PHONE_CODE_TRIES,
                (&comment.name, &comment.content),
                self.today(),
                now,
                |cid| {
                    EventDraft::new(
                        decision_stream(id),
                        "public",
                        "rule_making.comment_received",
                        json!({ "comment": cid, "via": "phone" }),
                    )
                    .in_division(division)
                },
            )
            .await?;
        match outcome {
            PhoneComment::Accepted(comment_id) => {
                self.track_throttle.failed(client, &key, now);
                Ok(comment_id)
            }
            PhoneComment::Missing => Err(missing()),
            PhoneComment::Wrong { left } => {
                self.track_throttle.failed(client, &key, now);
                Err(ServiceError::new(
                    ErrorKind::Invalid,
                    "phone_code_wrong",
                    format!("验证码不正确，还可再试{left}次"),
                )
                .with_field("code"))
            }
            PhoneComment::Spent => {
                self.track_throttle.failed(client, &key, now);
                Err(ServiceError::new(
                    ErrorKind::Invalid,
                    "phone_code_spent",
                    "验证码输入错误次数过多，请重新获取验证码",
                )
                .with_field("code"))
            }
        }
    }

    /// The SMS recorded as sent for the drafts of the divisions `actor` manages rules in, newest
    /// first: what a gateway would have delivered (the demo's stand-in for one).
    pub async fn rule_sms_sent(&self, actor: &Actor) -> ServiceResult<Vec<SmsRow>> {
        if !actor.may_somewhere(Permission::ManageRules) {
            return Err(ServiceError::forbidden());
        }
        let rows = self.store.rule_sms_sent(200).await?;
        Ok(rows
            .into_iter()
            .filter(|r| {
                DivisionCode::parse(&r.division)
                    .is_ok_and(|division| self.authorize(actor, Permission::ManageRules, &division).is_ok())
            })
            .collect())
    }

    /// The comments received on a decision, for its staff (every one, with its commenter).
    pub async fn rule_comments(&self, actor: &Actor, id: i64) -> ServiceResult<Vec<CommentRow>> {
        self.rule_decision_load(actor, id).await?;
        Ok(self.store.rule_comments(id).await?)
    }

    /// The organ's answer to one comment: adopted, partly, not adopted (each with why), or
    /// withheld from publication with its reason. A comment is answered once.
    pub async fn rule_comment_answer(
        &self,
        actor: &Actor,
        id: i64,
        comment_id: i64,
        revision: i64,
        status: &str,
        answer: &str,
    ) -> ServiceResult<CommentRow> {
        let full = self.store.rule_decision(id).await.map_err(super::conflict("重大行政决策"))?;
        let division = DivisionCode::parse(&full.decision.division).map_err(|_| ServiceError::forbidden())?;
        self.authorize(actor, Permission::ManageRules, &division)?;
        let comment = self
            .store
            .rule_comments(id)
            .await?
            .into_iter()
            .find(|c| c.id == comment_id)
            .ok_or_else(|| ServiceError::not_found("公众意见"))?;
        if comment.answered_on.is_some() {
            return Err(ServiceError::new(ErrorKind::Conflict, "comment_answered", "该意见已经答复"));
        }
        let (status, answer) = parse_answer(status, answer).map_err(|e| ServiceError::invalid(vec![e]))?;
        let event = EventDraft::new(
            decision_stream(id),
            actor.label(),
            "rule_making.comment_answered",
            json!({ "comment": comment_id, "status": status.as_str() }),
        )
        .in_division(full.decision.division.clone());
        self.store
            .answer_rule_comment(
                comment_id,
                revision,
                status,
                &answer,
                self.today(),
                actor.account_id,
                self.now(),
                &event,
            )
            .await
            .map_err(super::conflict("公众意见"))?;
        self.store
            .rule_comments(id)
            .await?
            .into_iter()
            .find(|c| c.id == comment_id)
            .ok_or_else(|| ServiceError::not_found("公众意见"))
    }

    /// How many comments a decision received and how many were (partly) adopted, from the
    /// answers: what the staff form of the 意见采纳情况 is pre-filled with.
    pub fn rule_comment_counts(comments: &[CommentRow]) -> (usize, usize) {
        let adopted = comments
            .iter()
            .filter(|c| matches!(c.status, CommentStatus::Adopted | CommentStatus::PartlyAdopted))
            .count();
        (comments.len(), adopted)
    }
}

/// The prefix of a decision's public number (重大决策), as printed on its documents.
const NUMBER_PREFIX: &str = "ZC-";

/// A decision's public number: `ZC-<division>-<year>-<id, 6 digits>`.
pub fn decision_number(row: &store::verticals::rule_making::DecisionRow) -> String {
    format!("{NUMBER_PREFIX}{}-{}-{:06}", row.division, row.year, row.id)
}

/// The number without its prefix, shaped like a case number (`<division>-<year>-<seq>`), for
/// the 文号 of its documents.
pub fn case_shaped(number: &str) -> &str {
    number.strip_prefix(NUMBER_PREFIX).unwrap_or(number)
}

impl App {
    /// The 查询码 printed beside a decision's number on its documents.
    pub fn rule_check_code(&self, number: &str) -> String {
        self.check_code("rule_decision_number", number)
    }

    /// The decision behind `number` if `check` is its 查询码, else not found (the same answer
    /// for an unknown number): the public verification of a printed 合法性审查意见书.
    pub async fn rule_verify(&self, number: &str, check: &str) -> ServiceResult<DecisionView> {
        let not_matched = || ServiceError::not_found("文书");
        let number = number.trim();
        let expected = self.rule_check_code(number);
        let presented = check.trim().to_ascii_lowercase();
        let equal = presented.len() == expected.len()
            && presented.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        let seq = case_shaped(number).rsplit('-').next().unwrap_or("");
        let id = (!seq.is_empty() && seq.len() <= 12 && seq.bytes().all(|b| b.is_ascii_digit()))
            .then(|| seq.parse::<i64>().ok())
            .flatten()
            .filter(|_| equal)
            .ok_or_else(not_matched)?;
        let full = self.store.rule_decision(id).await.map_err(|e| match e {
            StoreError::NotFound => not_matched(),
            other => other.into(),
        })?;
        if decision_number(&full.decision) != number {
            return Err(not_matched());
        }
        Ok(DecisionView::new(full))
    }
}
