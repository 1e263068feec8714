//! 人大代表建议、政协提案办理 and 政务开放日: a suggestion assigned (交办) to the bureau, its
//! handling and the deputy's satisfaction form, under 《中华人民共和国全国人民代表大会和地方各级
//! 人民代表大会代表法》 第五十一条 (as amended 2025-03-11): the handling organ contacts the deputy
//! and replies within three months of 交办, six for a wide-ranging or difficult one, and its
//! handling is made public. The same procedure is followed for a CPPCC member's 提案 and for a
//! citizen's suggestion received at an open day (the bureau's choice; see `docs/designs/suggestions.md`).
//!
//! - [`limits`]: the periods, counted in calendar months (民法典 第二百零一条至第二百零三条).
//! - [`record`]: what is registered and recorded, each parsed by the one parser of form and API.
//! - [`progress`]: the state of a suggestion derived from its dated acts, and which act is lawful next.
//! - [`stats`]: handled, on time, satisfaction, computed from the records.

pub mod codes;
pub mod limits;
pub mod progress;
pub mod record;
pub mod stats;

pub use limits::Limits;
pub use progress::{Progress, ProposerState, Stage};
pub use record::{
    Act, ActInput, ActKind, Kind, NewOpenDay, NewOpenDayInput, NewSuggestion, OpenDayInput, OpenDayInputInput,
    Satisfaction, SuggestionInput,
};
pub use stats::{Stats, SuggestionRecord};

/// The name of a suggestion's stream in the full-process record: `suggestion:<id>`.
pub fn stream(id: i64) -> String {
    format!("suggestion:{id}")
}

/// The name of an open day's stream: `open_day:<id>`.
pub fn open_day_stream(id: i64) -> String {
    format!("open_day:{id}")
}

/// The Chinese labels of the area's events ([`crate::event_label`] asks each area).
pub const EVENT_LABELS: &[(&str, &str)] = &[
    ("suggestion.assigned", "登记交办的建议提案"),
    ("suggestion.co_opinion", "收到协办单位意见"),
    ("suggestion.contact", "与代表委员联系沟通"),
    ("suggestion.draft", "拟定答复"),
    ("suggestion.approve", "领导审定答复"),
    ("suggestion.send", "答复代表委员"),
    ("suggestion.feedback", "收到征询意见表"),
    ("suggestion.send_back", "退回交办机关"),
    ("open_day.held", "登记政务开放日活动"),
    ("open_day.input", "记录开放日收到的意见建议"),
];
