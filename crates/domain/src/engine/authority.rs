//! Where a step is acted on: the seat's division, raised to the step's level, or lowered by a
//! delegation (下放) in force on the act's date (docs/designs/engine.md, "Jurisdiction").

use chrono::NaiveDate;

use crate::access::Role;
use crate::catalog::{CompetentBy, ServiceItem};
use crate::division::{DivisionCode, Level};
use crate::engine::case::{Authority, Case, CaseStatus};
use crate::engine::context::EngineContext;
use crate::engine::jurisdiction::ancestor_at;
use crate::engine::refusal::Refusal;
use crate::procedure::{Seat, StepDef, StepKind};

/// The office that acts at `step` on `date`, and under whose power.
///
/// The seat (`accepting` or `competent`) gives a division; the step's `level` raises it to that
/// ancestor (a 低保 confirmation seated at the applicant's township acts at its county). A
/// delegation of this item's step in force on `date` and covering the seat moves the level to
/// its `to_level` (the township itself), and the authority becomes the delegation's document.
/// A delegation whose level lies below the seat cannot apply and is ignored.
pub fn acting_division(
    item: &ServiceItem,
    case: &Case,
    step: &StepDef,
    ctx: &EngineContext,
    date: NaiveDate,
) -> Result<(DivisionCode, Authority), Refusal> {
    let seat = match step.seat {
        Seat::Accepting => &case.accepting,
        Seat::Competent => &case.competent,
    };
    let divisions = ctx.divisions;
    if divisions.get(seat).is_none() {
        return Err(Refusal::new(
            "division_unknown",
            format!("行政区划 {seat} 不在本平台的行政区划表中，无法确定办理机关"),
        ));
    }
    let delegated = ctx
        .delegations
        .iter()
        .filter(|d| d.item == item.slug && d.step == step.id && d.in_force(date) && d.covers(seat, divisions))
        .find_map(|d| ancestor_at(divisions, seat, d.to_level).map(|at| (at, d)));
    if let Some((at, delegation)) = delegated {
        return Ok((at.code.clone(), Authority::Delegated { document: delegation.document.clone() }));
    }
    match step.level {
        None => Ok((seat.clone(), Authority::Own)),
        Some(level) => match ancestor_at(divisions, seat, level) {
            Some(at) => Ok((at.code.clone(), Authority::Own)),
            None => Err(Refusal::new(
                "no_acting_division",
                format!("“{}”环节应由{}机关办理，但 {seat} 之上没有该级机关", step.name, level.name_zh()),
            )),
        },
    }
}

/// Who holds a case now: who can move it next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// Closed, or not yet submitted: nobody.
    Nobody,
    /// Waiting for the applicant (补正材料).
    Applicant,
    /// A period runs (公示): it ends by itself, the system moves the case on.
    Timer,
    /// The office and the role that act at the current step.
    Office { division: DivisionCode, role: Role },
    /// No office can act: why (a case created before submissions were checked for it).
    Stuck(Refusal),
}

/// Who holds `case` on `date`: the applicant while a supplement is awaited; else the current
/// step's role at the office [`acting_division`] names, the system for a step with a timer and no
/// role, or why nobody can act.
pub fn holder(item: &ServiceItem, case: &Case, ctx: &EngineContext, date: NaiveDate) -> Holder {
    match case.status {
        CaseStatus::Draft | CaseStatus::Closed(_) => return Holder::Nobody,
        CaseStatus::AwaitingSupplement => return Holder::Applicant,
        _ => {}
    }
    let Some(step) = case.step.as_deref().and_then(|id| item.procedure.step(id)) else {
        return Holder::Nobody;
    };
    if step.kind == StepKind::Wait && step.timer.is_some() {
        return Holder::Timer;
    }
    let Some(role) = step.role else {
        return Holder::Timer;
    };
    match acting_division(item, case, step, ctx, date) {
        Ok((division, _)) => Holder::Office { division, role },
        Err(refusal) => Holder::Stuck(refusal),
    }
}

/// The office a level stands for, in the words a form uses (乡镇（街道）, not 乡级).
pub fn level_office(level: Level) -> &'static str {
    match level {
        Level::Township => "乡镇（街道）",
        Level::County => "县（市、区）",
        Level::Prefecture => "市（州）",
        Level::Province => "省（自治区、直辖市）",
    }
}

/// Every step a person acts on has an office to act on it for this case on `date`: no case may be
/// created where nobody can move it. The office an application is made to must accept it or refuse
/// it (行政许可法第三十二条), and a 低保 application is made to the 乡镇人民政府（街道办事处）
/// (《社会救助暂行办法》第十一条第一项): a case seated at a county for a step done by a township has
/// no township to act. The refusal names the seat that is too high: `accepting_division_level`
/// (the accepting office) or `competent_division_level` (the office the competent division
/// follows, e.g. the 户籍地), so that the form asks for the lower division.
pub fn check_staffed(item: &ServiceItem, case: &Case, ctx: &EngineContext, date: NaiveDate) -> Result<(), Refusal> {
    for step in item.procedure.steps.iter().filter(|s| s.role.is_some()) {
        let Err(refusal) = acting_division(item, case, step, ctx, date) else {
            continue;
        };
        let (Some(level), "no_acting_division") = (step.level, refusal.code) else {
            return Err(refusal);
        };
        let competent_what = match item.competent_by {
            CompetentBy::Hukou => "户籍所在地",
            CompetentBy::Premises => "住所（场所）所在地",
            CompetentBy::Accepting => "受理地",
        };
        let (code, seat, what) = match step.seat {
            Seat::Accepting => ("accepting_division_level", &case.accepting, "受理地"),
            Seat::Competent => ("competent_division_level", &case.competent, competent_what),
        };
        let office = level_office(level);
        let place = ctx.divisions.full_name(seat).unwrap_or_else(|| seat.to_string());
        return Err(Refusal::new(
            code,
            format!("{what}须具体到{office}：“{}”由{office}办理，{place}不是{office}，请选择其下的{office}", step.name),
        )
        .with_basis("《中华人民共和国行政许可法》第三十二条；《社会救助暂行办法》第十一条"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::WorkCalendar;
    use crate::division::{Divisions, Level};
    use crate::engine::context::Delegation;
    use crate::engine::testkit::{code, date, draft, ItemBuilder};

    fn delegation(from: NaiveDate, until: Option<NaiveDate>) -> Delegation {
        Delegation {
            item: "test-item".into(),
            step: "decide".into(),
            to_level: Level::Township,
            divisions: vec![code("511702")],
            from,
            until,
            document: "通府发〔2021〕5号".into(),
        }
    }

    #[test]
    fn level_raises_and_delegation_lowers() {
        let item = ItemBuilder::new().build();
        let step = item.procedure.step("decide").unwrap().clone();
        assert_eq!(step.level, Some(Level::County));
        let mut case = draft(&item);
        case.competent = code("511702001");
        let divisions = Divisions::builtin();
        let calendar = WorkCalendar::builtin();

        let plain = EngineContext::new(divisions, calendar);
        let got = acting_division(&item, &case, &step, &plain, date(2021, 6, 1)).unwrap();
        assert_eq!(got, (code("511702"), Authority::Own));

        // In force from 2021-07-01, revoked from 2022-01-01 (last day 2021-12-31).
        let delegations = [delegation(date(2021, 7, 1), Some(date(2021, 12, 31)))];
        let ctx = EngineContext { delegations: &delegations, ..plain };
        let own = (code("511702"), Authority::Own);
        let delegated = (code("511702001"), Authority::Delegated { document: "通府发〔2021〕5号".into() });
        assert_eq!(acting_division(&item, &case, &step, &ctx, date(2021, 6, 30)).unwrap(), own, "not yet");
        assert_eq!(acting_division(&item, &case, &step, &ctx, date(2021, 7, 1)).unwrap(), delegated, "first day");
        assert_eq!(acting_division(&item, &case, &step, &ctx, date(2021, 12, 31)).unwrap(), delegated, "last day");
        assert_eq!(acting_division(&item, &case, &step, &ctx, date(2022, 1, 1)).unwrap(), own, "revoked");

        // Another county is not covered; another step or item is not delegated.
        case.competent = code("511703001");
        let other_county = acting_division(&item, &case, &step, &ctx, date(2021, 8, 1)).unwrap();
        assert_eq!(other_county, (code("511703"), Authority::Own));
        case.competent = code("511702001");
        let review = item.procedure.step("review").unwrap();
        assert_eq!(acting_division(&item, &case, review, &ctx, date(2021, 8, 1)).unwrap().1, Authority::Own);

        // A delegation to the township cannot apply when the seat is the county itself.
        case.competent = code("511702");
        assert_eq!(acting_division(&item, &case, &step, &ctx, date(2021, 8, 1)).unwrap(), own);
    }

    #[test]
    fn a_case_seated_above_a_steps_level_has_nobody_to_act() {
        let divisions = Divisions::builtin();
        let ctx = EngineContext::new(divisions, WorkCalendar::builtin());
        let on = date(2021, 9, 27);
        // Acceptance by the township (as 低保's), the review by the county.
        let item = ItemBuilder::new().edit_step("accept", |s| s.level = Some(Level::Township)).build();
        let mut case = draft(&item);
        // Taken in at the township, for an applicant of a township: every step has an office.
        case.accepting = code("511702001");
        assert_eq!(check_staffed(&item, &case, &ctx, on), Ok(()));
        // Taken in at the county window: nobody below it is named, so nobody could accept.
        case.accepting = code("511702");
        let refusal = check_staffed(&item, &case, &ctx, on).unwrap_err();
        assert_eq!(refusal.code, "accepting_division_level");
        assert!(refusal.message.starts_with("受理地须具体到乡镇（街道）"), "{}", refusal.message);
        assert!(refusal.message.contains("达州市通川区不是乡镇（街道）"), "{}", refusal.message);
        assert!(refusal.basis.unwrap().contains("第三十二条"));
        // A township step on the competent side, the 户籍地 given as a county.
        let item = ItemBuilder::new().edit_step("review", |s| s.level = Some(Level::Township)).build();
        let mut case = draft(&item);
        assert_eq!(check_staffed(&item, &case, &ctx, on), Ok(()));
        case.competent = code("511702");
        assert_eq!(check_staffed(&item, &case, &ctx, on).unwrap_err().code, "competent_division_level");
        // A division the table does not know is refused as such.
        case.competent = code("511799");
        assert_eq!(check_staffed(&item, &case, &ctx, on).unwrap_err().code, "division_unknown");
    }

    #[test]
    fn who_holds_a_case() {
        let divisions = Divisions::builtin();
        let ctx = EngineContext::new(divisions, WorkCalendar::builtin());
        let on = date(2021, 9, 27);
        let item = ItemBuilder::new().build();
        let mut case = draft(&item);
        assert_eq!(holder(&item, &case, &ctx, on), Holder::Nobody, "a draft");
        case.status = CaseStatus::Submitted;
        case.step = Some("accept".into());
        assert_eq!(holder(&item, &case, &ctx, on), Holder::Office { division: code("511702"), role: Role::Clerk });
        case.status = CaseStatus::AwaitingSupplement;
        assert_eq!(holder(&item, &case, &ctx, on), Holder::Applicant);
        case.status = CaseStatus::InProgress;
        case.step = Some("review".into());
        assert_eq!(holder(&item, &case, &ctx, on), Holder::Office { division: code("511702"), role: Role::Reviewer });
        case.step = Some("publicity".into());
        assert_eq!(holder(&item, &case, &ctx, on), Holder::Timer);
        // Seated above the step's level: stuck, with the reason.
        case.step = Some("review".into());
        case.competent = code("511700");
        match holder(&item, &case, &ctx, on) {
            Holder::Stuck(refusal) => assert_eq!(refusal.code, "no_acting_division"),
            other => panic!("{other:?}"),
        }
        case.status = CaseStatus::Closed(crate::engine::case::Outcome::Withdrawn);
        assert_eq!(holder(&item, &case, &ctx, on), Holder::Nobody);
    }

    #[test]
    fn unknown_or_unreachable_divisions() {
        let item = ItemBuilder::new().build();
        let divisions = Divisions::builtin();
        let ctx = EngineContext::new(divisions, WorkCalendar::builtin());
        let mut case = draft(&item);
        case.competent = code("511799");
        let step = item.procedure.step("decide").unwrap();
        assert_eq!(acting_division(&item, &case, step, &ctx, date(2021, 6, 1)).unwrap_err().code, "division_unknown");
        // A county-level step seated at a prefecture has no county to act.
        case.competent = code("511700");
        let err = acting_division(&item, &case, step, &ctx, date(2021, 6, 1)).unwrap_err();
        assert_eq!(err.code, "no_acting_division");
    }
}
