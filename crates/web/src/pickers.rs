//! Choices, not numbers: the pickers a staff form uses where it would otherwise ask for an
//! internal number (a division code, a household or person number).
//!
//! A picker posts exactly the field the text input did, so the server's one parser for the form
//! and its JSON twin stays as it was. The markup is the macros of `templates/pickers.html`; htmx
//! (served from the binary, `/static/htmx.min.js`) refreshes a picker in place through the
//! endpoints of `routes::pickers`. Without script the picker still works at the level it was
//! drawn at (the user's own jurisdiction, or the value already chosen).

use domain::access::{Actor, Role};
use domain::division::{Division, DivisionCode, Divisions, Level};

/// Which divisions a division picker offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickScope {
    /// The user's own jurisdiction (the divisions of their staff grants and below).
    Jurisdiction,
    /// Every division the platform knows (a party's 户籍地 may be anywhere).
    All,
}

impl PickScope {
    pub fn as_str(self) -> &'static str {
        match self {
            PickScope::Jurisdiction => "jurisdiction",
            PickScope::All => "all",
        }
    }

    pub fn parse(text: &str) -> Option<PickScope> {
        match text {
            "jurisdiction" | "" => Some(PickScope::Jurisdiction),
            "all" => Some(PickScope::All),
            _ => None,
        }
    }
}

/// One `<option>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One `<select>` of the cascade.
#[derive(Debug, Clone)]
pub struct PickLevel {
    pub id: String,
    /// The select's label: the level's name (省（市）、市（州）…).
    pub label: String,
    /// The last select: it carries the form field; the others only steer the cascade.
    pub named: bool,
    /// The refresh address (htmx `hx-get`); `None` where choosing cannot open a lower level.
    pub refresh: Option<String>,
    pub options: Vec<PickOption>,
}

/// A cascading division picker (province → city → county → township).
#[derive(Debug, Clone)]
pub struct DivisionPicker {
    /// The element id prefix; the named select has exactly this id (a `<label for>` still works).
    pub id: String,
    /// The form field it posts.
    pub name: String,
    pub legend: String,
    pub required: bool,
    pub levels: Vec<PickLevel>,
}

/// A name or id fit for an HTML attribute and a query string: `[a-z0-9_-]`, 1 to 40 characters.
pub fn is_plain_name(text: &str) -> bool {
    (1..=40).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// A form field's name: plain names joined by dots (`facts.operator.division`), at most 100
/// characters. Its element id is [`element_id`].
pub fn is_field_name(text: &str) -> bool {
    text.len() <= 100 && text.split('.').all(is_plain_name)
}

/// The element id of a field's picker: its name with `-` for `.` (a dot would end a CSS id
/// selector such as htmx's target).
pub fn element_id(name: &str) -> String {
    name.replace('.', "-")
}

/// The divisions at the top of the user's jurisdiction: the divisions of their staff grants
/// (citizen grants aside), dropping any that lies within another; the provinces for `All` or for
/// an account without a staff grant.
pub fn roots<'a>(divisions: &'a Divisions, actor: &Actor, scope: PickScope) -> Vec<&'a Division> {
    let provinces = || divisions.iter().filter(|d| d.level == Level::Province).collect::<Vec<_>>();
    if scope == PickScope::All {
        return provinces();
    }
    let mut codes: Vec<&DivisionCode> =
        actor.grants.iter().filter(|g| g.role != Role::Citizen).map(|g| &g.division).collect();
    codes.sort();
    codes.dedup();
    let top: Vec<&Division> = codes
        .iter()
        .filter(|c| !codes.iter().any(|other| other != *c && divisions.is_within(c, other)))
        .filter_map(|c| divisions.get(c))
        .collect();
    if top.is_empty() {
        provinces()
    } else {
        top
    }
}

/// Is `code` a division the picker may offer?
pub fn in_scope(divisions: &Divisions, roots: &[&Division], code: &DivisionCode) -> bool {
    roots.iter().any(|r| divisions.is_within(code, &r.code))
}

/// The children of `parent` the picker may offer (all of them when `parent` is in scope).
pub fn children_in_scope<'a>(
    divisions: &'a Divisions,
    roots: &[&'a Division],
    parent: &DivisionCode,
) -> Vec<&'a Division> {
    if in_scope(divisions, roots, parent) {
        divisions.children(parent)
    } else {
        Vec::new()
    }
}

/// What a form asks of a division field.
#[derive(Debug, Clone, Copy)]
pub struct DivisionField<'a> {
    /// The form field.
    pub name: &'a str,
    pub legend: &'a str,
    pub scope: PickScope,
    pub required: bool,
    /// The lowest level offered (a county form stops at counties).
    pub deepest: Level,
}

impl<'a> DivisionField<'a> {
    /// A field within the user's jurisdiction, down to townships, optional.
    pub fn new(name: &'a str, legend: &'a str) -> DivisionField<'a> {
        DivisionField { name, legend, scope: PickScope::Jurisdiction, required: false, deepest: Level::Township }
    }

    pub fn required(self) -> Self {
        DivisionField { required: true, ..self }
    }

    pub fn anywhere(self) -> Self {
        DivisionField { scope: PickScope::All, ..self }
    }

    pub fn down_to(self, deepest: Level) -> Self {
        DivisionField { deepest, ..self }
    }
}

impl DivisionPicker {
    /// The picker of `field`, showing `value` when it is a division in scope. With a single root
    /// (a township officer's township, a county clerk's county) that root is chosen to start.
    pub fn new(divisions: &Divisions, actor: &Actor, field: &DivisionField<'_>, value: &str) -> DivisionPicker {
        let DivisionField { name, legend, scope, required, deepest } = *field;
        let id = element_id(name);
        let roots = roots(divisions, actor, scope);
        let chosen = DivisionCode::parse(value.trim())
            .ok()
            .filter(|c| in_scope(divisions, &roots, c) && divisions.get(c).is_some_and(|d| d.level <= deepest));
        // The chain from a root down to the chosen division.
        let chain: Vec<&Division> = match &chosen {
            Some(code) => {
                let mut chain: Vec<&Division> = divisions
                    .ancestors(code)
                    .into_iter()
                    .skip_while(|d| !roots.iter().any(|r| r.code == d.code))
                    .collect();
                if let Some(me) = divisions.get(code) {
                    chain.push(me);
                }
                chain
            }
            None if roots.len() == 1 && scope == PickScope::Jurisdiction => roots.clone(),
            None => Vec::new(),
        };
        let refresh = |under: &str| {
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("field", name)
                .append_pair("legend", legend)
                .append_pair("scope", scope.as_str())
                .append_pair("required", if required { "1" } else { "0" })
                .append_pair("deepest", deepest.as_str())
                .append_pair("under", under)
                .finish();
            format!("/pickers/divisions?{query}")
        };
        let label_of =
            |d: &Division| if d.is_grouping() { format!("{}（{}）", d.name, d.code) } else { d.name.clone() };
        let mut levels = Vec::new();
        // Each select lists the children of the one above (the first lists the roots) with the
        // chain's division selected.
        let mut lists: Vec<(Option<&Division>, Vec<&Division>)> = vec![(None, roots.clone())];
        let open = |d: &Division| d.level < deepest && !divisions.children(&d.code).is_empty();
        for d in &chain {
            if !open(d) {
                break;
            }
            let kids = divisions.children(&d.code);
            if kids.is_empty() {
                break;
            }
            lists.push((Some(d), kids));
        }
        let last = lists.len() - 1;
        for (i, (parent, list)) in lists.iter().enumerate() {
            let picked = chain.get(i).map(|d| d.code.clone());
            let named = i == last;
            let mut options = Vec::new();
            match parent {
                // The last select's first choice keeps its parent: stopping at a higher level.
                Some(p) if named => options.push(PickOption {
                    value: p.code.to_string(),
                    label: format!("{}（不再细分）", label_of(p)),
                    selected: picked.is_none(),
                }),
                Some(_) => {}
                None => {
                    if picked.is_none() || !named {
                        options.push(PickOption {
                            value: String::new(),
                            label: match (required, scope) {
                                (true, _) => "请选择".into(),
                                (false, PickScope::Jurisdiction) => "不限（全部管辖范围）".into(),
                                (false, PickScope::All) => "不选择".into(),
                            },
                            selected: picked.is_none(),
                        })
                    }
                }
            }
            for d in list {
                options.push(PickOption {
                    value: d.code.to_string(),
                    label: label_of(d),
                    selected: picked.as_ref() == Some(&d.code),
                });
            }
            let level = match list.first().map(|d| d.level) {
                Some(Level::Province) => "省（市）",
                Some(Level::Prefecture) => "市（州）",
                Some(Level::County) => "县（市、区）",
                Some(Level::Township) => "乡镇（街道）",
                None => "行政区划",
            };
            let cascades = list.iter().any(|d| open(d));
            levels.push(PickLevel {
                id: if named { id.clone() } else { format!("{id}-l{i}") },
                label: level.to_string(),
                named,
                refresh: cascades.then(|| refresh(parent.map(|p| p.code.as_str()).unwrap_or(""))),
                options,
            });
        }
        DivisionPicker { id, name: name.to_string(), legend: legend.to_string(), required, levels }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::access::Grant;

    fn actor(grants: &[(Role, &str)]) -> Actor {
        Actor {
            account_id: 1,
            username: "t".into(),
            grants: grants
                .iter()
                .map(|(role, code)| Grant { role: *role, division: DivisionCode::parse(code).expect("code") })
                .collect(),
        }
    }

    fn values(level: &PickLevel) -> Vec<&str> {
        level.options.iter().map(|o| o.value.as_str()).collect()
    }

    #[test]
    fn a_township_officer_starts_and_stays_in_the_township() {
        let divisions = Divisions::builtin();
        let officer = actor(&[(Role::TownshipOfficer, "511702001")]);
        let picker = DivisionPicker::new(divisions, &officer, &DivisionField::new("division", "区划").required(), "");
        assert_eq!(picker.levels.len(), 1, "a township has no lower level");
        assert_eq!(values(&picker.levels[0]), ["511702001"]);
        assert!(picker.levels[0].named && picker.levels[0].options[0].selected);
        // A value outside the jurisdiction is not shown as chosen.
        let picker =
            DivisionPicker::new(divisions, &officer, &DivisionField::new("division", "区划").required(), "511702002");
        assert_eq!(values(&picker.levels[0]), ["511702001"]);
    }

    #[test]
    fn a_county_clerk_gets_the_county_and_its_townships() {
        let divisions = Divisions::builtin();
        let clerk = actor(&[(Role::Clerk, "511702")]);
        let picker = DivisionPicker::new(divisions, &clerk, &DivisionField::new("county", "县"), "");
        assert_eq!(picker.levels.len(), 2);
        assert_eq!(values(&picker.levels[0]), ["", "511702"]);
        assert!(!picker.levels[0].named);
        let last = &picker.levels[1];
        assert!(last.named);
        assert_eq!(last.id, "county");
        assert_eq!(last.options[0].value, "511702", "stopping at the county is the first choice");
        assert!(last.options[0].selected);
        assert!(last.options.iter().skip(1).all(|o| o.value.len() == 9 && o.value.starts_with("511702")));
        assert!(last.refresh.is_none(), "townships open nothing lower");
        // A township chosen: the same lists, that township selected.
        let picker = DivisionPicker::new(divisions, &clerk, &DivisionField::new("county", "县"), "511702001");
        let selected: Vec<&str> =
            picker.levels[1].options.iter().filter(|o| o.selected).map(|o| o.value.as_str()).collect();
        assert_eq!(selected, ["511702001"]);
    }

    #[test]
    fn everywhere_starts_at_the_provinces_and_follows_a_chosen_value_down() {
        let divisions = Divisions::builtin();
        let clerk = actor(&[(Role::Clerk, "511702")]);
        let picker = DivisionPicker::new(
            divisions,
            &clerk,
            &DivisionField::new("a_division", "户籍地").required().anywhere(),
            "",
        );
        assert_eq!(picker.levels.len(), 1);
        assert_eq!(values(&picker.levels[0]), ["", "500000", "510000"]);
        let picker = DivisionPicker::new(
            divisions,
            &clerk,
            &DivisionField::new("a_division", "户籍地").required().anywhere(),
            "500101001",
        );
        assert_eq!(picker.levels.len(), 4, "province, grouping row, county, township");
        assert!(picker.levels[3].options.iter().any(|o| o.value == "500101001" && o.selected));
        assert_eq!(picker.levels.iter().filter(|l| l.named).count(), 1);
    }

    #[test]
    fn a_county_form_stops_at_counties() {
        let divisions = Divisions::builtin();
        let leader = actor(&[(Role::Leader, "511700")]);
        let field = DivisionField::new("county", "县").required().down_to(Level::County);
        let picker = DivisionPicker::new(divisions, &leader, &field, "511702");
        assert_eq!(picker.levels.len(), 2, "the city, then its counties; no townships");
        assert!(picker.levels[1].options.iter().any(|o| o.value == "511702" && o.selected));
        assert!(picker.levels[1].refresh.is_none());
        // A township is not a value this form takes.
        let picker = DivisionPicker::new(divisions, &leader, &field, "511702001");
        assert!(picker.levels.iter().flat_map(|l| &l.options).all(|o| o.value.len() != 9));
    }

    #[test]
    fn plain_names_only() {
        assert!(is_plain_name("a_division"));
        assert!(is_field_name("facts.operator.division") && is_field_name("division"));
        assert!(!is_field_name("facts..division") && !is_field_name("facts.Division") && !is_field_name(".x"));
        assert_eq!(element_id("facts.operator.division"), "facts-operator-division");
        assert!(!is_plain_name(""));
        assert!(!is_plain_name("a\"b"));
        assert!(!is_plain_name("A"));
    }
}

/// One choice of a search picker: a radio button posting `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// The masked ID number and the address, or the household's members and place.
    pub detail: String,
    pub checked: bool,
}

/// What a search picker looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKind {
    Person,
    Household,
}

impl SearchKind {
    pub fn path(self) -> &'static str {
        match self {
            SearchKind::Person => "/pickers/persons",
            SearchKind::Household => "/pickers/households",
        }
    }
}

/// A search box with its choices: a person or a household found by name or ID number (the
/// search is jurisdiction-scoped and recorded by the service), chosen by a radio button posting
/// the field the number was typed into before.
#[derive(Debug, Clone)]
pub struct SearchPicker {
    pub id: String,
    pub name: String,
    pub legend: String,
    /// The search box's label.
    pub hint: String,
    /// The search address (htmx `hx-post`; the ID number travels in the body, never the URL).
    pub url: String,
    pub required: bool,
    /// The label of "none" (an optional field).
    pub none_label: String,
    /// Shown when there is nothing to choose from.
    pub empty: String,
    pub choices: Vec<Choice>,
}

impl SearchPicker {
    pub fn new(kind: SearchKind, id: &str, name: &str, legend: &str, required: bool) -> SearchPicker {
        let what = match kind {
            SearchKind::Person => "人员",
            SearchKind::Household => "家庭（按成员查找）",
        };
        SearchPicker {
            id: id.to_string(),
            name: name.to_string(),
            legend: legend.to_string(),
            hint: format!("查找{what}：输入姓名或18位公民身份号码"),
            url: format!(
                "{}?{}",
                kind.path(),
                form_urlencoded::Serializer::new(String::new())
                    .append_pair("field", name)
                    .append_pair("id", id)
                    .append_pair("legend", legend)
                    .append_pair("required", if required { "1" } else { "0" })
                    .finish()
            ),
            required,
            none_label: "不选择".to_string(),
            empty: "没有可选的结果：请输入姓名或公民身份号码查找".to_string(),
            choices: Vec::new(),
        }
    }

    /// Is the "none" radio the one checked (nothing else is)?
    pub fn none_checked(&self) -> bool {
        !self.choices.iter().any(|c| c.checked)
    }
}
