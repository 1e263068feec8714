//! 县级残联审核 of the two disability subsidies: the beneficiary's 第二代残疾人证 against what the
//! subsidy asks (国发〔2015〕52号, review chain 乡镇初审 → 县级残联审核（核实残疾人证及等级）→ 县级民政
//! 审定). The guard `disability_certificate_verified` on the 残联 step (catalog
//! `disability-subsidy` v2) runs this check; the criteria are the ones `evaluate` applies at the
//! decision (the care rule of the rule version in force, `rules::CareRule`), so the federation and
//! the decision never disagree.

use chrono::NaiveDate;

use super::household::Member;
use super::program::Program;
use super::rules::RuleVersion;
use crate::engine::refusal::Refusal;
use crate::idcard::age_on;

/// 国发〔2015〕52号 (the two subsidies; article numbers [unconfirmed]).
pub const BASIS: &str = "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）";

/// The federation's check of `member`'s certificate for `program` under the rule version in force
/// (`None`: no rule on file for the place and day — refused, nothing is checked on a guess).
/// Ok with the line the record keeps.
pub fn check_certificate(
    program: Program,
    member: &Member,
    rule: Option<&RuleVersion>,
    on: NaiveDate,
) -> Result<String, Refusal> {
    let Some(rule) = rule else {
        return Err(Refusal::new("no_assistance_rule", "户籍地在审核之日没有施行中的救助标准，不能核实补贴条件"));
    };
    let Some(d) = member.disability else {
        return Err(Refusal::new(
            "certificate_missing",
            format!("{} 未登记第二代残疾人证（类别、等级），残联不能审核通过", member.name),
        )
        .with_basis(BASIS));
    };
    match program {
        Program::DisabilityLiving => {}
        Program::DisabilityCare => {
            if let Err(why) = rule.disability.care.covers(d, age_on(member.birth, on)) {
                return Err(Refusal::new(
                    "certificate_grade_not_eligible",
                    format!("{} 的残疾人证为{}：{why}（标准版本 {}）", member.name, d.label_zh(), rule.id),
                )
                .with_basis(BASIS));
            }
        }
        other => {
            return Err(Refusal::new("not_a_disability_subsidy", format!("“{}”不经残联审核残疾人证", other.name_zh())))
        }
    }
    Ok(format!(
        "残联核实：{} 持第二代残疾人证（{}），符合{}的条件（标准版本 {}）",
        member.name,
        d.label_zh(),
        program.name_zh(),
        rule.id
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assistance::household::{Disability, DisabilityCategory, Relationship};
    use crate::assistance::RuleSet;
    use crate::division::{DivisionCode, Divisions};

    fn member(disability: Option<Disability>) -> Member {
        Member {
            person_id: 1,
            name: "张一".into(),
            relationship: Relationship::Applicant,
            birth: NaiveDate::from_ymd_opt(1970, 3, 1).unwrap(),
            disability,
            work_injury_nursing: false,
            died_on: None,
        }
    }

    #[test]
    fn the_federation_checks_category_and_grade_against_the_subsidy() {
        let divisions = Divisions::builtin();
        let code = DivisionCode::parse("511702001").unwrap();
        let on = NaiveDate::from_ymd_opt(2022, 1, 10).unwrap();
        let rule = RuleSet::builtin().in_force(&code, on, divisions);
        assert!(rule.is_some());
        let cert = |category, grade| Some(Disability { category, grade });
        let care = Program::DisabilityCare;
        assert!(check_certificate(care, &member(cert(DisabilityCategory::Physical, 2)), rule, on).is_ok());
        // Grade 3: severe only for intellectual and mental disability.
        let refused = check_certificate(care, &member(cert(DisabilityCategory::Physical, 3)), rule, on).unwrap_err();
        assert_eq!(refused.code, "certificate_grade_not_eligible");
        assert!(refused.message.contains("肢体残疾三级"), "{}", refused.message);
        assert!(check_certificate(care, &member(cert(DisabilityCategory::Mental, 4)), rule, on).is_ok());
        // The living subsidy asks for a certificate of any grade (the 低保 condition is the decision's).
        let living = Program::DisabilityLiving;
        assert!(check_certificate(living, &member(cert(DisabilityCategory::Hearing, 4)), rule, on).is_ok());
        assert_eq!(check_certificate(living, &member(None), rule, on).unwrap_err().code, "certificate_missing");
        assert_eq!(
            check_certificate(living, &member(cert(DisabilityCategory::Hearing, 4)), None, on).unwrap_err().code,
            "no_assistance_rule"
        );
        assert_eq!(
            check_certificate(Program::MinimumLiving, &member(cert(DisabilityCategory::Hearing, 1)), rule, on)
                .unwrap_err()
                .code,
            "not_a_disability_subsidy"
        );
    }
}
