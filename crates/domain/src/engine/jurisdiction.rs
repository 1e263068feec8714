//! Which authority is competent for a matter, how far it is from the accepting office, and
//! whether this office may accept it at all (国办发〔2020〕35号; docs/designs/engine.md,
//! "Jurisdiction"). Decided on the division tree, never on code prefixes.

use crate::catalog::{AcceptAnywhere, CompetentBy, ServiceItem};
use crate::division::{Division, DivisionCode, Divisions, Level};
use crate::engine::basis;
use crate::engine::case::CrossRegion;
use crate::engine::refusal::Refusal;

/// The competent division per the item's `competent_by`:
/// - `hukou`: the applicant's declared household registration, else the region of the ID number
///   (its first six digits). An ID region that is no longer a current division (e.g. 511721
///   达县, replaced by 达川区) cannot decide jurisdiction: the applicant must declare the
///   current 户籍地 (`hukou_unknown`).
/// - `premises`: the division of the premises from the form (`premises_required` without it).
/// - `accepting`: the accepting office itself.
///
/// A division the platform's table does not know is refused (`division_unknown`): no step could
/// be acted on there.
pub fn competent_division(
    item: &ServiceItem,
    accepting: &DivisionCode,
    hukou: Option<&DivisionCode>,
    id_region: &str,
    premises: Option<&DivisionCode>,
    divisions: &Divisions,
) -> Result<DivisionCode, Refusal> {
    let found = match item.competent_by {
        CompetentBy::Accepting => accepting.clone(),
        CompetentBy::Premises => premises
            .cloned()
            .ok_or_else(|| Refusal::new("premises_required", "请填写场所所在地（行政区划），以确定办理机关"))?,
        CompetentBy::Hukou => match hukou {
            Some(code) => code.clone(),
            None => {
                let region: String = id_region.chars().take(6).collect();
                match DivisionCode::parse(&region) {
                    Ok(code) if divisions.get(&code).is_some() => code,
                    _ => {
                        return Err(Refusal::new(
                            "hukou_unknown",
                            format!("身份证号码的地址码“{region}”不是现行行政区划（可能已撤并），请申报现户籍地"),
                        ));
                    }
                }
            }
        },
    };
    if divisions.get(&found).is_none() {
        return Err(unknown(&found));
    }
    Ok(found)
}

/// How far apart the two offices are: same county (区、县、县级市) → `None`; same prefecture →
/// `County`; same province → `Prefecture`; else `Province`. An office above county level
/// stands for itself (511700 vs 511702 is `County`). A 直辖市's grouping rows (重庆市 500100
/// 市辖区, 500200 县) are not prefectures: all of 重庆市 counts as one prefecture. A division the
/// table does not know is taken as another province (the broadest case).
pub fn classify(accepting: &DivisionCode, competent: &DivisionCode, divisions: &Divisions) -> CrossRegion {
    let (Some(a), Some(c)) = (divisions.get(accepting), divisions.get(competent)) else {
        return CrossRegion::Province;
    };
    if county_of(a, divisions).code == county_of(c, divisions).code {
        return CrossRegion::None;
    }
    let same = |x: Option<&Division>, y: Option<&Division>| matches!((x, y), (Some(x), Some(y)) if x.code == y.code);
    if same(prefecture_of(a, divisions), prefecture_of(c, divisions)) {
        return CrossRegion::County;
    }
    if same(ancestor_at(divisions, &a.code, Level::Province), ancestor_at(divisions, &c.code, Level::Province)) {
        return CrossRegion::Prefecture;
    }
    CrossRegion::Province
}

/// Whether `accepting` may take the application at all, per the item's `accept_anywhere`:
/// `hukou` only within the county of the competent division; `province` within its province;
/// `anywhere` everywhere (国办发〔2020〕35号).
pub fn may_accept(
    item: &ServiceItem,
    accepting: &DivisionCode,
    competent: &DivisionCode,
    divisions: &Divisions,
) -> Result<(), Refusal> {
    if item.accept_anywhere == AcceptAnywhere::Anywhere {
        return Ok(());
    }
    let a = divisions.get(accepting).ok_or_else(|| unknown(accepting))?;
    let c = divisions.get(competent).ok_or_else(|| unknown(competent))?;
    let (area, allowed) = match item.accept_anywhere {
        AcceptAnywhere::Hukou => {
            let county = county_of(c, divisions);
            (county, divisions.is_within(&a.code, &county.code))
        }
        AcceptAnywhere::Province => {
            let province = ancestor_at(divisions, &c.code, Level::Province).unwrap_or(c);
            (province, divisions.is_within(&a.code, &province.code))
        }
        AcceptAnywhere::Anywhere => return Ok(()),
    };
    if allowed {
        return Ok(());
    }
    let name = divisions.full_name(&area.code).unwrap_or_else(|| area.code.to_string());
    Err(Refusal::new("not_accepted_here", format!("本事项须在{name}范围内受理，本受理点不能受理"))
        .with_basis(basis::CROSS_REGION))
}

/// `code` itself if it is at `level`, else its ancestor at `level`; `None` when `code` is above
/// `level` or unknown.
pub fn ancestor_at<'a>(divisions: &'a Divisions, code: &DivisionCode, level: Level) -> Option<&'a Division> {
    let me = divisions.get(code)?;
    if me.level == level {
        return Some(me);
    }
    divisions.ancestors(code).into_iter().find(|d| d.level == level)
}

/// The county a division lies in; a division above county level stands for itself.
fn county_of<'a>(d: &'a Division, divisions: &'a Divisions) -> &'a Division {
    ancestor_at(divisions, &d.code, Level::County).unwrap_or(d)
}

/// The prefecture a division lies in; a 直辖市's grouping row stands for the 直辖市 itself. A
/// province has none.
fn prefecture_of<'a>(d: &'a Division, divisions: &'a Divisions) -> Option<&'a Division> {
    let prefecture = ancestor_at(divisions, &d.code, Level::Prefecture)?;
    if prefecture.is_grouping() {
        return ancestor_at(divisions, &d.code, Level::Province);
    }
    Some(prefecture)
}

fn unknown(code: &DivisionCode) -> Refusal {
    Refusal::new("division_unknown", format!("行政区划 {code} 不在本平台的行政区划表中，无法确定管辖"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testkit::{code, ItemBuilder};

    fn divisions() -> &'static Divisions {
        Divisions::builtin()
    }

    #[test]
    fn cross_region_classification() {
        let d = divisions();
        let check = |a: &str, c: &str, expected: CrossRegion| {
            assert_eq!(classify(&code(a), &code(c), d), expected, "{a} vs {c}");
            assert_eq!(classify(&code(c), &code(a), d), expected, "{c} vs {a}");
        };
        check("511702", "511702", CrossRegion::None);
        check("511702001", "511702", CrossRegion::None);
        check("511702", "511703", CrossRegion::County);
        check("511702", "510104", CrossRegion::Prefecture);
        check("511702", "500101", CrossRegion::Province);
        check("511700", "511702", CrossRegion::County);
        check("510000", "511702", CrossRegion::Prefecture);
        // 重庆市: 万州区 (500101, under 市辖区) and 城口县 (500229, under 县) are one prefecture.
        check("500101", "500229", CrossRegion::County);
        check("500101", "500102", CrossRegion::County);
        // Unknown codes count as another province.
        check("511702", "440106", CrossRegion::Province);
    }

    #[test]
    fn competent_by_hukou_premises_accepting() {
        let d = divisions();
        let hukou_item = ItemBuilder::new().competent_by(CompetentBy::Hukou).build();
        let accepting = code("511703");
        // Declared 户籍地 wins over the ID number.
        let got = competent_division(&hukou_item, &accepting, Some(&code("511702001")), "511722", None, d);
        assert_eq!(got.unwrap(), code("511702001"));
        // Else the ID number's region.
        assert_eq!(
            competent_division(&hukou_item, &accepting, None, "511722199001011234", None, d).unwrap(),
            code("511722")
        );
        // 511721 达县 no longer exists: ask for the current 户籍地.
        let err = competent_division(&hukou_item, &accepting, None, "511721199001011234", None, d).unwrap_err();
        assert_eq!(err.code, "hukou_unknown");
        assert!(err.message.contains("511721"), "{}", err.message);
        assert_eq!(competent_division(&hukou_item, &accepting, None, "51", None, d).unwrap_err().code, "hukou_unknown");
        let far = competent_division(&hukou_item, &accepting, Some(&code("440106")), "", None, d).unwrap_err();
        assert_eq!(far.code, "division_unknown");

        let premises_item = ItemBuilder::new().competent_by(CompetentBy::Premises).build();
        assert_eq!(
            competent_division(&premises_item, &accepting, None, "", None, d).unwrap_err().code,
            "premises_required"
        );
        let got = competent_division(&premises_item, &accepting, Some(&code("511702")), "", Some(&code("511724")), d);
        assert_eq!(got.unwrap(), code("511724"));

        let accepting_item = ItemBuilder::new().competent_by(CompetentBy::Accepting).build();
        assert_eq!(competent_division(&accepting_item, &accepting, None, "", None, d).unwrap(), accepting);
    }

    #[test]
    fn where_an_application_may_be_accepted() {
        let d = divisions();
        let item = |anywhere| ItemBuilder::new().accept_anywhere(anywhere).build();
        let hukou = item(AcceptAnywhere::Hukou);
        // The competent township's county: any office in 通川区 may accept.
        assert!(may_accept(&hukou, &code("511702"), &code("511702001"), d).is_ok());
        assert!(may_accept(&hukou, &code("511702002"), &code("511702001"), d).is_ok());
        let err = may_accept(&hukou, &code("511703"), &code("511702001"), d).unwrap_err();
        assert_eq!(err.code, "not_accepted_here");
        assert!(err.message.contains("四川省达州市通川区"), "{}", err.message);
        assert!(err.basis.unwrap().contains("国办发〔2020〕35号"));

        let province = item(AcceptAnywhere::Province);
        assert!(may_accept(&province, &code("510104"), &code("511702"), d).is_ok());
        assert_eq!(may_accept(&province, &code("500101"), &code("511702"), d).unwrap_err().code, "not_accepted_here");

        let anywhere = item(AcceptAnywhere::Anywhere);
        assert!(may_accept(&anywhere, &code("500101"), &code("511702"), d).is_ok());
        assert!(may_accept(&anywhere, &code("440106"), &code("511702"), d).is_ok());
        assert_eq!(may_accept(&hukou, &code("440106"), &code("511702"), d).unwrap_err().code, "division_unknown");
    }

    #[test]
    fn ancestors_at_levels() {
        let d = divisions();
        assert_eq!(ancestor_at(d, &code("511702001"), Level::County).unwrap().code, code("511702"));
        assert_eq!(ancestor_at(d, &code("511702001"), Level::Township).unwrap().code, code("511702001"));
        assert_eq!(ancestor_at(d, &code("511702"), Level::Province).unwrap().code, code("510000"));
        assert!(ancestor_at(d, &code("511702"), Level::Township).is_none());
        assert!(ancestor_at(d, &code("511799"), Level::County).is_none());
    }
}
