//! Reading and checking the catalog files (`catalog/<slug>/v<N>.toml`, docs/designs/engine.md).
//!
//! Parsing text is not IO: the caller reads the files and passes `(path, text)`; the path is used
//! for messages and to check the slug and version against the directory and file name.
//!
//! The file is deserialized into private DTOs (`deny_unknown_fields`, spans kept where a message
//! needs a line), then converted by hand into the domain types, collecting every problem. A file
//! that is not valid TOML, or does not fit the shape (unknown or missing field, wrong type), yields
//! the one problem toml reports; everything after that is reported in full.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::{
    AcceptAnywhere, Applicants, BodyNature, CaseType, CompetentBy, CrossRegionMode, Fee, ItemKind, Material,
    MaterialForm, MaterialSource, PowerSource, ResultSpec, ServiceItem, Situation, VersionInfo, DELIVERY_MODES,
};
use crate::access::Role;
use crate::applicant::ApplicantKind;
use crate::division::Level;
use crate::form::{Choice, FieldKind, FieldSpec, FormSpec};
use crate::procedure::{
    CorrectionRule, ExtensionRule, Limit, LimitUnit, PauseKind, ProcedureDef, ReceiptRule, Seat, StepDef, StepKind,
    Timer, TimerOutcome,
};
use crate::vertical::Vertical;

mod outcomes;
pub use outcomes::{OutcomeDef, Outcomes, IMPLICIT_GRANT, IMPLICIT_REFUSAL};

/// One thing wrong with a catalog file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogProblem {
    /// The path as given by the caller.
    pub file: String,
    /// 1-based line, when the problem is about one place in the file.
    pub line: Option<usize>,
    /// A stable machine code (`unknown_role`, `unreachable_step`…); tests and tools match on it.
    pub code: &'static str,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl fmt::Display for CatalogProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {} ({})", self.file, line, self.message, self.code),
            None => write!(f, "{}: {} ({})", self.file, self.message, self.code),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The file shape (private; converted by hand below)
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDto {
    vertical: Option<Spanned<String>>,
    version: VersionDto,
    item: ItemDto,
    #[serde(default)]
    materials: Vec<MaterialDto>,
    #[serde(default)]
    situations: Vec<SituationDto>,
    #[serde(default)]
    form: Vec<FormFieldDto>,
    #[serde(default)]
    outcomes: Vec<outcomes::OutcomeDto>,
    procedure: ProcedureDto,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionDto {
    number: Spanned<i64>,
    effective_from: Spanned<String>,
    reason: String,
    ordered_by: String,
    #[serde(default)]
    out_of_order: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemDto {
    slug: Spanned<String>,
    code: Spanned<String>,
    name: String,
    kind: Spanned<String>,
    legal_basis: Spanned<Vec<String>>,
    implementing_body: String,
    body_nature: Spanned<String>,
    levels: Spanned<Vec<Spanned<String>>>,
    power_source: Spanned<String>,
    case_type: Spanned<String>,
    statutory_limit: Option<Spanned<LimitDto>>,
    statutory_limit_none: Option<Spanned<String>>,
    promised_limit: Option<Spanned<LimitDto>>,
    fee: FeeDto,
    place: String,
    hours: String,
    phone: String,
    supervision_phone: String,
    acceptance_conditions: Vec<String>,
    online_depth: Spanned<i64>,
    cross_region_mode: Spanned<String>,
    accept_anywhere: Spanned<String>,
    competent_by: Spanned<String>,
    #[serde(default)]
    city_centre: bool,
    applicants: Option<ApplicantsDto>,
    result: ResultDto,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApplicantsDto {
    kinds: Spanned<Vec<Spanned<String>>>,
    basis: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitDto {
    value: Spanned<i64>,
    unit: Spanned<String>,
    basis: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeeDto {
    charged: bool,
    basis: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResultDto {
    name: String,
    sample: String,
    delivery: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MaterialDto {
    id: Spanned<String>,
    name: String,
    source: Spanned<String>,
    form: Spanned<String>,
    #[serde(default = "one")]
    copies: u32,
    required: bool,
    #[serde(default)]
    tolerance: bool,
    #[serde(default)]
    shared: bool,
}

fn one() -> u32 {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SituationDto {
    id: Spanned<String>,
    name: String,
    materials: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormFieldDto {
    id: Spanned<String>,
    label: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    required: bool,
    min: Option<Spanned<i64>>,
    max: Option<Spanned<i64>>,
    max_len: Option<Spanned<i64>>,
    choices: Option<Spanned<Vec<ChoiceDto>>>,
    basis: Option<String>,
    help: Option<String>,
    required_parts: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoiceDto {
    value: Spanned<String>,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcedureDto {
    #[serde(default)]
    pauses: Vec<Spanned<String>>,
    extension: Option<ExtensionDto>,
    refusal_notice: Option<Spanned<LimitDto>>,
    /// `false`: the matter may never end in a refusal (see [`ProcedureDef::refusable`]).
    refusable: Option<bool>,
    /// The outcome a grant that names none records (an `[[outcomes]]` key).
    grant_outcome: Option<Spanned<String>>,
    /// The outcome a refusal that names none records (an `[[outcomes]]` key).
    refusal_outcome: Option<Spanned<String>>,
    /// The period runs from the day of receipt (see [`ReceiptRule`]).
    receipt: Option<Spanned<ReceiptDto>>,
    /// The third party's time in a consultation (see [`ProcedureDef::consultation`]).
    consultation: Option<Spanned<LimitDto>>,
    /// Acts may state the day they were done: the law that dates them so.
    dated_acts: Option<Spanned<String>>,
    /// The correction's own period and its lapse (see [`CorrectionRule`]).
    correction: Option<Spanned<CorrectionDto>>,
    steps: Spanned<Vec<StepDto>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorrectionDto {
    period: Spanned<LimitDto>,
    lapse_outcome: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReceiptDto {
    basis: String,
    correction_restarts: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtensionDto {
    max: Spanned<LimitDto>,
    approver: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepDto {
    id: Spanned<String>,
    name: String,
    kind: Spanned<String>,
    role: Option<Spanned<String>>,
    seat: Spanned<String>,
    level: Option<Spanned<String>>,
    limit: Option<Spanned<LimitDto>>,
    timer: Option<Spanned<TimerDto>>,
    next: Option<Spanned<String>>,
    on_return: Option<Spanned<String>>,
    #[serde(default)]
    guards: Vec<Spanned<String>>,
    #[serde(default)]
    effects: Vec<Spanned<String>>,
    #[serde(default)]
    notices: Vec<String>,
    #[serde(default)]
    skip_situations: Vec<Spanned<String>>,
    party_time: Option<Spanned<bool>>,
    act_name: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimerDto {
    after: Spanned<LimitDto>,
    outcome: Spanned<String>,
}

// ---------------------------------------------------------------------------------------------
// Parsing one file
// ---------------------------------------------------------------------------------------------

/// Collects problems for one file, turning byte spans into line numbers.
struct Check<'a> {
    file: &'a str,
    text: &'a str,
    problems: Vec<CatalogProblem>,
}

impl Check<'_> {
    fn line(&self, span: Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        self.text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
    }

    fn at(&mut self, span: Range<usize>, code: &'static str, message: String) {
        let line = Some(self.line(span));
        self.problems.push(CatalogProblem { file: self.file.to_string(), line, code, message });
    }

    fn whole(&mut self, code: &'static str, message: String) {
        self.problems.push(CatalogProblem { file: self.file.to_string(), line: None, code, message });
    }

    /// A string that must be one of `names`; `what` is the field's Chinese name.
    fn pick<T: Copy>(
        &mut self,
        value: &Spanned<String>,
        parse: impl Fn(&str) -> Option<T>,
        names: &[&str],
        code: &'static str,
        what: &str,
    ) -> Option<T> {
        let found = parse(value.get_ref());
        if found.is_none() {
            let message = format!("未知的{what}“{}”，应为 {} 之一", value.get_ref(), names.join("、"));
            self.at(value.span(), code, message);
        }
        found
    }

    fn level(&mut self, value: &Spanned<String>) -> Option<Level> {
        let names = ["province", "prefecture", "county", "township"];
        self.pick(value, |s| Level::parse(s).ok(), &names, "unknown_level", "行使层级")
    }

    fn role(&mut self, value: &Spanned<String>) -> Option<Role> {
        let names: Vec<&str> = crate::access::ALL_ROLES.iter().map(|r| r.as_str()).collect();
        self.pick(value, Role::parse, &names, "unknown_role", "角色")
    }

    /// A limit: known unit, a basis, a value > 0 (0 only for 当场办结).
    fn limit(&mut self, dto: &Spanned<LimitDto>, what: &str) -> Option<Limit> {
        let span = dto.span();
        let dto = dto.get_ref();
        let names: Vec<&str> = LimitUnit::ALL.iter().map(|u| u.as_str()).collect();
        let unit = self.pick(&dto.unit, LimitUnit::parse, &names, "unknown_unit", "时限单位");
        if dto.basis.trim().is_empty() {
            self.at(span.clone(), "missing_basis", format!("{what}缺少依据（basis），应写明法律依据或承诺文件"));
        }
        let value = *dto.value.get_ref();
        if value < 0 || value > i64::from(u32::MAX) {
            self.at(dto.value.span(), "bad_limit_value", format!("{what}的数值 {value} 无效"));
            return None;
        }
        if value == 0 && !dto.basis.contains("当场") {
            let message = format!("{what}为 0 仅用于当场办结，依据中应写明“当场”");
            self.at(dto.value.span(), "zero_limit", message);
        }
        Some(Limit { value: value as u32, unit: unit?, basis: dto.basis.trim().to_string() })
    }

    /// A limit that may not be in hours: only a step's own limit may (民法典 第二百零一条第二款
    /// counts hours from the moment; the matter's limits, timers, extensions and refusal notices
    /// run from a day and are kept by the day).
    fn limit_no_hours(&mut self, dto: &Spanned<LimitDto>, what: &str) -> Option<Limit> {
        let limit = self.limit(dto, what)?;
        if limit.unit == LimitUnit::Hour {
            let message = format!("{what}不能以小时计；按小时计算的时限只用于环节时限（如 24 小时内推送）");
            self.at(dto.get_ref().unit.span(), "hour_limit_not_allowed", message);
            return None;
        }
        Some(limit)
    }
}

/// Parses and validates one item file. `path` is `.../<slug>/v<N>.toml`; the slug and the version
/// number in the file must match it. Returns every problem found.
pub fn parse_item(path: &str, text: &str) -> Result<ServiceItem, Vec<CatalogProblem>> {
    let mut check = Check { file: path, text, problems: Vec::new() };

    // Syntax first, so a broken file says "TOML 语法错误" rather than a schema complaint.
    if let Err(e) = text.parse::<toml::Table>() {
        let line = e.span().map(|s| check.line(s));
        let message = format!("TOML 语法错误：{}", e.message().trim());
        return Err(vec![CatalogProblem { file: path.to_string(), line, code: "toml_syntax", message }]);
    }
    let dto: FileDto = match toml::from_str(text) {
        Ok(dto) => dto,
        Err(e) => {
            let line = e.span().map(|s| check.line(s));
            let raw = e.message().trim();
            let (code, message) = if raw.starts_with("unknown field") {
                ("unknown_field", format!("未知的字段：{raw}"))
            } else if raw.starts_with("missing field") {
                ("missing_field", format!("缺少必填字段：{raw}"))
            } else {
                ("invalid_value", format!("字段类型或取值不符：{raw}"))
            };
            return Err(vec![CatalogProblem { file: path.to_string(), line, code, message }]);
        }
    };

    let item = convert(&mut check, dto);
    match item {
        Some(item) if check.problems.is_empty() => Ok(item),
        _ => {
            if check.problems.is_empty() {
                // Defensive: a conversion that failed must have said why.
                check.whole("invalid_value", "事项定义无法读取".to_string());
            }
            Err(check.problems)
        }
    }
}

/// The `(slug, version)` a path names: `.../<slug>/v<N>.toml`.
fn path_parts(path: &str) -> Option<(String, u32)> {
    let normal = path.replace('\\', "/");
    let mut parts = normal.rsplit('/');
    let file = parts.next()?;
    let dir = parts.next()?;
    let number = file.strip_prefix('v')?.strip_suffix(".toml")?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) || dir.is_empty() {
        return None;
    }
    Some((dir.to_string(), number.parse().ok()?))
}

fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

fn convert(c: &mut Check<'_>, dto: FileDto) -> Option<ServiceItem> {
    let FileDto { vertical, version, item, materials, situations, form, outcomes, mut procedure } = dto;
    let vertical_names: Vec<&str> = Vertical::ALL.iter().map(|v| v.as_str()).collect();
    let vertical =
        vertical.as_ref().map(|v| c.pick(v, Vertical::parse, &vertical_names, "unknown_vertical", "业务领域"));

    // --- version and path ---
    let number = *version.number.get_ref();
    let number = if number < 1 || number > i64::from(u32::MAX) {
        c.at(version.number.span(), "bad_version_number", format!("版本号应为从 1 开始的正整数，实际为 {number}"));
        None
    } else {
        Some(number as u32)
    };
    let effective_from = match NaiveDate::parse_from_str(version.effective_from.get_ref(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            let message = format!("生效日期“{}”应为 YYYY-MM-DD 格式的日期", version.effective_from.get_ref());
            c.at(version.effective_from.span(), "bad_date", message);
            None
        }
    };
    let slug = item.slug.get_ref().clone();
    if !valid_slug(&slug) {
        let message = format!("事项标识“{slug}”只能由小写字母、数字和连字符组成");
        c.at(item.slug.span(), "bad_slug", message);
    }
    match path_parts(c.file) {
        None => c.whole("bad_path", "文件路径应为 <事项标识>/v<版本号>.toml".to_string()),
        Some((dir, file_number)) => {
            if dir != slug {
                let message = format!("事项标识“{slug}”与所在目录“{dir}”不一致");
                c.at(item.slug.span(), "slug_mismatch", message);
            }
            if number.is_some_and(|n| n != file_number) {
                let message = format!("版本号 {} 与文件名 v{file_number}.toml 不一致", number.unwrap_or_default());
                c.at(version.number.span(), "version_mismatch", message);
            }
        }
    }

    // --- item elements ---
    let kind_names: Vec<&str> = ItemKind::ALL.iter().map(|k| k.as_str()).collect();
    let kind = c.pick(&item.kind, ItemKind::parse, &kind_names, "unknown_item_kind", "事项类型");
    let body_nature = pick_enum(c, &item.body_nature, BodyNature::ALL, BodyNature::as_str, "主体性质");
    let power_source = pick_enum(c, &item.power_source, PowerSource::ALL, PowerSource::as_str, "权力来源");
    let case_type = pick_enum(c, &item.case_type, CaseType::ALL, CaseType::as_str, "办件类型");
    let cross_region_mode =
        pick_enum(c, &item.cross_region_mode, CrossRegionMode::ALL, CrossRegionMode::as_str, "跨区域通办模式");
    let accept_anywhere = pick_enum(c, &item.accept_anywhere, AcceptAnywhere::ALL, AcceptAnywhere::as_str, "受理范围");
    let competent_by = pick_enum(c, &item.competent_by, CompetentBy::ALL, CompetentBy::as_str, "管辖确定方式");

    if item.code.get_ref().trim().is_empty() {
        c.at(item.code.span(), "missing_code", "事项编码不能为空".to_string());
    }
    if item.legal_basis.get_ref().iter().all(|b| b.trim().is_empty()) {
        c.at(item.legal_basis.span(), "missing_legal_basis", "设定依据不能为空，应写到条款".to_string());
    }
    let mut levels = Vec::new();
    for level in item.levels.get_ref() {
        if let Some(level) = c.level(level) {
            levels.push(level);
        }
    }
    if item.levels.get_ref().is_empty() {
        c.at(item.levels.span(), "missing_levels", "行使层级不能为空".to_string());
    }
    let depth = *item.online_depth.get_ref();
    if !(1..=4).contains(&depth) {
        let message = format!("网上办理深度应为 1 至 4（4 为全程网办），实际为 {depth}");
        c.at(item.online_depth.span(), "online_depth_range", message);
    }
    let mut delivery = Vec::new();
    for mode in &item.result.delivery {
        if DELIVERY_MODES.contains(&mode.get_ref().as_str()) {
            delivery.push(mode.get_ref().clone());
        } else {
            let message = format!("未知的送达方式“{}”，应为 {} 之一", mode.get_ref(), DELIVERY_MODES.join("、"));
            c.at(mode.span(), "unknown_value", message);
        }
    }

    // --- limits ---
    let statutory = item.statutory_limit.as_ref().and_then(|l| c.limit_no_hours(l, "法定办结时限"));
    let promised = item.promised_limit.as_ref().and_then(|l| c.limit_no_hours(l, "承诺办结时限"));
    check_limits(c, &item, case_type, statutory.as_ref(), promised.as_ref());

    // --- materials and situations ---
    let mut material_ids: HashSet<String> = HashSet::new();
    let mut out_materials = Vec::new();
    for m in materials {
        let id = m.id.get_ref().clone();
        if !material_ids.insert(id.clone()) {
            c.at(m.id.span(), "duplicate_material", format!("材料标识“{id}”重复"));
        }
        let source = pick_enum(c, &m.source, MaterialSource::ALL, MaterialSource::as_str, "材料来源");
        let form = pick_enum(c, &m.form, MaterialForm::ALL, MaterialForm::as_str, "材料形式");
        if let (Some(source), Some(form)) = (source, form) {
            out_materials.push(Material {
                id,
                name: m.name,
                source,
                form,
                copies: m.copies,
                required: m.required,
                tolerance: m.tolerance,
                shared: m.shared,
            });
        }
    }
    let mut situation_ids: HashSet<String> = HashSet::new();
    let mut out_situations = Vec::new();
    for s in situations {
        let id = s.id.get_ref().clone();
        if !situation_ids.insert(id.clone()) {
            c.at(s.id.span(), "duplicate_situation", format!("情形标识“{id}”重复"));
        }
        for m in &s.materials {
            if !material_ids.contains(m.get_ref()) {
                let message = format!("情形“{id}”引用了未定义的材料“{}”", m.get_ref());
                c.at(m.span(), "undefined_material", message);
            }
        }
        out_situations.push(Situation {
            id,
            name: s.name,
            materials: s.materials.into_iter().map(|m| m.into_inner()).collect(),
        });
    }

    let form = convert_form(c, form);
    let applicants = match &item.applicants {
        Some(dto) => convert_applicants(c, dto),
        None => Applicants::of_area(converted(vertical).flatten()),
    };

    // --- procedure ---
    let extension_unit = procedure.extension.as_ref().map(|e| (e.max.get_ref().unit.clone(), e.max.span()));
    let (grant_outcome, refusal_outcome) = (procedure.grant_outcome.take(), procedure.refusal_outcome.take());
    let lapse_span = procedure.correction.as_ref().map(|r| r.get_ref().lapse_outcome.span());
    let procedure_def = convert_procedure(c, procedure, &levels, &situation_ids, converted(vertical));
    let outcomes = procedure_def
        .as_ref()
        .and_then(|p| outcomes::convert(c, outcomes, grant_outcome, refusal_outcome, &p.steps, p.refusable));
    if let (Some(rule), Some(outcomes), Some(span)) =
        (procedure_def.as_ref().and_then(|p| p.correction.as_ref()), outcomes.as_ref(), lapse_span)
    {
        check_lapse_outcome(c, rule, outcomes, span);
    }
    // An extension adds to the matter's limit in the limit's unit: months and months only.
    let matter_unit = promised.as_ref().or(statutory.as_ref()).map(|l| l.unit);
    if let (Some(matter), Some((unit, span))) = (matter_unit, extension_unit) {
        if let Some(unit) = LimitUnit::parse(unit.get_ref()) {
            if unit != matter && (unit == LimitUnit::Month || matter == LimitUnit::Month) {
                let message = format!(
                    "延长期限以“{}”计、办结时限以“{}”计；以月计的时限只能按月延长，请以同一单位填写",
                    unit.name_zh(),
                    matter.name_zh()
                );
                c.at(span, "extension_unit_mismatch", message);
            }
        }
    }

    Some(ServiceItem {
        version: VersionInfo {
            number: number?,
            effective_from: effective_from?,
            reason: version.reason,
            ordered_by: version.ordered_by,
            out_of_order: version.out_of_order,
        },
        slug,
        code: item.code.into_inner(),
        name: item.name,
        kind: kind?,
        legal_basis: item.legal_basis.into_inner(),
        implementing_body: item.implementing_body,
        body_nature: body_nature?,
        levels,
        power_source: power_source?,
        case_type: case_type?,
        statutory_limit: statutory,
        statutory_limit_none: item.statutory_limit_none.map(|s| s.into_inner()),
        promised_limit: promised,
        fee: Fee { charged: item.fee.charged, basis: item.fee.basis },
        place: item.place,
        hours: item.hours,
        phone: item.phone,
        supervision_phone: item.supervision_phone,
        acceptance_conditions: item.acceptance_conditions,
        online_depth: depth.clamp(0, 4) as u8,
        cross_region_mode: cross_region_mode?,
        accept_anywhere: accept_anywhere?,
        competent_by: competent_by?,
        city_centre: item.city_centre,
        applicants,
        result: ResultSpec { name: item.result.name, sample: item.result.sample, delivery },
        materials: out_materials,
        situations: out_situations,
        form,
        procedure: procedure_def?,
        outcomes: outcomes?,
        vertical: converted(vertical)?,
    })
}

/// `[item] applicants`: each kind known and named once, a natural person among them (an item
/// for organizations alone is not supported: the engine's case names a person or stands for an
/// organization beside one), and the provision that says who applies.
fn convert_applicants(c: &mut Check<'_>, dto: &ApplicantsDto) -> Applicants {
    let names: Vec<&str> = ApplicantKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut kinds = Vec::new();
    for kind in dto.kinds.get_ref() {
        match ApplicantKind::ALL.iter().find(|k| k.as_str() == kind.get_ref()) {
            Some(k) if kinds.contains(k) => {
                let message = format!("申请人类别“{}”重复", kind.get_ref());
                c.at(kind.span(), "duplicate_applicant_kind", message);
            }
            Some(k) => kinds.push(*k),
            None => {
                let message = format!("未知的申请人类别“{}”，应为 {} 之一", kind.get_ref(), names.join("、"));
                c.at(kind.span(), "unknown_applicant_kind", message);
            }
        }
    }
    if !kinds.contains(&ApplicantKind::Person) {
        let message = "申请人类别应包括个人（person）；仅限法人或者其他组织申请的事项尚不支持".to_string();
        c.at(dto.kinds.span(), "applicants_without_person", message);
    }
    let basis = dto.basis.get_ref().trim();
    if basis.is_empty() {
        c.at(dto.basis.span(), "missing_applicants_basis", "申请人范围的依据不能为空，应写到条款".to_string());
    }
    Applicants { organizations: kinds.contains(&ApplicantKind::Organization), basis: Some(basis.to_string()) }
}

/// The `[[form]]` fields: a known kind, an id once, choices for a choice and only there, limits
/// only where the kind has them. A refused field is left out (its problem recorded).
fn convert_form(c: &mut Check<'_>, dtos: Vec<FormFieldDto>) -> FormSpec {
    let names: Vec<&str> = FieldKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut fields = Vec::new();
    for f in dtos {
        let id = f.id.get_ref().clone();
        let valid_id = !id.is_empty()
            && id.len() <= 40
            && id.starts_with(|ch: char| ch.is_ascii_lowercase())
            && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid_id {
            let message = format!("表单字段标识“{id}”只能由小写字母、数字和下划线组成，以字母开头，至多 40 个字符");
            c.at(f.id.span(), "bad_field_id", message);
        }
        if !seen.insert(id.clone()) {
            c.at(f.id.span(), "duplicate_field", format!("表单字段标识“{id}”重复"));
        }
        let label = f.label.get_ref().trim().to_string();
        if label.is_empty() {
            c.at(f.label.span(), "missing_label", format!("表单字段“{id}”缺少名称（label）"));
        }
        let kind = c.pick(&f.kind, FieldKind::parse, &names, "unknown_field_kind", "表单字段类型");
        let mut choices = Vec::new();
        match (&f.choices, kind) {
            (None, Some(FieldKind::Choice)) => {
                let message = format!("选择字段“{id}”须列出可选项（choices）");
                c.at(f.kind.span(), "choice_without_choices", message);
            }
            (Some(list), Some(FieldKind::Choice)) if list.get_ref().is_empty() => {
                let message = format!("选择字段“{id}”须列出可选项（choices）");
                c.at(list.span(), "choice_without_choices", message);
            }
            (Some(list), Some(FieldKind::Choice)) => {
                let mut values: HashSet<&str> = HashSet::new();
                for choice in list.get_ref() {
                    let value = choice.value.get_ref();
                    if value.trim().is_empty() || choice.label.trim().is_empty() || !values.insert(value) {
                        let message = format!("选择字段“{id}”的可选项“{value}”为空或重复");
                        c.at(choice.value.span(), "bad_choice", message);
                    }
                    choices.push(Choice { value: value.clone(), label: choice.label.trim().to_string() });
                }
            }
            (Some(list), Some(kind)) => {
                let message = format!("字段“{id}”的类型为 {}，只有选择字段（choice）可以列出 choices", kind.as_str());
                c.at(list.span(), "choices_not_allowed", message);
            }
            (None, Some(_)) | (_, None) => {}
        }
        if let Some(kind) = kind {
            for (name, value) in [("min", &f.min), ("max", &f.max)] {
                if let Some(value) = value.as_ref().filter(|_| !kind.takes_range()) {
                    let message = format!("字段“{id}”的类型 {} 没有 {name}；只有 int、money、list 有", kind.as_str());
                    c.at(value.span(), "limit_not_applicable", message);
                }
            }
            if let Some(max_len) = f.max_len.as_ref().filter(|_| !kind.takes_max_len()) {
                let message = format!("字段“{id}”的类型 {} 没有 max_len；只有 text、list 有", kind.as_str());
                c.at(max_len.span(), "limit_not_applicable", message);
            }
        }
        if let (Some(min), Some(max)) = (&f.min, &f.max) {
            if min.get_ref() > max.get_ref() {
                let message = format!("字段“{id}”的 min {} 大于 max {}", min.get_ref(), max.get_ref());
                c.at(min.span(), "bad_range", message);
            }
        }
        let max_len = match &f.max_len {
            Some(v) if *v.get_ref() < 1 || *v.get_ref() > 10_000 => {
                c.at(v.span(), "bad_range", format!("字段“{id}”的 max_len 应为 1 至 10000"));
                None
            }
            Some(v) => Some(*v.get_ref() as u32),
            None => None,
        };
        let mut required_parts = Vec::new();
        if let Some(list) = &f.required_parts {
            for part in list.get_ref() {
                let optional = crate::form::OPTIONAL_PARTS.contains(&part.as_str());
                let of_kind = kind.is_some_and(|k| k.parts().iter().any(|(p, _)| p == part));
                if !(optional && of_kind) || required_parts.contains(part) {
                    let message = format!(
                        "字段“{id}”的 required_parts 中“{part}”不是该类型可选填的部分或重复；可列出：{}",
                        crate::form::OPTIONAL_PARTS.join("、")
                    );
                    c.at(list.span(), "bad_required_part", message);
                } else {
                    required_parts.push(part.clone());
                }
            }
        }
        let text = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        if let Some(kind) = kind {
            fields.push(FieldSpec {
                id,
                label,
                kind,
                required: f.required,
                min: f.min.map(Spanned::into_inner),
                max: f.max.map(Spanned::into_inner),
                max_len,
                choices,
                basis: text(f.basis),
                help: text(f.help),
                required_parts,
            });
        }
    }
    FormSpec { fields }
}

/// An optional part: absent is `Some(None)`; given and converted is `Some(Some(x))`; given but
/// refused is `None` (its problem already recorded).
fn converted<T>(part: Option<Option<T>>) -> Option<Option<T>> {
    match part {
        None => Some(None),
        Some(x) => x.map(Some),
    }
}

/// A descriptive enum (主体性质, 权力来源…): unknown names are `unknown_value`.
fn pick_enum<T: Copy + 'static>(
    c: &mut Check<'_>,
    value: &Spanned<String>,
    all: &'static [T],
    as_str: fn(T) -> &'static str,
    what: &str,
) -> Option<T> {
    let names: Vec<&str> = all.iter().map(|v| as_str(*v)).collect();
    c.pick(value, |s| all.iter().copied().find(|v| as_str(*v) == s), &names, "unknown_value", what)
}

/// 法定 and 承诺 limits: which are required, and promised <= statutory in the same unit.
fn check_limits(
    c: &mut Check<'_>,
    item: &ItemDto,
    case_type: Option<CaseType>,
    statutory: Option<&Limit>,
    promised: Option<&Limit>,
) {
    match (&item.statutory_limit, &item.statutory_limit_none) {
        (Some(_), Some(none)) => {
            let message = "已填写法定办结时限，不应同时填写 statutory_limit_none".to_string();
            c.at(none.span(), "statutory_limit_conflict", message);
        }
        (None, Some(none)) if none.get_ref().trim().is_empty() => {
            c.at(none.span(), "missing_statutory_limit", "statutory_limit_none 应说明法律未设定时限的理由".to_string());
        }
        (None, None) if case_type == Some(CaseType::Promised) => {
            let message =
                "承诺件须填写法定办结时限（statutory_limit）；法律未设定时限的，填写 statutory_limit_none 说明理由"
                    .to_string();
            c.at(item.case_type.span(), "missing_statutory_limit", message);
        }
        _ => {}
    }
    match case_type {
        Some(CaseType::Promised) if item.promised_limit.is_none() => {
            let message = "承诺件须填写承诺办结时限（promised_limit）".to_string();
            c.at(item.case_type.span(), "missing_promised_limit", message);
        }
        Some(CaseType::Instant) => {
            if let (Some(p), Some(dto)) = (promised, &item.promised_limit) {
                if p.value > 0 {
                    let message = format!("即办件的承诺时限应为 0（当场办结），实际为 {}{}", p.value, p.unit.name_zh());
                    c.at(dto.span(), "instant_promised_nonzero", message);
                }
            }
        }
        _ => {}
    }
    if let (Some(s), Some(p), Some(dto)) = (statutory, promised, &item.promised_limit) {
        if s.unit != p.unit {
            let message = format!(
                "承诺时限以“{}”计、法定时限以“{}”计，单位不同无法比较；请以同一单位填写",
                p.unit.name_zh(),
                s.unit.name_zh()
            );
            c.at(dto.span(), "limit_unit_mismatch", message);
        } else if p.value > s.value {
            let unit = s.unit.name_zh();
            let message = format!("承诺时限 {}{unit} 超过法定时限 {}{unit}", p.value, s.value);
            c.at(dto.span(), "promised_exceeds_statutory", message);
        }
    }
}

fn convert_procedure(
    c: &mut Check<'_>,
    dto: ProcedureDto,
    item_levels: &[Level],
    situations: &HashSet<String>,
    // `Some(area)` (`Some(None)`: the file declares none); `None` when the declared one is unknown.
    vertical: Option<Option<Vertical>>,
) -> Option<ProcedureDef> {
    let pause_names: Vec<&str> = ["supplement", "special", "suspend"].to_vec();
    let mut pauses = Vec::new();
    for p in &dto.pauses {
        // The parties' own period is a step's property (`party_time`), not a pause to list.
        let parse = |s: &str| PauseKind::parse(s).filter(|k| *k != PauseKind::PartyTime);
        if let Some(p) = c.pick(p, parse, &pause_names, "unknown_pause", "计时暂停事由") {
            pauses.push(p);
        }
    }
    // A part that fails to convert has recorded its problem: the file is refused as a whole.
    let extension = dto.extension.as_ref().and_then(|e| {
        let max = c.limit_no_hours(&e.max, "延长期限");
        let approver = c.role(&e.approver);
        Some(ExtensionRule { max: max?, approver: approver? })
    });
    let refusal_notice = dto.refusal_notice.as_ref().and_then(|l| c.limit_no_hours(l, "不予批准告知时限"));
    let receipt = dto.receipt.as_ref().map(|r| {
        let rule = r.get_ref();
        for (what, text) in
            [("收到申请之日的依据", Some(&rule.basis)), ("补正后重新计算的依据", rule.correction_restarts.as_ref())]
        {
            if text.is_some_and(|t| t.trim().is_empty()) {
                c.at(r.span(), "missing_basis", format!("{what}（receipt）为空，应写明法律依据"));
            }
        }
        ReceiptRule {
            basis: rule.basis.trim().to_string(),
            correction_restarts: rule.correction_restarts.as_ref().map(|t| t.trim().to_string()),
        }
    });
    let consultation = dto.consultation.as_ref().and_then(|l| c.limit_no_hours(l, "第三方提出意见的期限"));
    let dated_acts = dto.dated_acts.as_ref().map(|basis| {
        if basis.get_ref().trim().is_empty() {
            c.at(basis.span(), "missing_basis", "按实际办理日期记录（dated_acts）应写明法律依据".to_string());
        }
        basis.get_ref().trim().to_string()
    });
    // The lapse outcome is checked against the item's outcomes once they are read
    // (`check_lapse_outcome`).
    let correction = dto.correction.as_ref().and_then(|r| {
        let period = c.limit_no_hours(&r.get_ref().period, "补正期限")?;
        Some(CorrectionRule { period, lapse_outcome: r.get_ref().lapse_outcome.get_ref().trim().to_string() })
    });
    if let (Some(declared), false) = (&dto.correction, dto.pauses.iter().any(|p| p.get_ref() == "supplement")) {
        let message = "设置了补正期限（correction），计时暂停事由（pauses）须包括 supplement".to_string();
        c.at(declared.span(), "correction_without_pause", message);
    }
    if let (Some(declared), false) = (&dto.consultation, dto.pauses.iter().any(|p| p.get_ref() == "special")) {
        let message = "设置了征求第三方意见（consultation），计时暂停事由（pauses）须包括 special，否则征求意见的时间会被计入办理期限".to_string();
        c.at(declared.span(), "consultation_without_pause", message);
    }

    let steps_span = dto.steps.span();
    let step_dtos = dto.steps.into_inner();
    if step_dtos.is_empty() {
        c.at(steps_span, "no_steps", "办理流程至少应有一个环节".to_string());
        return None;
    }

    let mut ids: HashMap<String, usize> = HashMap::new();
    for (i, s) in step_dtos.iter().enumerate() {
        let id = s.id.get_ref();
        if ids.contains_key(id) {
            c.at(s.id.span(), "duplicate_step", format!("环节标识“{id}”重复"));
        } else {
            ids.insert(id.clone(), i);
        }
    }

    let kind_names: Vec<&str> = StepKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut steps = Vec::new();
    let mut complete = true;
    for (i, s) in step_dtos.iter().enumerate() {
        let id = s.id.get_ref();
        let kind = c.pick(&s.kind, StepKind::parse, &kind_names, "unknown_step_kind", "环节类型");
        let seat = c.pick(&s.seat, Seat::parse, &["accepting", "competent"], "unknown_seat", "办理地");
        let level = s.level.as_ref().map(|l| c.level(l));
        if let (Some(dto), Some(Some(level))) = (&s.level, level) {
            if !item_levels.is_empty() && !item_levels.contains(&level) {
                let message = format!("环节“{id}”的层级 {} 不在事项的行使层级之内", level.as_str());
                c.at(dto.span(), "step_level_outside_item", message);
            }
        }
        let role = s.role.as_ref().map(|r| c.role(r));
        let limit = s.limit.as_ref().map(|l| c.limit(l, &format!("环节“{id}”的时限")));
        let timer = s.timer.as_ref().map(|t| {
            let after = c.limit_no_hours(&t.get_ref().after, &format!("环节“{id}”的计时"));
            let outcome = c.pick(
                &t.get_ref().outcome,
                TimerOutcome::parse,
                &["advance", "deem_withdrawn"],
                "unknown_timer_outcome",
                "计时届满结果",
            );
            Some(Timer { after: after?, outcome: outcome? })
        });

        if i == 0 && kind.is_some_and(|k| k != StepKind::Accept) {
            c.at(s.kind.span(), "first_not_accept", "第一个环节应为受理（kind = \"accept\"）".to_string());
        }
        match kind {
            Some(StepKind::Wait) if s.timer.is_none() => {
                let message = format!("等待环节“{id}”必须设置计时（timer），说明期限及届满后的结果");
                c.at(s.id.span(), "wait_without_timer", message);
            }
            Some(StepKind::Wait) => {}
            Some(kind) => {
                if s.role.is_none() {
                    c.at(s.id.span(), "missing_role", format!("环节“{id}”须指明办理角色（role）"));
                }
                if let (Some(Some(timer)), Some(dto)) = (&timer, &s.timer) {
                    if timer.outcome != TimerOutcome::DeemWithdrawn {
                        let message = format!(
                            "非等待环节“{id}”（{}）只能设置届满视为撤回（deem_withdrawn）的计时；自动推进只用于等待环节",
                            kind.as_str()
                        );
                        c.at(dto.span(), "timer_not_allowed", message);
                    }
                }
            }
            None => {}
        }
        if let Some(target) = &s.on_return {
            // A review returns; a wait step (公示) with on_return takes objections that send it back.
            if kind.is_some_and(|k| k != StepKind::Review && k != StepKind::Wait) {
                let message = format!(
                    "只有审核环节（review）或公示等待环节（wait）可以设置退回去向（on_return），环节“{id}”不是"
                );
                c.at(target.span(), "on_return_not_allowed", message);
            }
        }
        // Guards and effects by name, against the item's area (an unknown area has been refused
        // already: its names are not checked again).
        if let Some(vertical) = vertical {
            check_names(c, id, &s.guards, vertical, Vertical::guards, "unknown_guard", "办理条件（guards）");
            check_names(c, id, &s.effects, vertical, Vertical::effects, "unknown_effect", "办结效果（effects）");
        }
        if let Some(party_time) = s.party_time.as_ref().filter(|p| *p.get_ref() && s.timer.is_none()) {
            let message = format!("环节“{id}”标为当事人期间（party_time），须设置计时（timer）说明该期间");
            c.at(party_time.span(), "party_time_without_timer", message);
        }
        if let Some(name) = &s.act_name {
            if name.get_ref().trim().is_empty() || name.get_ref().chars().count() > 32 {
                let message = format!("环节“{id}”的办理操作名称（act_name）应为 1 至 32 个字");
                c.at(name.span(), "invalid_act_name", message);
            }
        }
        for skip in &s.skip_situations {
            if !situations.contains(skip.get_ref()) {
                let message = format!("环节“{id}”的 skip_situations 引用了未定义的情形“{}”", skip.get_ref());
                c.at(skip.span(), "unknown_situation", message);
            }
        }
        for (field, target) in [("next", &s.next), ("on_return", &s.on_return)] {
            if let Some(target) = target {
                if !ids.contains_key(target.get_ref()) {
                    let message = format!("环节“{id}”的 {field} 指向不存在的环节“{}”", target.get_ref());
                    c.at(target.span(), "unknown_step", message);
                }
            }
        }

        if let (Some(Some(limit)), Some(dto), false) = (&limit, &s.limit, dto.pauses.is_empty()) {
            if limit.unit == LimitUnit::Hour {
                let message = format!(
                    "环节“{id}”的时限以小时计，本事项又设有计时暂停；按小时计算的时限不扣除暂停，请改用日或工作日"
                );
                c.at(dto.get_ref().unit.span(), "hour_limit_with_pauses", message);
            }
        }
        let (Some(kind), Some(seat)) = (kind, seat) else {
            complete = false;
            continue;
        };
        let (Some(role), Some(level), Some(limit), Some(timer)) =
            (converted(role), converted(level), converted(limit), converted(timer))
        else {
            complete = false;
            continue;
        };
        steps.push(StepDef {
            id: id.clone(),
            name: s.name.clone(),
            kind,
            role,
            seat,
            level,
            limit,
            timer,
            next: s.next.as_ref().map(|n| n.get_ref().clone()),
            on_return: s.on_return.as_ref().map(|n| n.get_ref().clone()),
            guards: s.guards.iter().map(|g| g.get_ref().clone()).collect(),
            effects: s.effects.iter().map(|e| e.get_ref().clone()).collect(),
            notices: s.notices.clone(),
            skip_situations: s.skip_situations.iter().map(|x| x.get_ref().clone()).collect(),
            party_time: s.party_time.as_ref().is_some_and(|p| *p.get_ref()),
            act_name: s.act_name.as_ref().map(|n| n.get_ref().trim().to_string()),
        });
    }

    // Reachability from the first step, along `next` (or the following step) and `on_return`.
    let mut seen = vec![false; step_dtos.len()];
    let mut queue = VecDeque::from([0usize]);
    seen[0] = true;
    while let Some(i) = queue.pop_front() {
        let s = &step_dtos[i];
        let mut targets = Vec::new();
        match &s.next {
            Some(next) => targets.extend(ids.get(next.get_ref()).copied()),
            None if i + 1 < step_dtos.len() => targets.push(i + 1),
            None => {}
        }
        if let Some(back) = &s.on_return {
            targets.extend(ids.get(back.get_ref()).copied());
        }
        for t in targets {
            if !seen[t] {
                seen[t] = true;
                queue.push_back(t);
            }
        }
    }
    for (i, s) in step_dtos.iter().enumerate() {
        if !seen[i] {
            let message = format!("环节“{}”从第一个环节出发无法到达", s.id.get_ref());
            c.at(s.id.span(), "unreachable_step", message);
        }
    }

    // Every failed conversion above has recorded its problem; the caller returns them all.
    let refusable = dto.refusable.unwrap_or(true);
    complete.then_some(ProcedureDef {
        steps,
        pauses,
        extension,
        refusal_notice,
        refusable,
        receipt,
        consultation,
        dated_acts,
        correction,
    })
}

/// A correction's lapse records one of the item's declared outcomes, one that does not grant
/// (《政府信息公开条例》第三十条: 视为放弃申请 is no answer giving the information).
fn check_lapse_outcome(c: &mut Check<'_>, rule: &CorrectionRule, outcomes: &Outcomes, span: Range<usize>) {
    match outcomes.get(&rule.lapse_outcome) {
        Some(o) if outcomes.declared && !o.grants => {}
        Some(o) if o.grants => {
            let message = format!("逾期未补正的办理结果“{}”为准予类结果，应为不予类结果", o.label);
            c.at(span, "lapse_outcome_grants", message);
        }
        _ => {
            let message =
                format!("逾期未补正的办理结果“{}”不是本事项声明的办理结果（[[outcomes]]）", rule.lapse_outcome);
            c.at(span, "unknown_lapse_outcome", message);
        }
    }
}

/// Each name must be one the item's area knows; an item without an area may name none.
fn check_names(
    c: &mut Check<'_>,
    step: &str,
    names: &[Spanned<String>],
    vertical: Option<Vertical>,
    known: fn(Vertical) -> &'static [&'static str],
    code: &'static str,
    what: &str,
) {
    for name in names {
        let message = match vertical {
            None => format!(
                "环节“{step}”的{what}“{}”无法核对：事项未声明业务领域（vertical），应在文件开头写明，如 vertical = \"marriage\"",
                name.get_ref()
            ),
            Some(v) if known(v).contains(&name.get_ref().as_str()) => continue,
            Some(v) if known(v).is_empty() => {
                format!("环节“{step}”的{what}“{}”未知：{}领域尚无可用的名称", name.get_ref(), v.name_zh())
            }
            Some(v) => format!(
                "环节“{step}”的{what}“{}”未知，{}领域可用的为 {} 之一",
                name.get_ref(),
                v.name_zh(),
                known(v).join("、")
            ),
        };
        c.at(name.span(), code, message);
    }
}

// ---------------------------------------------------------------------------------------------
// The whole catalog
// ---------------------------------------------------------------------------------------------

/// The path a version of an item is loaded from, relative to the catalog directory.
fn relative_path(item: &ServiceItem) -> String {
    format!("{}/v{}.toml", item.slug, item.version.number)
}

/// Rules across files: one file per (slug, version); an item code belongs to one slug; the versions
/// of a slug are numbered 1..n and take effect on strictly increasing dates, except a version
/// declared `out_of_order` (and such a declaration only where it is needed). Problems name the
/// file as `<slug>/v<N>.toml` (relative to the catalog directory).
pub fn validate_catalog(items: &[ServiceItem]) -> Vec<CatalogProblem> {
    let mut problems = Vec::new();
    let problem = |item: &ServiceItem, code: &'static str, message: String| CatalogProblem {
        file: relative_path(item),
        line: None,
        code,
        message,
    };

    let mut by_slug: BTreeMap<&str, Vec<&ServiceItem>> = BTreeMap::new();
    for item in items {
        by_slug.entry(item.slug.as_str()).or_default().push(item);
    }
    let mut code_owner: BTreeMap<&str, &str> = BTreeMap::new();
    for item in items {
        match code_owner.get(item.code.as_str()) {
            Some(owner) if *owner != item.slug => {
                let message = format!("事项编码 {} 已被事项“{owner}”使用", item.code);
                problems.push(problem(item, "duplicate_code", message));
            }
            Some(_) => {}
            None => {
                code_owner.insert(&item.code, &item.slug);
            }
        }
    }

    for (slug, mut versions) in by_slug {
        versions.sort_by_key(|v| v.version.number);
        let mut numbers = BTreeSet::new();
        for v in &versions {
            if !numbers.insert(v.version.number) {
                let message = format!("事项“{slug}”的第 {} 版重复", v.version.number);
                problems.push(problem(v, "duplicate_version", message));
            }
        }
        let expected: BTreeSet<u32> = (1..=numbers.len() as u32).collect();
        if numbers != expected {
            let found: Vec<String> = numbers.iter().map(|n| format!("v{n}")).collect();
            let message = format!("事项“{slug}”的版本应从 v1 起连续编号，实际为 {}", found.join("、"));
            problems.push(problem(versions[0], "version_gap", message));
        }
        for pair in versions.windows(2) {
            let (earlier, later) = (pair[0], pair[1]);
            if earlier.vertical != later.vertical {
                let name = |v: Option<Vertical>| v.map_or("（未声明）", Vertical::as_str);
                let message = format!(
                    "第 {} 版的业务领域 {} 与第 {} 版的 {} 不同；同一事项的各版本应属同一业务领域",
                    later.version.number,
                    name(later.vertical),
                    earlier.version.number,
                    name(earlier.vertical)
                );
                problems.push(problem(later, "vertical_changed", message));
            }
        }
        for (at, later) in versions.iter().enumerate() {
            // The latest date any version published before this one takes effect on.
            let Some(before) = versions[..at].iter().max_by_key(|v| v.version.effective_from) else { continue };
            let in_order = later.version.effective_from > before.version.effective_from;
            if !in_order && !later.version.out_of_order && before.version.number != later.version.number {
                let message = format!(
                    "第 {} 版的生效日期 {} 应晚于第 {} 版的 {}（补录的历史调整或生效前的更正请写明 out_of_order = true）",
                    later.version.number,
                    later.version.effective_from,
                    before.version.number,
                    before.version.effective_from
                );
                problems.push(problem(later, "effective_dates_not_increasing", message));
            }
            if in_order && later.version.out_of_order {
                let message = format!(
                    "第 {} 版的生效日期 {} 晚于此前发布的各版本，不是补录或更正，请删去 out_of_order",
                    later.version.number, later.version.effective_from
                );
                problems.push(problem(later, "needless_out_of_order", message));
            }
        }
    }
    problems
}

/// The 1-based line of the first `key = ...` line in a (valid) item file.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| line.trim_start().strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('=')))
        .map(|i| i + 1)
}

/// Every version of every item, checked file by file and across files.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// slug → versions, ordered by number (1..n after validation).
    items: BTreeMap<String, Vec<ServiceItem>>,
}

impl Catalog {
    /// Parses `(path, text)` pairs and validates them; returns every problem of every file.
    pub fn from_files(files: &[(String, String)]) -> Result<Catalog, Vec<CatalogProblem>> {
        let mut problems = Vec::new();
        let mut items = Vec::new();
        let mut sources: HashMap<String, (&str, &str)> = HashMap::new();
        for (path, text) in files {
            match parse_item(path, text) {
                Ok(item) => {
                    sources.insert(relative_path(&item), (path, text));
                    items.push(item);
                }
                Err(mut found) => problems.append(&mut found),
            }
        }
        for mut p in validate_catalog(&items) {
            // Name the real path, and the line of the key the rule is about.
            if let Some((path, text)) = sources.get(&p.file) {
                let key = if p.code == "duplicate_code" { "code" } else { "number" };
                p.line = key_line(text, key);
                p.file = path.to_string();
            }
            problems.push(p);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut catalog = Catalog::default();
        for item in items {
            catalog.items.entry(item.slug.clone()).or_default().push(item);
        }
        for versions in catalog.items.values_mut() {
            versions.sort_by_key(|v| v.version.number);
        }
        Ok(catalog)
    }

    /// The version of `slug` in force on `date`: of those taking effect by `date`, the one with
    /// the latest effective date; of several taking effect that day, the last published. A
    /// version published out of order (`out_of_order`, 补录 or a correction) thus takes its place
    /// in time: in force from its date until the next version's date.
    pub fn in_force(&self, slug: &str, date: NaiveDate) -> Option<&ServiceItem> {
        self.versions(slug)
            .iter()
            .filter(|v| v.version.effective_from <= date)
            .max_by_key(|v| (v.version.effective_from, v.version.number))
    }

    /// Every version of `slug`, oldest first (empty for an unknown slug).
    pub fn versions(&self, slug: &str) -> &[ServiceItem] {
        self.items.get(slug).map(Vec::as_slice).unwrap_or_default()
    }

    /// One version of an item.
    pub fn get(&self, slug: &str, version: u32) -> Option<&ServiceItem> {
        self.versions(slug).iter().find(|v| v.version.number == version)
    }

    /// The items in force on `date`, one version each, ordered by slug.
    pub fn items_on(&self, date: NaiveDate) -> Vec<&ServiceItem> {
        self.items.keys().filter_map(|slug| self.in_force(slug, date)).collect()
    }

    /// The slugs in the catalog, in order.
    pub fn slugs(&self) -> impl Iterator<Item = &str> {
        self.items.keys().map(String::as_str)
    }

    /// Every version of every item.
    pub fn all(&self) -> impl Iterator<Item = &ServiceItem> {
        self.items.values().flatten()
    }
}

#[cfg(test)]
mod tests;
