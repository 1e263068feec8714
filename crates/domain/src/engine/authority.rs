//! Where a step is acted on: the seat's division, raised to the step's level, or lowered by a
//! delegation (下放) in force on the act's date (docs/designs/engine.md, "Jurisdiction").

use chrono::NaiveDate;

use crate::catalog::ServiceItem;
use crate::division::DivisionCode;
use crate::engine::case::{Authority, Case};
use crate::engine::context::EngineContext;
use crate::engine::jurisdiction::ancestor_at;
use crate::engine::refusal::Refusal;
use crate::procedure::{Seat, StepDef};

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
