//! The bureau's catalog (`catalog/<slug>/v<N>.toml` at the repository root) loads and validates,
//! holds the items the bureau runs, and matches the facts the law and the 2021 report fix.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use domain::catalog::{AcceptAnywhere, CaseType, Catalog, CompetentBy, CrossRegionMode, ItemKind, ServiceItem};
use domain::procedure::{LimitUnit, StepKind, TimerOutcome};

fn catalog_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog")
}

/// Every `(path, text)` under `catalog/`, paths as `catalog/<slug>/<file>`.
fn files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(catalog_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    for dir in dirs {
        if !dir.is_dir() {
            continue;
        }
        let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            let slug = dir.file_name().unwrap().to_string_lossy();
            let name = path.file_name().unwrap().to_string_lossy();
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((format!("catalog/{slug}/{name}"), text));
        }
    }
    out
}

fn load() -> Catalog {
    Catalog::from_files(&files()).unwrap_or_else(|problems| {
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        panic!("the catalog does not validate:\n{}", list.join("\n"))
    })
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn latest<'a>(catalog: &'a Catalog, slug: &str) -> &'a ServiceItem {
    catalog.versions(slug).last().unwrap_or_else(|| panic!("no item {slug}"))
}

#[test]
fn every_catalog_file_validates() {
    let files = files();
    assert!(files.len() >= 20, "only {} files", files.len());
    for (path, _) in &files {
        assert!(path.ends_with(".toml"), "{path}: only item files belong in catalog/");
    }
    load();
}

#[test]
fn the_required_items_exist() {
    let catalog = load();
    for slug in [
        "marriage-registration",
        "divorce-registration",
        "marriage-certificate-reissue",
        "disability-subsidy",
        "orphan-recognition",
        "unsupported-child-recognition",
        "minimum-living-allowance",
        "extreme-poverty-support",
        "temporary-assistance",
        "elderly-care-filing",
        "social-group-registration",
        "private-non-enterprise-registration",
        "foundation-registration",
        "foundation-change-registration",
        "foundation-deregistration",
    ] {
        assert!(!catalog.versions(slug).is_empty(), "missing {slug}");
    }
}

/// The 2021 report: "将6项行政许可、6项公共服务全部集中到市政务服务中心办理".
#[test]
fn the_city_centre_has_six_licences_and_six_public_services() {
    let catalog = load();
    for on in [date("2021-12-31"), date("2026-01-01")] {
        let at_centre: Vec<&ServiceItem> = catalog.items_on(on).into_iter().filter(|i| i.city_centre).collect();
        let count = |kind: ItemKind| at_centre.iter().filter(|i| i.kind == kind).count();
        assert_eq!(count(ItemKind::AdministrativeLicense), 6, "行政许可 at the centre on {on}");
        assert_eq!(count(ItemKind::PublicService), 6, "公共服务 at the centre on {on}");
    }
}

#[test]
fn marriage_registration_is_instant_free_and_nationwide() {
    let catalog = load();
    let item = latest(&catalog, "marriage-registration");
    assert_eq!(item.case_type, CaseType::Instant);
    assert!(!item.fee.charged);
    assert_eq!(item.accept_anywhere, AcceptAnywhere::Anywhere);
    assert!(item.legal_basis.iter().any(|b| b.contains("第一千零四十九条")));
    // No 户口簿 since 2025-05-10: nothing demanded that data sharing gives.
    assert!(item.materials.iter().all(|m| !m.name.contains("户口簿")));
}

#[test]
fn divorce_has_a_cooling_off_period_and_an_issuance_window() {
    let catalog = load();
    let item = latest(&catalog, "divorce-registration");
    let steps = &item.procedure.steps;
    let cooling = steps.iter().find(|s| s.kind == StepKind::Wait).expect("a cooling-off wait step");
    let timer = cooling.timer.as_ref().unwrap();
    assert_eq!((timer.after.value, timer.after.unit, timer.outcome), (30, LimitUnit::Day, TimerOutcome::Advance));
    let window = steps
        .iter()
        .find(|s| s.kind != StepKind::Wait && s.timer.is_some())
        .expect("an issuance window: an acting step with a timer");
    let timer = window.timer.as_ref().unwrap();
    assert_eq!((timer.after.value, timer.after.unit, timer.outcome), (30, LimitUnit::Day, TimerOutcome::DeemWithdrawn));
    assert!(steps.iter().position(|s| s.id == cooling.id) < steps.iter().position(|s| s.id == window.id));
}

#[test]
fn disability_subsidy_is_accepted_anywhere_and_decided_at_the_hukou() {
    let catalog = load();
    let item = latest(&catalog, "disability-subsidy");
    assert_eq!(item.cross_region_mode, CrossRegionMode::Online);
    assert_eq!(item.accept_anywhere, AcceptAnywhere::Anywhere);
    assert_eq!(item.competent_by, CompetentBy::Hukou);
    let limit = |kind: StepKind| item.procedure.steps.iter().find(|s| s.kind == kind).and_then(|s| s.limit.clone());
    assert_eq!(limit(StepKind::Forward).map(|l| l.value), Some(3));
    assert_eq!(limit(StepKind::Decide).map(|l| l.value), Some(10));
}

#[test]
fn no_publicity_for_children() {
    let catalog = load();
    for slug in ["orphan-recognition", "unsupported-child-recognition"] {
        let item = latest(&catalog, slug);
        assert!(item.procedure.steps.iter().all(|s| s.kind != StepKind::Wait), "{slug} must not be publicised");
        assert_eq!(item.accept_anywhere, AcceptAnywhere::Anywhere, "{slug}");
    }
}

#[test]
fn minimum_living_allowance_limits() {
    let catalog = load();
    let item = latest(&catalog, "minimum-living-allowance");
    let statutory = item.statutory_limit.as_ref().unwrap();
    assert_eq!((statutory.value, statutory.unit), (30, LimitUnit::Workday));
    let extension = item.procedure.extension.as_ref().unwrap();
    assert_eq!(statutory.value + extension.max.value, 45);
    assert_eq!(item.procedure.refusal_notice.as_ref().map(|l| l.value), Some(3));
}

/// 《基金会管理条例》第六条: a foundation is registered by the province (or the ministry), never by
/// the city or a county; every step of the item acts at the province, the decision checks the
/// registrar and the 原始基金 (第八条第二项), and the period is the 三十日 of 慈善法第十条第一款.
#[test]
fn a_foundation_is_registered_by_the_province() {
    use domain::division::Level;
    let catalog = load();
    let item = latest(&catalog, "foundation-registration");
    assert_eq!(item.vertical, Some(domain::vertical::Vertical::SocialOrganization));
    assert_eq!(item.levels, [Level::Province]);
    assert!(!item.city_centre);
    assert_eq!(item.accept_anywhere, AcceptAnywhere::Province);
    for step in item.procedure.steps.iter().filter(|s| s.role.is_some()) {
        assert_eq!(step.level, Some(Level::Province), "{}", step.id);
    }
    let decide = item.procedure.steps.iter().find(|s| s.kind == StepKind::Decide).expect("a decision");
    assert_eq!(decide.guards, ["social_org_conditions", "social_org_sponsor_consent"]);
    assert_eq!(decide.effects, ["social_org_register"]);
    let limit = item.statutory_limit.as_ref().expect("a statutory limit");
    assert_eq!((limit.value, limit.unit), (30, LimitUnit::Day));
    assert!(limit.basis.contains("慈善法") && limit.basis.contains("第十一条"), "{}", limit.basis);
    let kinds = item.form.field("foundation_kind").expect("the kind");
    assert_eq!(kinds.choices.len(), 3);
}

/// 《基金会管理条例》第十五条 (change) and 第十六条、第十八条 (deregistration after liquidation):
/// decided by the registrar of 第六条, the province, as the registration; a granted change writes the
/// new version, a granted deregistration marks the foundation 注销, only after liquidation.
#[test]
fn a_foundation_changes_and_deregisters_at_the_province() {
    use domain::division::Level;
    let catalog = load();
    for (slug, article, guards, effect) in [
        ("foundation-change-registration", "第十五条", &[][..], "social_org_change"),
        ("foundation-deregistration", "第十八条", &["social_org_liquidated"][..], "social_org_deregister"),
    ] {
        let item = latest(&catalog, slug);
        assert_eq!(item.vertical, Some(domain::vertical::Vertical::SocialOrganization), "{slug}");
        assert_eq!(item.levels, [Level::Province], "{slug}");
        assert_eq!(item.accept_anywhere, AcceptAnywhere::Province, "{slug}");
        assert!(item.legal_basis.iter().any(|b| b.contains("《基金会管理条例》") && b.contains(article)), "{slug}");
        for step in item.procedure.steps.iter().filter(|s| s.role.is_some()) {
            assert_eq!(step.level, Some(Level::Province), "{slug} {}", step.id);
        }
        let decide = item.procedure.steps.iter().find(|s| s.kind == StepKind::Decide).expect("a decision");
        assert_eq!(decide.guards, guards, "{slug}");
        assert_eq!(decide.effects, [effect], "{slug}");
        assert!(item.form.field("organization").is_some(), "{slug} names the foundation");
    }
}

#[test]
fn every_limit_states_its_basis_and_every_item_its_legal_basis() {
    let catalog = load();
    for item in catalog.all() {
        assert!(!item.legal_basis.is_empty(), "{}", item.slug);
        for step in &item.procedure.steps {
            if let Some(limit) = &step.limit {
                assert!(!limit.basis.is_empty(), "{} {}", item.slug, step.id);
            }
        }
    }
}

#[test]
fn marriage_items_have_the_2003_rules_from_2021_and_the_2025_rules_from_2025_05_10() {
    let catalog = load();
    for slug in ["marriage-registration", "divorce-registration", "marriage-certificate-reissue"] {
        let versions = catalog.versions(slug);
        // v3: the same rules as v2, with the outcomes listed (see below); v4 who may apply.
        assert_eq!(versions.len(), 4, "{slug}");
        let v1 = catalog.in_force(slug, date("2021-07-01")).expect("in force in 2021");
        assert_eq!(v1.version.number, 1, "{slug}");
        assert_eq!(v1.version.effective_from, date("2021-01-01"), "{slug}");
        // The 9 元 工本费 (unconfirmed for 四川 2021) and the 户口簿 of the 2003 条例.
        assert!(v1.fee.charged, "{slug}");
        assert!(v1.materials.iter().any(|m| m.name.contains("户口簿")), "{slug}");
        assert!(v1.legal_basis.iter().any(|b| b.contains("2003年")), "{slug}");
        assert_eq!(catalog.in_force(slug, date("2025-05-09")).map(|i| i.version.number), Some(1), "{slug}");
        let v2 = catalog.in_force(slug, date("2025-05-10")).expect("in force");
        assert_eq!(v2.version.number, 2, "{slug}");
        assert!(!v2.fee.charged, "{slug}");
    }
    // The guards the service checks are named on the steps.
    let item = catalog.in_force("marriage-registration", date("2021-07-01")).expect("v1");
    let guards: Vec<&str> = item.procedure.steps.iter().flat_map(|s| s.guards.iter().map(String::as_str)).collect();
    assert_eq!(
        guards,
        [
            "marriage_parties",
            "marriage_declaration_signed",
            "marriage_office_competent",
            "marriage_age",
            "marriage_no_spouse"
        ]
    );
}

/// Every shipped item declares its area; the items the code binds to an area by slug today (the
/// assistance programs, the marriage registry's items) declare that area.
#[test]
fn every_item_declares_its_area() {
    use domain::vertical::Vertical;
    let catalog = load();
    for item in catalog.all() {
        assert!(item.vertical.is_some(), "{} v{} declares no vertical", item.slug, item.version.number);
    }
    for program in domain::assistance::Program::ALL {
        assert_eq!(latest(&catalog, program.item_slug()).vertical, Some(Vertical::Assistance), "{program:?}");
    }
    for slug in
        ["marriage-registration", "divorce-registration", "marriage-certificate-reissue", "marriage-record-query"]
    {
        assert_eq!(latest(&catalog, slug).vertical, Some(Vertical::Marriage), "{slug}");
    }
    assert_eq!(latest(&catalog, "social-group-registration").vertical, Some(Vertical::SocialOrganization));
    assert_eq!(latest(&catalog, "elderly-care-filing").vertical, Some(Vertical::ElderlyCare));
    // Every guard named in the catalog is one its area lists.
    for item in catalog.all() {
        let area = item.vertical.unwrap();
        for guard in item.procedure.steps.iter().flat_map(|s| &s.guards) {
            assert!(area.guards().contains(&guard.as_str()), "{}: {guard}", item.slug);
        }
    }
}

/// The items of the areas that have no content of their own yet (social organizations, elderly
/// care, funeral, place names) declare their application form, so their facts are kept; every
/// version of an item declares one. Marriage and assistance keep their own forms for now.
#[test]
fn the_light_items_declare_their_form() {
    use domain::form::FieldKind;
    use domain::vertical::Vertical;
    let catalog = load();
    let mut light = 0;
    for item in catalog.all() {
        let area = item.vertical.unwrap();
        if matches!(area, Vertical::Marriage | Vertical::Assistance) {
            assert!(item.form.is_empty(), "{} keeps its own form this session", item.slug);
            continue;
        }
        light += 1;
        assert!(!item.form.is_empty(), "{} v{} declares no [[form]]", item.slug, item.version.number);
        assert!(item.form.fields.iter().any(|f| f.required), "{}: nothing required", item.slug);
        for field in &item.form.fields {
            // No person field yet: a person is the applicant, typed in with the applicant's own fields.
            assert_ne!(field.kind, FieldKind::Person, "{}: {}", item.slug, field.id);
            assert!(field.basis.as_deref().is_none_or(|b| b.starts_with('《')), "{}: {}", item.slug, field.id);
        }
    }
    assert_eq!(
        light, 52,
        "13 items, two of them in two versions, each with its outcomes version; 养老服务补贴申领 also \
         with its 2021 全程网办 version (recorded late) and the correction of its outcomes version; the \
         foundation's registration, change and deregistration; the request for government information; \
         each of these 17 items with its version stating who may apply; 养老机构备案's version \
         requiring the legal representative"
    );
    // Each form's example is a form its parser accepts.
    let ctx = domain::form::FormContext {
        today: date("2021-06-01"),
        regions: domain::idcard::RegionHistory::builtin(),
        divisions: domain::division::Divisions::builtin(),
    };
    for item in catalog.all() {
        let values = domain::form::FormValues::from_json(&item.form.example("511702", 1)).expect("object");
        if let Err(problems) = item.form.parse(&values, &ctx) {
            panic!("{} v{}: {problems:?}", item.slug, item.version.number);
        }
    }
    let filing = latest(&catalog, "elderly-care-filing");
    let beds = filing.form.field("beds").expect("beds");
    assert_eq!((beds.kind, beds.required, beds.min), (FieldKind::Int, true, Some(10)));
    assert_eq!(filing.form.field("operator").map(|f| f.kind), Some(FieldKind::Organization));
}

/// How a shipped item file is broken in the fuzzing below.
#[derive(Debug, Clone)]
enum Mutation {
    /// Line `n` (0-based, modulo the length) replaced by text that is no TOML at all.
    Garbage(usize, String),
    /// Line `n` deleted.
    Delete(usize),
    /// Line `n` written twice.
    Duplicate(usize),
    /// The value of line `n` (after its `=`) replaced by an arbitrary one.
    Value(usize, String),
    /// The text cut after `n` characters.
    Truncate(usize),
    /// Two lines swapped.
    Swap(usize, usize),
}

fn mutate(text: &str, mutation: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let at = |n: usize| n % lines.len();
    match mutation {
        Mutation::Garbage(n, junk) => {
            let i = at(*n);
            lines[i] = junk.clone();
        }
        Mutation::Delete(n) => {
            let i = at(*n);
            lines.remove(i);
        }
        Mutation::Duplicate(n) => {
            let i = at(*n);
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        Mutation::Value(n, value) => {
            let i = at(*n);
            if let Some((key, _)) = lines[i].split_once('=') {
                lines[i] = format!("{key}= {value}");
            }
        }
        Mutation::Truncate(n) => return text.chars().take(n % (text.chars().count() + 1)).collect(),
        Mutation::Swap(a, b) => {
            let (a, b) = (at(*a), at(*b));
            lines.swap(a, b);
        }
    }
    lines.join("\n") + "\n"
}

fn mutation() -> impl proptest::strategy::Strategy<Value = Mutation> {
    use proptest::prelude::*;
    // Text that cannot be a TOML line: an unclosed string, a bare word, an unclosed table.
    let junk = prop_oneof![
        "[a-z]{1,8} [a-z]{1,8}".prop_map(|s| s),
        // (no backslash: `"\` at a line's end is an escape that TOML reports on the next line)
        "\"[^\"\\\\\\n]{0,10}".prop_map(|s| s),
        "\\[[a-z.]{1,10}".prop_map(|s| s),
        "= [0-9]{1,4}".prop_map(|s| s),
    ];
    let value = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        "\"[^\"\\\\\\n]{0,20}\"".prop_map(|s| s),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("{ value = -1, unit = \"fortnight\", basis = \"\" }".to_string()),
        Just("\"2021-02-29\"".to_string()),
        Just("[\"nothing\", 3]".to_string()),
        "[\\PC]{0,12}".prop_map(|s| s),
    ];
    prop_oneof![
        (any::<usize>(), junk).prop_map(|(n, j)| Mutation::Garbage(n, j)),
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), value).prop_map(|(n, v)| Mutation::Value(n, v)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

    /// A shipped item file, broken at random: the loader never panics; whatever it refuses comes
    /// with a stable code and, when it points at a place, a line inside the file.
    #[test]
    fn a_broken_item_file_is_refused_with_its_line(file in proptest::sample::select(files()), mutation in mutation()) {
        let (path, text) = file;
        let broken = mutate(&text, &mutation);
        let lines = broken.lines().count().max(1);
        if let Err(problems) = domain::catalog::parse_item(&path, &broken) {
            proptest::prop_assert!(!problems.is_empty());
            for problem in &problems {
                proptest::prop_assert!(!problem.code.is_empty() && !problem.message.is_empty(), "{problem}");
                if let Some(line) = problem.line {
                    proptest::prop_assert!((1..=lines + 1).contains(&line), "{problem} of {lines} lines");
                }
            }
            // A line that is no TOML is named by its number.
            if let Mutation::Garbage(n, _) = &mutation {
                let line = n % text.lines().count() + 1;
                let syntax = problems.iter().find(|p| p.code == "toml_syntax");
                proptest::prop_assert!(syntax.is_some_and(|p| p.line == Some(line)), "line {line}: {problems:?}");
            }
        }
    }

    /// Arbitrary text, TOML or not: never a panic, always an answer.
    #[test]
    fn arbitrary_text_never_panics_the_loader(text in "[\\PC\\n=\\[\\]\"{},.]{0,400}") {
        let _ = domain::catalog::parse_item("catalog/x/v1.toml", &text);
    }
}

/// Every timed step of every item version in `catalog/` (公示, 离婚冷静期, the certificate window…)
/// takes effect at the end of its last day through the engine's one mechanism
/// (`apply::settled`), not when the sweep runs: at 23:59:59 (Asia/Shanghai) of the last day the
/// case is still at the step; at 00:00:00 of the next day it has moved on (or is deemed
/// withdrawn). Entered on 2025-09-26, so a 7-day period's natural end 10-03 falls in the 国庆
/// holiday and moves to 10-09 (民法典第二百零三条).
#[test]
fn every_timed_step_takes_effect_at_the_end_of_its_last_day() {
    use chrono::{DateTime, Datelike, Duration, FixedOffset, TimeZone, Utc};
    use domain::calendar::WorkCalendar;
    use domain::division::{DivisionCode, Divisions};
    use domain::engine::apply::settled;
    use domain::engine::case::{Case, CaseStatus, Channel, NewCase, Outcome};
    use domain::engine::context::EngineContext;
    use domain::engine::deadline::current_timer;

    let shanghai = |y, m, d, h, mi, s| -> DateTime<Utc> {
        FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(y, m, d, h, mi, s).unwrap().with_timezone(&Utc)
    };
    let catalog = load();
    let ctx = EngineContext::new(Divisions::builtin(), WorkCalendar::builtin());
    let entered = shanghai(2025, 9, 26, 10, 0, 0);
    let mut checked = Vec::new();
    for slug in catalog.slugs() {
        for item in catalog.versions(slug) {
            for step in item.procedure.steps.iter().filter(|s| s.timer.is_some()) {
                let office = DivisionCode::parse("511702").unwrap();
                let new = NewCase {
                    id: 1,
                    number: "X".into(),
                    item_slug: item.slug.clone(),
                    item_version: item.version.number,
                    channel: Channel::Window,
                    applicant: 1,
                    situation: None,
                    materials: Vec::new(),
                    accepting: office.clone(),
                    competent: office,
                };
                let mut case = Case::draft(new, Divisions::builtin(), entered);
                case.status = CaseStatus::InProgress;
                case.submitted_at = Some(entered);
                case.accepted_at = Some(entered);
                case.step = Some(step.id.clone());
                case.step_entered_at = entered;
                let due = current_timer(item, &case, WorkCalendar::builtin(), entered).and_then(|d| d.due).unwrap();
                let last = shanghai(2025, due.month(), due.day(), 23, 59, 59);
                let at_last = settled(item, &case, &ctx, last);
                assert_eq!(
                    at_last.step.as_deref(),
                    Some(step.id.as_str()),
                    "{slug} v{} {}",
                    item.version.number,
                    step.id
                );
                let next = settled(item, &case, &ctx, last + Duration::seconds(1));
                assert_ne!(next.step.as_deref(), Some(step.id.as_str()), "{slug} v{} {}", item.version.number, step.id);
                if step.timer.as_ref().is_some_and(|t| t.outcome == TimerOutcome::DeemWithdrawn) {
                    assert_eq!(next.status, CaseStatus::Closed(Outcome::DeemedWithdrawn));
                }
                if step.timer.as_ref().is_some_and(|t| t.after.value == 7 && t.after.unit == LimitUnit::Day) {
                    assert_eq!(due, date("2025-10-09"), "{slug}: the 公示 ends after the 国庆 holiday");
                }
                checked.push(format!("{slug}/{}", step.id));
            }
        }
    }
    for expected in [
        "divorce-registration/cooling_off",
        "divorce-registration/issuance_window",
        "minimum-living-allowance/publicity",
    ] {
        assert!(checked.iter().any(|c| c == expected), "{expected} not checked: {checked:?}");
    }
}

/// The township's investigation is the first review of every assistance item: the household's data
/// must be on record before it passes (domain::assistance::investigation_step).
#[test]
fn the_assistance_items_investigate_before_anything_else_is_reviewed() {
    let catalog = load();
    for (slug, step) in [
        ("minimum-living-allowance", "investigate"),
        ("extreme-poverty-support", "township_review"),
        ("temporary-assistance", "township_review"),
        ("disability-subsidy", "township_review"),
        ("orphan-recognition", "township_check"),
    ] {
        let item = latest(&catalog, slug);
        let found = domain::assistance::investigation_step(&item.procedure).map(|s| s.id.as_str());
        assert_eq!(found, Some(step), "{slug}");
    }
    // A procedure with no review has no such step.
    let mut none = latest(&catalog, "minimum-living-allowance").procedure.clone();
    none.steps.retain(|s| s.kind != domain::procedure::StepKind::Review);
    assert!(domain::assistance::investigation_step(&none).is_none());
}

/// Every item shipped before outcomes has a version declaring them (`[[outcomes]]`), and it changes
/// nothing else: the version before it with the same content but its version line and the
/// implicit outcomes (a published version is never edited, so the outcomes came as a new one).
#[test]
fn the_outcome_versions_change_nothing_but_the_outcomes() {
    let catalog = load();
    let slugs: Vec<String> = catalog.slugs().map(str::to_string).collect();
    assert!(slugs.len() >= 20);
    // The items shipped before outcomes (an item added later may declare them in its v1).
    let mut with_outcome_version = 0;
    for slug in &slugs {
        let versions = catalog.versions(slug);
        let Some(at) = versions.iter().position(|v| v.version.effective_from == date("2026-12-07")) else { continue };
        with_outcome_version += 1;
        let newest = &versions[at];
        assert!(at > 0, "{slug}: the outcomes version follows a published one");
        assert!(newest.outcomes.declared, "{slug} v{}: no [[outcomes]]", newest.version.number);
        let before = &versions[at - 1];
        assert!(!before.outcomes.declared, "{slug} v{}", before.version.number);
        let mut same = newest.clone();
        same.version = before.version.clone();
        same.outcomes = before.outcomes.clone();
        assert_eq!(&same, before, "{slug}: v{} changes more than its outcomes", newest.version.number);
        // Every outcome states its basis; a refusable item has a refusal, a filing none.
        assert!(newest.outcomes.list.iter().all(|o| o.basis.starts_with('《')), "{slug}");
        assert_eq!(newest.outcomes.refusal_default.is_some(), newest.procedure.refusable, "{slug}");
    }
    assert!(with_outcome_version >= 23, "every item shipped before outcomes got its outcomes version");
    // A disclosure-like query answers more than granted or refused.
    let query = latest(&catalog, "marriage-record-query");
    let labels: Vec<&str> = query.outcomes.list.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels, ["出具查询结果", "无相关档案记录", "不予查询"]);
    assert_eq!(query.outcomes.default_for(Some("search"), false).unwrap().key, "refused");
    // The filing is never refused: its one outcome grants.
    let filing = latest(&catalog, "elderly-care-filing");
    assert_eq!(filing.outcomes.list.len(), 1);
    assert_eq!(filing.outcomes.default_for(None, true).unwrap().label, "予以备案");
}

/// Every item states who may apply (`applicants`, in force from 2026-12-08), with its basis, in a
/// version that changes nothing else; the natural persons' items are those whose law names a
/// person (婚姻登记, 社会救助 and the subsidies), whatever their area admits.
#[test]
fn the_applicant_versions_change_nothing_but_who_may_apply() {
    let catalog = load();
    let mut persons = Vec::new();
    for slug in catalog.slugs() {
        let versions = catalog.versions(slug);
        let at = versions.iter().position(|v| v.version.effective_from == date("2026-12-08"));
        let at = at.unwrap_or_else(|| panic!("{slug}: who may apply is declared"));
        let newest = &versions[at];
        let basis = newest.applicants.basis.as_deref().unwrap_or_default();
        assert!(basis.starts_with('《'), "{slug}: the basis names its law, got {basis:?}");
        let before = &versions[at - 1];
        let mut same = newest.clone();
        same.version = before.version.clone();
        same.applicants = before.applicants.clone();
        assert_eq!(&same, before, "{slug}: v{} changes more than who may apply", newest.version.number);
        if !newest.applicants.organizations {
            persons.push(slug);
        }
    }
    assert_eq!(
        persons,
        [
            "disability-subsidy",
            "divorce-registration",
            "elderly-care-subsidy",
            "extreme-poverty-support",
            "marriage-certificate-reissue",
            "marriage-record-query",
            "marriage-registration",
            "minimum-living-allowance",
            "orphan-recognition",
            "temporary-assistance",
            "unsupported-child-recognition",
        ]
    );
    // The same area, two answers: the subsidy is the elderly person's, the filing the institution's.
    let subsidy = latest(&catalog, "elderly-care-subsidy");
    assert!(subsidy.applicants.person_only().is_some_and(|law| law.contains("老年人权益保障法")));
    assert!(latest(&catalog, "elderly-care-filing").applicants.organizations);
    assert!(latest(&catalog, "government-information-request").applicants.organizations);
    // An earlier version, declaring none, admits what its area admits.
    let undeclared = catalog.in_force("elderly-care-subsidy", date("2021-06-01")).expect("in force");
    assert_eq!(undeclared.applicants, domain::catalog::Applicants::of_area(undeclared.vertical));
}

/// 养老机构备案's version 4 requires the operator's legal representative (its hint says so) and
/// changes nothing else.
#[test]
fn the_filing_requires_the_representative_from_version_4() {
    let catalog = load();
    let versions = catalog.versions("elderly-care-filing");
    let (newest, before) = (versions.last().expect("v4"), &versions[versions.len() - 2]);
    assert_eq!((newest.version.number, newest.version.effective_from), (4, date("2026-12-09")));
    let operator = |item: &ServiceItem| item.form.fields.iter().find(|f| f.id == "operator").cloned();
    let required = operator(newest).expect("operator");
    assert_eq!(required.required_parts, ["representative"]);
    assert!(required.part_required("representative"));
    assert!(!operator(before).expect("operator").part_required("representative"));
    let mut same = newest.clone();
    same.version = before.version.clone();
    for (field, was) in same.form.fields.iter_mut().zip(&before.form.fields) {
        field.required_parts.clear();
        field.help = was.help.clone();
    }
    assert_eq!(&same, before, "v4 changes more than the representative and the operator's hint");
    // The hint names the place, chosen on the form, not its code.
    assert!(required.help.as_deref().is_some_and(|h| h.ends_with("和住所地")), "{:?}", required.help);
}
