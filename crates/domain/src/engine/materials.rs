//! Which materials are still missing (行政许可法 Art. 32; 国务院令第716号 Art. 7: what data
//! sharing provides is never demanded, `ServiceItem::demanded_materials` leaves it out).

use crate::catalog::{CaseType, Material, ServiceItem};
use crate::engine::case::Case;

/// The required materials of the case's situation that were not handed in: what a one-time
/// notice must list, all of them at once (Art. 32(4)).
pub fn missing_required<'a>(item: &'a ServiceItem, case: &Case) -> Vec<&'a Material> {
    item.demanded_materials(case.situation.as_deref())
        .into_iter()
        .filter(|m| m.required && !case.materials.contains(&m.id))
        .collect()
}

/// The missing materials acceptance cannot do without: all of them for a 即办件 (decided on
/// the spot, Art. 34 para. 2, needs 申请材料齐全), else those not marked 容缺.
pub fn blocking_acceptance<'a>(item: &'a ServiceItem, case: &Case) -> Vec<&'a Material> {
    let instant = item.case_type == CaseType::Instant;
    missing_required(item, case).into_iter().filter(|m| instant || !m.tolerance).collect()
}

/// Material names joined for a message: 申请书、证明材料.
pub(crate) fn names(materials: &[&Material]) -> String {
    materials.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join("、")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testkit::{draft, ItemBuilder};

    #[test]
    fn shared_and_optional_materials_are_never_missing() {
        let item = ItemBuilder::new().build();
        let mut case = draft(&item);
        assert!(missing_required(&item, &case).is_empty());
        case.materials.clear();
        let ids: Vec<&str> = missing_required(&item, &case).iter().map(|m| m.id.as_str()).collect();
        // id_card is obtainable by data sharing; letter is optional.
        assert_eq!(ids, ["application", "photo", "proof"]);
        let blocking: Vec<&str> = blocking_acceptance(&item, &case).iter().map(|m| m.id.as_str()).collect();
        assert_eq!(blocking, ["application", "proof"], "photo is 容缺");
        let instant = ItemBuilder::new().instant().build();
        assert_eq!(blocking_acceptance(&instant, &case).len(), 3);
        assert_eq!(names(&missing_required(&item, &case)), "申请书、近期免冠照片、证明材料");

        case.situation = Some("simple".into());
        let ids: Vec<&str> = missing_required(&item, &case).iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["application"]);
    }
}
