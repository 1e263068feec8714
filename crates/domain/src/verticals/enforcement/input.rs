//! The one parser of an act on a case, for the page form and the JSON API: raw strings in, an
//! [`Act`] out, or every problem with its field. Whether the act is lawful on the case's history
//! is [`super::CaseFile::check`]'s question, asked after this.

use super::officer::date_field;
use super::procedure::{Act, Penalty, PenaltyKind, RecordSignature, RevokedBy, REVIEW_CHECKLIST};
use crate::assistance::money::{format_yuan, parse_yuan};
use crate::problem::{text_field, FieldError};

/// The kinds of act, with their names for people, in the order of the procedure.
pub const ACT_KINDS: [(&str, &str); 18] = [
    ("record", "调查取证（笔录、证据）"),
    ("recusal", "申请回避"),
    ("preserve", "先行登记保存"),
    ("preservation_decision", "登记保存处理决定"),
    ("notify", "行政处罚事先告知"),
    ("statement", "陈述申辩"),
    ("hearing_request", "当事人要求听证"),
    ("hearing_notice", "听证通知"),
    ("hearing", "举行听证"),
    ("review", "法制审核"),
    ("discussion", "集体讨论"),
    ("decide", "作出处罚决定"),
    ("serve", "送达"),
    ("pay", "缴纳罚款"),
    ("publish", "公示"),
    ("revoked", "决定被撤销"),
    ("withdraw", "撤回公示"),
    ("close", "结案"),
];

/// The name of an act's kind for people.
pub fn kind_name(kind: &str) -> &'static str {
    ACT_KINDS.iter().find(|(k, _)| *k == kind).map_or("执法环节", |(_, n)| n)
}

/// An act as typed: every field a string (or list), the ones its kind does not use ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActInput {
    pub kind: String,
    pub on: String,
    pub officers: Vec<i64>,
    pub on_site: bool,
    pub title: String,
    pub officer: Option<i64>,
    pub reason: String,
    pub approved_by: String,
    /// warning | fine | confiscation | suspension | revocation
    pub penalty: String,
    /// Yuan, e.g. "3000" or "3000.50".
    pub amount: String,
    pub summary: String,
    pub hearing_on: String,
    pub chair: Option<i64>,
    pub reviewer: Option<i64>,
    /// One answer per item of [`REVIEW_CHECKLIST`], in its order.
    pub checklist: Vec<bool>,
    pub note: String,
    pub minutes: String,
    pub dissent: String,
    pub facts: String,
    pub basis: String,
    /// reconsideration | litigation
    pub revoked_by: String,
    /// At a hearing (第六十四条第八项): signed | refused; a refusal takes the chair's `note`.
    pub signature: String,
}

fn required_id(field: &str, value: Option<i64>, problems: &mut Vec<FieldError>) -> i64 {
    match value {
        Some(id) if id > 0 => id,
        _ => {
            problems.push(FieldError::new(field, "required", "请选择执法人员"));
            0
        }
    }
}

impl ActInput {
    /// Parses the act, every problem at once.
    pub fn parse(&self) -> Result<Act, Vec<FieldError>> {
        let mut problems = Vec::new();
        let on = date_field("on", &self.on).map_err(|e| problems.push(e)).ok();
        let mut text = |field: &str, value: &str, max: usize, required: bool| -> String {
            text_field(field, value, max, required).map_err(|e| problems.push(e)).unwrap_or_default()
        };
        let kind = self.kind.trim();
        let built = match kind {
            "record" => {
                let title = text("title", &self.title, 100, true);
                on.map(|on| Act::Record {
                    on,
                    officers: self.officers.clone(),
                    on_site: self.on_site,
                    title,
                    evidence_sm3: None,
                })
            }
            "recusal" => {
                let reason = text("reason", &self.reason, 500, true);
                let officer = required_id("officer", self.officer, &mut problems);
                on.map(|on| Act::Recusal { on, officer, reason })
            }
            "preserve" => {
                let approved_by = text("approved_by", &self.approved_by, 50, false);
                on.map(|on| Act::Preserve { on, officers: self.officers.clone(), approved_by })
            }
            "preservation_decision" => on.map(|on| Act::PreservationDecision { on }),
            "notify" | "decide" => {
                let facts = text("facts", &self.facts, 5000, kind == "decide");
                let basis = text("basis", &self.basis, 1000, kind == "decide");
                let penalty = self.penalty(&mut problems);
                match (on, penalty) {
                    (Some(on), Some(penalty)) if kind == "notify" => {
                        Some(Act::Notify { on, officers: self.officers.clone(), penalty })
                    }
                    (Some(on), Some(penalty)) => Some(Act::Decide { on, penalty, facts, basis }),
                    _ => None,
                }
            }
            "statement" => {
                let summary = text("summary", &self.summary, 2000, true);
                on.map(|on| Act::Statement { on, summary })
            }
            "hearing_request" => on.map(|on| Act::HearingRequest { on }),
            "hearing_notice" => {
                let hearing_on = date_field("hearing_on", &self.hearing_on).map_err(|e| problems.push(e)).ok();
                let chair = required_id("chair", self.chair, &mut problems);
                match (on, hearing_on) {
                    (Some(on), Some(hearing_on)) => Some(Act::HearingNotice { on, hearing_on, chair }),
                    _ => None,
                }
            }
            "hearing" => {
                let summary = text("summary", &self.summary, 2000, true);
                let note = text("note", &self.note, 500, self.signature.trim() == "refused");
                let signature = match self.signature.trim() {
                    "signed" => Some(RecordSignature::Signed),
                    "refused" => Some(RecordSignature::Refused { note }),
                    _ => {
                        problems.push(FieldError::new(
                            "signature",
                            "record_signature",
                            "请选择当事人或者其代理人是否在听证笔录上签字或者盖章",
                        ));
                        None
                    }
                };
                match (on, signature) {
                    (Some(on), Some(signature)) => Some(Act::Hearing { on, summary, signature: Some(signature) }),
                    _ => None,
                }
            }
            "review" => {
                let note = text("note", &self.note, 2000, false);
                let reviewer = required_id("reviewer", self.reviewer, &mut problems);
                if self.checklist.len() != REVIEW_CHECKLIST.len() {
                    problems.push(FieldError::new(
                        "checklist",
                        "checklist_incomplete",
                        format!("法制审核应当逐项记录审核意见（共{}项）", REVIEW_CHECKLIST.len()),
                    ));
                }
                on.map(|on| Act::Review { on, reviewer, checklist: self.checklist.clone(), note })
            }
            "discussion" => {
                let minutes = text("minutes", &self.minutes, 5000, true);
                let dissent = text("dissent", &self.dissent, 2000, false);
                on.map(|on| Act::Discussion { on, minutes, dissent })
            }
            "serve" => on.map(|on| Act::Serve { on, officers: self.officers.clone() }),
            "pay" => {
                let amount = parse_yuan(&self.amount).filter(|f| *f > 0);
                if amount.is_none() {
                    problems.push(FieldError::new("amount", "amount_format", "金额应为大于零的元数，最多两位小数"));
                }
                match (on, amount) {
                    (Some(on), Some(amount_fen)) => Some(Act::Pay { on, amount_fen }),
                    _ => None,
                }
            }
            "publish" => on.map(|on| Act::Publish { on }),
            "revoked" => {
                let reason = text("reason", &self.reason, 1000, true);
                let by = match self.revoked_by.trim() {
                    "reconsideration" => Some(RevokedBy::Reconsideration),
                    "litigation" => Some(RevokedBy::Litigation),
                    _ => {
                        problems.push(FieldError::new("revoked_by", "revoked_by", "请选择行政复议或行政诉讼"));
                        None
                    }
                };
                match (on, by) {
                    (Some(on), Some(by)) => Some(Act::Revoked { on, by, reason }),
                    _ => None,
                }
            }
            "withdraw" => {
                let reason = text("reason", &self.reason, 1000, true);
                on.map(|on| Act::Withdraw { on, reason })
            }
            "close" => on.map(|on| Act::Close { on }),
            _ => {
                problems.push(FieldError::new("kind", "act_kind", "未知的执法环节"));
                None
            }
        };
        match built {
            Some(act) if problems.is_empty() => Ok(act),
            _ => Err(problems),
        }
    }

    fn penalty(&self, problems: &mut Vec<FieldError>) -> Option<Penalty> {
        let Some(kind) = PenaltyKind::parse(self.penalty.trim()) else {
            problems.push(FieldError::new("penalty", "penalty_kind", "请选择处罚种类"));
            return None;
        };
        let amount_fen = match kind {
            PenaltyKind::Fine | PenaltyKind::Confiscation => match parse_yuan(&self.amount).filter(|f| *f > 0) {
                Some(fen) => fen,
                None => {
                    problems.push(FieldError::new("amount", "amount_format", "金额应为大于零的元数，最多两位小数"));
                    return None;
                }
            },
            _ => 0,
        };
        Some(Penalty { kind, amount_fen })
    }
}

/// A penalty for people: 罚款3000元, 警告.
pub fn penalty_text(penalty: &Penalty) -> String {
    match penalty.kind {
        PenaltyKind::Fine | PenaltyKind::Confiscation => {
            format!("{}{}元", penalty.kind.name_zh(), format_yuan(penalty.amount_fen))
        }
        _ => penalty.kind.name_zh().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn every_kind_parses_and_problems_name_their_field() {
        for (kind, name) in ACT_KINDS {
            assert_eq!(kind_name(kind), name);
        }
        let fine = ActInput {
            kind: "decide".into(),
            on: "2024-02-29".into(),
            penalty: "fine".into(),
            amount: "3000.5".into(),
            facts: "未参加年检".into(),
            basis: "社会团体登记管理条例第三十条".into(),
            ..ActInput::default()
        };
        let act = fine.parse().unwrap();
        assert!(matches!(act, Act::Decide { penalty: Penalty { amount_fen: 300_050, .. }, .. }));
        assert_eq!(act.on(), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        let bad = ActInput { on: "2021-02-29".into(), amount: "-1".into(), facts: String::new(), ..fine.clone() };
        let fields: Vec<String> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["on", "facts", "amount"]);
        let warning = ActInput { penalty: "warning".into(), amount: String::new(), ..fine };
        assert!(matches!(warning.parse().unwrap(), Act::Decide { penalty: Penalty { amount_fen: 0, .. }, .. }));
        let review = ActInput {
            kind: "review".into(),
            on: "2021-10-08".into(),
            reviewer: Some(3),
            checklist: vec![true; 7],
            ..ActInput::default()
        };
        assert_eq!(review.parse().unwrap_err()[0].code, "checklist_incomplete");
        assert_eq!(
            ActInput { kind: "x".into(), on: "2021-10-08".into(), ..ActInput::default() }.parse().unwrap_err()[0].code,
            "act_kind"
        );
        assert_eq!(penalty_text(&Penalty { kind: PenaltyKind::Fine, amount_fen: 300_050 }), "罚款3000.50元");
    }

    #[test]
    fn a_hearing_records_whether_the_party_signed_and_a_refusal_takes_the_chairs_note() {
        let hearing = ActInput {
            kind: "hearing".into(),
            on: "2021-10-22".into(),
            summary: "调查人员提出事实和证据，当事人质证".into(),
            signature: "signed".into(),
            ..ActInput::default()
        };
        assert!(matches!(hearing.parse().unwrap(), Act::Hearing { signature: Some(RecordSignature::Signed), .. }));
        let unsaid = ActInput { signature: String::new(), ..hearing.clone() };
        assert_eq!(unsaid.parse().unwrap_err()[0].code, "record_signature");
        let refused = ActInput { signature: "refused".into(), ..hearing.clone() };
        let problem = &refused.parse().unwrap_err()[0];
        assert_eq!((problem.field.as_str(), problem.code), ("note", "required"));
        let noted =
            ActInput { note: "当事人的代理人以对罚款数额有异议为由拒绝签字".into(), ..refused };
        match noted.parse().unwrap() {
            Act::Hearing { signature: Some(RecordSignature::Refused { note }), .. } => {
                assert_eq!(note, "当事人的代理人以对罚款数额有异议为由拒绝签字")
            }
            other => panic!("not a refusal: {other:?}"),
        }
    }
}
