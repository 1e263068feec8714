//! The answer types of a request as an item's declared outcomes (`[[outcomes]]`,
//! docs/designs/areas.md §4a): 政府信息公开条例 第三十六条 (一)–(七) and the other answers the
//! annual report counts (第三十条、第三十五条、第三十七条、第三十八条、第三十九条、第四十二条), each
//! with the key, label, notice sentence and basis the area's answer records ([`AnswerKind`]).
//!
//! A request does not run on the procedure engine yet (`docs/designs/disclosure.md` says what
//! the engine lacks for it); these are the outcomes its catalog item declares the day it does,
//! built from the one table of answer types, so the decide act of that item and the answers
//! already recorded name the same keys and the same articles.

use crate::catalog::{OutcomeDef, Outcomes};

use super::answer::AnswerKind;

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
        form: crate::form::FormSpec::default(),
    }
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

    /// The item as the catalog can state it today: the registration of the request (the
    /// correction notified within 7 working days of receipt, 第三十条), the answer and its
    /// delivery; the 20 working days of 第三十三条第二款 from the day of receipt by channel
    /// (第三十一条), restarted by a correction (第三十条), with the one extension of at most 20
    /// and the third party's 15 working days left out (第三十二条、第三十三条第三款). It is not
    /// published (`catalog/`): what it cannot state yet is in docs/designs/disclosure.md; its
    /// periods on the engine are tested against the area's own in `on_the_engine.rs`.
    pub(crate) const DRAFT: &str = r#"
vertical = "disclosure"

[version]
number = 1
effective_from = "2027-01-01"
reason = "依申请公开按事项办理"
ordered_by = "达州市民政局"

[item]
slug = "government-information-request"
code = "51170000MZ-QT-0099"
name = "政府信息公开申请"
kind = "public_service"
legal_basis = ["《中华人民共和国政府信息公开条例》第二十七条", "《中华人民共和国政府信息公开条例》第三十三条"]
implementing_body = "达州市民政局"
body_nature = "statutory"
levels = ["prefecture", "county"]
power_source = "statutory"
case_type = "promised"
statutory_limit = { value = 20, unit = "workday", basis = "《中华人民共和国政府信息公开条例》第三十三条第二款" }
promised_limit = { value = 20, unit = "workday", basis = "《中华人民共和国政府信息公开条例》第三十三条第二款" }
fee = { charged = false, basis = "《中华人民共和国政府信息公开条例》第四十二条" }
place = "达州市民政局政府信息公开工作机构"
hours = "工作日"
phone = "12345"
supervision_phone = "12345"
acceptance_conditions = ["申请内容包括申请人的姓名或者名称、身份证明、联系方式，所需政府信息的名称、文号或者便于查询的其他特征性描述，获取信息的方式、途径"]
online_depth = 4
cross_region_mode = "none"
accept_anywhere = "anywhere"
competent_by = "accepting"
city_centre = true
result = { name = "政府信息公开申请答复书", sample = "", delivery = ["window", "post", "electronic"] }

[[materials]]
id = "request"
name = "政府信息公开申请表"
source = "applicant"
form = "paper_or_electronic"
required = true

[[situations]]
id = "ordinary"
name = "申请获取政府信息"
materials = ["request"]

[procedure]
pauses = ["supplement", "special"]
extension = { max = { value = 20, unit = "workday", basis = "《中华人民共和国政府信息公开条例》第三十三条第二款" }, approver = "decider" }
consultation = { value = 15, unit = "workday", basis = "《中华人民共和国政府信息公开条例》第三十二条" }
receipt = { basis = "《中华人民共和国政府信息公开条例》第三十一条", correction_restarts = "《中华人民共和国政府信息公开条例》第三十条" }

[[procedure.steps]]
id = "accept"
name = "登记收到申请"
kind = "accept"
role = "clerk"
seat = "accepting"
limit = { value = 7, unit = "workday", basis = "《中华人民共和国政府信息公开条例》第三十条" }

[[procedure.steps]]
id = "answer"
name = "答复"
kind = "decide"
role = "decider"
seat = "competent"

[[procedure.steps]]
id = "deliver"
name = "送达答复书"
kind = "deliver"
role = "clerk"
seat = "accepting"
"#;

    /// The draft with the area's outcomes, written as the item file would declare them.
    pub(crate) fn draft_with_outcomes() -> String {
        let set = outcomes();
        let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let mut text = DRAFT.replace(
            "[procedure]\n",
            &format!(
                "[procedure]\ngrant_outcome = {}\nrefusal_outcome = {}\n",
                quoted(&set.grant_default),
                quoted(set.refusal_default.as_deref().unwrap_or_default())
            ),
        );
        for o in &set.list {
            text.push_str(&format!(
                "\n[[outcomes]]\nkey = {}\nlabel = {}\ngrants = {}\nnotice = {}\nbasis = {}\nsteps = [{}]\n",
                quoted(&o.key),
                quoted(&o.label),
                o.grants,
                quoted(&o.notice),
                quoted(&o.basis),
                o.steps.iter().map(|s| quoted(s)).collect::<Vec<_>>().join(", ")
            ));
        }
        text
    }

    #[test]
    fn the_catalog_accepts_the_answer_types_as_the_items_outcomes() {
        let text = draft_with_outcomes();
        let item = match parse_item("catalog/government-information-request/v1.toml", &text) {
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
}
