//! The printable certificate is the one handed to the parties: their names and ID numbers in
//! full, for a reader who may read full personal data at the registering office, each party's
//! record read recorded; masked for anyone else (and on the public verification page).

use domain::engine::action::Action;
use serde_json::json;
use test_support::{on_both, Db};

use crate::marriage::{marriage, morning, office, person};
use crate::{acts, test_app};

async fn the_certificate_bears_the_parties_full_data_and_each_read_is_recorded(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning(2025, 6, 2)).expect("forward");
    let o = office(&t, "511702").await;
    let man = person(&t, &o.clerk, "张三", "511702", "19900101", 41).await;
    let wife = person(&t, &o.clerk, "李四", "511702", "19920202", 42).await;
    let input = marriage(man, json!({ "other_party": wife, "declaration_signed": true }), "511702");
    let id = app.submit_case(&o.clerk, &input).await.expect("submit").view.case.id;
    app.act_on_case(&o.clerk, id, None, &Action::Accept).await.expect("registered");
    let full_ids: Vec<String> = {
        let mut ids = Vec::new();
        for p in [man, wife] {
            ids.push(app.person_full(&o.clerk, p).await.expect("full").id_number);
        }
        ids
    };
    let before = acts(app, &format!("person:{man}")).await.len();

    let cert = app.case_certificate(&o.clerk, id).await.expect("certificate");
    assert!(cert.full);
    let named: Vec<(String, String)> = cert.parties.iter().map(|p| (p.name.clone(), p.id_number.clone())).collect();
    assert_eq!(named, vec![("张三".to_string(), full_ids[0].clone()), ("李四".to_string(), full_ids[1].clone())]);
    // The particulars a certificate prints beside the ID number.
    assert!(cert.parties.iter().all(|p| p.sex.is_some() && p.birth_date.is_some()), "{cert:?}");
    for p in [man, wife] {
        let recorded = acts(app, &format!("person:{p}")).await;
        assert_eq!(recorded.last().map(String::as_str), Some("person.read_full"), "{recorded:?}");
    }
    assert_eq!(acts(app, &format!("person:{man}")).await.len(), before + 1);

    // A leader sees the case but may not read full personal data: the masked particulars only.
    let leader = t.staff("leader702", "leader", "511702").await;
    let masked = app.case_certificate(&leader, id).await.expect("particulars");
    assert!(!masked.full);
    assert!(
        masked
            .parties
            .iter()
            .all(|p| p.name != "张三" && !full_ids.contains(&p.id_number) && p.sex.is_none() && p.birth_date.is_none()),
        "{masked:?}"
    );
}
on_both!(certificate_full_for_the_parties, the_certificate_bears_the_parties_full_data_and_each_read_is_recorded);
