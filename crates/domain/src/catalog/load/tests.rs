//! One test per validation rule: a broken file, the code and the line.

use super::*;

const PATH: &str = "catalog/test-item/v1.toml";

/// A small valid item. Tests break it with `replace` and look for the problem on the line of
/// the broken text.
const BASE: &str = r#"
[version]
number = 1
effective_from = "2021-01-01"
reason = "首次发布"
ordered_by = "测试"

[item]
slug = "test-item"
code = "51170000MZ-QT-9999"
name = "测试事项"
kind = "other_power"
legal_basis = ["《养老机构管理办法》第九条"]
implementing_body = "达州市民政局"
body_nature = "statutory"
levels = ["prefecture", "county", "township"]
power_source = "statutory"
case_type = "promised"
statutory_limit = { value = 20, unit = "workday", basis = "行政许可法第四十二条" }
promised_limit = { value = 5, unit = "workday", basis = "达州市承诺" }
fee = { charged = false, basis = "" }
place = "达州市政务服务中心"
hours = "工作日"
phone = "0818-0000000"
supervision_phone = "0818-12345"
acceptance_conditions = ["材料齐全"]
online_depth = 4
cross_region_mode = "none"
accept_anywhere = "hukou"
competent_by = "accepting"
city_centre = true
result = { name = "回执", sample = "", delivery = ["window", "electronic"] }

[[materials]]
id = "application"
name = "申请书"
source = "applicant"
form = "paper_or_electronic"
required = true

[[materials]]
id = "hukou_book"
name = "户口簿"
source = "government"
form = "paper"
required = true
shared = true

[[situations]]
id = "ordinary"
name = "一般情形"
materials = ["application", "hukou_book"]

[procedure]
pauses = ["supplement", "special"]
extension = { max = { value = 10, unit = "workday", basis = "行政许可法第四十二条" }, approver = "decider" }
refusal_notice = { value = 3, unit = "workday", basis = "测试依据" }

[[procedure.steps]]
id = "accept"
name = "受理"
kind = "accept"
role = "clerk"
seat = "accepting"

[[procedure.steps]]
id = "review"
name = "审核"
kind = "review"
role = "reviewer"
seat = "competent"
level = "county"
on_return = "accept"
limit = { value = 3, unit = "workday", basis = "达州市承诺" }

[[procedure.steps]]
id = "publicity"
name = "公示"
kind = "wait"
seat = "competent"
timer = { after = { value = 7, unit = "day", basis = "测试依据" }, outcome = "advance" }

[[procedure.steps]]
id = "decide"
name = "决定"
kind = "decide"
role = "decider"
seat = "competent"
"#;

/// The 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the text"));
    text[..at].matches('\n').count() + 1
}

fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from:?} not in BASE");
    BASE.replacen(from, to, 1)
}

fn problems(text: &str) -> Vec<CatalogProblem> {
    parse_item(PATH, text).expect_err("the file should be refused")
}

/// The file is refused with `code` on the line of `marker` (in the edited text).
#[track_caller]
fn check(text: &str, code: &str, marker: &str) {
    let found = problems(text);
    let line = line_of(text, marker);
    assert!(
        found.iter().any(|p| p.code == code && p.line == Some(line)),
        "expected {code} at line {line}, got:\n{}",
        found.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_base_file_is_valid() {
    let item = parse_item(PATH, BASE).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(item.slug, "test-item");
    assert_eq!(item.kind, ItemKind::OtherPower);
    assert_eq!(item.procedure.steps.len(), 4);
    assert_eq!(item.procedure.steps[2].timer.as_ref().unwrap().outcome, TimerOutcome::Advance);
    assert_eq!(item.procedure.steps[2].role, None);
    assert_eq!(item.procedure.refusal_notice.as_ref().unwrap().value, 3);
    assert_eq!(item.materials[0].copies, 1, "copies default to 1");
    assert!(item.city_centre);
    assert_eq!(item.demanded_materials(Some("ordinary")).len(), 1, "shared materials are not demanded");
}

#[test]
fn display_is_file_line_message_code() {
    let p = CatalogProblem { file: "a/v1.toml".into(), line: Some(3), code: "x", message: "错".into() };
    assert_eq!(p.to_string(), "a/v1.toml:3: 错 (x)");
    let p = CatalogProblem { line: None, ..p };
    assert_eq!(p.to_string(), "a/v1.toml: 错 (x)");
}

#[test]
fn malformed_toml_reports_tomls_line() {
    let text = edit("hours = \"工作日\"", "hours = \"工作日");
    check(&text, "toml_syntax", "hours =");
}

#[test]
fn unknown_field() {
    let text = edit("place = ", "colour = \"red\"\nplace = ");
    let found = problems(&text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "unknown_field");
    assert!(found[0].message.contains("colour"), "{}", found[0].message);
    check(&text, "unknown_field", "colour");
}

#[test]
fn unknown_field_in_a_step() {
    let text = edit("kind = \"decide\"", "kind = \"decide\"\ncolour = \"red\"");
    check(&text, "unknown_field", "colour");
}

#[test]
fn missing_field() {
    let text = edit("place = \"达州市政务服务中心\"\n", "");
    // toml points at the table that lacks the key.
    check(&text, "missing_field", "[item]");
}

#[test]
fn wrong_type() {
    let text = edit("online_depth = 4", "online_depth = \"four\"");
    check(&text, "invalid_value", "online_depth");
}

#[test]
fn unknown_role() {
    let text = edit("role = \"reviewer\"", "role = \"janitor\"");
    check(&text, "unknown_role", "janitor");
}

#[test]
fn unknown_extension_approver_role() {
    let text = edit("approver = \"decider\"", "approver = \"boss\"");
    check(&text, "unknown_role", "boss");
}

#[test]
fn unknown_step_kind() {
    let text = edit("kind = \"decide\"", "kind = \"ponder\"");
    check(&text, "unknown_step_kind", "ponder");
}

#[test]
fn unknown_item_kind() {
    let text = edit("kind = \"other_power\"", "kind = \"licence\"");
    check(&text, "unknown_item_kind", "licence");
}

#[test]
fn unknown_seat() {
    let text = edit("seat = \"competent\"\nlevel", "seat = \"somewhere\"\nlevel");
    check(&text, "unknown_seat", "somewhere");
}

#[test]
fn unknown_level_on_item_and_step() {
    let text = edit("levels = [\"prefecture\",", "levels = [\"village\",");
    check(&text, "unknown_level", "village");
    let text = edit("level = \"county\"", "level = \"district\"");
    check(&text, "unknown_level", "district");
}

#[test]
fn step_level_must_be_one_of_the_items_levels() {
    let text = edit("levels = [\"prefecture\", \"county\", \"township\"]", "levels = [\"prefecture\"]");
    check(&text, "step_level_outside_item", "level = \"county\"");
}

#[test]
fn unknown_unit() {
    let text = edit("value = 3, unit = \"workday\", basis = \"达州", "value = 3, unit = \"week\", basis = \"达州");
    check(&text, "unknown_unit", "week");
}

#[test]
fn unknown_pause() {
    let text = edit("pauses = [\"supplement\", \"special\"]", "pauses = [\"supplement\", \"lunch\"]");
    check(&text, "unknown_pause", "lunch");
}

#[test]
fn unknown_descriptive_values() {
    for (from, to) in [
        ("body_nature = \"statutory\"", "body_nature = \"x1\""),
        ("power_source = \"statutory\"", "power_source = \"x1\""),
        ("case_type = \"promised\"", "case_type = \"x1\""),
        ("cross_region_mode = \"none\"", "cross_region_mode = \"x1\""),
        ("accept_anywhere = \"hukou\"", "accept_anywhere = \"x1\""),
        ("competent_by = \"accepting\"", "competent_by = \"x1\""),
        ("source = \"applicant\"", "source = \"x1\""),
        ("form = \"paper_or_electronic\"", "form = \"x1\""),
        ("delivery = [\"window\",", "delivery = [\"x1\","),
    ] {
        check(&edit(from, to), "unknown_value", "x1");
    }
}

#[test]
fn unknown_timer_outcome() {
    let text = edit("outcome = \"advance\"", "outcome = \"explode\"");
    check(&text, "unknown_timer_outcome", "explode");
}

#[test]
fn next_naming_an_unknown_step() {
    let text = edit("kind = \"accept\"", "kind = \"accept\"\nnext = \"nowhere\"");
    check(&text, "unknown_step", "next = \"nowhere\"");
}

#[test]
fn on_return_naming_an_unknown_step() {
    let text = edit("on_return = \"accept\"", "on_return = \"nowhere\"");
    check(&text, "unknown_step", "on_return = \"nowhere\"");
}

#[test]
fn on_return_on_a_wait_step_takes_objections() {
    let text = edit("kind = \"wait\"", "kind = \"wait\"\non_return = \"accept\"");
    assert!(text.contains("kind = \"wait\"\non_return"), "the sample has a wait step");
    let item = parse_item(PATH, &text).unwrap();
    assert_eq!(item.procedure.step("publicity").unwrap().on_return.as_deref(), Some("accept"));
}

#[test]
fn on_return_only_on_review_steps() {
    let text = edit("kind = \"decide\"", "kind = \"decide\"\non_return = \"accept\"");
    let marker = "kind = \"decide\"\non_return";
    let found = problems(&text);
    let line = line_of(&text, marker) + 1;
    assert!(found.iter().any(|p| p.code == "on_return_not_allowed" && p.line == Some(line)), "{found:?}");
}

#[test]
fn an_unreachable_step() {
    // accept jumps straight to decide: review and publicity can never be reached.
    let text = edit("kind = \"accept\"", "kind = \"accept\"\nnext = \"decide\"");
    check(&text, "unreachable_step", "id = \"review\"");
    check(&text, "unreachable_step", "id = \"publicity\"");
    assert_eq!(problems(&text).len(), 2);
}

#[test]
fn a_step_reached_only_by_return_is_reachable() {
    // decide → (end); review returns to accept; a loop through on_return is fine.
    let text = edit("kind = \"accept\"", "kind = \"accept\"\nnext = \"review\"");
    parse_item(PATH, &text).unwrap();
}

#[test]
fn a_wait_step_without_a_timer() {
    let from = "timer = { after = { value = 7, unit = \"day\", basis = \"测试依据\" }, outcome = \"advance\" }\n";
    let text = edit(from, "");
    check(&text, "wait_without_timer", "id = \"publicity\"");
}

#[test]
fn an_advancing_timer_on_an_acting_step() {
    let timer = "timer = { after = { value = 30, unit = \"day\", basis = \"测试\" }, outcome = \"advance\" }";
    let text = edit("kind = \"decide\"", &format!("kind = \"decide\"\n{timer}"));
    check(&text, "timer_not_allowed", timer);
}

#[test]
fn a_deem_withdrawn_window_on_an_acting_step_is_allowed() {
    let timer = "timer = { after = { value = 30, unit = \"day\", basis = \"民法典第一千零七十七条\" }, outcome = \"deem_withdrawn\" }";
    let text = edit("kind = \"decide\"", &format!("kind = \"decide\"\n{timer}"));
    let item = parse_item(PATH, &text).unwrap();
    assert_eq!(item.procedure.steps[3].timer.as_ref().unwrap().outcome, TimerOutcome::DeemWithdrawn);
}

#[test]
fn an_acting_step_without_a_role() {
    let text = edit("role = \"decider\"\nseat", "seat");
    check(&text, "missing_role", "id = \"decide\"");
}

#[test]
fn the_first_step_is_acceptance() {
    let text = edit("kind = \"accept\"", "kind = \"review\"");
    check(&text, "first_not_accept", "kind = \"review\"");
}

#[test]
fn no_steps() {
    let start = BASE.find("[[procedure.steps]]").unwrap();
    let text = format!("{}steps = []\n", &BASE[..start]);
    check(&text, "no_steps", "steps = []");
}

#[test]
fn a_missing_statutory_limit() {
    let text = edit("statutory_limit = { value = 20, unit = \"workday\", basis = \"行政许可法第四十二条\" }\n", "");
    check(&text, "missing_statutory_limit", "case_type");
}

#[test]
fn no_statutory_limit_with_a_reason_is_allowed_and_conflicts_with_a_limit() {
    let text = edit(
        "statutory_limit = { value = 20, unit = \"workday\", basis = \"行政许可法第四十二条\" }\n",
        "statutory_limit_none = \"法律法规未设定办理时限\"\n",
    );
    let item = parse_item(PATH, &text).unwrap();
    assert_eq!(item.statutory_limit, None);
    assert!(item.statutory_limit_none.is_some());
    let text = edit("promised_limit", "statutory_limit_none = \"无\"\npromised_limit");
    check(&text, "statutory_limit_conflict", "statutory_limit_none");
}

#[test]
fn an_instant_item_may_omit_the_statutory_limit() {
    let text = edit("case_type = \"promised\"", "case_type = \"instant\"")
        .replace("statutory_limit = { value = 20, unit = \"workday\", basis = \"行政许可法第四十二条\" }\n", "")
        .replace("promised_limit = { value = 5, unit = \"workday\", basis = \"达州市承诺\" }\n", "");
    let item = parse_item(PATH, &text).unwrap();
    assert_eq!(item.case_type, CaseType::Instant);
}

#[test]
fn an_instant_item_promises_zero_on_the_spot() {
    let text = edit("case_type = \"promised\"", "case_type = \"instant\"");
    check(&text, "instant_promised_nonzero", "promised_limit");
    let text = text.replace(
        "{ value = 5, unit = \"workday\", basis = \"达州市承诺\" }",
        "{ value = 0, unit = \"workday\", basis = \"当场办结\" }",
    );
    parse_item(PATH, &text).unwrap();
}

#[test]
fn a_zero_limit_needs_an_on_the_spot_basis() {
    let text = edit(
        "value = 5, unit = \"workday\", basis = \"达州市承诺\"",
        "value = 0, unit = \"workday\", basis = \"达州市承诺\"",
    );
    check(&text, "zero_limit", "value = 0");
}

#[test]
fn a_limit_needs_a_basis() {
    let text =
        edit("value = 5, unit = \"workday\", basis = \"达州市承诺\"", "value = 5, unit = \"workday\", basis = \"\"");
    check(&text, "missing_basis", "promised_limit");
}

#[test]
fn a_missing_promised_limit() {
    let text = edit("promised_limit = { value = 5, unit = \"workday\", basis = \"达州市承诺\" }\n", "");
    check(&text, "missing_promised_limit", "case_type");
}

#[test]
fn promised_longer_than_statutory() {
    let text = edit(
        "value = 5, unit = \"workday\", basis = \"达州市承诺\"",
        "value = 25, unit = \"workday\", basis = \"达州市承诺\"",
    );
    check(&text, "promised_exceeds_statutory", "promised_limit");
    let p = problems(&text);
    assert!(p[0].message.contains("25个工作日") && p[0].message.contains("20个工作日"), "{}", p[0].message);
}

#[test]
fn promised_and_statutory_in_different_units_are_refused() {
    let text = edit(
        "value = 5, unit = \"workday\", basis = \"达州市承诺\"",
        "value = 5, unit = \"day\", basis = \"达州市承诺\"",
    );
    check(&text, "limit_unit_mismatch", "promised_limit");
}

#[test]
fn a_situation_naming_an_undefined_material() {
    let text = edit("materials = [\"application\", \"hukou_book\"]", "materials = [\"application\", \"passport\"]");
    check(&text, "undefined_material", "passport");
}

#[test]
fn a_step_skipped_for_an_undefined_situation() {
    let text = edit("kind = \"wait\"", "kind = \"wait\"\nskip_situations = [\"ordinary\", \"minor\"]");
    check(&text, "unknown_situation", "skip_situations");
    let text = edit("kind = \"wait\"", "kind = \"wait\"\nskip_situations = [\"ordinary\"]");
    let item = parse_item(PATH, &text).unwrap();
    assert_eq!(item.procedure.steps[2].skip_situations, ["ordinary"]);
}

#[test]
fn the_parties_time_needs_a_period_and_an_act_name_is_a_short_name() {
    let text = edit("kind = \"review\"", "kind = \"review\"\nparty_time = true");
    check(&text, "party_time_without_timer", "party_time");
    let text = edit("kind = \"review\"", "kind = \"review\"\nact_name = \"  \"");
    check(&text, "invalid_act_name", "act_name");
    let text = edit("kind = \"wait\"", "kind = \"wait\"\nparty_time = true");
    let item = parse_item(PATH, &text).unwrap();
    assert!(item.procedure.steps[2].party_time);
    let text = edit("kind = \"review\"", "kind = \"review\"\nact_name = \"申请发给离婚证\"");
    let item = parse_item(PATH, &text).unwrap();
    assert_eq!(item.procedure.steps[1].act_name.as_deref(), Some("申请发给离婚证"));
    // The parties' time is a step's property, not a pause the procedure lists.
    let text = edit("pauses = [", "pauses = [\"party_time\", ");
    assert!(problems(&text).iter().any(|p| p.code == "unknown_pause"));
}

#[test]
fn duplicate_material_ids() {
    let text = edit("id = \"hukou_book\"", "id = \"application\"");
    let found = problems(&text);
    let second = text.match_indices("id = \"application\"").nth(1).unwrap().0;
    let line = text[..second].matches('\n').count() + 1;
    assert!(found.iter().any(|p| p.code == "duplicate_material" && p.line == Some(line)), "{found:?}");
}

#[test]
fn duplicate_step_ids() {
    let text = edit("id = \"decide\"", "id = \"review\"");
    let second = text.match_indices("id = \"review\"").nth(1).unwrap().0;
    let line = text[..second].matches('\n').count() + 1;
    assert!(problems(&text).iter().any(|p| p.code == "duplicate_step" && p.line == Some(line)));
}

#[test]
fn duplicate_situation_ids() {
    let text =
        edit("[procedure]", "[[situations]]\nid = \"ordinary\"\nname = \"又一个\"\nmaterials = []\n\n[procedure]");
    let second = text.match_indices("id = \"ordinary\"").nth(1).unwrap().0;
    let line = text[..second].matches('\n').count() + 1;
    assert!(problems(&text).iter().any(|p| p.code == "duplicate_situation" && p.line == Some(line)));
}

#[test]
fn slug_differs_from_directory() {
    let found = parse_item("catalog/other-item/v1.toml", BASE).unwrap_err();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "slug_mismatch");
    assert_eq!(found[0].line, Some(line_of(BASE, "slug = ")));
}

#[test]
fn version_differs_from_file_name() {
    let found = parse_item("catalog/test-item/v2.toml", BASE).unwrap_err();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "version_mismatch");
    assert_eq!(found[0].line, Some(line_of(BASE, "number = 1")));
}

#[test]
fn a_path_not_shaped_slug_slash_version() {
    let found = parse_item("catalog/test-item.toml", BASE).unwrap_err();
    assert_eq!(found[0].code, "bad_path");
    assert_eq!(found[0].line, None);
    // Windows separators are fine.
    parse_item("catalog\\test-item\\v1.toml", BASE).unwrap();
}

#[test]
fn a_bad_slug_and_a_bad_version_number() {
    let text = edit("slug = \"test-item\"", "slug = \"Test_Item\"");
    check(&text, "bad_slug", "slug = ");
    let text = edit("number = 1", "number = 0");
    check(&text, "bad_version_number", "number = 0");
}

#[test]
fn a_bad_effective_date() {
    let text = edit("effective_from = \"2021-01-01\"", "effective_from = \"2021-02-30\"");
    check(&text, "bad_date", "effective_from");
}

#[test]
fn online_depth_outside_one_to_four() {
    for depth in ["0", "5", "-1"] {
        let text = edit("online_depth = 4", &format!("online_depth = {depth}"));
        check(&text, "online_depth_range", "online_depth");
    }
}

#[test]
fn an_empty_legal_basis() {
    let text = edit("legal_basis = [\"《养老机构管理办法》第九条\"]", "legal_basis = []");
    check(&text, "missing_legal_basis", "legal_basis");
}

#[test]
fn all_problems_are_reported_at_once() {
    let text = edit("role = \"reviewer\"", "role = \"janitor\"")
        .replace("online_depth = 4", "online_depth = 9")
        .replace("on_return = \"accept\"", "on_return = \"nowhere\"")
        .replace("materials = [\"application\", \"hukou_book\"]", "materials = [\"passport\"]");
    let codes: BTreeSet<&str> = problems(&text).iter().map(|p| p.code).collect();
    let expected: BTreeSet<&str> =
        ["unknown_role", "online_depth_range", "unknown_step", "undefined_material"].into_iter().collect();
    assert_eq!(codes, expected);
}

// --- across files ---

fn version(slug: &str, number: u32, from: &str) -> (String, String) {
    let text = BASE
        .replace("slug = \"test-item\"", &format!("slug = \"{slug}\""))
        .replace("number = 1", &format!("number = {number}"))
        .replace("effective_from = \"2021-01-01\"", &format!("effective_from = \"{from}\""));
    (format!("catalog/{slug}/v{number}.toml"), text)
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn the_catalog_finds_the_version_in_force() {
    let files = [version("test-item", 1, "2021-01-01"), version("test-item", 2, "2022-07-01")];
    let catalog = Catalog::from_files(&files).unwrap();
    assert_eq!(catalog.versions("test-item").len(), 2);
    assert_eq!(catalog.in_force("test-item", date("2020-12-31")), None);
    assert_eq!(catalog.in_force("test-item", date("2021-01-01")).unwrap().version.number, 1);
    assert_eq!(catalog.in_force("test-item", date("2022-06-30")).unwrap().version.number, 1);
    assert_eq!(catalog.in_force("test-item", date("2022-07-01")).unwrap().version.number, 2);
    assert_eq!(catalog.get("test-item", 2).unwrap().version.effective_from, date("2022-07-01"));
    assert!(catalog.get("test-item", 3).is_none());
    assert!(catalog.versions("nothing").is_empty());
    assert_eq!(catalog.items_on(date("2023-01-01")).len(), 1);
    assert!(catalog.items_on(date("2020-01-01")).is_empty());
}

#[test]
fn codes_are_unique_across_items() {
    let files = [version("test-item", 1, "2021-01-01"), version("other-item", 1, "2021-01-01")];
    let problems = Catalog::from_files(&files).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "duplicate_code");
    assert_eq!(problems[0].file, "catalog/other-item/v1.toml", "the real path is named");
    assert_eq!(problems[0].line, Some(line_of(BASE, "code = ")));
}

#[test]
fn versions_are_numbered_from_one_without_gaps() {
    let files = [version("test-item", 1, "2021-01-01"), version("test-item", 3, "2022-01-01")];
    let problems = Catalog::from_files(&files).unwrap_err();
    assert_eq!(problems.iter().map(|p| p.code).collect::<Vec<_>>(), ["version_gap"]);
    assert_eq!(problems[0].line, Some(line_of(BASE, "number = ")));
    // validate_catalog alone names the file relative to the catalog directory, without a line.
    let items: Vec<ServiceItem> = files.iter().map(|(p, t)| parse_item(p, t).unwrap()).collect();
    let alone = validate_catalog(&items);
    assert_eq!((alone[0].file.as_str(), alone[0].line), ("test-item/v1.toml", None));
    let files = [version("test-item", 2, "2021-01-01")];
    assert_eq!(Catalog::from_files(&files).unwrap_err()[0].code, "version_gap");
}

#[test]
fn a_version_given_twice() {
    let files = [version("test-item", 1, "2021-01-01"), version("test-item", 1, "2021-01-01")];
    let codes: Vec<&str> = Catalog::from_files(&files).unwrap_err().iter().map(|p| p.code).collect();
    assert!(codes.contains(&"duplicate_version"), "{codes:?}");
}

#[test]
fn effective_dates_increase_with_the_version() {
    let files = [version("test-item", 1, "2022-01-01"), version("test-item", 2, "2022-01-01")];
    let problems = Catalog::from_files(&files).unwrap_err();
    assert_eq!(problems[0].code, "effective_dates_not_increasing");
    assert_eq!(problems[0].file, "catalog/test-item/v2.toml");
    assert_eq!(problems[0].line, Some(line_of(BASE, "number = ")));
}

/// A version published out of order (补录 of a past adjustment, or a correction before a published
/// version takes effect) declares it, and takes its place in time: in force from its date to the
/// next version's; on a day two versions take effect, the one published last.
#[test]
fn a_version_published_out_of_order_takes_its_place_in_time() {
    let late = |number: u32, from: &str| {
        let (path, text) = version("test-item", number, from);
        (path, text.replace("ordered_by = \"测试\"", "ordered_by = \"测试\"\nout_of_order = true"))
    };
    let files = [
        version("test-item", 1, "2021-01-01"),
        version("test-item", 2, "2026-12-07"),
        late(3, "2021-11-01"),
        late(4, "2026-12-07"),
    ];
    let catalog = Catalog::from_files(&files).unwrap();
    let in_force = |d: &str| catalog.in_force("test-item", date(d)).map(|i| i.version.number);
    assert_eq!(in_force("2021-10-31"), Some(1));
    assert_eq!(in_force("2021-11-01"), Some(3));
    assert_eq!(in_force("2026-12-06"), Some(3));
    // v4 corrects v2 before it takes effect: v2 is never in force.
    assert_eq!(in_force("2026-12-07"), Some(4));
    assert_eq!(in_force("2030-01-01"), Some(4));
    assert!(catalog.get("test-item", 3).unwrap().version.out_of_order);
    assert_eq!(catalog.versions("test-item").last().unwrap().version.number, 4);

    // Undeclared, the same file is a date typed wrong.
    let undeclared = [
        version("test-item", 1, "2021-01-01"),
        version("test-item", 2, "2026-12-07"),
        version("test-item", 3, "2021-11-01"),
    ];
    let problems = Catalog::from_files(&undeclared).unwrap_err();
    assert_eq!(problems.iter().map(|p| p.code).collect::<Vec<_>>(), ["effective_dates_not_increasing"]);
    assert_eq!(problems[0].file, "catalog/test-item/v3.toml");
    assert!(problems[0].message.contains("out_of_order"), "{}", problems[0].message);
    // Declared where the dates are in order, the declaration is refused.
    let needless = [version("test-item", 1, "2021-01-01"), late(2, "2022-01-01")];
    let problems = Catalog::from_files(&needless).unwrap_err();
    assert_eq!(problems.iter().map(|p| p.code).collect::<Vec<_>>(), ["needless_out_of_order"]);
}

#[test]
fn from_files_reports_every_files_problems() {
    let (path, text) = version("test-item", 1, "2021-01-01");
    let broken = text.replace("online_depth = 4", "online_depth = 7");
    let files = [(path, broken), ("catalog/b/v1.toml".to_string(), "not toml [".to_string())];
    let problems = Catalog::from_files(&files).unwrap_err();
    let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, ["online_depth_range", "toml_syntax"]);
}

/// 民法典 第二百条: months are a unit of a period; the matter's limits, a step's and a timer's may
/// be in months (代表法第五十一条: a suggestion answered within 3 months of 交办).
#[test]
fn limits_in_months_load() {
    let text = edit(
        r#"statutory_limit = { value = 20, unit = "workday", basis = "行政许可法第四十二条" }
promised_limit = { value = 5, unit = "workday", basis = "达州市承诺" }"#,
        r#"statutory_limit = { value = 3, unit = "month", basis = "代表法第五十一条" }
promised_limit = { value = 2, unit = "month", basis = "达州市承诺" }"#,
    )
    .replace(
        r#"extension = { max = { value = 10, unit = "workday", basis = "行政许可法第四十二条" }, approver = "decider" }"#,
        r#"extension = { max = { value = 3, unit = "month", basis = "代表法第五十一条" }, approver = "decider" }"#,
    );
    let item = parse_item(PATH, &text).unwrap_or_else(|p| panic!("{p:?}"));
    let statutory = item.statutory_limit.unwrap();
    assert_eq!((statutory.value, statutory.unit), (3, LimitUnit::Month));
    assert_eq!(item.procedure.extension.unwrap().max.unit, LimitUnit::Month);
    // A promise in months beyond the statutory months is refused as for any unit.
    let text = text.replace(r#"value = 2, unit = "month""#, r#"value = 4, unit = "month""#);
    check(&text, "promised_exceeds_statutory", "promised_limit");
}

#[test]
fn an_extension_in_another_unit_than_a_limit_in_months() {
    let text = edit(
        r#"statutory_limit = { value = 20, unit = "workday", basis = "行政许可法第四十二条" }
promised_limit = { value = 5, unit = "workday", basis = "达州市承诺" }"#,
        r#"statutory_limit = { value = 3, unit = "month", basis = "代表法第五十一条" }"#,
    );
    check(&text, "extension_unit_mismatch", "extension = ");
    let found = problems(&text);
    assert!(found.iter().any(|p| p.message.contains("以月计的时限只能按月延长")), "{found:?}");
}

/// Hours run from the moment (民法典 第二百零一条第二款): a step's limit only.
#[test]
fn hours_only_on_a_steps_limit() {
    let text =
        edit(r#"statutory_limit = { value = 20, unit = "workday""#, r#"statutory_limit = { value = 20, unit = "hour""#);
    check(&text, "hour_limit_not_allowed", r#"unit = "hour""#);
    let text = edit(r#"after = { value = 7, unit = "day""#, r#"after = { value = 7, unit = "hour""#);
    check(&text, "hour_limit_not_allowed", r#"unit = "hour""#);
    let text =
        edit(r#"refusal_notice = { value = 3, unit = "workday""#, r#"refusal_notice = { value = 3, unit = "hour""#);
    check(&text, "hour_limit_not_allowed", r#"unit = "hour""#);

    // On a step, in a procedure without pauses: loaded.
    let step_in_hours = edit(
        r#"limit = { value = 3, unit = "workday", basis = "达州市承诺" }"#,
        r#"limit = { value = 24, unit = "hour", basis = "24小时内审核" }"#,
    );
    let without_pauses = step_in_hours.replace(r#"pauses = ["supplement", "special"]"#, "pauses = []");
    let item = parse_item(PATH, &without_pauses).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(item.procedure.step("review").unwrap().limit.as_ref().unwrap().unit, LimitUnit::Hour);
    // With pauses the hours would not be paused: refused.
    check(&step_in_hours, "hour_limit_with_pauses", r#"unit = "hour""#);
}

/// BASE with `vertical` at the top and `guards` / `effects` on the review step.
fn with_area(vertical: Option<&str>, guards: &str, effects: &str) -> String {
    let top = vertical.map(|v| format!("vertical = \"{v}\"\n")).unwrap_or_default();
    let text =
        edit("on_return = \"accept\"\n", &format!("on_return = \"accept\"\nguards = {guards}\neffects = {effects}\n"));
    format!("{top}{text}")
}

#[test]
fn the_area_is_declared_and_read() {
    let item = parse_item(PATH, &with_area(Some("marriage"), r#"["marriage_age"]"#, "[]")).unwrap();
    assert_eq!(item.vertical, Some(crate::vertical::Vertical::Marriage));
    assert_eq!(item.procedure.step("review").unwrap().guards, ["marriage_age"]);
    assert_eq!(parse_item(PATH, BASE).unwrap().vertical, None);
    check(&with_area(Some("marrige"), "[]", "[]"), "unknown_vertical", "vertical = ");
}

/// A typo on a gate refuses the load with the file, the line and the unknown name.
#[test]
fn an_unknown_guard_is_refused_with_its_line() {
    let text = with_area(Some("marriage"), r#"["marriage_age", "marriage_agee"]"#, "[]");
    check(&text, "unknown_guard", "guards = ");
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    let shown = found[0].to_string();
    assert!(shown.starts_with(&format!("{PATH}:{}: ", line_of(&text, "guards = "))), "{shown}");
    assert!(shown.contains("“marriage_agee”") && shown.contains("婚姻登记"), "{shown}");
    // Another area's guard is unknown here: the service asks the item's own area.
    check(&with_area(Some("marriage"), r#"["disability_certificate_verified"]"#, "[]"), "unknown_guard", "guards = ");
    check(&with_area(Some("funeral"), r#"["marriage_age"]"#, "[]"), "unknown_guard", "guards = ");
    // Without an area no name can be checked: refused, saying to declare the area.
    let text = with_area(None, r#"["marriage_age"]"#, "[]");
    check(&text, "unknown_guard", "guards = ");
    assert!(problems(&text)[0].message.contains("vertical"), "{:?}", problems(&text));
    // An unknown area is one problem, not one more per name.
    let found = problems(&with_area(Some("nowhere"), r#"["x"]"#, "[]"));
    assert_eq!(found.iter().map(|p| p.code).collect::<Vec<_>>(), ["unknown_vertical"]);
}

#[test]
fn an_unknown_effect_is_refused_with_its_line() {
    let text = with_area(Some("assistance"), r#"["disability_certificate_verified"]"#, r#"["start_payment"]"#);
    check(&text, "unknown_effect", "effects = ");
    assert!(parse_item(PATH, &with_area(Some("assistance"), r#"["disability_certificate_verified"]"#, "[]")).is_ok());
}

#[test]
fn the_versions_of_an_item_keep_their_area() {
    let (path, text) = version("test-item", 2, "2022-01-01");
    let files = [version("test-item", 1, "2021-01-01"), (path, format!("vertical = \"funeral\"\n{text}"))];
    let problems = Catalog::from_files(&files).unwrap_err();
    assert_eq!(problems.iter().map(|p| p.code).collect::<Vec<_>>(), ["vertical_changed"]);
    assert_eq!(problems[0].file, "catalog/test-item/v2.toml");
}

/// BASE with a `[[form]]` section before the procedure.
fn with_form(form: &str) -> String {
    edit("\n[procedure]\n", &format!("\n{form}\n[procedure]\n"))
}

const GOOD_FORM: &str = r#"
[[form]]
id = "beds"
label = "床位数"
kind = "int"
required = true
min = 10
basis = "《养老机构管理办法》"
help = "核定床位数"

[[form]]
id = "nature"
label = "机构性质"
kind = "choice"
choices = [{ value = "public", label = "公办" }, { value = "private", label = "民办" }]

[[form]]
id = "scope"
label = "服务范围"
kind = "list"
max = 5
max_len = 20
"#;

#[test]
fn the_form_is_read_in_order() {
    let item = parse_item(PATH, &with_form(GOOD_FORM)).unwrap_or_else(|p| panic!("{p:?}"));
    let ids: Vec<&str> = item.form.fields.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["beds", "nature", "scope"]);
    let beds = &item.form.fields[0];
    assert_eq!((beds.kind, beds.required, beds.min, beds.max), (FieldKind::Int, true, Some(10), None));
    assert_eq!(beds.basis.as_deref(), Some("《养老机构管理办法》"));
    assert_eq!(item.form.fields[1].choice_label("private"), "民办");
    assert_eq!(item.form.fields[2].max_len, Some(20));
    assert!(parse_item(PATH, BASE).unwrap().form.is_empty());
}

#[test]
fn an_unknown_field_kind_is_refused_with_its_line() {
    let text = with_form(&GOOD_FORM.replace("kind = \"int\"", "kind = \"integer\""));
    check(&text, "unknown_field_kind", "kind = \"integer\"");
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].to_string().contains("“integer”"), "{}", found[0]);
}

#[test]
fn a_duplicated_field_id_is_refused_on_the_second() {
    let text = with_form(&GOOD_FORM.replace("id = \"scope\"", "id = \"beds\""));
    let found = problems(&text);
    assert_eq!(found.iter().map(|p| p.code).collect::<Vec<_>>(), ["duplicate_field"]);
    let second = text.match_indices("id = \"beds\"").nth(1).map(|(at, _)| text[..at].matches('\n').count() + 1);
    assert_eq!(found[0].line, second);
}

#[test]
fn a_choice_needs_choices_and_only_a_choice_has_them() {
    let bare = GOOD_FORM.replace(
        "choices = [{ value = \"public\", label = \"公办\" }, { value = \"private\", label = \"民办\" }]\n",
        "",
    );
    check(&with_form(&bare), "choice_without_choices", "kind = \"choice\"");
    check(
        &with_form(&GOOD_FORM.replace(
            "choices = [{ value = \"public\", label = \"公办\" }, { value = \"private\", label = \"民办\" }]",
            "choices = []",
        )),
        "choice_without_choices",
        "choices = []",
    );
    let twice = GOOD_FORM.replace("value = \"private\"", "value = \"public\"");
    check(&with_form(&twice), "bad_choice", "value = \"public\", label = \"民办\"");
    let on_int = GOOD_FORM.replace("min = 10\n", "min = 10\nchoices = [{ value = \"a\", label = \"甲\" }]\n");
    check(&with_form(&on_int), "choices_not_allowed", "choices = [{ value = \"a\"");
}

#[test]
fn only_an_optional_part_of_a_person_or_organization_may_be_required() {
    let operator = "[[form]]\nid = \"operator\"\nlabel = \"养老机构\"\nkind = \"organization\"\nrequired = true\n";
    let good = format!("{operator}required_parts = [\"representative\"]\n");
    let item = parse_item(PATH, &with_form(&good)).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(item.form.fields[0].required_parts, ["representative"]);
    assert!(item.form.fields[0].part_required("representative"));
    // A part that is always required, a part the kind does not have, a kind without parts, twice.
    for (kind, parts) in [
        ("organization", "[\"name\"]"),
        ("organization", "[\"phone\"]"),
        ("person", "[\"representative\"]"),
        ("text", "[\"representative\"]"),
        ("organization", "[\"representative\", \"representative\"]"),
    ] {
        let text = format!("{}required_parts = {parts}\n", operator.replace("organization", kind));
        check(&with_form(&text), "bad_required_part", &format!("required_parts = {parts}"));
    }
}

#[test]
fn limits_belong_to_their_kinds() {
    let text_min = GOOD_FORM.replace("kind = \"int\"", "kind = \"text\"");
    check(&with_form(&text_min), "limit_not_applicable", "min = 10");
    let int_len = GOOD_FORM.replace("min = 10\n", "min = 10\nmax_len = 3\n");
    check(&with_form(&int_len), "limit_not_applicable", "max_len = 3");
    let inverted = GOOD_FORM.replace("min = 10\n", "min = 10\nmax = 9\n");
    check(&with_form(&inverted), "bad_range", "min = 10");
    check(&with_form(&GOOD_FORM.replace("max_len = 20", "max_len = 0")), "bad_range", "max_len = 0");
    check(&with_form(&GOOD_FORM.replace("id = \"beds\"", "id = \"Beds\"")), "bad_field_id", "id = \"Beds\"");
    check(&with_form(&GOOD_FORM.replace("label = \"床位数\"", "label = \" \"")), "missing_label", "label = \" \"");
}

// --- [[outcomes]] ---------------------------------------------------------------------------

/// BASE with the given `[[outcomes]]` (before `[procedure]`) and `[procedure]` lines.
fn with_outcomes(outcomes: &str, procedure: &str) -> String {
    let text = edit("[procedure]\n", &format!("{outcomes}\n[procedure]\n{procedure}"));
    assert!(text.contains(outcomes));
    text
}

const DISCLOSURE_LIKE: &str = r#"
[[outcomes]]
key = "disclosed"
label = "予以公开"
grants = true
notice = "所申请公开的信息，本机关予以公开。"
basis = "《中华人民共和国政府信息公开条例》第三十六条第（二）项"
steps = ["decide"]

[[outcomes]]
key = "partly_disclosed"
label = "部分公开"
grants = true
basis = "《中华人民共和国政府信息公开条例》第三十七条"
steps = ["decide"]

[[outcomes]]
key = "not_exist"
label = "信息不存在"
grants = false
basis = "《中华人民共和国政府信息公开条例》第三十六条第（四）项"
steps = ["decide"]

[[outcomes]]
key = "withheld"
label = "不予公开"
grants = false
basis = "《中华人民共和国政府信息公开条例》第三十六条第（三）项"
steps = ["decide", "review"]
"#;

#[test]
fn a_file_without_outcomes_has_the_implicit_two() {
    let item = parse_item(PATH, BASE).unwrap();
    assert!(!item.outcomes.declared);
    let keys: Vec<(&str, bool)> = item.outcomes.list.iter().map(|o| (o.key.as_str(), o.grants)).collect();
    assert_eq!(keys, [("granted", true), ("denied", false)]);
    assert_eq!(item.outcomes.default_for(Some("decide"), true).unwrap().label, "准予");
    assert_eq!(item.outcomes.default_for(Some("decide"), false).unwrap().label, "不予准予");
    // Not refusable: no implicit refusal.
    let item = parse_item(PATH, &edit("pauses = [", "refusable = false\npauses = [")).unwrap();
    assert_eq!(item.outcomes.list.len(), 1);
    assert!(item.outcomes.default_for(None, false).is_none());
}

#[test]
fn declared_outcomes_load_with_their_defaults() {
    let text = with_outcomes(DISCLOSURE_LIKE, "grant_outcome = \"disclosed\"\nrefusal_outcome = \"withheld\"\n");
    let item = parse_item(PATH, &text).unwrap_or_else(|p| panic!("{p:?}"));
    let o = &item.outcomes;
    assert!(o.declared);
    assert_eq!(o.list.len(), 4);
    assert_eq!(o.get("not_exist").unwrap().label, "信息不存在");
    assert_eq!(o.get("disclosed").unwrap().notice, "所申请公开的信息，本机关予以公开。");
    assert_eq!(o.default_for(Some("decide"), true).unwrap().key, "disclosed");
    assert_eq!(o.default_for(Some("decide"), false).unwrap().key, "withheld");
    // A rejecting review records the refusal the review step may choose.
    assert_eq!(o.default_for(Some("review"), false).unwrap().key, "withheld");
    assert_eq!(o.at_step("review").map(|d| d.key.as_str()).collect::<Vec<_>>(), ["withheld"]);
    // A decision stored before outcomes: its side's default.
    assert_eq!(o.of_decision(None, true).unwrap().key, "disclosed");
    assert_eq!(o.of_decision(Some("not_exist"), false).unwrap().key, "not_exist");
}

#[test]
fn a_default_names_a_declared_outcome_of_its_side() {
    let grant = "grant_outcome = \"disclosd\"\nrefusal_outcome = \"withheld\"\n";
    check(&with_outcomes(DISCLOSURE_LIKE, grant), "undeclared_outcome", "grant_outcome = \"disclosd\"");
    let wrong = "grant_outcome = \"not_exist\"\nrefusal_outcome = \"withheld\"\n";
    check(&with_outcomes(DISCLOSURE_LIKE, wrong), "outcome_wrong_side", "grant_outcome = \"not_exist\"");
    // Two of a side and no default: which applies to a plain grant is not said.
    let found = problems(&with_outcomes(DISCLOSURE_LIKE, "refusal_outcome = \"withheld\"\n"));
    assert!(found.iter().any(|p| p.code == "no_default_outcome"), "{found:?}");
    // A file without outcomes may not name one.
    check(&edit("pauses = [", "grant_outcome = \"granted\"\npauses = ["), "undeclared_outcome", "grant_outcome");
}

#[test]
fn an_outcome_is_checked_with_its_line() {
    let defaults = "grant_outcome = \"disclosed\"\nrefusal_outcome = \"withheld\"\n";
    let broken = |from: &str, to: &str| with_outcomes(&DISCLOSURE_LIKE.replacen(from, to, 1), defaults);
    check(&broken("steps = [\"decide\"]", "steps = [\"decied\"]"), "unknown_step", "steps = [\"decied\"]");
    check(
        &broken("steps = [\"decide\"]", "steps = [\"publicity\"]"),
        "outcome_step_not_decision",
        "steps = [\"publicity\"]",
    );
    check(&broken("key = \"not_exist\"", "key = \"Not-Exist\""), "bad_outcome_key", "key = \"Not-Exist\"");
    check(
        &broken("key = \"not_exist\"", "key = \"withheld\""),
        "duplicate_outcome",
        "key = \"withheld\"\nlabel = \"不予公开\"",
    );
    check(&broken("label = \"部分公开\"", "label = \"\""), "bad_outcome_label", "label = \"\"");
    check(
        &broken("basis = \"《中华人民共和国政府信息公开条例》第三十七条\"", "basis = \" \""),
        "missing_basis",
        "basis = \" \"",
    );
}

#[test]
fn every_decision_step_has_an_outcome_to_choose() {
    let only_review = r#"
[[outcomes]]
key = "granted"
label = "准予"
grants = true
basis = "测试依据"
steps = ["accept"]

[[outcomes]]
key = "denied"
label = "不予准予"
grants = false
basis = "测试依据"
steps = ["review"]
"#;
    check(&with_outcomes(only_review, ""), "decision_step_without_outcomes", "id = \"decide\"");
}

#[test]
fn a_refusable_item_declares_a_refusal_and_a_filing_none() {
    let grants_only = "\n[[outcomes]]\nkey = \"filed\"\nlabel = \"予以备案\"\ngrants = true\nbasis = \"测试依据\"\n";
    let found = problems(&with_outcomes(grants_only, ""));
    assert!(found.iter().any(|p| p.code == "no_refusal_outcome"), "{found:?}");
    // refusable = false: the grant alone is right, and a refusal outcome is refused on its line.
    let filing = with_outcomes(grants_only, "refusable = false\n");
    assert!(parse_item(PATH, &filing).is_ok());
    let refusal = "\n[[outcomes]]\nkey = \"not_filed\"\nlabel = \"不予备案\"\ngrants = false\nbasis = \"测试依据\"\n";
    let text = with_outcomes(&format!("{grants_only}{refusal}"), "refusable = false\n");
    check(&text, "refusal_outcome_not_allowed", "key = \"not_filed\"");
}

/// `[procedure.receipt]` and `consultation`: the period from the day of receipt, its restart on a
/// correction, the third party's time (《政府信息公开条例》第三十条至第三十三条).
#[test]
fn a_receipt_rule_and_a_consultation_are_read() {
    let declared = "refusal_notice = { value = 3, unit = \"workday\", basis = \"测试依据\" }\n\
        consultation = { value = 15, unit = \"workday\", basis = \"条例第三十二条\" }\n\
        receipt = { basis = \"条例第三十一条\", correction_restarts = \"条例第三十条\" }\n\
        dated_acts = \"条例第三十条、第三十三条\"";
    let text = edit("refusal_notice = { value = 3, unit = \"workday\", basis = \"测试依据\" }", declared);
    let item = parse_item(PATH, &text).unwrap_or_else(|p| panic!("{p:?}"));
    let rule = item.procedure.receipt.expect("receipt");
    assert_eq!((rule.basis.as_str(), rule.correction_restarts.as_deref()), ("条例第三十一条", Some("条例第三十条")));
    let consultation = item.procedure.consultation.expect("consultation");
    assert_eq!((consultation.value, consultation.unit), (15, LimitUnit::Workday));
    assert_eq!(item.procedure.dated_acts.as_deref(), Some("条例第三十条、第三十三条"));
    // A file without them has neither.
    let plain = parse_item(PATH, BASE).unwrap();
    assert!(plain.procedure.receipt.is_none() && plain.procedure.consultation.is_none());
    assert!(plain.procedure.dated_acts.is_none());
    let text =
        edit("pauses = [\"supplement\", \"special\"]", "pauses = [\"supplement\", \"special\"]\ndated_acts = \"\"");
    check(&text, "missing_basis", "dated_acts =");
}

#[test]
fn a_consultation_needs_the_special_pause_and_a_receipt_its_basis() {
    let text = edit(
        "pauses = [\"supplement\", \"special\"]",
        "pauses = [\"supplement\"]\nconsultation = { value = 15, unit = \"workday\", basis = \"条例第三十二条\" }",
    );
    check(&text, "consultation_without_pause", "consultation =");
    let text = edit(
        "pauses = [\"supplement\", \"special\"]",
        "pauses = [\"supplement\", \"special\"]\nconsultation = { value = 15, unit = \"hour\", basis = \"条例第三十二条\" }",
    );
    check(&text, "hour_limit_not_allowed", "unit = \"hour\"");
    let text = edit(
        "pauses = [\"supplement\", \"special\"]",
        "pauses = [\"supplement\", \"special\"]\nreceipt = { basis = \" \" }",
    );
    check(&text, "missing_basis", "receipt =");
    let text = edit("pauses = [\"supplement\", \"special\"]", "pauses = [\"supplement\", \"special\"]\nreceipt = { }");
    assert!(
        problems(&text).iter().any(|p| p.code == "unknown_field" || p.code == "missing_field"),
        "{:?}",
        problems(&text)
    );
}

// --- [procedure] correction -------------------------------------------------------------------

const CORRECTION: &str = "correction = { period = { value = 15, unit = \"workday\", basis = \"《中华人民共和国政府信息公开条例》第三十条\" }, lapse_outcome = \"not_exist\" }\n";

#[test]
fn a_correction_period_loads_with_its_lapse_outcome() {
    let defaults = "grant_outcome = \"disclosed\"\nrefusal_outcome = \"withheld\"\n";
    let text = with_outcomes(DISCLOSURE_LIKE, &format!("{defaults}{CORRECTION}"));
    let item = parse_item(PATH, &text).unwrap_or_else(|p| panic!("{p:?}"));
    let rule = item.procedure.correction.expect("declared");
    assert_eq!((rule.period.value, rule.period.unit), (15, LimitUnit::Workday));
    assert_eq!(rule.lapse_outcome, "not_exist");
    // The lapse names a declared outcome that does not grant.
    let granting = CORRECTION.replace("not_exist", "disclosed");
    check(&with_outcomes(DISCLOSURE_LIKE, &format!("{defaults}{granting}")), "lapse_outcome_grants", "correction =");
    let unknown = CORRECTION.replace("not_exist", "abandond");
    check(&with_outcomes(DISCLOSURE_LIKE, &format!("{defaults}{unknown}")), "unknown_lapse_outcome", "correction =");
    // An item without declared outcomes has none to name.
    check(&edit("pauses = [", &format!("{CORRECTION}pauses = [")), "unknown_lapse_outcome", "correction =");
    // Not in hours, and the supplement pause listed.
    let hours = CORRECTION.replace("\"workday\"", "\"hour\"");
    check(&with_outcomes(DISCLOSURE_LIKE, &format!("{defaults}{hours}")), "hour_limit_not_allowed", "correction =");
    let no_pause = with_outcomes(DISCLOSURE_LIKE, &format!("{defaults}{CORRECTION}"))
        .replace("pauses = [\"supplement\", \"special\"]", "pauses = [\"special\"]");
    check(&no_pause, "correction_without_pause", "correction =");
}

// --- an outcome's own form ---------------------------------------------------------------------

#[test]
fn an_outcome_declares_its_own_form_with_the_form_field_types() {
    let withheld = DISCLOSURE_LIKE.replace(
        "steps = [\"decide\", \"review\"]\n",
        "steps = [\"decide\", \"review\"]\nform = [\n  { id = \"reason\", label = \"不予公开的理由\", kind = \"choice\", required = true, choices = [{ value = \"state_secret\", label = \"国家秘密\" }, { value = \"third_party\", label = \"第三方合法权益\" }] },\n  { id = \"fee\", label = \"信息处理费\", kind = \"money\" },\n]\n",
    );
    let defaults = "grant_outcome = \"disclosed\"\nrefusal_outcome = \"withheld\"\n";
    let item = parse_item(PATH, &with_outcomes(&withheld, defaults)).unwrap_or_else(|p| panic!("{p:?}"));
    let form = &item.outcomes.get("withheld").unwrap().form;
    let ids: Vec<&str> = form.fields.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["reason", "fee"]);
    assert!(item.outcomes.get("disclosed").unwrap().form.is_empty());
    // The same checks as the item's [[form]]: an unknown kind is refused on its line.
    let bad = withheld.replace("kind = \"money\"", "kind = \"amount\"");
    check(&with_outcomes(&bad, defaults), "unknown_field_kind", "kind = \"amount\"");
}

/// Who may apply (`[item] applicants`): declared on the item, each kind known and named once, a
/// person among them, with the provision that says so; without it, what the item's area admits.
#[test]
fn who_may_apply_is_the_items_declaration_or_its_areas() {
    let undeclared = parse_item(PATH, BASE).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(undeclared.applicants, Applicants { organizations: true, basis: None });
    let in_marriage = format!("vertical = \"marriage\"\n{BASE}");
    let marriage = parse_item(PATH, &in_marriage).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(marriage.applicants.person_only(), Some("婚姻登记条例第四条、第十条"));

    let declare = |kinds: &str, basis: &str| {
        edit(
            "city_centre = true\n",
            &format!("city_centre = true\napplicants = {{ kinds = {kinds}, basis = \"{basis}\" }}\n"),
        )
    };
    // An item of an area that admits organizations is for persons; one of marriage's admits both.
    let persons = parse_item(PATH, &declare("[\"person\"]", "《老年人权益保障法》第三十三条")).expect("valid");
    assert_eq!(persons.applicants.person_only(), Some("《老年人权益保障法》第三十三条"));
    let both = format!("vertical = \"marriage\"\n{}", declare("[\"person\", \"organization\"]", "某条例第一条"));
    let both = parse_item(PATH, &both).expect("valid");
    assert_eq!(both.applicants, Applicants { organizations: true, basis: Some("某条例第一条".into()) });
    assert_eq!(both.applicants.person_only(), None);

    check(&declare("[\"person\", \"company\"]", "某条例"), "unknown_applicant_kind", "\"company\"");
    check(&declare("[\"person\", \"person\"]", "某条例"), "duplicate_applicant_kind", "applicants =");
    check(&declare("[\"organization\"]", "某条例"), "applicants_without_person", "applicants =");
    check(&declare("[\"person\"]", " "), "missing_applicants_basis", "applicants =");
}
