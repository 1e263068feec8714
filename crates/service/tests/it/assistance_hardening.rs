//! Social assistance as a township officer works it, on both backends: the township's own lines
//! of its county's payment roll.

use service::assistance::{HouseholdInput, HouseholdVersionInput, IncomeInput, MemberInput};
use service::ErrorKind;
use test_support::{on_both, Db, TestApp};

use crate::assistance::{
    after_publicity, at_publicity, grant, household, minimum_living_submit, staff, submit_to_publicity, Staff, COUNTY,
    TOWNSHIP,
};
use crate::{id_number, person_input, test_app};

const OTHER_TOWNSHIP: &str = "511702002"; // 通川区西城街道

/// A one-person urban household in `township` with 300 元 of income a month in 2020–2021,
/// entered by county staff; returns (household id, applicant person id).
pub(crate) async fn household_in(t: &TestApp, county: &Staff, township: &str, order: u32) -> (i64, i64) {
    let app = &t.app;
    let a = app
        .create_person(&county.clerk, &person_input("王一", &id_number("511702", "19700301", order), None, township))
        .await
        .expect("applicant")
        .id;
    let income = (0..24)
        .map(|i| IncomeInput {
            person_id: a,
            month: format!("{}-{:02}", 2020 + i / 12, i % 12 + 1),
            kind: "工资性收入".into(),
            amount_yuan: "300".into(),
        })
        .collect();
    let input = HouseholdInput {
        division: township.into(),
        urban: true,
        version: HouseholdVersionInput {
            valid_from: "2021-01-01".into(),
            members: vec![MemberInput { person_id: a, relationship: "applicant".into(), ..Default::default() }],
            income,
            assets: vec![],
        },
    };
    (app.create_household(&county.officer, &input).await.expect("household").id, a)
}

/// County-level staff who reach every township of the county.
pub(crate) async fn county_staff(t: &TestApp) -> Staff {
    Staff {
        clerk: t.staff("clerk_c", "clerk", COUNTY).await,
        officer: t.staff("officer_c", "township_officer", COUNTY).await,
        county_decider: t.staff("decider_c2", "decider", COUNTY).await,
    }
}

async fn a_township_reads_its_own_lines_of_the_payment_roll(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let county = county_staff(&t).await;
    let app = &t.app;
    let (own, own_applicant) = household(&t, &s, 11, "1024").await;
    let own_case = at_publicity(&t, &s, own, own_applicant).await;
    let (other, other_applicant) = household_in(&t, &county, OTHER_TOWNSHIP, 31).await;
    let mut submit = minimum_living_submit(other_applicant);
    submit.accepting_division = OTHER_TOWNSHIP.into();
    let application = service::assistance::ApplicationInput {
        household_id: other,
        program: "minimum_living".into(),
        ..Default::default()
    };
    let other_case = submit_to_publicity(&t, &county, submit, application).await;
    after_publicity(&t).await;
    app.act_on_case(&s.county_decider, own_case, None, &grant()).await.expect("own");
    app.act_on_case(&s.county_decider, other_case, None, &grant()).await.expect("other");

    // The county's roll has both; the township officer may read rolls, and reads its own lines.
    let leader = t.staff("leader_c", "leader", COUNTY).await;
    let whole = app.payment_roll(&leader, COUNTY, "2021-08").await.expect("county roll");
    assert_eq!(whole.lines.len(), 2);
    let mine = app.payment_roll(&s.officer, TOWNSHIP, "2021-08").await.expect("township roll");
    assert_eq!((mine.division.as_str(), mine.county.as_str()), (TOWNSHIP, COUNTY));
    assert_eq!(mine.division_name, "四川省达州市通川区东城街道");
    let households: Vec<i64> = mine.lines.iter().map(|l| l.household_id).collect();
    assert_eq!(households, vec![own]);
    assert_eq!(mine.total_fen, mine.lines[0].amount_fen);
    assert_eq!(mine.totals.len(), 1);
    assert_eq!(mine.changes.len(), 1, "only its own new line: {:?}", mine.changes);
    // Its xlsx is the same part, recorded on the township's roll stream.
    let (name, bytes) = app.payment_roll_xlsx(&s.officer, TOWNSHIP, "2021-08").await.expect("xlsx");
    assert_eq!(name, format!("payment-roll-{TOWNSHIP}-2021-08.xlsx"));
    assert!(!bytes.is_empty());
    // Not the county's whole roll, nor another township's lines.
    assert_eq!(app.payment_roll(&s.officer, COUNTY, "2021-08").await.expect_err("county").kind, ErrorKind::Forbidden);
    assert_eq!(
        app.payment_roll(&s.officer, OTHER_TOWNSHIP, "2021-08").await.expect_err("sibling").kind,
        ErrorKind::Forbidden
    );
    // A prefecture or an unknown code is still no roll's division.
    for bad in ["511700", "511702999", "5117"] {
        let e = app.payment_roll(&leader, bad, "2021-08").await.expect_err(bad);
        assert_eq!(e.code, "invalid_county", "{bad}");
    }
}
on_both!(township_roll, a_township_reads_its_own_lines_of_the_payment_roll);
