//! Test fixtures: service items built in code (the catalog loader is separate), actors, dates.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::access::{Grant, Role};
use crate::calendar::shanghai_offset;
use crate::catalog::{
    AcceptAnywhere, BodyNature, CaseType, CompetentBy, CrossRegionMode, Fee, ItemKind, Material, MaterialForm,
    MaterialSource, PowerSource, ResultSpec, ServiceItem, Situation, VersionInfo,
};
use crate::division::{DivisionCode, Divisions, Level};
use crate::engine::case::{case_number, Case, Channel, NewCase};
use crate::engine::context::ActorAt;
use crate::procedure::{
    ExtensionRule, Limit, LimitUnit, PauseKind, ProcedureDef, Seat, StepDef, StepKind, Timer, TimerOutcome,
};

pub fn code(s: &str) -> DivisionCode {
    DivisionCode::parse(s).unwrap()
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A Shanghai wall-clock time as an instant.
pub fn at(y: i32, m: u32, d: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    shanghai_offset().with_ymd_and_hms(y, m, d, hour, minute, 0).unwrap().with_timezone(&Utc)
}

pub fn workdays(value: u32, basis: &str) -> Limit {
    Limit { value, unit: LimitUnit::Workday, basis: basis.to_string() }
}

pub fn days(value: u32, basis: &str) -> Limit {
    Limit { value, unit: LimitUnit::Day, basis: basis.to_string() }
}

/// A step with the usual defaults: no level, limit, timer, next, return, guards or notices.
pub fn step(id: &str, name: &str, kind: StepKind, role: Option<Role>, seat: Seat) -> StepDef {
    StepDef {
        id: id.to_string(),
        name: name.to_string(),
        kind,
        role,
        seat,
        level: None,
        limit: None,
        timer: None,
        next: None,
        on_return: None,
        guards: Vec::new(),
        effects: Vec::new(),
        notices: Vec::new(),
        skip_situations: Vec::new(),
        party_time: false,
        act_name: None,
    }
}

/// The sample procedure: 受理 (window) → 推送 → 接收 → 审核 → 公示 (7 日) → 决定 → 制证 → 结果返回
/// → 颁发 → 送达, the review and decision at the county of the competent division.
pub fn sample_steps() -> Vec<StepDef> {
    use Role::*;
    use Seat::*;
    let mut accept = step("accept", "受理", StepKind::Accept, Some(Clerk), Accepting);
    accept.limit = Some(workdays(5, "行政许可法第三十二条"));
    accept.notices = vec!["acceptance_notice".into()];
    accept.guards = vec!["applicant_identity".into()];
    let forward = step("forward", "推送", StepKind::Forward, Some(Clerk), Accepting);
    let mut receive = step("receive", "接收", StepKind::Receive, Some(Clerk), Competent);
    receive.level = Some(Level::County);
    let mut review = step("review", "审核", StepKind::Review, Some(Reviewer), Competent);
    review.level = Some(Level::County);
    review.limit = Some(workdays(10, "行政许可法第四十三条"));
    review.on_return = Some("accept".into());
    let mut publicity = step("publicity", "公示", StepKind::Wait, None, Competent);
    publicity.timer = Some(Timer { after: days(7, "公示七日"), outcome: TimerOutcome::Advance });
    let mut decide = step("decide", "决定", StepKind::Decide, Some(Decider), Competent);
    decide.level = Some(Level::County);
    decide.guards = vec!["eligible".into()];
    decide.effects = vec!["start_payment".into()];
    decide.notices = vec!["decision_letter".into()];
    let mut produce = step("produce", "制证", StepKind::Produce, Some(Reviewer), Competent);
    produce.level = Some(Level::County);
    let mut return_result = step("return_result", "结果返回", StepKind::ReturnResult, Some(Clerk), Competent);
    return_result.level = Some(Level::County);
    let issue = step("issue", "颁发", StepKind::Issue, Some(Clerk), Accepting);
    let deliver = step("deliver", "送达", StepKind::Deliver, Some(Clerk), Accepting);
    vec![accept, forward, receive, review, publicity, decide, produce, return_result, issue, deliver]
}

pub fn material(id: &str, name: &str) -> Material {
    Material {
        id: id.to_string(),
        name: name.to_string(),
        source: MaterialSource::Applicant,
        form: MaterialForm::PaperOrElectronic,
        copies: 1,
        required: true,
        tolerance: false,
        shared: false,
    }
}

/// Builds a [`ServiceItem`] for tests; `new()` is the sample procedure, 20 working days.
pub struct ItemBuilder {
    item: ServiceItem,
}

impl Default for ItemBuilder {
    fn default() -> ItemBuilder {
        ItemBuilder::new()
    }
}

impl ItemBuilder {
    pub fn new() -> ItemBuilder {
        let mut photo = material("photo", "近期免冠照片");
        photo.tolerance = true;
        let mut id_card = material("id_card", "居民身份证");
        id_card.shared = true;
        let mut letter = material("letter", "情况说明");
        letter.required = false;
        let item = ServiceItem {
            vertical: None,
            form: Default::default(),
            city_centre: false,
            applicants: crate::catalog::Applicants::of_area(None),
            statutory_limit_none: None,
            version: VersionInfo {
                number: 1,
                effective_from: date(2021, 1, 1),
                reason: "测试".into(),
                ordered_by: "测试文件".into(),
                out_of_order: false,
            },
            slug: "test-item".into(),
            code: "51170000MZ-QT-0001".into(),
            name: "测试事项".into(),
            kind: ItemKind::AdministrativeLicense,
            legal_basis: vec!["《测试条例》第一条".into()],
            implementing_body: "通川区民政局".into(),
            body_nature: BodyNature::Statutory,
            levels: vec![Level::County],
            power_source: PowerSource::Statutory,
            case_type: CaseType::Promised,
            statutory_limit: Some(workdays(20, "行政许可法第四十二条")),
            promised_limit: None,
            fee: Fee { charged: false, basis: String::new() },
            place: "通川区政务服务中心".into(),
            hours: "工作日 9:00-17:30".into(),
            phone: "0818-1234567".into(),
            supervision_phone: "0818-12345".into(),
            acceptance_conditions: vec![],
            online_depth: 4,
            cross_region_mode: CrossRegionMode::Proxy,
            accept_anywhere: AcceptAnywhere::Anywhere,
            competent_by: CompetentBy::Hukou,
            result: ResultSpec {
                name: "测试结果".into(),
                sample: String::new(),
                delivery: vec!["window".into(), "post".into(), "electronic".into()],
            },
            materials: vec![material("application", "申请书"), id_card, photo, material("proof", "证明材料"), letter],
            situations: vec![
                Situation {
                    id: "standard".into(),
                    name: "一般情形".into(),
                    materials: ["application", "id_card", "photo", "proof", "letter"].map(String::from).to_vec(),
                },
                Situation {
                    id: "simple".into(),
                    name: "简易情形".into(),
                    materials: ["application", "id_card"].map(String::from).to_vec(),
                },
            ],
            procedure: ProcedureDef {
                steps: sample_steps(),
                pauses: vec![PauseKind::Supplement, PauseKind::Special, PauseKind::Suspend],
                extension: Some(ExtensionRule {
                    max: workdays(10, "行政许可法第四十二条"), approver: Role::Decider
                }),
                refusal_notice: None,
                refusable: true,
                receipt: None,
                consultation: None,
                dated_acts: None,
                correction: None,
            },
            outcomes: crate::catalog::Outcomes::implicit(true),
        };
        ItemBuilder { item }
    }

    pub fn competent_by(mut self, by: CompetentBy) -> ItemBuilder {
        self.item.competent_by = by;
        self
    }

    pub fn accept_anywhere(mut self, anywhere: AcceptAnywhere) -> ItemBuilder {
        self.item.accept_anywhere = anywhere;
        self
    }

    /// 即办件: accept, decide and deliver on the spot.
    pub fn instant(mut self) -> ItemBuilder {
        self.item.case_type = CaseType::Instant;
        self.item.promised_limit = Some(workdays(0, "当场办结"));
        self
    }

    pub fn statutory(mut self, limit: Option<Limit>) -> ItemBuilder {
        self.item.statutory_limit = limit;
        self
    }

    pub fn promised(mut self, limit: Option<Limit>) -> ItemBuilder {
        self.item.promised_limit = limit;
        self
    }

    pub fn pauses(mut self, pauses: Vec<PauseKind>) -> ItemBuilder {
        self.item.procedure.pauses = pauses;
        self
    }

    pub fn extension(mut self, rule: Option<ExtensionRule>) -> ItemBuilder {
        self.item.procedure.extension = rule;
        self
    }

    pub fn edit_step(mut self, id: &str, edit: impl FnOnce(&mut StepDef)) -> ItemBuilder {
        let step = self.item.procedure.steps.iter_mut().find(|s| s.id == id).expect("step exists");
        edit(step);
        self
    }

    pub fn delivery(mut self, methods: &[&str]) -> ItemBuilder {
        self.item.result.delivery = methods.iter().map(|m| m.to_string()).collect();
        self
    }

    pub fn outcomes(mut self, outcomes: crate::catalog::Outcomes) -> ItemBuilder {
        self.item.outcomes = outcomes;
        self
    }

    pub fn build(self) -> ServiceItem {
        self.item
    }
}

/// The applicant of every test case.
pub const APPLICANT: i64 = 7;

/// A draft at the 通川区 window (511702) for an applicant registered in 东城街道 (511702001),
/// situation `standard`, with every demanded material handed in; created 2021-09-27 09:00.
pub fn draft(item: &ServiceItem) -> Case {
    let materials = item.demanded_materials(Some("standard")).iter().map(|m| m.id.clone()).collect();
    let new = NewCase {
        id: 1,
        number: case_number(&code("511702"), 2021, 1),
        item_slug: item.slug.clone(),
        item_version: item.version.number,
        channel: Channel::Window,
        applicant: APPLICANT,
        situation: Some("standard".into()),
        materials,
        accepting: code("511702"),
        competent: code("511702001"),
    };
    Case::draft(new, Divisions::builtin(), at(2021, 9, 27, 9, 0))
}

pub fn staff(id: i64, role: Role, division: &str) -> ActorAt {
    ActorAt {
        account_id: Some(id),
        label: format!("account:{id}:{}", role.as_str()),
        person_id: None,
        grants: vec![Grant { role, division: code(division) }],
    }
}

pub fn citizen(person: i64) -> ActorAt {
    ActorAt {
        account_id: Some(100 + person),
        label: format!("account:{}:citizen", 100 + person),
        person_id: Some(person),
        grants: vec![Grant { role: Role::Citizen, division: code("511702") }],
    }
}

pub fn clerk() -> ActorAt {
    staff(1, Role::Clerk, "511702")
}

pub fn reviewer() -> ActorAt {
    staff(2, Role::Reviewer, "511702")
}

pub fn decider() -> ActorAt {
    staff(3, Role::Decider, "511702")
}
