//! The answer to a request: its type (政府信息公开条例 第三十六条 (一)–(七), 第三十七条 partial
//! disclosure, and the other outcomes the annual report counts), the notice text and basis of
//! each, the fee record (第四十二条) and the remedies every notice names.

use crate::problem::FieldError;

/// 第十四条、第十五条、第十六条: why information is withheld, as the annual report counts it
/// (国办公开办函〔2021〕30号 年度报告格式 第三部分 (三)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithholdReason {
    StateSecret,
    ProhibitedByLaw,
    Security,
    ThirdPartyRights,
    InternalAffairs,
    ProcessInformation,
    EnforcementFile,
    AdministrativeQuery,
}

impl WithholdReason {
    pub const ALL: [WithholdReason; 8] = [
        WithholdReason::StateSecret,
        WithholdReason::ProhibitedByLaw,
        WithholdReason::Security,
        WithholdReason::ThirdPartyRights,
        WithholdReason::InternalAffairs,
        WithholdReason::ProcessInformation,
        WithholdReason::EnforcementFile,
        WithholdReason::AdministrativeQuery,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WithholdReason::StateSecret => "state_secret",
            WithholdReason::ProhibitedByLaw => "prohibited_by_law",
            WithholdReason::Security => "security",
            WithholdReason::ThirdPartyRights => "third_party_rights",
            WithholdReason::InternalAffairs => "internal_affairs",
            WithholdReason::ProcessInformation => "process_information",
            WithholdReason::EnforcementFile => "enforcement_file",
            WithholdReason::AdministrativeQuery => "administrative_query",
        }
    }

    pub fn parse(s: &str) -> Option<WithholdReason> {
        WithholdReason::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The row's name in the annual report.
    pub fn name_zh(self) -> &'static str {
        match self {
            WithholdReason::StateSecret => "属于国家秘密",
            WithholdReason::ProhibitedByLaw => "其他法律行政法规禁止公开",
            WithholdReason::Security => "危及“三安全一稳定”",
            WithholdReason::ThirdPartyRights => "保护第三方合法权益",
            WithholdReason::InternalAffairs => "属于三类内部事务信息",
            WithholdReason::ProcessInformation => "属于四类过程性信息",
            WithholdReason::EnforcementFile => "属于行政执法案卷",
            WithholdReason::AdministrativeQuery => "属于行政查询事项",
        }
    }

    /// The article that withholds it.
    pub fn basis(self) -> &'static str {
        match self {
            WithholdReason::StateSecret | WithholdReason::ProhibitedByLaw | WithholdReason::Security => {
                "《中华人民共和国政府信息公开条例》第十四条"
            }
            WithholdReason::ThirdPartyRights => "《中华人民共和国政府信息公开条例》第十五条",
            WithholdReason::InternalAffairs => "《中华人民共和国政府信息公开条例》第十六条第一款",
            WithholdReason::ProcessInformation | WithholdReason::EnforcementFile => {
                "《中华人民共和国政府信息公开条例》第十六条第二款"
            }
            WithholdReason::AdministrativeQuery => {
                "《中华人民共和国政府信息公开条例》第三十六条第（三）项；有关法律、行政法规对信息查询另有规定的，依其规定办理"
            }
        }
    }
}

/// The annual report's group of a result (年度报告格式 第三部分 三、本年度办理结果).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResultGroup {
    Disclosed,
    Partial,
    Withheld,
    CannotProvide,
    NotHandled,
    Other,
}

/// The type of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    /// 第三十六条第（一）项: already public; tell how to get it.
    AlreadyPublic,
    /// 第三十六条第（二）项: disclosed; provided, or the time and way told.
    Disclosed,
    /// 第三十七条: the part that can be separated is provided.
    Partial,
    /// 第三十六条第（三）项: not to be disclosed (第十四、十五、十六条), with the reason.
    Withheld,
    /// 第三十六条第（四）项: does not exist after search (本机关不掌握).
    NotExisting,
    /// 第三十六条第（五）项: not this organ's to disclose; the responsible organ named if known.
    NotThisOrgan,
    /// 第三十八条: would have to be made anew (另行制作), not provided.
    NeedsCreation,
    /// 第三十条: still unclear after correction.
    UnclearAfterCorrection,
    /// 第三十六条第（六）项: a repeat request with no new reason.
    Repeat,
    /// 第三十六条第（七）项 and 第三十九条第一款: a petition, complaint or report; the channel told.
    Petition,
    /// 第三十九条第二款: a request for a public publication; how to get it told.
    Publication,
    /// 第三十五条: requests clearly beyond a reasonable amount without a proper reason.
    Excessive,
    /// A request to confirm or re-issue information already obtained (the report's 不予处理 5).
    Reissue,
    /// 第三十条: no correction within the period: treated as abandoned, not handled further.
    Abandoned,
    /// 第四十二条: the fee notified was not paid in time; not handled further.
    FeeUnpaid,
    /// Any other closing (stated in the reason).
    Other,
}

impl AnswerKind {
    pub const ALL: [AnswerKind; 16] = [
        AnswerKind::AlreadyPublic,
        AnswerKind::Disclosed,
        AnswerKind::Partial,
        AnswerKind::Withheld,
        AnswerKind::NotExisting,
        AnswerKind::NotThisOrgan,
        AnswerKind::NeedsCreation,
        AnswerKind::UnclearAfterCorrection,
        AnswerKind::Repeat,
        AnswerKind::Petition,
        AnswerKind::Publication,
        AnswerKind::Excessive,
        AnswerKind::Reissue,
        AnswerKind::Abandoned,
        AnswerKind::FeeUnpaid,
        AnswerKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AnswerKind::AlreadyPublic => "already_public",
            AnswerKind::Disclosed => "disclosed",
            AnswerKind::Partial => "partial",
            AnswerKind::Withheld => "withheld",
            AnswerKind::NotExisting => "not_existing",
            AnswerKind::NotThisOrgan => "not_this_organ",
            AnswerKind::NeedsCreation => "needs_creation",
            AnswerKind::UnclearAfterCorrection => "unclear_after_correction",
            AnswerKind::Repeat => "repeat",
            AnswerKind::Petition => "petition",
            AnswerKind::Publication => "publication",
            AnswerKind::Excessive => "excessive",
            AnswerKind::Reissue => "reissue",
            AnswerKind::Abandoned => "abandoned",
            AnswerKind::FeeUnpaid => "fee_unpaid",
            AnswerKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<AnswerKind> {
        AnswerKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The choice's name on the answer form, and the outcome's label in the catalog (at most 20
    /// characters there: `outcomes.rs`).
    pub fn name_zh(self) -> &'static str {
        match self {
            AnswerKind::AlreadyPublic => "已主动公开，告知获取方式",
            AnswerKind::Disclosed => "予以公开",
            AnswerKind::Partial => "部分公开",
            AnswerKind::Withheld => "不予公开",
            AnswerKind::NotExisting => "经检索没有所申请的信息",
            AnswerKind::NotThisOrgan => "不属于本机关负责公开",
            AnswerKind::NeedsCreation => "没有现成信息，需要另行制作",
            AnswerKind::UnclearAfterCorrection => "补正后申请内容仍不明确",
            AnswerKind::Repeat => "重复申请，不予重复处理",
            AnswerKind::Petition => "属于信访、投诉、举报，告知相应渠道",
            AnswerKind::Publication => "要求提供公开出版物，告知获取途径",
            AnswerKind::Excessive => "无正当理由大量、频繁申请",
            AnswerKind::Reissue => "要求确认或重新出具已获取的信息",
            AnswerKind::Abandoned => "逾期不补正，不再处理",
            AnswerKind::FeeUnpaid => "逾期未缴纳信息处理费，不再处理",
            AnswerKind::Other => "其他处理",
        }
    }

    /// The provision the answer rests on.
    pub fn basis(self) -> &'static str {
        match self {
            AnswerKind::AlreadyPublic => "《中华人民共和国政府信息公开条例》第三十六条第（一）项",
            AnswerKind::Disclosed => "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
            AnswerKind::Partial => "《中华人民共和国政府信息公开条例》第三十七条",
            AnswerKind::Withheld => "《中华人民共和国政府信息公开条例》第三十六条第（三）项",
            AnswerKind::NotExisting => "《中华人民共和国政府信息公开条例》第三十六条第（四）项",
            AnswerKind::NotThisOrgan => "《中华人民共和国政府信息公开条例》第三十六条第（五）项",
            AnswerKind::NeedsCreation => "《中华人民共和国政府信息公开条例》第三十八条",
            AnswerKind::UnclearAfterCorrection => "《中华人民共和国政府信息公开条例》第三十条",
            AnswerKind::Repeat => "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
            AnswerKind::Petition => "《中华人民共和国政府信息公开条例》第三十六条第（七）项、第三十九条第一款",
            AnswerKind::Publication => "《中华人民共和国政府信息公开条例》第三十九条第二款",
            AnswerKind::Excessive => "《中华人民共和国政府信息公开条例》第三十五条",
            AnswerKind::Reissue => "《中华人民共和国政府信息公开条例》第三十六条；国办公开办函〔2021〕30号 年度报告格式 第三部分 不予处理第5项",
            AnswerKind::Abandoned => "《中华人民共和国政府信息公开条例》第三十条",
            AnswerKind::FeeUnpaid => "《中华人民共和国政府信息公开条例》第四十二条；《政府信息公开信息处理费管理办法》",
            AnswerKind::Other => "《中华人民共和国政府信息公开条例》第三十三条",
        }
    }

    /// What the notice tells the applicant (the reason and details follow it).
    pub fn notice_text(self) -> &'static str {
        match self {
            AnswerKind::AlreadyPublic => "您申请获取的政府信息已经主动公开，可按下列方式获取。",
            AnswerKind::Disclosed => "您申请获取的政府信息属于可以公开的政府信息，本机关予以公开，提供方式和时间如下。",
            AnswerKind::Partial => {
                "您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理，本机关向您提供可以公开的部分，并说明理由如下。"
            }
            AnswerKind::Withheld => "您申请获取的政府信息依法不予公开，理由如下。",
            AnswerKind::NotExisting => "经检索，本机关没有您所申请公开的政府信息。",
            AnswerKind::NotThisOrgan => "您所申请公开的信息不属于本机关负责公开；能够确定负责公开的机关的，名称及联系方式如下。",
            AnswerKind::NeedsCreation => "您申请获取的信息需要本机关对现有政府信息进行加工、分析或者另行制作，本机关依法不予提供。",
            AnswerKind::UnclearAfterCorrection => "您补正后的申请内容仍不明确，本机关无法确定您所需的政府信息，无法提供。",
            AnswerKind::Repeat => "您已就同一政府信息重复提出申请，本机关已作出答复，且您未提出新的理由，本机关不予重复处理。",
            AnswerKind::Petition => {
                "您提出的申请实质为信访、投诉、举报等诉求，本机关不作为政府信息公开申请处理，请通过下列相应渠道提出。"
            }
            AnswerKind::Publication => "您要求提供的是政府公报、报刊、书籍等公开出版物，可通过下列途径获取。",
            AnswerKind::Excessive => "您申请公开政府信息的数量、频次明显超过合理范围且未说明理由，本机关不予处理。",
            AnswerKind::Reissue => "您要求本机关确认或者重新出具已经获取的信息，本机关不作为政府信息公开申请处理。",
            AnswerKind::Abandoned => "您未在补正期限内补正申请，视为放弃申请，本机关不再处理该政府信息公开申请。",
            AnswerKind::FeeUnpaid => "您未在收费通知要求的期限内缴纳信息处理费，本机关不再处理该政府信息公开申请。",
            AnswerKind::Other => "本机关对您的申请作如下处理。",
        }
    }

    /// The report's group (年度报告格式 第三部分 三).
    pub fn group(self) -> ResultGroup {
        match self {
            AnswerKind::AlreadyPublic | AnswerKind::Disclosed => ResultGroup::Disclosed,
            AnswerKind::Partial => ResultGroup::Partial,
            AnswerKind::Withheld => ResultGroup::Withheld,
            AnswerKind::NotExisting
            | AnswerKind::NotThisOrgan
            | AnswerKind::NeedsCreation
            | AnswerKind::UnclearAfterCorrection => ResultGroup::CannotProvide,
            AnswerKind::Repeat
            | AnswerKind::Petition
            | AnswerKind::Publication
            | AnswerKind::Excessive
            | AnswerKind::Reissue => ResultGroup::NotHandled,
            AnswerKind::Abandoned | AnswerKind::FeeUnpaid | AnswerKind::Other => ResultGroup::Other,
        }
    }

    /// Whether the answer needs a withholding reason (不予公开, 部分公开).
    pub fn needs_withhold_reason(self) -> bool {
        matches!(self, AnswerKind::Withheld | AnswerKind::Partial)
    }
}

/// An answer as entered.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AnswerInput {
    pub kind: String,
    pub withhold_reason: String,
    /// The reason and details the notice gives after its standard text (how to get the
    /// information, the responsible organ, the channel…).
    pub details: String,
    pub answered_on: String,
    /// 第四十二条: whether an information processing fee was charged (`true`/`false`, or a
    /// checkbox's `on`).
    pub fee_charged: String,
}

/// An answer that passed [`NewAnswer::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAnswer {
    pub kind: AnswerKind,
    pub withhold_reason: Option<WithholdReason>,
    pub details: String,
    pub answered_on: chrono::NaiveDate,
    pub fee_charged: bool,
}

impl NewAnswer {
    /// Checks an answer: the type is one of [`AnswerKind`]; 不予公开 and 部分公开 name their
    /// reason (第三十六条第（三）项: 告知不予公开并说明理由; 第三十七条 likewise); the details are
    /// required where the notice must say more than its standard text (how to get it, the
    /// responsible organ, the channel, the other closing).
    pub fn parse(input: &AnswerInput) -> Result<NewAnswer, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = AnswerKind::parse(&input.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", "invalid_answer_kind", "请选择答复类型"));
        }
        let withhold_reason = match (kind, input.withhold_reason.trim()) {
            (Some(k), "") if k.needs_withhold_reason() => {
                errors.push(FieldError::new(
                    "withhold_reason",
                    "withhold_reason_required",
                    "不予公开（含部分公开）须选择理由",
                ));
                None
            }
            (Some(k), s) if k.needs_withhold_reason() => {
                let r = WithholdReason::parse(s);
                if r.is_none() {
                    errors.push(FieldError::new(
                        "withhold_reason",
                        "invalid_withhold_reason",
                        "不予公开的理由不在可选范围内",
                    ));
                }
                r
            }
            _ => None,
        };
        let needs_details = matches!(
            kind,
            Some(
                AnswerKind::AlreadyPublic
                    | AnswerKind::Disclosed
                    | AnswerKind::Partial
                    | AnswerKind::NotThisOrgan
                    | AnswerKind::Petition
                    | AnswerKind::Other
            )
        );
        let details = crate::problem::text_field("details", &input.details, 2000, needs_details)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let answered_on = super::request::date_field("answered_on", &input.answered_on, true)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let fee_charged = match input.fee_charged.trim() {
            "" | "false" => false,
            "true" | "on" => true,
            _ => {
                errors.push(FieldError::new("fee_charged", "invalid_flag", "是否收费应为 true 或 false"));
                false
            }
        };
        match (kind, answered_on) {
            (Some(kind), Some(answered_on)) if errors.is_empty() => {
                Ok(NewAnswer { kind, withhold_reason, details, answered_on, fee_charged })
            }
            _ => Err(errors),
        }
    }
}

/// The kinds of notice a request produces, each a printable document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// 政府信息公开申请答复书 (第三十六条).
    Answer,
    /// 补正申请告知书 (第三十条).
    Correction,
    /// 延长答复期限告知书 (第三十三条第二款).
    Extension,
}

impl NoticeKind {
    pub fn parse(s: &str) -> Option<NoticeKind> {
        match s {
            "answer" => Some(NoticeKind::Answer),
            "correction" => Some(NoticeKind::Correction),
            "extension" => Some(NoticeKind::Extension),
            _ => None,
        }
    }

    pub fn title_zh(self) -> &'static str {
        match self {
            NoticeKind::Answer => "政府信息公开申请答复书",
            NoticeKind::Correction => "补正政府信息公开申请告知书",
            NoticeKind::Extension => "延长政府信息公开申请答复期限告知书",
        }
    }
}

/// 行政复议法 (2023 revision) 第二十条: 60 days from knowing of the act; 行政诉讼法 第四十六条:
/// 6 months. Every notice ends with it.
pub const REMEDIES_TEXT: &str =
    "如对本答复不服，可以自收到本答复之日起六十日内依法申请行政复议（《中华人民共和国行政复议法》第二十条），\
或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。";

/// The remedy an applicant took (年度报告格式 第四部分).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemedyKind {
    /// 行政复议.
    Review,
    /// 行政诉讼, 未经复议直接起诉.
    SuitDirect,
    /// 行政诉讼, 复议后起诉.
    SuitAfterReview,
}

impl RemedyKind {
    pub const ALL: [RemedyKind; 3] = [RemedyKind::Review, RemedyKind::SuitDirect, RemedyKind::SuitAfterReview];

    pub fn as_str(self) -> &'static str {
        match self {
            RemedyKind::Review => "review",
            RemedyKind::SuitDirect => "suit_direct",
            RemedyKind::SuitAfterReview => "suit_after_review",
        }
    }

    pub fn parse(s: &str) -> Option<RemedyKind> {
        RemedyKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            RemedyKind::Review => "行政复议",
            RemedyKind::SuitDirect => "行政诉讼（未经复议直接起诉）",
            RemedyKind::SuitAfterReview => "行政诉讼（复议后起诉）",
        }
    }
}

/// Its result, as the report counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemedyResult {
    Upheld,
    Corrected,
    Other,
    Pending,
}

impl RemedyResult {
    pub const ALL: [RemedyResult; 4] =
        [RemedyResult::Upheld, RemedyResult::Corrected, RemedyResult::Other, RemedyResult::Pending];

    pub fn as_str(self) -> &'static str {
        match self {
            RemedyResult::Upheld => "upheld",
            RemedyResult::Corrected => "corrected",
            RemedyResult::Other => "other",
            RemedyResult::Pending => "pending",
        }
    }

    pub fn parse(s: &str) -> Option<RemedyResult> {
        RemedyResult::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            RemedyResult::Upheld => "结果维持",
            RemedyResult::Corrected => "结果纠正",
            RemedyResult::Other => "其他结果",
            RemedyResult::Pending => "尚未审结",
        }
    }
}

/// One remedy, with the year it was filed (the report counts remedies by that year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remedy {
    pub kind: RemedyKind,
    pub result: RemedyResult,
    pub filed_on: chrono::NaiveDate,
}

/// A remedy as entered.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RemedyInput {
    pub kind: String,
    pub result: String,
    pub filed_on: String,
    pub note: String,
}

impl RemedyInput {
    /// The one parser of a remedy for the form and the API (the result may be `pending`).
    pub fn parse(&self) -> Result<(Remedy, String), Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = RemedyKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", "invalid_remedy_kind", "请选择行政复议或行政诉讼"));
        }
        let result =
            if self.result.trim().is_empty() { Some(RemedyResult::Pending) } else { RemedyResult::parse(&self.result) };
        if result.is_none() {
            errors.push(FieldError::new("result", "invalid_remedy_result", "结果应为维持、纠正、其他或尚未审结"));
        }
        let filed_on =
            super::request::date_field("filed_on", &self.filed_on, true).map_err(|e| errors.push(e)).ok().flatten();
        let note =
            crate::problem::text_field("note", &self.note, 1000, false).map_err(|e| errors.push(e)).unwrap_or_default();
        match (kind, result, filed_on) {
            (Some(kind), Some(result), Some(filed_on)) if errors.is_empty() => {
                Ok((Remedy { kind, result, filed_on }, note))
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_text_basis_and_group() {
        let mut names = std::collections::HashSet::new();
        for kind in AnswerKind::ALL {
            assert_eq!(AnswerKind::parse(kind.as_str()), Some(kind));
            assert!(kind.basis().contains("条"), "{kind:?}");
            assert!(!kind.notice_text().is_empty());
            assert!(names.insert(kind.name_zh()), "{kind:?}");
        }
        assert_eq!(AnswerKind::Partial.group(), ResultGroup::Partial);
        assert_eq!(AnswerKind::NotThisOrgan.group(), ResultGroup::CannotProvide);
        assert_eq!(AnswerKind::Petition.group(), ResultGroup::NotHandled);
        assert_eq!(AnswerKind::Abandoned.group(), ResultGroup::Other);
        for r in WithholdReason::ALL {
            assert_eq!(WithholdReason::parse(r.as_str()), Some(r));
        }
    }

    fn input(kind: &str) -> AnswerInput {
        AnswerInput {
            kind: kind.into(),
            withhold_reason: String::new(),
            details: String::new(),
            answered_on: "2021-10-21".into(),
            fee_charged: String::new(),
        }
    }

    #[test]
    fn withholding_names_its_reason_and_a_disclosure_says_how() {
        let errors = NewAnswer::parse(&input("withheld")).unwrap_err();
        assert_eq!(errors[0].code, "withhold_reason_required");
        let mut withheld = input("withheld");
        withheld.withhold_reason = "third_party_rights".into();
        let ok = NewAnswer::parse(&withheld).unwrap();
        assert_eq!(ok.withhold_reason, Some(WithholdReason::ThirdPartyRights));
        assert!(!ok.fee_charged);

        assert_eq!(NewAnswer::parse(&input("disclosed")).unwrap_err()[0].field, "details");
        let mut disclosed = input("disclosed");
        disclosed.details = "于2021年10月25日邮寄纸质文本".into();
        disclosed.fee_charged = "on".into();
        assert!(NewAnswer::parse(&disclosed).unwrap().fee_charged);
        // A reason given to a type that needs none is ignored, not stored.
        let mut repeat = input("repeat");
        repeat.withhold_reason = "state_secret".into();
        assert_eq!(NewAnswer::parse(&repeat).unwrap().withhold_reason, None);
        assert_eq!(NewAnswer::parse(&input("granted")).unwrap_err()[0].code, "invalid_answer_kind");
    }
}
