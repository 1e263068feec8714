//! The answer types of a request as an item's declared outcomes (`[[outcomes]]`,
//! docs/designs/areas.md §4a): 政府信息公开条例 第三十六条 (一)–(七) and the other answers the
//! annual report counts (第三十条、第三十五条、第三十七条、第三十八条、第三十九条、第四十二条), each
//! with the key, label, notice sentence and basis the area's answer records ([`AnswerKind`]).
//!
//! A request is a case of the published item `government-information-request`; its
//! `[[outcomes]]` are this table, outcome for outcome (tested), so the decide act of a case and
//! the answers recorded before requests were cases name the same keys and the same articles.

use crate::catalog::{OutcomeDef, Outcomes};
use crate::form::{Choice, FieldKind, FieldSpec, FormSpec};

use super::answer::{AnswerKind, WithholdReason};
use super::request::ProvisionForm;

/// The step of the item that answers (the only one that chooses an outcome).
pub const ANSWER_STEP: &str = "answer";

/// Whether an answer gives the applicant the information (all of it, or the part that can be
/// separated: 第三十六条第（一）项、第（二）项, 第三十七条): the case's side, 准予 or 不予.
pub fn provides(kind: AnswerKind) -> bool {
    matches!(kind, AnswerKind::AlreadyPublic | AnswerKind::Disclosed | AnswerKind::Partial)
}

/// One answer type as a declared outcome.
pub fn outcome(kind: AnswerKind) -> OutcomeDef {
    OutcomeDef {
        key: kind.as_str().to_string(),
        label: kind.name_zh().to_string(),
        grants: provides(kind),
        notice: kind.notice_text().to_string(),
        basis: kind.basis().to_string(),
        steps: vec![ANSWER_STEP.to_string()],
        form: answer_form(kind),
    }
}

/// The decide act's field naming why information is withheld.
pub const REASON_FIELD: &str = "reason";
/// The decide act's field naming the form in which information is provided.
pub const PROVISION_FIELD: &str = "provision_form";
/// The decide act's field stating whether the 第四十二条 fee is charged.
pub const FEE_CHARGED_FIELD: &str = "fee_charged";
/// The decide act's field stating the fee's amount.
pub const FEE_AMOUNT_FIELD: &str = "fee_amount";

fn field(id: &str, label: &str, kind: FieldKind, required: bool, basis: &str) -> FieldSpec {
    FieldSpec {
        id: id.to_string(),
        label: label.to_string(),
        kind,
        required,
        min: None,
        max: None,
        max_len: None,
        choices: Vec::new(),
        basis: Some(basis.to_string()),
        help: None,
        required_parts: Vec::new(),
    }
}

fn choices(pairs: impl IntoIterator<Item = (&'static str, &'static str)>) -> Vec<Choice> {
    pairs.into_iter().map(|(value, label)| Choice { value: value.to_string(), label: label.to_string() }).collect()
}

/// What the decide act states with an answer: a withholding (不予公开, and the part withheld of
/// 部分公开) names its reason, 第十四条至第十六条, as the annual report's rows have them; an answer
/// that provides information states the form it is provided in (第四十条: as the applicant asked,
/// as the information is kept) and whether the 第四十二条 fee is charged, and how much.
pub fn answer_form(kind: AnswerKind) -> FormSpec {
    let mut fields = Vec::new();
    if matches!(kind, AnswerKind::Withheld | AnswerKind::Partial) {
        let mut reason = field(
            REASON_FIELD,
            "不予公开的理由",
            FieldKind::Choice,
            true,
            "《中华人民共和国政府信息公开条例》第十四条、第十五条、第十六条",
        );
        reason.choices = choices(WithholdReason::ALL.map(|r| (r.as_str(), r.name_zh())));
        fields.push(reason);
    }
    if provides(kind) {
        let mut provision = field(
            PROVISION_FIELD,
            "信息的提供形式",
            FieldKind::Choice,
            true,
            "《中华人民共和国政府信息公开条例》第四十条",
        );
        provision.choices = choices(ProvisionForm::ALL.map(|f| (f.as_str(), f.name_zh())));
        fields.push(provision);
        let fee_basis = "《中华人民共和国政府信息公开条例》第四十二条";
        fields.push(field(FEE_CHARGED_FIELD, "收取信息处理费", FieldKind::Bool, false, fee_basis));
        fields.push(field(FEE_AMOUNT_FIELD, "信息处理费金额", FieldKind::Money, false, fee_basis));
    }
    FormSpec { fields }
}

/// Every answer type, in the order of [`AnswerKind::ALL`]. A decision that names none records
/// 予以公开 (a grant) or 其他处理 (a refusal): the area's own answer always names its type.
pub fn outcomes() -> Outcomes {
    Outcomes {
        list: AnswerKind::ALL.into_iter().map(outcome).collect(),
        declared: true,
        grant_default: AnswerKind::Disclosed.as_str().to_string(),
        refusal_default: Some(AnswerKind::Other.as_str().to_string()),
    }
}

/// The answer type an outcome key names, if it is one.
pub fn answer_kind(key: &str) -> Option<AnswerKind> {
    AnswerKind::parse(key)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::catalog::parse_item;
    use crate::vertical::Vertical;

    /// The published item (`catalog/government-information-request/v1.toml`): the one source
    /// of the request's procedure and outcomes that the tests here and in `on_the_engine.rs` read.
    pub(crate) const ITEM: &str = include_str!("../../../../../catalog/government-information-request/v1.toml");

    #[test]
    fn the_catalog_accepts_the_answer_types_as_the_items_outcomes() {
        let item = match parse_item("catalog/government-information-request/v1.toml", ITEM) {
            Ok(item) => item,
            Err(problems) => panic!("{}", problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")),
        };
        assert_eq!(item.vertical, Some(Vertical::Disclosure));
        // What the catalog read back is the area's table, outcome for outcome.
        assert_eq!(item.outcomes, outcomes());
        for kind in AnswerKind::ALL {
            let declared = item.outcomes.get(kind.as_str()).expect("every answer type is an outcome");
            assert_eq!(answer_kind(&declared.key), Some(kind));
            assert_eq!(declared.label, kind.name_zh());
            assert_eq!(declared.basis, kind.basis());
            assert!(declared.at_step(ANSWER_STEP) && !declared.at_step("accept"), "{kind:?}");
        }
        // The seven answers of 第三十六条 are there by their article's item.
        for (key, item_no) in [
            ("already_public", "第（一）项"),
            ("disclosed", "第（二）项"),
            ("withheld", "第（三）项"),
            ("not_existing", "第（四）项"),
            ("not_this_organ", "第（五）项"),
            ("repeat", "第（六）项"),
            ("petition", "第（七）项"),
        ] {
            let basis = &item.outcomes.get(key).expect(key).basis;
            assert!(basis.contains(&format!("第三十六条{item_no}")), "{key}: {basis}");
        }
    }

    #[test]
    fn only_an_answer_that_provides_information_grants() {
        let all = outcomes();
        let granting: Vec<&str> = all.list.iter().filter(|o| o.grants).map(|o| o.key.as_str()).collect();
        assert_eq!(granting, ["already_public", "disclosed", "partial"]);
        // A refusal that names no type is 其他处理, never 不予公开 (which needs its reason).
        assert_eq!(all.refusal_default.as_deref(), Some("other"));
        assert!(!provides(AnswerKind::Withheld) && !provides(AnswerKind::NotExisting));
        assert_eq!(answer_kind("granted"), None);
    }

    #[test]
    fn a_withholding_names_its_reason_and_a_provision_its_form_and_fee() {
        let ids = |kind: AnswerKind| -> Vec<(String, bool)> {
            answer_form(kind).fields.into_iter().map(|f| (f.id, f.required)).collect()
        };
        let reason = (REASON_FIELD.to_string(), true);
        let provision = [
            (PROVISION_FIELD.to_string(), true),
            (FEE_CHARGED_FIELD.to_string(), false),
            (FEE_AMOUNT_FIELD.to_string(), false),
        ];
        assert_eq!(ids(AnswerKind::Withheld), vec![reason.clone()]);
        let mut partial = vec![reason];
        partial.extend(provision.clone());
        assert_eq!(ids(AnswerKind::Partial), partial);
        assert_eq!(ids(AnswerKind::Disclosed), provision.to_vec());
        assert_eq!(ids(AnswerKind::AlreadyPublic), provision.to_vec());
        assert!(ids(AnswerKind::NotExisting).is_empty() && ids(AnswerKind::Other).is_empty());
        // The reasons are the annual report's rows, every one, by its value.
        let form = answer_form(AnswerKind::Withheld);
        let values: Vec<Option<WithholdReason>> =
            form.fields[0].choices.iter().map(|c| WithholdReason::parse(&c.value)).collect();
        assert_eq!(values, WithholdReason::ALL.map(Some).to_vec());
    }
}
