//! One masking rule for ID numbers, checked from the outside: for every view a reader without
//! `ReadPersonFull` gets (the JSON API, the pages, the payment roll's Excel file, the notices), an
//! attacker takes everything the view shows — the masked number, the birth date, the division
//! code, the sex — and tries to rebuild the 18-character number with the check character
//! (GB 11643-1999 §5.1.1). The test fails when fewer than 100 numbers remain possible.

use calamine::{Reader, Xlsx};
use chrono::{TimeZone, Utc};
use domain::engine::action::{Action, Verdict};
use serde_json::json;
use service::assistance::{ApplicationInput, HouseholdInput, HouseholdVersionInput, IncomeInput, MemberInput};
use service::cases::{ApplicantRef, SubmitCase};
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth};

const TOWNSHIP: &str = "511702001";
const COUNTY: &str = "511702";

/// GB 11643-1999 §5.1.1: the check character of the first 17 digits.
fn check_char(first17: &[u8]) -> u8 {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    b"10X98765432"[(sum % 11) as usize]
}

/// How many 18-character numbers agree with everything `shown` tells about `id`, counted up to
/// 100 000. What the attacker learns: the characters of any 18-character token of digits, `X`
/// and `*` that agrees with the number where it shows a character (a mask); digits 1–6 when the
/// view shows that code anywhere (a division code); digits 7–14 when it shows the birth date in
/// any of the forms the platform writes; the parity of digit 17 (the sex) always.
fn candidates(shown: &str, id: &str) -> u64 {
    let id = id.as_bytes();
    let mut known = [false; 18];
    let bytes = shown.as_bytes();
    for window in bytes.windows(18) {
        let mask_like = window.iter().all(|b| b.is_ascii_digit() || *b == b'X' || *b == b'*');
        if mask_like && window.iter().zip(id).all(|(w, c)| *w == b'*' || w == c) {
            for (i, w) in window.iter().enumerate() {
                known[i] |= *w != b'*';
            }
        }
    }
    let text = |range: std::ops::Range<usize>| String::from_utf8_lossy(&id[range]).into_owned();
    if shown.contains(&text(0..6)) {
        known[..6].iter_mut().for_each(|k| *k = true);
    }
    let (y, m, d) = (text(6..10), text(10..12), text(12..14));
    let (mn, dn) = (m.trim_start_matches('0'), d.trim_start_matches('0'));
    let birth_forms =
        [format!("{y}{m}{d}"), format!("{y}-{m}-{d}"), format!("{y}年{mn}月{dn}日"), format!("{y}/{m}/{d}")];
    if birth_forms.iter().any(|f| shown.contains(f.as_str())) {
        known[6..14].iter_mut().for_each(|k| *k = true);
    }
    let unknown: Vec<usize> = (0..17).filter(|i| !known[*i]).collect();
    if unknown.len() > 5 {
        return 100_000;
    }
    let mut count = 0;
    for n in 0..10u64.pow(unknown.len() as u32) {
        let mut guess = [0u8; 17];
        guess.copy_from_slice(&id[..17]);
        let mut rest = n;
        for &i in &unknown {
            guess[i] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        if (guess[16] - b'0') % 2 != (id[16] - b'0') % 2 {
            continue;
        }
        if known[17] && check_char(&guess) != id[17] {
            continue;
        }
        count += 1;
    }
    count
}

#[test]
fn the_attacker_rebuilds_a_number_from_the_old_mask_and_not_from_the_new() {
    let id = id_number("511702", "19700301", 11);
    let old = format!(
        "{{\"id_number_masked\":\"{}**********{}\",\"birth_date\":\"1970-03-01\",\"division\":\"511702001\"}}",
        &id[..4],
        &id[14..]
    );
    assert_eq!(candidates(&old, &id), 1, "the finding: first 4 + last 4 beside the birth date and division");
    let new = format!(
        "{{\"id_number_masked\":\"{}\",\"birth_date\":\"1970年3月1日\",\"division\":\"511702001\"}}",
        domain::idcard::mask_id_text(&id)
    );
    assert_eq!(candidates(&new, &id), 500);
    assert_eq!(candidates(&id, &id), 1, "the number itself");
}

/// Everything an xlsx file's sheets hold, as text.
fn xlsx_text(bytes: &[u8]) -> String {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        for row in range.rows() {
            for cell in row {
                out.push_str(&cell.to_string());
                out.push('\t');
            }
            out.push('\n');
        }
    }
    out
}

on_both!(no_view_without_full_read_gives_an_id_number_back, |db| async move {
    let api = Api::new(db).await;
    let t = &api.t;
    let app = &t.app;
    t.clock.set(Utc.with_ymd_and_hms(2021, 7, 5, 1, 0, 0).single().expect("instant")).expect("forward");
    let clerk = t.staff("mask_clerk", "clerk", TOWNSHIP).await;
    let officer = t.staff("mask_officer", "township_officer", TOWNSHIP).await;
    let decider = t.staff("mask_decider", "decider", COUNTY).await;

    // A 低保 household of two, granted and paying from August 2021.
    let ids = [id_number(COUNTY, "19700301", 11), id_number(COUNTY, "20050601", 12)];
    let mut persons = Vec::new();
    for (name, id) in [("张一", &ids[0]), ("张二", &ids[1])] {
        let input = domain::person::PersonInput {
            name: name.into(),
            id_number: id.clone(),
            phone: Some("13912345678".into()),
            address: Some("达州市通川区朝阳路1号".into()),
            division: TOWNSHIP.into(),
        };
        persons.push(app.create_person(&clerk, &input).await.expect("person").id);
    }
    let (a, b) = (persons[0], persons[1]);
    let income = (0..18)
        .map(|i| IncomeInput {
            person_id: a,
            month: format!("{}-{:02}", 2020 + i / 12, i % 12 + 1),
            kind: "工资性收入".into(),
            amount_yuan: "300".into(),
            until: None,
            basis: None,
        })
        .collect();
    let household = HouseholdInput {
        division: TOWNSHIP.into(),
        urban: true,
        version: HouseholdVersionInput {
            valid_from: "2021-01-01".into(),
            members: vec![
                MemberInput { person_id: a, relationship: "applicant".into(), ..Default::default() },
                MemberInput { person_id: b, relationship: "child".into(), ..Default::default() },
            ],
            income,
            assets: vec![],
        },
    };
    let h = app.create_household(&officer, &household).await.expect("household").id;
    let submit = SubmitCase {
        item: "minimum-living-allowance".into(),
        channel: "window".into(),
        applicant: ApplicantRef::Person(a),
        accepting_division: TOWNSHIP.into(),
        situation: Some("ordinary".into()),
        materials: [
            "application",
            "household_hukou",
            "id_cards",
            "income_assets_declaration",
            "verification_authorisation",
            "bank_account",
        ]
        .map(str::to_string)
        .to_vec(),
        data: json!({}),
        idempotency_key: None,
    };
    let case = app.submit_case(&clerk, &submit).await.expect("submit").view.case.id;
    let application = ApplicationInput { household_id: h, program: "minimum_living".into(), ..Default::default() };
    app.register_assistance_application(&officer, case, &application).await.expect("application");
    app.act_on_case(&officer, case, None, &Action::Accept).await.expect("accept");
    while app.case(&officer, case).await.expect("case").case.step.as_deref() != Some("publicity") {
        let approve = Action::Review { verdict: Verdict::Approve, opinion: "经调查属实".into() };
        app.act_on_case(&officer, case, None, &approve).await.expect("review");
    }
    let after = Utc.with_ymd_and_hms(2021, 7, 13, 1, 0, 0).single().expect("instant");
    t.clock.set(after).expect("forward");
    app.sweep_once(after).await.expect("sweep");
    let grant = Action::Decide { grant: true, reasons: String::new(), basis: String::new() };
    app.act_on_case(&decider, case, None, &grant).await.expect("granted");
    let number = app.case(&officer, case).await.expect("case").case.number.clone();
    // Signed in now (a session lasts hours, not the days the case took).
    let leader = api.staff_token("mask_leader", "leader", COUNTY).await;
    let admin = api.staff_token("mask_admin", "admin", COUNTY).await;
    let (leader_session, _) = api.cookie_login("mask_leader", crate::helpers::STAFF_PASSWORD).await;
    let (admin_session, _) = api.cookie_login("mask_admin", crate::helpers::STAFF_PASSWORD).await;

    // Every view of these people a reader without ReadPersonFull may open.
    let views: Vec<(&str, String)> = vec![
        ("GET", "/api/v1/persons?limit=500".into()),
        ("GET", format!("/api/v1/persons/{a}")),
        ("GET", format!("/api/v1/persons/{b}")),
        ("POST", "/api/v1/persons/search".into()),
        ("GET", format!("/api/v1/persons/{a}/marital-status")),
        ("GET", format!("/api/v1/assistance/households/{h}")),
        ("GET", format!("/api/v1/cases/{case}")),
        ("GET", "/api/v1/cases?limit=500".into()),
        ("GET", format!("/api/v1/cases/{case}/events")),
        ("GET", format!("/api/v1/cases/{case}/assistance-decision")),
        ("GET", "/api/v1/assistance/payment-roll?county=511702&month=2021-08".into()),
        ("GET", "/api/v1/assistance/payment-roll.xlsx?county=511702&month=2021-08".into()),
        ("GET", format!("/cases/{case}")),
        ("GET", format!("/cases?q={}", crate::helpers::urlencode("张一"))),
        ("GET", format!("/cases?q={number}")),
        ("GET", format!("/cases/{case}/notices/acceptance")),
        ("GET", format!("/cases/{case}/notices/decision")),
        ("GET", format!("/assistance/households/{h}")),
        ("GET", "/assistance/payment-roll?county=511702&month=2021-08".into()),
        ("GET", "/work".into()),
    ];
    let mut shown_somewhere = 0;
    for (who, token, session) in [("leader", &leader, &leader_session), ("admin", &admin, &admin_session)] {
        for (method, path) in &views {
            let auth =
                if path.starts_with("/api/") { Auth::Bearer(token) } else { Auth::Cookie { session, csrf: None } };
            let reply = match *method {
                "POST" => api.post(path, auth, json!({"name": "张"})).await,
                _ => api.get(path, auth).await,
            };
            assert!(reply.status.as_u16() < 500, "{who} {path}: {}", reply.text());
            if reply.status != 200 {
                continue;
            }
            let shown = if path.contains(".xlsx") { xlsx_text(&reply.body) } else { reply.text() };
            for id in &ids {
                assert!(!shown.contains(id.as_str()), "{who} {path} shows {id} in full");
                let left = candidates(&shown, id);
                assert!(left >= 100, "{who} {path}: {id} rebuilt to {left} candidates from:\n{shown}");
                if shown.contains(&id[..4]) && shown.contains("**") {
                    shown_somewhere += 1;
                }
            }
        }
    }
    assert!(shown_somewhere >= 10, "the views show the masked numbers ({shown_somewhere})");
});
