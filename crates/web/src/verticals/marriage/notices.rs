//! What marriage registration adds to a case's notices: a refused registration's decision is a
//! 不予登记决定书.

use domain::audit::Event;
use service::cases::CaseView;

use crate::routes::notices::{AreaNotice, NoticeKind, Verdict};

/// The items whose refusal is a refusal to register.
const REGISTERING_ITEMS: [&str; 2] = ["marriage-registration", "divorce-registration"];

pub fn notice_rows(kind: NoticeKind, view: &CaseView, _events: &[Event]) -> AreaNotice {
    let case = &view.case;
    let refused = case.decision.as_ref().is_some_and(|d| !d.granted);
    if kind != NoticeKind::Decision || !refused || !REGISTERING_ITEMS.contains(&case.item_slug.as_str()) {
        return AreaNotice::default();
    }
    // 婚姻登记条例（2003年）第七条: 不予登记的，应当向当事人说明理由.
    AreaNotice {
        verdict: Some(Verdict {
            title: "不予登记决定书",
            words: format!("经审查，你们申请的{}不符合登记条件，本机关决定不予登记，理由和依据如下。", view.item_name),
            adverse: true,
        }),
        ..AreaNotice::default()
    }
}
