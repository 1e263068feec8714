//! Whose payment roll is asked for: a county's (the paying county, 县级民政部门, 社会救助暂行办法
//! 第十一条第三项) or a township's own lines of it (the 乡镇（街道）that accepted and reviewed its
//! households and hands the 花名册 to the paying bank).

use domain::division::{DivisionCode, Divisions, Level};
use domain::problem::FieldError;

/// The roll's division and its paying county: a county code gives (county, county); a township
/// code gives (township, its county). Anything else is a problem on `county`.
pub(crate) fn roll_division(
    divisions: &Divisions,
    text: &str,
    problems: &mut Vec<FieldError>,
) -> Option<(DivisionCode, DivisionCode)> {
    let found = DivisionCode::parse(text.trim()).ok().and_then(|code| {
        let division = divisions.get(&code)?;
        match division.level {
            Level::County => Some((code.clone(), code)),
            Level::Township => {
                let county = divisions.ancestors(&code).into_iter().find(|d| d.level == Level::County)?.code.clone();
                Some((code, county))
            }
            _ => None,
        }
    });
    if found.is_none() {
        problems.push(FieldError::new("county", "invalid_county", "请选择县（市、区）或乡镇（街道）区划代码"));
    }
    found
}
