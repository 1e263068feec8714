//! The annual report on government information disclosure (政府信息公开条例 第四十九条: published
//! by 31 January for the year before; 第五十条: its contents, including 收到和处理政府信息公开申请
//! 的情况 and 因政府信息公开工作被申请行政复议、提起行政诉讼的情况), sections 三 and 四 in the national
//! format (国办公开办函〔2021〕30号 《中华人民共和国政府信息公开工作年度报告格式》), computed from the
//! request records.
//!
//! Counting (the format's own rules): 本年新收 are the requests received in the year; 上年结转 those
//! received before it and not answered before 1 January; 办理结果 the answers given in the year, one
//! per request (a partial disclosure counts only as 部分公开); 结转下年度 those received by 31
//! December and not answered by then. So 新收 + 结转 = 总计 + 结转下年度 always holds. Section 四
//! counts the remedies filed in the year, by their result now.

use chrono::{Datelike, NaiveDate};

use super::answer::{AnswerKind, Remedy, RemedyKind, RemedyResult, ResultGroup, WithholdReason};
use super::request::ApplicantKind;

/// What the report reads of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub applicant_kind: ApplicantKind,
    pub received_on: NaiveDate,
    /// The answer's date, type and withholding reason, once answered.
    pub answer: Option<(NaiveDate, AnswerKind, Option<WithholdReason>)>,
}

/// One row of section 三: its label, its indent level, and a count per applicant column
/// ([`ApplicantKind::ALL`] order) and the total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub level: u8,
    pub counts: [i64; 6],
}

impl Row {
    pub fn total(&self) -> i64 {
        self.counts.iter().sum()
    }
}

/// Section 四: (行政复议, 未经复议直接起诉, 复议后起诉), each with its counts by
/// [`RemedyResult::ALL`] and the total.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RemedyTable {
    pub review: [i64; 4],
    pub suit_direct: [i64; 4],
    pub suit_after_review: [i64; 4],
}

/// Sections 三 and 四 of the report for a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualReport {
    pub year: i32,
    pub rows: Vec<Row>,
    pub remedies: RemedyTable,
}

fn column(kind: ApplicantKind) -> usize {
    ApplicantKind::ALL.iter().position(|k| *k == kind).unwrap_or(ApplicantKind::ALL.len() - 1)
}

/// A result group's row: the group, its label, and its sub-rows with what each counts.
type GroupRow = (ResultGroup, &'static str, Vec<(&'static str, Matcher)>);

/// The sub-rows of each result group, with the answer kinds (and withholding reasons) they
/// count. Each kind appears in exactly one row.
fn result_rows() -> Vec<GroupRow> {
    use AnswerKind as K;
    vec![
        (ResultGroup::Disclosed, "（一）予以公开", vec![]),
        (ResultGroup::Partial, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", vec![]),
        (
            ResultGroup::Withheld,
            "（三）不予公开",
            WithholdReason::ALL.iter().enumerate().map(|(i, r)| (NUMBERED[i], Matcher::Reason(*r))).collect(),
        ),
        (
            ResultGroup::CannotProvide,
            "（四）无法提供",
            vec![
                ("1.本机关不掌握相关政府信息", Matcher::Kinds(&[K::NotExisting, K::NotThisOrgan])),
                ("2.没有现成信息需要另行制作", Matcher::Kinds(&[K::NeedsCreation])),
                ("3.补正后申请内容仍不明确", Matcher::Kinds(&[K::UnclearAfterCorrection])),
            ],
        ),
        (
            ResultGroup::NotHandled,
            "（五）不予处理",
            vec![
                ("1.信访举报投诉类申请", Matcher::Kinds(&[K::Petition])),
                ("2.重复申请", Matcher::Kinds(&[K::Repeat])),
                ("3.要求提供公开出版物", Matcher::Kinds(&[K::Publication])),
                ("4.无正当理由大量反复申请", Matcher::Kinds(&[K::Excessive])),
                ("5.要求行政机关确认或重新出具已获取信息", Matcher::Kinds(&[K::Reissue])),
            ],
        ),
        (
            ResultGroup::Other,
            "（六）其他处理",
            vec![
                ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", Matcher::Kinds(&[K::Abandoned])),
                (
                    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                    Matcher::Kinds(&[K::FeeUnpaid]),
                ),
                ("3.其他", Matcher::Kinds(&[K::Other])),
            ],
        ),
    ]
}

/// The 不予公开 sub-rows' labels, in [`WithholdReason::ALL`] order.
const NUMBERED: [&str; 8] = [
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
];

#[derive(Debug, Clone, Copy)]
enum Matcher {
    Kinds(&'static [AnswerKind]),
    Reason(WithholdReason),
}

impl Matcher {
    fn matches(self, kind: AnswerKind, reason: Option<WithholdReason>) -> bool {
        match self {
            Matcher::Kinds(kinds) => kinds.contains(&kind),
            Matcher::Reason(r) => kind == AnswerKind::Withheld && reason == Some(r),
        }
    }
}

impl AnnualReport {
    /// Computes the report of `year` from every request record and remedy.
    pub fn compute(year: i32, records: &[RequestRecord], remedies: &[Remedy]) -> AnnualReport {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let answered_by = |r: &RequestRecord, day: NaiveDate| r.answer.is_some_and(|(on, _, _)| on <= day);
        let answered_before = |r: &RequestRecord, day: NaiveDate| r.answer.is_some_and(|(on, _, _)| on < day);
        let count = |pred: &dyn Fn(&RequestRecord) -> bool| {
            let mut counts = [0i64; 6];
            for r in records.iter().filter(|r| pred(r)) {
                counts[column(r.applicant_kind)] += 1;
            }
            counts
        };
        let in_year = |r: &RequestRecord| r.answer.filter(|(on, _, _)| on.year() == year);

        let mut rows = vec![
            Row {
                label: "一、本年新收政府信息公开申请数量".into(),
                level: 0,
                counts: count(&|r| r.received_on.year() == year),
            },
            Row {
                label: "二、上年结转政府信息公开申请数量".into(),
                level: 0,
                counts: count(&|r| r.received_on < first && !answered_before(r, first)),
            },
            Row { label: "三、本年度办理结果".into(), level: 0, counts: [0; 6] },
        ];
        let mut total = [0i64; 6];
        for (group, label, subs) in result_rows() {
            let counts = count(&|r| in_year(r).is_some_and(|(_, kind, _)| kind.group() == group));
            for (i, n) in counts.iter().enumerate() {
                total[i] += n;
            }
            rows.push(Row { label: label.into(), level: 1, counts });
            for (sub, matcher) in subs {
                let counts = count(&|r| in_year(r).is_some_and(|(_, kind, reason)| matcher.matches(kind, reason)));
                rows.push(Row { label: sub.into(), level: 2, counts });
            }
        }
        rows.push(Row { label: "（七）总计".into(), level: 1, counts: total });
        rows.push(Row {
            label: "四、结转下年度继续办理".into(),
            level: 0,
            counts: count(&|r| r.received_on <= last && !answered_by(r, last)),
        });

        let mut table = RemedyTable::default();
        for remedy in remedies.iter().filter(|r| r.filed_on.year() == year) {
            let slot = RemedyResult::ALL.iter().position(|x| *x == remedy.result).unwrap_or(3);
            let counts = match remedy.kind {
                RemedyKind::Review => &mut table.review,
                RemedyKind::SuitDirect => &mut table.suit_direct,
                RemedyKind::SuitAfterReview => &mut table.suit_after_review,
            };
            counts[slot] += 1;
        }
        AnnualReport { year, rows, remedies: table }
    }

    /// The row with this label (for tests and exports).
    pub fn row(&self, label_prefix: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.label.starts_with(label_prefix))
    }

    /// Section 四 as (group, sub-column label, count), in the format's column order:
    /// 行政复议 (4 results + 总计), 未经复议直接起诉 (same), 复议后起诉 (same).
    pub fn remedy_columns(&self) -> Vec<(&'static str, &'static str, i64)> {
        let mut out = Vec::new();
        let groups: [(&'static str, &[i64; 4]); 3] = [
            ("行政复议", &self.remedies.review),
            ("行政诉讼（未经复议直接起诉）", &self.remedies.suit_direct),
            ("行政诉讼（复议后起诉）", &self.remedies.suit_after_review),
        ];
        for (group, counts) in groups {
            for (i, result) in RemedyResult::ALL.iter().enumerate() {
                out.push((group, result.name_zh(), counts[i]));
            }
            out.push((group, "总计", counts.iter().sum()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rec(kind: ApplicantKind, received: NaiveDate, answer: Option<(NaiveDate, AnswerKind)>) -> RequestRecord {
        RequestRecord { applicant_kind: kind, received_on: received, answer: answer.map(|(on, k)| (on, k, None)) }
    }

    #[test]
    fn the_table_counts_received_carried_answered() {
        use AnswerKind as K;
        use ApplicantKind as A;
        let mut records = vec![
            // Received in 2020, answered in 2021: carried in, answered.
            rec(A::NaturalPerson, d(2020, 12, 20), Some((d(2021, 1, 12), K::Disclosed))),
            // Received and answered in 2020: in neither.
            rec(A::NaturalPerson, d(2020, 11, 2), Some((d(2020, 11, 20), K::Disclosed))),
            rec(A::Business, d(2021, 3, 1), Some((d(2021, 3, 20), K::Partial))),
            rec(A::LegalService, d(2021, 5, 6), Some((d(2021, 5, 7), K::NotThisOrgan))),
            rec(A::NaturalPerson, d(2021, 9, 17), Some((d(2021, 10, 21), K::Petition))),
            // Received late in 2021, answered in 2022: carried to next year.
            rec(A::Research, d(2021, 12, 28), Some((d(2022, 1, 20), K::Disclosed))),
            // Never answered.
            rec(A::OtherOrganization, d(2021, 12, 30), None),
        ];
        records.push(RequestRecord {
            applicant_kind: A::PublicInterest,
            received_on: d(2021, 6, 1),
            answer: Some((d(2021, 6, 20), K::Withheld, Some(WithholdReason::ThirdPartyRights))),
        });
        let report = AnnualReport::compute(2021, &records, &[]);
        let new = report.row("一、").unwrap();
        assert_eq!(new.counts, [1, 1, 1, 1, 1, 1]);
        assert_eq!(report.row("二、").unwrap().counts, [1, 0, 0, 0, 0, 0]);
        assert_eq!(report.row("（一）").unwrap().counts, [1, 0, 0, 0, 0, 0]);
        assert_eq!(report.row("（二）").unwrap().counts, [0, 1, 0, 0, 0, 0]);
        assert_eq!(report.row("4.保护第三方").unwrap().counts, [0, 0, 0, 1, 0, 0]);
        assert_eq!(report.row("1.本机关不掌握").unwrap().total(), 1);
        assert_eq!(report.row("1.信访举报").unwrap().total(), 1);
        let total = report.row("（七）").unwrap().total();
        let carried_out = report.row("四、").unwrap().total();
        assert_eq!(total, 5);
        assert_eq!(carried_out, 2);
        // 新收 + 结转 = 总计 + 结转下年度.
        assert_eq!(new.total() + report.row("二、").unwrap().total(), total + carried_out);
        // Each group's sub-rows add up to it where it has sub-rows.
        assert_eq!(report.row("（三）").unwrap().total(), 1);

        // A record's change shows in the figures: answering the open one.
        records[6].answer = Some((d(2021, 12, 31), K::NotExisting, None));
        let after = AnnualReport::compute(2021, &records, &[]);
        assert_eq!(after.row("四、").unwrap().total(), 1);
        assert_eq!(after.row("（四）").unwrap().counts, [0, 0, 0, 0, 1, 1]);
    }

    #[test]
    fn remedies_by_year_and_result() {
        let remedies = [
            Remedy { kind: RemedyKind::Review, result: RemedyResult::Upheld, filed_on: d(2021, 2, 1) },
            Remedy { kind: RemedyKind::Review, result: RemedyResult::Pending, filed_on: d(2021, 12, 1) },
            Remedy { kind: RemedyKind::SuitAfterReview, result: RemedyResult::Corrected, filed_on: d(2021, 5, 1) },
            Remedy { kind: RemedyKind::SuitDirect, result: RemedyResult::Other, filed_on: d(2020, 5, 1) },
        ];
        let report = AnnualReport::compute(2021, &[], &remedies);
        assert_eq!(report.remedies.review, [1, 0, 0, 1]);
        assert_eq!(report.remedies.suit_direct, [0, 0, 0, 0]);
        assert_eq!(report.remedies.suit_after_review, [0, 1, 0, 0]);
        let columns = report.remedy_columns();
        assert_eq!(columns.len(), 15);
        assert_eq!(columns[4], ("行政复议", "总计", 2));
    }
}
