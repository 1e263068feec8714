//! What the generic pages ask an area for (the seam: one `match` over [`Vertical`] per
//! question). An item without an area gets the generic answer: nothing.

use domain::audit::Event;
use domain::vertical::Vertical;
use service::cases::CaseView;

use crate::routes::notices::{AreaNotice, NoticeKind};

pub mod assistance;
pub mod marriage;

/// What the case's area adds to its notice of `kind`: its own title and decided words, rows and
/// lists (an assistance decision's amount and start month, a marriage refusal's title).
pub fn notice_rows(vertical: Option<Vertical>, kind: NoticeKind, view: &CaseView, events: &[Event]) -> AreaNotice {
    match vertical {
        Some(Vertical::Marriage) => marriage::notices::notice_rows(kind, view, events),
        Some(Vertical::Assistance) => assistance::notices::notice_rows(kind, view, events),
        Some(Vertical::SocialOrganization | Vertical::ElderlyCare | Vertical::Funeral | Vertical::PlaceName) | None => {
            AreaNotice::default()
        }
    }
}

/// The area's documents of a case beyond the generic notices, as (address, name): a
/// registration's certificate.
pub fn extra_notices(vertical: Option<Vertical>, view: &CaseView, events: &[Event]) -> Vec<(String, &'static str)> {
    match vertical {
        Some(Vertical::Marriage) => marriage::certificate::extra_notices(view, events),
        Some(
            Vertical::Assistance
            | Vertical::SocialOrganization
            | Vertical::ElderlyCare
            | Vertical::Funeral
            | Vertical::PlaceName,
        )
        | None => Vec::new(),
    }
}
