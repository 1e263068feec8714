//! The 办事指南 (service guide) of an item as the annual report's service figures read it, pure:
//! the elements a guide review checks (国务院关于在线政务服务的若干规定, 国务院令第716号, 第六条:
//! a guide sets out at least 受理条件、办事材料、办理流程; the rest are the elements of the item's
//! implementation list this catalog carries), the one parser of a review, and what makes a guide
//! 情形化 (scenario-based).

use super::ServiceItem;
use crate::problem::{text_field, FieldError};

/// One element of a guide, as a review checks it: (key, 中文 name).
pub const ELEMENTS: [(&str, &str); 14] = [
    ("name", "事项名称和编码"),
    ("kind", "事项类型"),
    ("legal_basis", "设定依据和实施依据"),
    ("implementing_body", "实施主体"),
    ("acceptance_conditions", "受理条件"),
    ("materials", "申请材料"),
    ("procedure", "办理流程"),
    ("limits", "法定和承诺办结时限"),
    ("fee", "收费标准及依据"),
    ("place_hours", "办理地点和时间"),
    ("phones", "咨询和监督电话"),
    ("result", "办理结果及送达方式"),
    ("online", "网上办理深度和到现场次数"),
    ("situations", "办理情形"),
];

/// The 中文 name of an element key.
pub fn element_name(key: &str) -> Option<&'static str> {
    ELEMENTS.iter().find(|(k, _)| *k == key).map(|(_, name)| *name)
}

/// The longest note of a review (characters).
pub const MAX_NOTE_CHARS: usize = 500;

/// A review of an item's published guide: every element of [`ELEMENTS`] was checked against
/// the item's implementation list and the law; `wrong` names those found wrong (empty: every
/// element right), `note` says what was wrong (required when something was).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideReview {
    pub wrong: Vec<String>,
    pub note: String,
}

impl GuideReview {
    /// The one parser of a review, shared by the page form and the JSON body: element keys
    /// (blank entries ignored, each once, in [`ELEMENTS`] order) and the note.
    pub fn parse(wrong: &[String], note: &str) -> Result<GuideReview, Vec<FieldError>> {
        let mut problems = Vec::new();
        let mut keys: Vec<&str> = Vec::new();
        for key in wrong.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
            match ELEMENTS.iter().find(|(k, _)| *k == key) {
                Some((k, _)) => keys.push(k),
                None => problems.push(FieldError::new(
                    "wrong",
                    "unknown_guide_element",
                    format!("办事指南要素“{}”不存在", key.chars().take(40).collect::<String>()),
                )),
            }
        }
        let note = match text_field("note", note, MAX_NOTE_CHARS, !keys.is_empty()) {
            Ok(note) => note,
            Err(problem) => {
                problems.push(problem);
                String::new()
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let wrong = ELEMENTS.iter().filter(|(k, _)| keys.contains(k)).map(|(k, _)| k.to_string()).collect();
        Ok(GuideReview { wrong, note })
    }

    /// Every element checked was found right.
    pub fn accurate(&self) -> bool {
        self.wrong.is_empty()
    }

    /// One line for a list: 全部准确, or the elements found wrong.
    pub fn summary(&self) -> String {
        if self.accurate() {
            format!("{}项要素全部准确", ELEMENTS.len())
        } else {
            let names: Vec<&str> = self.wrong.iter().filter_map(|k| element_name(k)).collect();
            format!("{}有误", names.join("、"))
        }
    }
}

/// Whether an item's guide is 情形化: it declares its 办理情形 (at least one), each naming the
/// materials it asks for, and every material the applicant must bring (required, not obtainable
/// by data sharing) is asked for in some 情形 — so the applicant who picks a 情形 sees exactly
/// the materials of that 情形.
pub fn situational(item: &ServiceItem) -> bool {
    let demanded = item.materials.iter().filter(|m| m.required && !m.shared);
    !item.situations.is_empty()
        && item.situations.iter().all(|s| !s.materials.is_empty())
        && demanded.clone().all(|m| item.situations.iter().any(|s| s.materials.contains(&m.id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Situation;

    fn strings(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn a_review_names_known_elements_once_in_order_and_says_what_was_wrong() {
        let all_right = GuideReview::parse(&strings(&["", " "]), "").expect("parsed");
        assert!(all_right.accurate());
        assert_eq!(all_right.summary(), "14项要素全部准确");
        let review = GuideReview::parse(&strings(&["phones", "limits", "phones"]), " 监督电话写错 ").expect("parsed");
        assert_eq!(review.wrong, ["limits", "phones"]);
        assert_eq!(review.note, "监督电话写错");
        assert!(!review.accurate());
        assert_eq!(review.summary(), "法定和承诺办结时限、咨询和监督电话有误");
    }

    #[test]
    fn a_review_refuses_an_unknown_element_and_a_wrong_element_without_a_note() {
        let problems = GuideReview::parse(&strings(&["fees"]), "").unwrap_err();
        let codes: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
        assert_eq!(codes, [("wrong", "unknown_guide_element")]);
        let problems = GuideReview::parse(&strings(&["fee"]), "  ").unwrap_err();
        assert_eq!((problems[0].field.as_str(), problems[0].code), ("note", "required"));
        let long = "字".repeat(MAX_NOTE_CHARS + 1);
        assert_eq!(GuideReview::parse(&[], &long).unwrap_err()[0].code, "too_long");
    }

    #[test]
    fn a_guide_is_situational_when_its_situations_cover_every_demanded_material() {
        let text = include_str!("../../../../catalog/standard-place-name-certificate/v1.toml");
        let path = "catalog/standard-place-name-certificate/v1.toml".to_string();
        let catalog = crate::catalog::Catalog::from_files(&[(path, text.to_string())]).expect("the shipped file");
        let mut item = catalog.versions("standard-place-name-certificate")[0].clone();
        assert!(situational(&item), "as shipped");
        item.situations = Vec::new();
        assert!(!situational(&item), "no situation declared");
        let demanded: Vec<String> =
            item.materials.iter().filter(|m| m.required && !m.shared).map(|m| m.id.clone()).collect();
        assert!(!demanded.is_empty(), "the item asks for materials");
        item.situations =
            vec![Situation { id: "all".into(), name: "一般情形".into(), materials: demanded.clone() }];
        assert!(situational(&item));
        // One demanded material in no 情形: the applicant would not learn to bring it.
        item.situations[0].materials = demanded[1..].to_vec();
        assert!(!situational(&item));
        // A 情形 naming no material says nothing.
        item.situations = vec![
            Situation { id: "all".into(), name: "一般情形".into(), materials: demanded },
            Situation { id: "empty".into(), name: "空".into(), materials: Vec::new() },
        ];
        assert!(!situational(&item));
    }
}
