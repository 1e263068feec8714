//! The evaluation: an application against the household as it stood and the rules in force on the
//! day of the decision, returning a [`Decision`] that carries the rule version, the inputs and a
//! readable Chinese trace, so it can be explained and appealed (社会救助暂行办法第十一条第三项: a
//! refusal states its reasons).

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::household::{AssetKind, Household, HouseholdVersion, Member};
use super::money::format_yuan;
use super::payment::{first_paid_month, last_paid_month_after_death, last_paid_month_for_child, YearMonth};
use super::program::{excludes, Program};
use super::rules::{RuleSet, RuleVersion};
use crate::division::Divisions;
use crate::idcard::age_on;
use crate::problem::FieldError;

/// 特困: the legal supporter (法定赡养、抚养、扶养义务人). 社会救助暂行办法第十四条.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supporter {
    /// No legal supporter.
    None,
    /// A supporter exists but cannot support (无赡养、抚养、扶养能力).
    Unable,
    /// A supporter able to support.
    Able,
}

impl Supporter {
    pub fn parse(s: &str) -> Option<Supporter> {
        match s {
            "none" => Some(Supporter::None),
            "unable" => Some(Supporter::Unable),
            "able" => Some(Supporter::Able),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Supporter::None => "none",
            Supporter::Unable => "unable",
            Supporter::Able => "able",
        }
    }
}

/// A parent's situation for 孤儿 / 事实无人抚养儿童 (民发〔2019〕62号, 民发〔2020〕125号).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentSituation {
    Present,
    /// Dead, or declared dead by a court.
    Dead,
    /// Declared missing by a court (宣告失踪).
    DeclaredMissing,
    /// Parents cannot be found (foundling, 公安 proof).
    Unknown,
    /// 重残: 一级/二级, or 三/四级 智力/精神.
    SevereDisability,
    SeriousIllness,
    /// 服刑在押.
    Imprisoned,
    /// 强制隔离戒毒.
    CompulsoryDetox,
    /// Other restriction of liberty of at least 6 months.
    RestrictedLiberty,
    /// 失联: no contact and no guardianship for at least 6 months.
    LostContact,
    /// 被撤销监护资格.
    GuardianshipRevoked,
    /// 被遣送（驱逐）出境.
    Deported,
}

impl ParentSituation {
    pub const ALL: [ParentSituation; 12] = [
        ParentSituation::Present,
        ParentSituation::Dead,
        ParentSituation::DeclaredMissing,
        ParentSituation::Unknown,
        ParentSituation::SevereDisability,
        ParentSituation::SeriousIllness,
        ParentSituation::Imprisoned,
        ParentSituation::CompulsoryDetox,
        ParentSituation::RestrictedLiberty,
        ParentSituation::LostContact,
        ParentSituation::GuardianshipRevoked,
        ParentSituation::Deported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ParentSituation::Present => "present",
            ParentSituation::Dead => "dead",
            ParentSituation::DeclaredMissing => "declared_missing",
            ParentSituation::Unknown => "unknown",
            ParentSituation::SevereDisability => "severe_disability",
            ParentSituation::SeriousIllness => "serious_illness",
            ParentSituation::Imprisoned => "imprisoned",
            ParentSituation::CompulsoryDetox => "compulsory_detox",
            ParentSituation::RestrictedLiberty => "restricted_liberty",
            ParentSituation::LostContact => "lost_contact",
            ParentSituation::GuardianshipRevoked => "guardianship_revoked",
            ParentSituation::Deported => "deported",
        }
    }

    pub fn parse(s: &str) -> Option<ParentSituation> {
        ParentSituation::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            ParentSituation::Present => "在世且能履行抚养义务",
            ParentSituation::Dead => "死亡（含宣告死亡）",
            ParentSituation::DeclaredMissing => "宣告失踪",
            ParentSituation::Unknown => "查找不到生父母",
            ParentSituation::SevereDisability => "重残",
            ParentSituation::SeriousIllness => "重病",
            ParentSituation::Imprisoned => "服刑在押",
            ParentSituation::CompulsoryDetox => "强制隔离戒毒",
            ParentSituation::RestrictedLiberty => "被执行其他限制人身自由的措施",
            ParentSituation::LostContact => "失联",
            ParentSituation::GuardianshipRevoked => "被撤销监护资格",
            ParentSituation::Deported => "被遣送（驱逐）出境",
        }
    }

    /// Gone: dead or missing (the orphan's condition for both parents).
    fn gone(self) -> bool {
        matches!(self, ParentSituation::Dead | ParentSituation::DeclaredMissing | ParentSituation::Unknown)
    }

    /// Unable to raise the child (the 事实无人抚养 situations).
    fn unable(self) -> bool {
        !matches!(self, ParentSituation::Present) && !self.gone()
    }
}

/// The child's parents (孤儿 / 事实无人抚养儿童).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildFacts {
    pub father: ParentSituation,
    pub mother: ParentSituation,
    /// Raised in a welfare institution (机构集中养育) rather than scattered (社会散居).
    pub in_institution: bool,
}

/// What is decided, and on which facts.
#[derive(Debug, Clone)]
pub struct Application<'a> {
    pub program: Program,
    pub household: &'a Household,
    /// The member the benefit is for (every program but 低保, which is the household's).
    pub beneficiary: Option<i64>,
    pub applied_on: NaiveDate,
    pub decided_on: NaiveDate,
    /// Applied for under 跨省通办 / accepted elsewhere (the subsidies' start month, 国办发〔2020〕35号).
    pub cross_region: bool,
    /// Benefits in payment on the decision day: (person id, program).
    pub current_benefits: &'a [(i64, Program)],
    pub supporter: Supporter,
    pub child: Option<ChildFacts>,
    /// 临时救助: the amount asked for, in fen, and the hardship.
    pub requested_fen: i64,
    pub hardship: String,
}

/// The outcome, with everything needed to explain it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub program: Program,
    pub eligible: bool,
    pub rule_version: String,
    /// Per month (once for 临时救助), in fen; 0 when not eligible.
    pub amount_fen: i64,
    /// The person paid (the applicant for 低保; the beneficiary otherwise).
    pub payee: i64,
    /// Everyone the benefit covers (for exclusion: no one paid twice).
    pub covered: Vec<i64>,
    pub first_month: Option<YearMonth>,
    /// The last month payable by rule (a child's 18th birthday month, a death); None = open-ended.
    pub last_month: Option<YearMonth>,
    pub inputs: Value,
    /// The reasoning, one line per rule, in Chinese.
    pub trace: Vec<String>,
    /// Why not eligible (empty when eligible): the refusal notice's reasons.
    pub reasons: Vec<String>,
}

fn problem(field: &str, code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

/// Evaluates `app` under the rules in force for the household's division on the decision date.
/// An application that cannot be evaluated (no rule on file for the place and date, no household
/// version on that date, a beneficiary who is not a member) is a [`FieldError`], never a guess.
pub fn evaluate(app: &Application<'_>, rules: &RuleSet, divisions: &Divisions) -> Result<Decision, FieldError> {
    let rule = rules.in_force(&app.household.division, app.decided_on, divisions).ok_or_else(|| {
        problem(
            "decided_on",
            "no_assistance_rule",
            format!("{} 在 {} 没有施行中的救助标准，不能作出决定", app.household.division.as_str(), app.decided_on),
        )
    })?;
    let version = app.household.as_of(app.decided_on).ok_or_else(|| {
        problem("household", "household_not_recorded", format!("家庭在 {} 尚无登记信息", app.decided_on))
    })?;
    let applicant = version
        .members
        .iter()
        .find(|m| m.relationship == super::household::Relationship::Applicant)
        .or_else(|| version.members.first())
        .ok_or_else(|| problem("household", "household_empty", "家庭没有登记成员"))?;
    let beneficiary = match (app.program, app.beneficiary) {
        (Program::MinimumLiving, _) => None,
        (_, None) => return Err(problem("beneficiary", "beneficiary_required", "请选择享受待遇的家庭成员")),
        (_, Some(id)) => Some(
            version
                .member(id)
                .ok_or_else(|| problem("beneficiary", "beneficiary_not_member", "享受待遇的人不是该家庭的成员"))?,
        ),
    };
    let mut e = Eval { app, rule, version, trace: Vec::new(), reasons: Vec::new(), inputs: serde_json::Map::new() };
    e.trace.push(format!("适用标准：{}（{}起施行，{}）", rule.id, rule.effective_from, rule.document));
    let (amount, payee, covered) = match (app.program, beneficiary) {
        (Program::MinimumLiving, _) => e.minimum_living(applicant),
        (Program::ExtremePoverty, Some(b)) => e.extreme_poverty(b),
        (Program::Temporary, Some(b)) => e.temporary(b),
        (Program::DisabilityLiving, Some(b)) => e.disability_living(b),
        (Program::DisabilityCare, Some(b)) => e.disability_care(b),
        (Program::Orphan | Program::UnsupportedChild, Some(b)) => e.child(b)?,
        (_, None) => return Err(problem("beneficiary", "beneficiary_required", "请选择享受待遇的家庭成员")),
    };
    e.exclusions(&covered);
    if let Some(b) = beneficiary {
        if b.died_on.is_some_and(|d| d <= app.decided_on) {
            e.refuse(format!("{} 已于决定日前死亡", b.name));
        }
    }
    let eligible = e.reasons.is_empty();
    let first = eligible.then(|| first_paid_month(app.program, app.applied_on, app.decided_on, app.cross_region));
    let last = match (eligible, app.program, beneficiary) {
        (false, _, _) => None,
        (true, Program::Temporary, _) => first,
        (true, p, Some(b)) if p.is_child_allowance() => Some(last_paid_month_for_child(b.birth, rule.child.adult_age)),
        (true, _, Some(b)) => b.died_on.map(last_paid_month_after_death),
        (true, _, None) => None,
    };
    if let Some(first) = first {
        let until = last.map(|l| format!("，至 {} 止", l.label_zh())).unwrap_or_default();
        e.trace.push(format!("自 {} 起发放{until}", first.label_zh()));
    } else {
        e.trace.push("不符合条件 → 不予批准".to_string());
    }
    e.inputs.insert("household_id".into(), json!(app.household.id));
    e.inputs.insert("household_version".into(), json!(version.valid_from.to_string()));
    e.inputs.insert("division".into(), json!(app.household.division.as_str()));
    e.inputs.insert("urban".into(), json!(app.household.urban));
    e.inputs.insert("applied_on".into(), json!(app.applied_on.to_string()));
    e.inputs.insert("decided_on".into(), json!(app.decided_on.to_string()));
    e.inputs.insert("cross_region".into(), json!(app.cross_region));
    Ok(Decision {
        program: app.program,
        eligible,
        rule_version: rule.id.clone(),
        amount_fen: if eligible { amount } else { 0 },
        payee,
        covered,
        first_month: first,
        last_month: last,
        inputs: Value::Object(e.inputs),
        trace: e.trace,
        reasons: e.reasons,
    })
}

/// The income window of an application made on `applied_on`: the `months` whole months before
/// the month of application (`first`, `last`). The number of months is rule data
/// (`minimum_living.income_months`, per division and date).
pub fn income_window(applied_on: NaiveDate, months: u32) -> (YearMonth, YearMonth) {
    let last = YearMonth::of(applied_on).prev();
    let mut first = last;
    for _ in 1..months.max(1) {
        first = first.prev();
    }
    (first, last)
}

/// The months of the window `first..=last` for which no income of any of `people` is recorded.
///
/// The per-capita income is the household's income over the rule's period (社会救助暂行办法第九条;
/// 《最低生活保障审核确认办法》: 家庭收入 is what the members received "在规定期限内"): a month
/// with nothing on record is not known to be a month without income. A month without income is
/// entered as 0. The evaluation names the missing months in its trace and inputs
/// (`income_months_missing`); the platform refuses to *grant* on an incomplete window (the
/// service's `income_months_missing`), a refusal stays possible.
pub fn missing_income_months(
    version: &HouseholdVersion,
    people: &[i64],
    first: YearMonth,
    last: YearMonth,
) -> Vec<YearMonth> {
    let mut out = Vec::new();
    let mut m = first;
    while m <= last {
        if !version.income.iter().any(|i| i.month == m && people.contains(&i.person_id)) {
            out.push(m);
        }
        m = m.next();
    }
    out
}

/// The trace line naming the months of the window without any income on record.
pub fn missing_months_line(missing: &[YearMonth]) -> String {
    let names: Vec<String> = missing.iter().map(|m| m.label_zh()).collect();
    format!(
        "收入计算期内 {} 个月没有登记收入：{}（按0计入合计；无收入的月份应登记为0，收入未查清的应补充调查）",
        missing.len(),
        names.join("、")
    )
}

struct Eval<'a> {
    app: &'a Application<'a>,
    rule: &'a RuleVersion,
    version: &'a HouseholdVersion,
    trace: Vec<String>,
    reasons: Vec<String>,
    inputs: serde_json::Map<String, Value>,
}

impl Eval<'_> {
    fn refuse(&mut self, reason: String) {
        self.trace.push(format!("{reason} → 不符合"));
        self.reasons.push(reason);
    }

    fn standard(&self) -> i64 {
        if self.app.household.urban {
            self.rule.minimum_living.urban_fen
        } else {
            self.rule.minimum_living.rural_fen
        }
    }

    fn standard_name(&self) -> &'static str {
        if self.app.household.urban {
            "城市低保标准"
        } else {
            "农村低保标准"
        }
    }

    /// The income window: the `income_months` whole months before the month of application.
    fn window(&self) -> (YearMonth, YearMonth, u32) {
        let months = self.rule.minimum_living.income_months;
        let (first, last) = income_window(self.app.applied_on, months);
        (first, last, months)
    }

    fn income_of(&self, people: &[i64]) -> i64 {
        let (first, last, _) = self.window();
        self.version
            .income
            .iter()
            .filter(|i| people.contains(&i.person_id) && i.month >= first && i.month <= last)
            .map(|i| i.amount_fen)
            .sum()
    }

    /// 低保 (社会救助暂行办法第九条): per-capita monthly income **below** the standard (equal is not
    /// below) and assets within the local rules; the amount is the difference (补差) × members.
    fn minimum_living(&mut self, applicant: &Member) -> (i64, i64, Vec<i64>) {
        let members: Vec<&Member> = self.version.living_members(self.app.decided_on);
        let people: Vec<i64> = members.iter().map(|m| m.person_id).collect();
        let n = i64::try_from(members.len()).unwrap_or(1).max(1);
        let (first, last, months) = self.window();
        let total = self.income_of(&people);
        let months_i = i64::from(months);
        let standard = self.standard();
        // Exact comparison in integers: total / months / n < standard ⇔ total < standard × months × n.
        let below = total < standard * months_i * n;
        let per_capita = round_div(total, months_i * n);
        self.trace.push(format!(
            "共同生活家庭成员 {n} 人；收入计算期 {first} 至 {last}（{months} 个月），家庭收入合计 {} 元",
            format_yuan(total)
        ));
        let missing = missing_income_months(self.version, &people, first, last);
        if !missing.is_empty() {
            self.trace.push(missing_months_line(&missing));
        }
        self.inputs
            .insert("income_months_missing".into(), json!(missing.iter().map(ToString::to_string).collect::<Vec<_>>()));
        let gap_total = round_div(standard * months_i * n - total, months_i);
        if below {
            self.trace.push(format!(
                "家庭月人均收入 {} 元 < {} {} 元 → 符合，差额 {} 元/人/月",
                format_yuan(per_capita),
                self.standard_name(),
                format_yuan(standard),
                format_yuan(round_div(gap_total, n))
            ));
        } else {
            self.refuse(format!(
                "家庭月人均收入 {} 元，不低于{} {} 元（须低于标准）",
                format_yuan(per_capita),
                self.standard_name(),
                format_yuan(standard)
            ));
        }
        let financial: i64 =
            self.version.assets.iter().filter(|a| a.kind == AssetKind::Financial).map(|a| a.value_fen).sum();
        let limit = standard * i64::from(self.rule.minimum_living.financial_asset_months);
        let per_capita_assets = round_div(financial, n);
        if financial <= limit * n {
            self.trace.push(format!(
                "人均金融资产 {} 元 ≤ 限额 {} 元（标准 × {} 个月）→ 符合",
                format_yuan(per_capita_assets),
                format_yuan(limit),
                self.rule.minimum_living.financial_asset_months
            ));
        } else {
            self.refuse(format!(
                "人均金融资产 {} 元，超过限额 {} 元（标准 × {} 个月）",
                format_yuan(per_capita_assets),
                format_yuan(limit),
                self.rule.minimum_living.financial_asset_months
            ));
        }
        if !self.rule.minimum_living.vehicle_allowed && self.version.assets.iter().any(|a| a.kind == AssetKind::Vehicle)
        {
            self.refuse("家庭拥有机动车辆（残疾人功能性补偿代步机动车除外）".to_string());
        }
        self.inputs.insert("members".into(), json!(people));
        self.inputs.insert("income_window".into(), json!([first.to_string(), last.to_string()]));
        self.inputs.insert("income_total_fen".into(), json!(total));
        self.inputs.insert("per_capita_income_fen".into(), json!(per_capita));
        self.inputs.insert("standard_fen".into(), json!(standard));
        self.inputs.insert("financial_assets_fen".into(), json!(financial));
        (gap_total.max(0), applicant.person_id, people)
    }

    fn age(&self, m: &Member) -> u32 {
        age_on(m.birth, self.app.decided_on)
    }

    /// 特困 (社会救助暂行办法第十四条): no capacity to work (the elderly, the severely disabled, minors
    /// under 16), no income source and no supporter able to support. "No income source" is read as a
    /// monthly income below the local 低保 standard [unconfirmed: 民发〔2021〕43号 wording].
    fn extreme_poverty(&mut self, b: &Member) -> (i64, i64, Vec<i64>) {
        let r = &self.rule.extreme_poverty;
        let age = self.age(b);
        let (elderly_age, minor_age) = (r.elderly_age, r.minor_age);
        let severe = b.disability.filter(|d| d.is_severe());
        if age >= elderly_age {
            self.trace.push(format!("{} {age} 周岁，≥ {elderly_age} 周岁（老年人）→ 丧失劳动能力", b.name));
        } else if age < minor_age {
            self.trace.push(format!("{} {age} 周岁，未满 {minor_age} 周岁 → 未成年人", b.name));
        } else if let Some(d) = severe {
            self.trace.push(format!("{} 持残疾人证（{}）→ 重度残疾，丧失劳动能力", b.name, d.label_zh()));
        } else {
            self.refuse(format!("{} {age} 周岁，非老年人、未成年人或重度残疾人，不属于无劳动能力", b.name));
        }
        let (_, _, months) = self.window();
        let monthly = round_div(self.income_of(&[b.person_id]), i64::from(months));
        let standard = self.standard();
        if monthly < standard {
            self.trace.push(format!(
                "本人月均收入 {} 元 < {} {} 元 → 无生活来源",
                format_yuan(monthly),
                self.standard_name(),
                format_yuan(standard)
            ));
        } else {
            self.refuse(format!(
                "本人月均收入 {} 元，不低于{} {} 元，有生活来源",
                format_yuan(monthly),
                self.standard_name(),
                format_yuan(standard)
            ));
        }
        match self.app.supporter {
            Supporter::None => self.trace.push("无法定赡养、抚养、扶养义务人 → 符合".to_string()),
            Supporter::Unable => self.trace.push("法定义务人无赡养、抚养、扶养能力 → 符合".to_string()),
            Supporter::Able => self.refuse("有具备赡养、抚养、扶养能力的法定义务人".to_string()),
        }
        self.inputs.insert("beneficiary".into(), json!(b.person_id));
        self.inputs.insert("age".into(), json!(age));
        self.inputs.insert("monthly_income_fen".into(), json!(monthly));
        self.inputs.insert("supporter".into(), json!(self.app.supporter.as_str()));
        let amount = r.basic_living_fen;
        if self.reasons.is_empty() {
            self.trace.push(format!("基本生活标准 {} 元/月", format_yuan(amount)));
        }
        (amount, b.person_id, vec![b.person_id])
    }

    /// 临时救助 (社会救助暂行办法第四十七条至第四十九条): a stated hardship; the amount asked for, up to
    /// `max_months` × the urban standard (local rule [unconfirmed]).
    fn temporary(&mut self, b: &Member) -> (i64, i64, Vec<i64>) {
        let r = &self.rule.temporary;
        let cap = self.rule.minimum_living.urban_fen * i64::from(r.max_months);
        let hardship = self.app.hardship.trim().to_string();
        if hardship.is_empty() {
            self.refuse("未说明遭遇的急难情形".to_string());
        } else {
            self.trace.push(format!("急难情形：{hardship}"));
        }
        let asked = self.app.requested_fen;
        let amount = asked.min(cap);
        if asked <= 0 {
            self.refuse("申请救助金额须大于0".to_string());
        } else if asked > cap {
            self.trace.push(format!(
                "申请 {} 元 > 上限 {} 元（城市低保标准 × {} 个月）→ 按上限 {} 元救助",
                format_yuan(asked),
                format_yuan(cap),
                r.max_months,
                format_yuan(amount)
            ));
        } else {
            self.trace.push(format!("申请 {} 元 ≤ 上限 {} 元 → 按申请金额救助", format_yuan(asked), format_yuan(cap)));
        }
        let small = amount <= r.small_amount_fen;
        self.trace.push(if small {
            format!("救助金额不超过小额标准 {} 元，可由乡镇（街道）审批（下放时）", format_yuan(r.small_amount_fen))
        } else {
            format!("救助金额超过小额标准 {} 元，由县级民政部门审批", format_yuan(r.small_amount_fen))
        });
        self.inputs.insert("beneficiary".into(), json!(b.person_id));
        self.inputs.insert("requested_fen".into(), json!(asked));
        self.inputs.insert("hardship".into(), json!(hardship));
        self.inputs.insert("small_amount".into(), json!(small));
        (amount, b.person_id, vec![b.person_id])
    }

    /// 困难残疾人生活补贴: a certificate holder in a 低保 household (国发〔2015〕52号).
    fn disability_living(&mut self, b: &Member) -> (i64, i64, Vec<i64>) {
        match b.disability {
            Some(d) => self.trace.push(format!("{} 持第二代残疾人证（{}）→ 符合", b.name, d.label_zh())),
            None => self.refuse(format!("{} 未持有残疾人证", b.name)),
        }
        let household: Vec<i64> = self.version.members.iter().map(|m| m.person_id).collect();
        let in_dibao =
            self.app.current_benefits.iter().any(|(p, prog)| *prog == Program::MinimumLiving && household.contains(p));
        if in_dibao {
            self.trace.push("所在家庭正在享受最低生活保障 → 符合".to_string());
        } else {
            self.refuse("所在家庭不是最低生活保障家庭".to_string());
        }
        self.inputs.insert("beneficiary".into(), json!(b.person_id));
        self.inputs.insert("disability".into(), json!(b.disability.map(|d| d.label_zh())));
        self.inputs.insert("in_minimum_living_household".into(), json!(in_dibao));
        (self.rule.disability.living_fen, b.person_id, vec![b.person_id])
    }

    /// 重度残疾人护理补贴: the care rule of the version in force (国发〔2015〕52号 [C-web][local]: 一级/二级,
    /// many places 三/四级 智力/精神, some with age limits — `rules::CareRule`); not on top of 工伤
    /// nursing allowance (§4 [unconfirmed]).
    fn disability_care(&mut self, b: &Member) -> (i64, i64, Vec<i64>) {
        let rule = self.rule.disability.care.clone();
        let age = self.age(b);
        match b.disability {
            Some(d) => match rule.covers(d, age) {
                Ok(()) => self.trace.push(format!(
                    "{} 残疾等级 {}，{age} 周岁；护理补贴范围（{}）：{} → 符合",
                    b.name,
                    d.label_zh(),
                    self.rule.id,
                    rule.describe()
                )),
                Err(why) => self.refuse(format!("{} {why}（{}）", b.name, self.rule.id)),
            },
            None => self.refuse(format!("{} 未持有残疾人证", b.name)),
        }
        if b.work_injury_nursing {
            self.refuse(format!("{} 已享受工伤保险护理费，不重复享受", b.name));
        }
        self.inputs.insert("beneficiary".into(), json!(b.person_id));
        self.inputs.insert("disability".into(), json!(b.disability.map(|d| d.label_zh())));
        (self.rule.disability.care_fen, b.person_id, vec![b.person_id])
    }

    /// 孤儿 / 事实无人抚养儿童 (民发〔2019〕62号, 民发〔2020〕125号).
    fn child(&mut self, b: &Member) -> Result<(i64, i64, Vec<i64>), FieldError> {
        let facts = self.app.child.ok_or_else(|| problem("child", "child_facts_required", "请填写儿童父母的情况"))?;
        let r = &self.rule.child;
        let age = self.age(b);
        if age < r.adult_age {
            self.trace.push(format!("{} {age} 周岁，未满 {} 周岁 → 符合", b.name, r.adult_age));
        } else {
            self.refuse(format!("{} {age} 周岁，已满 {} 周岁", b.name, r.adult_age));
        }
        let (f, m) = (facts.father, facts.mother);
        self.trace.push(format!("父亲：{}；母亲：{}", f.name_zh(), m.name_zh()));
        let orphan = f.gone() && m.gone();
        let unsupported = (f.unable() && m.unable()) || (f.gone() && m.unable()) || (f.unable() && m.gone());
        let amount = match self.app.program {
            Program::Orphan => {
                if orphan {
                    self.trace.push("父母均死亡、宣告失踪或查找不到 → 属孤儿".to_string());
                } else {
                    self.refuse("父母并非均已死亡、宣告失踪或查找不到，不属孤儿".to_string());
                }
                if facts.in_institution {
                    r.orphan_institution_fen
                } else {
                    r.orphan_scattered_fen
                }
            }
            _ => {
                if unsupported && !orphan {
                    self.trace.push(
                        "父母双方均符合事实无人抚养情形，或一方死亡（失踪）另一方符合 → 属事实无人抚养儿童".to_string(),
                    );
                } else if orphan {
                    self.refuse("父母均已死亡或失踪，应认定为孤儿".to_string());
                } else {
                    self.refuse("父母至少一方能够履行抚养义务，不属事实无人抚养儿童".to_string());
                }
                r.unsupported_child_fen
            }
        };
        self.inputs.insert("beneficiary".into(), json!(b.person_id));
        self.inputs.insert("age".into(), json!(age));
        self.inputs.insert("father".into(), json!(f.as_str()));
        self.inputs.insert("mother".into(), json!(m.as_str()));
        self.inputs.insert("in_institution".into(), json!(facts.in_institution));
        Ok((amount, b.person_id, vec![b.person_id]))
    }

    /// No one receives two benefits that exclude each other (国发〔2015〕52号; [`excludes`]).
    fn exclusions(&mut self, covered: &[i64]) {
        let program = self.app.program;
        let clashes: Vec<(i64, Program)> = self
            .app
            .current_benefits
            .iter()
            .filter(|(p, other)| covered.contains(p) && excludes(program, *other))
            .copied()
            .collect();
        for (person, other) in clashes {
            let name = self.version.member(person).map(|m| m.name.clone()).unwrap_or_else(|| format!("#{person}"));
            self.refuse(format!("{name} 已享受{}，与{}不得重复享受", other.name_zh(), program.name_zh()));
        }
    }
}

/// `a / b` rounded half up (b > 0).
fn round_div(a: i64, b: i64) -> i64 {
    if b <= 0 {
        return 0;
    }
    let q = a.div_euclid(b);
    if a.rem_euclid(b) * 2 >= b {
        q + 1
    } else {
        q
    }
}

/// 经办人员和村（居）委会干部近亲属: the application must be declared and registered separately
/// (单独登记备案; 社会救助暂行办法; 民发〔2021〕57号 step 1). Flagged when the applicant declared it, or when a member is on
/// the bureau's list of caseworkers, village cadres and their close relatives. Returns the reason.
pub fn relative_flag(declared: bool, version: &HouseholdVersion, official_relatives: &[i64]) -> Option<String> {
    let listed: Vec<&str> =
        version.members.iter().filter(|m| official_relatives.contains(&m.person_id)).map(|m| m.name.as_str()).collect();
    match (declared, listed.is_empty()) {
        (_, false) => {
            Some(format!("家庭成员 {} 在经办人员、村（居）委会干部近亲属名单中，单独登记备案", listed.join("、")))
        }
        (true, true) => Some("申请人申明系经办人员或村（居）委会干部近亲属，单独登记备案".to_string()),
        (false, true) => None,
    }
}

#[cfg(test)]
#[path = "eligibility_tests.rs"]
mod tests;
