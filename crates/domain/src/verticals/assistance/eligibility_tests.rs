use chrono::NaiveDate;

use super::*;
use crate::assistance::household::{Asset, Disability, DisabilityCategory, IncomeItem, Relationship};
use crate::division::DivisionCode;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn member(id: i64, relationship: Relationship, birth: NaiveDate) -> Member {
    Member {
        person_id: id,
        name: format!("成员{id}"),
        relationship,
        birth,
        disability: None,
        work_injury_nursing: false,
        died_on: None,
    }
}

/// Two people, urban, with `monthly` fen of income every month of 2020 and 2021 for member 1.
fn household(monthly: i64) -> Household {
    let income = (0..24)
        .map(|i| IncomeItem {
            person_id: 1,
            month: YearMonth::new(2020 + i / 12, (i % 12) as u32 + 1).unwrap(),
            kind: "工资性收入".into(),
            amount_fen: monthly,
        })
        .collect();
    Household {
        id: 7,
        division: DivisionCode::parse("511702001").unwrap(),
        urban: true,
        versions: vec![HouseholdVersion {
            valid_from: date(2021, 1, 1),
            members: vec![
                member(1, Relationship::Applicant, date(1970, 3, 1)),
                member(2, Relationship::Child, date(2005, 6, 1)),
            ],
            income,
            assets: vec![],
        }],
    }
}

fn app<'a>(program: Program, h: &'a Household, decided_on: NaiveDate) -> Application<'a> {
    Application {
        program,
        household: h,
        beneficiary: None,
        applied_on: date(decided_on.year(), 5, 10),
        decided_on,
        cross_region: false,
        current_benefits: &[],
        supporter: Supporter::None,
        child: None,
        requested_fen: 0,
        hardship: String::new(),
    }
}

use chrono::Datelike;

fn eval(a: &Application<'_>) -> Decision {
    evaluate(a, RuleSet::builtin(), Divisions::builtin()).unwrap()
}

#[test]
fn minimum_living_below_the_standard_pays_the_difference_with_a_trace() {
    // 2 people, 1024 元/month → 512 元 per capita < 620 (the rule before 2021-07-01).
    let h = household(102_400);
    let d = eval(&app(Program::MinimumLiving, &h, date(2021, 6, 20)));
    assert!(d.eligible, "{:?}", d.trace);
    assert_eq!(d.rule_version, "511700-2021-01");
    assert_eq!(d.amount_fen, 2 * 10_800);
    assert!(
        d.trace.iter().any(|l| l == "家庭月人均收入 512 元 < 城市低保标准 620 元 → 符合，差额 108 元/人/月"),
        "{:?}",
        d.trace
    );
    assert_eq!(d.first_month, YearMonth::new(2021, 7));
    assert_eq!(d.payee, 1);
    assert_eq!(d.covered, vec![1, 2]);
    assert_eq!(d.inputs["per_capita_income_fen"], 51_200);
}

#[test]
fn income_equal_to_the_standard_is_not_below_it() {
    let h = household(124_000); // 620 per capita exactly
    let d = eval(&app(Program::MinimumLiving, &h, date(2021, 6, 20)));
    assert!(!d.eligible);
    assert_eq!(d.amount_fen, 0);
    assert!(d.reasons[0].contains("不低于城市低保标准 620 元"), "{:?}", d.reasons);
    // One fen less per month for the household is below: eligible, 0.005 元 per person rounds to 0.01.
    let d = eval(&app(Program::MinimumLiving, &household(123_999), date(2021, 6, 20)));
    assert!(d.eligible);
    assert_eq!(d.amount_fen, 1);
}

#[test]
fn a_standard_raised_mid_year_governs_later_decisions_only() {
    let h = household(124_000);
    let june = eval(&app(Program::MinimumLiving, &h, date(2021, 6, 30)));
    let july = eval(&app(Program::MinimumLiving, &h, date(2021, 7, 1)));
    assert!(!june.eligible);
    assert!(july.eligible);
    assert_eq!(july.rule_version, "511700-2021-07");
    assert_eq!(july.amount_fen, 2 * (65_000 - 62_000));
    // The June decision keeps its version and inputs: evaluating again on its date gives the same.
    assert_eq!(eval(&app(Program::MinimumLiving, &h, date(2021, 6, 30))), june);
}

#[test]
fn assets_above_the_limit_or_a_vehicle_refuse() {
    let mut h = household(50_000);
    h.versions[0].assets.push(Asset { kind: AssetKind::Financial, value_fen: 2 * 62_000 * 24, note: String::new() });
    assert!(eval(&app(Program::MinimumLiving, &h, date(2021, 6, 1))).eligible, "at the limit is within");
    h.versions[0].assets[0].value_fen += 1;
    let d = eval(&app(Program::MinimumLiving, &h, date(2021, 6, 1)));
    assert!(!d.eligible);
    assert!(d.reasons[0].contains("金融资产"));
    let mut h = household(50_000);
    h.versions[0].assets.push(Asset { kind: AssetKind::Vehicle, value_fen: 3_000_000, note: "轿车".into() });
    assert!(!eval(&app(Program::MinimumLiving, &h, date(2021, 6, 1))).eligible);
}

#[test]
fn the_household_as_it_stood_on_the_decision_day_counts() {
    let mut h = household(102_400);
    let mut later = h.versions[0].clone();
    later.valid_from = date(2021, 6, 25);
    later.members.push(member(3, Relationship::Parent, date(1945, 1, 1)));
    h.versions.push(later);
    assert_eq!(eval(&app(Program::MinimumLiving, &h, date(2021, 6, 24))).covered, vec![1, 2]);
    assert_eq!(eval(&app(Program::MinimumLiving, &h, date(2021, 6, 25))).covered, vec![1, 2, 3]);
    // A member who died before the decision is not counted.
    h.versions[1].members[2].died_on = Some(date(2021, 6, 26));
    assert_eq!(eval(&app(Program::MinimumLiving, &h, date(2021, 6, 27))).covered, vec![1, 2]);
}

#[test]
fn no_rule_or_no_household_is_a_field_error_not_a_guess() {
    let h = household(0);
    let e = evaluate(&app(Program::MinimumLiving, &h, date(2020, 12, 31)), RuleSet::builtin(), Divisions::builtin());
    assert_eq!(e.unwrap_err().code, "no_assistance_rule");
    let mut a = app(Program::ExtremePoverty, &h, date(2021, 6, 1));
    assert_eq!(evaluate(&a, RuleSet::builtin(), Divisions::builtin()).unwrap_err().code, "beneficiary_required");
    a.beneficiary = Some(99);
    assert_eq!(evaluate(&a, RuleSet::builtin(), Divisions::builtin()).unwrap_err().code, "beneficiary_not_member");
}

#[test]
fn extreme_poverty_needs_all_three_conditions() {
    let mut h = household(0);
    h.versions[0].members[0].birth = date(1961, 6, 2); // 60 on 2021-06-02
    let mut a = app(Program::ExtremePoverty, &h, date(2021, 6, 1));
    a.beneficiary = Some(1);
    let d = eval(&a);
    assert!(!d.eligible, "59 is not elderly");
    a.decided_on = date(2021, 6, 2);
    let d = eval(&a);
    assert!(d.eligible, "{:?}", d.trace);
    assert_eq!(d.amount_fen, 80_600);
    a.supporter = Supporter::Able;
    assert!(!eval(&a).eligible);
    a.supporter = Supporter::Unable;
    assert!(eval(&a).eligible);
    // Someone already on 特困 cannot be in a 低保 household's count too.
    let current = [(1, Program::ExtremePoverty)];
    let mut dibao = app(Program::MinimumLiving, &h, date(2021, 6, 2));
    dibao.current_benefits = &current;
    let d = eval(&dibao);
    assert!(!d.eligible);
    assert!(d.reasons.iter().any(|r| r.contains("不得重复享受")));
}

#[test]
fn the_two_disability_subsidies() {
    let mut h = household(0);
    h.versions[0].members[1].disability = Some(Disability { category: DisabilityCategory::Physical, grade: 3 });
    let mut a = app(Program::DisabilityLiving, &h, date(2021, 6, 1));
    a.beneficiary = Some(2);
    assert!(!eval(&a).eligible, "not a 低保 household");
    let dibao = [(1, Program::MinimumLiving)];
    a.current_benefits = &dibao;
    let d = eval(&a);
    assert!(d.eligible);
    assert_eq!(d.amount_fen, 8_000);
    // Care: grade 3 physical is not severe; grade 3 intellectual is.
    a.program = Program::DisabilityCare;
    let refused = eval(&a);
    assert!(!refused.eligible);
    assert!(refused.reasons.iter().any(|r| r.contains("不在护理补贴范围")), "{:?}", refused.reasons);
    h.versions[0].members[1].disability = Some(Disability { category: DisabilityCategory::Intellectual, grade: 3 });
    let mut a = app(Program::DisabilityCare, &h, date(2021, 6, 1));
    a.beneficiary = Some(2);
    a.cross_region = true;
    let d = eval(&a);
    assert!(d.eligible);
    assert_eq!(d.first_month, YearMonth::new(2021, 5), "跨省通办: from the month of application");
    // The trace names the care rule of the version applied (rule data, not code).
    assert!(
        d.trace.iter().any(|l| l.contains("护理补贴范围（511700-2021-01）：一、二级；智力残疾三、四级")),
        "{:?}",
        d.trace
    );
    h.versions[0].members[1].work_injury_nursing = true;
    let mut a = app(Program::DisabilityCare, &h, date(2021, 6, 1));
    a.beneficiary = Some(2);
    assert!(!eval(&a).eligible);
    // The living subsidy is not paid on top of 特困.
    let both = [(1, Program::MinimumLiving), (2, Program::ExtremePoverty)];
    let mut a = app(Program::DisabilityLiving, &h, date(2021, 6, 1));
    a.beneficiary = Some(2);
    a.current_benefits = &both;
    let d = eval(&a);
    assert!(!d.eligible);
    assert!(d.reasons.iter().any(|r| r.contains("特困人员救助供养")));
}

#[test]
fn a_seventeen_year_old_orphan_is_paid_through_the_18th_birthday_month() {
    let mut h = household(0);
    h.versions[0].members[1].birth = date(2004, 2, 29);
    let mut a = app(Program::Orphan, &h, date(2021, 6, 1));
    a.beneficiary = Some(2);
    a.child = Some(ChildFacts {
        father: ParentSituation::Dead,
        mother: ParentSituation::DeclaredMissing,
        in_institution: false,
    });
    let d = eval(&a);
    assert!(d.eligible, "{:?}", d.trace);
    assert_eq!(d.amount_fen, 100_000);
    assert_eq!(d.first_month, YearMonth::new(2021, 7));
    assert_eq!(d.last_month, YearMonth::new(2022, 2));
    // Decided on the day of turning 18 (2022-02-28): refused.
    a.decided_on = date(2022, 2, 28);
    assert!(!eval(&a).eligible);
    a.decided_on = date(2022, 2, 27);
    assert!(eval(&a).eligible);
}

#[test]
fn unsupported_child_situations() {
    let h = household(0);
    let mut a = app(Program::UnsupportedChild, &h, date(2021, 6, 1));
    a.beneficiary = Some(2);
    let facts = |father, mother| Some(ChildFacts { father, mother, in_institution: false });
    a.child = facts(ParentSituation::Imprisoned, ParentSituation::SevereDisability);
    assert!(eval(&a).eligible);
    a.child = facts(ParentSituation::Dead, ParentSituation::LostContact);
    assert!(eval(&a).eligible, "one dead, the other lost contact (民发〔2020〕125号)");
    a.child = facts(ParentSituation::Present, ParentSituation::Imprisoned);
    assert!(!eval(&a).eligible);
    a.child = facts(ParentSituation::Dead, ParentSituation::Dead);
    let d = eval(&a);
    assert!(!d.eligible);
    assert!(d.reasons[0].contains("孤儿"));
    a.child = None;
    assert_eq!(evaluate(&a, RuleSet::builtin(), Divisions::builtin()).unwrap_err().code, "child_facts_required");
}

#[test]
fn temporary_assistance_is_capped_and_tells_the_small_amount() {
    let h = household(0);
    let mut a = app(Program::Temporary, &h, date(2021, 6, 1));
    a.beneficiary = Some(1);
    a.requested_fen = 80_000;
    assert!(!eval(&a).eligible, "no hardship stated");
    a.hardship = "住房失火".into();
    let d = eval(&a);
    assert!(d.eligible);
    assert_eq!(d.amount_fen, 80_000);
    assert_eq!(d.inputs["small_amount"], true);
    assert_eq!(d.first_month, d.last_month);
    a.requested_fen = 1_000_000;
    let d = eval(&a);
    assert_eq!(d.amount_fen, 62_000 * 6);
    assert_eq!(d.inputs["small_amount"], false);
}

#[test]
fn relatives_of_officials_are_flagged() {
    let h = household(0);
    let v = &h.versions[0];
    assert_eq!(relative_flag(false, v, &[]), None);
    assert!(relative_flag(true, v, &[]).unwrap().contains("申明"));
    assert!(relative_flag(false, v, &[2, 99]).unwrap().contains("成员2"));
}

#[test]
fn months_of_the_window_without_income_are_named_not_silently_zero() {
    // Applied 2021-05-10: the window is 2020-11 to 2021-04. Only 3 of its 6 months are on record
    // (the officer entered 2021-02..04): the trace names 2020-11, 2020-12 and 2021-01.
    let mut h = household(102_400);
    h.versions[0].income.retain(|i| i.month >= YearMonth::new(2021, 2).unwrap());
    let d = eval(&app(Program::MinimumLiving, &h, date(2021, 6, 20)));
    assert_eq!(d.inputs["income_window"], json!(["2020-11", "2021-04"]));
    assert_eq!(d.inputs["income_months_missing"], json!(["2020-11", "2020-12", "2021-01"]));
    let line = d.trace.iter().find(|l| l.contains("没有登记收入")).expect("the missing months in the trace");
    assert!(line.contains("2020年11月、2020年12月、2021年1月"), "{line}");
    // A month entered as 0 is a month on record (no income), not a missing one.
    let h = household(0);
    let d = eval(&app(Program::MinimumLiving, &h, date(2021, 6, 20)));
    assert_eq!(d.inputs["income_months_missing"], json!([]));
    assert!(!d.trace.iter().any(|l| l.contains("没有登记收入")), "{:?}", d.trace);
    // The window is the rule's: 6 months before the month of application, across a year end.
    assert_eq!(
        income_window(date(2021, 1, 31), 6),
        (YearMonth::new(2020, 7).unwrap(), YearMonth::new(2020, 12).unwrap())
    );
    assert_eq!(
        income_window(date(2021, 3, 1), 1),
        (YearMonth::new(2021, 2).unwrap(), YearMonth::new(2021, 2).unwrap())
    );
}
