//! The wire format of social assistance: households (dated versions), a case's application facts,
//! the stored decision with its trace, and the monthly payment roll. Amounts travel as yuan text
//! ("1024.50") and as integer fen.

use serde::{Deserialize, Serialize};
use service::assistance::{
    ApplicationInput, ApplicationView, AssetInput, DecisionView, HouseholdInput, HouseholdVersionInput, HouseholdView,
    IncomeInput, MemberInput, PaymentRollView,
};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    /// A person on record (人员编号).
    pub person_id: i64,
    /// applicant | spouse | child | parent | grandchild | grandparent | sibling | other
    pub relationship: String,
    /// visual | hearing | speech | physical | intellectual | mental | multiple (残疾人证类别)
    pub disability_category: Option<String>,
    /// 1..4 (残疾等级), with the category.
    pub disability_grade: Option<i64>,
    #[serde(default)]
    pub work_injury_nursing: bool,
    /// YYYY-MM-DD, when recorded.
    pub died_on: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncomeRequest {
    pub person_id: i64,
    /// YYYY-MM: the month, or the first month of a period (with `until`).
    pub month: String,
    /// e.g. 工资性收入、经营净收入、财产净收入、转移净收入
    pub kind: String,
    /// Yuan, up to two decimals, e.g. "1024.50": the month's income, or for a period its monthly
    /// average (`basis` monthly) or its total (`basis` total).
    pub amount_yuan: String,
    /// YYYY-MM: the last month of a period (both ends included, at most 36 months); absent: one month.
    pub until: Option<String>,
    /// monthly (default: the amount is the monthly average) | total (the period's total, spread
    /// over its months to the fen). Stored month by month.
    pub basis: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetRequest {
    /// financial | vehicle | extra_housing | other
    pub kind: String,
    pub value_yuan: String,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdVersionRequest {
    /// YYYY-MM-DD: the household as it stands from this day (later than the last version).
    pub valid_from: String,
    pub members: Vec<MemberRequest>,
    #[serde(default)]
    pub income: Vec<IncomeRequest>,
    #[serde(default)]
    pub assets: Vec<AssetRequest>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateHouseholdRequest {
    /// The household's 户籍地: a county or township code.
    pub division: String,
    /// true: the urban 低保 standard applies; false: the rural.
    pub urban: bool,
    pub version: HouseholdVersionRequest,
}

impl HouseholdVersionRequest {
    pub fn into_input(self) -> HouseholdVersionInput {
        HouseholdVersionInput {
            valid_from: self.valid_from,
            members: self
                .members
                .into_iter()
                .map(|m| MemberInput {
                    person_id: m.person_id,
                    relationship: m.relationship,
                    disability_category: m.disability_category,
                    disability_grade: m.disability_grade,
                    work_injury_nursing: m.work_injury_nursing,
                    died_on: m.died_on,
                })
                .collect(),
            income: self
                .income
                .into_iter()
                .map(|i| IncomeInput {
                    person_id: i.person_id,
                    month: i.month,
                    kind: i.kind,
                    amount_yuan: i.amount_yuan,
                    until: i.until,
                    basis: i.basis,
                })
                .collect(),
            assets: self
                .assets
                .into_iter()
                .map(|a| AssetInput { kind: a.kind, value_yuan: a.value_yuan, note: a.note })
                .collect(),
        }
    }
}

impl CreateHouseholdRequest {
    pub fn into_input(self) -> HouseholdInput {
        HouseholdInput { division: self.division, urban: self.urban, version: self.version.into_input() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberDto {
    pub person_id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub birth_date: String,
    pub relationship: String,
    pub relationship_name: String,
    pub disability: Option<String>,
    pub work_injury_nursing: bool,
    pub died_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IncomeDto {
    pub person_id: i64,
    pub month: String,
    pub kind: String,
    pub amount_yuan: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssetDto {
    pub kind: String,
    pub kind_name: String,
    pub value_yuan: String,
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdVersionDto {
    pub valid_from: String,
    pub members: Vec<MemberDto>,
    pub income: Vec<IncomeDto>,
    pub assets: Vec<AssetDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdDto {
    pub id: i64,
    pub division: String,
    pub division_name: String,
    pub urban: bool,
    /// Oldest first; earlier versions are kept.
    pub versions: Vec<HouseholdVersionDto>,
}

impl From<HouseholdView> for HouseholdDto {
    fn from(h: HouseholdView) -> HouseholdDto {
        HouseholdDto {
            id: h.id,
            division: h.division,
            division_name: h.division_name,
            urban: h.urban,
            versions: h
                .versions
                .into_iter()
                .map(|v| HouseholdVersionDto {
                    valid_from: v.valid_from,
                    members: v
                        .members
                        .into_iter()
                        .map(|m| MemberDto {
                            person_id: m.person_id,
                            name: m.name,
                            id_number_masked: m.id_number_masked,
                            birth_date: m.birth_date,
                            relationship: m.relationship,
                            relationship_name: m.relationship_name,
                            disability: m.disability,
                            work_injury_nursing: m.work_injury_nursing,
                            died_on: m.died_on,
                        })
                        .collect(),
                    income: v
                        .income
                        .into_iter()
                        .map(|i| IncomeDto {
                            person_id: i.person_id,
                            month: i.month,
                            kind: i.kind,
                            amount_yuan: i.amount_yuan,
                        })
                        .collect(),
                    assets: v
                        .assets
                        .into_iter()
                        .map(|a| AssetDto {
                            kind: a.kind,
                            kind_name: a.kind_name,
                            value_yuan: a.value_yuan,
                            note: a.note,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationRequest {
    pub household_id: i64,
    /// minimum_living | extreme_poverty | temporary | disability_living | disability_care | orphan |
    /// unsupported_child; must be decided by the case's item.
    pub program: String,
    /// The member the benefit is for (every program but minimum_living).
    pub beneficiary: Option<i64>,
    /// 特困: none | unable | able (法定义务人).
    pub supporter: Option<String>,
    /// 孤儿 / 事实无人抚养儿童: present | dead | declared_missing | unknown | severe_disability |
    /// serious_illness | imprisoned | compulsory_detox | restricted_liberty | lost_contact |
    /// guardianship_revoked | deported
    pub father: Option<String>,
    pub mother: Option<String>,
    #[serde(default)]
    pub in_institution: bool,
    /// 临时救助: yuan asked for.
    pub requested_yuan: Option<String>,
    pub hardship: Option<String>,
    /// Declared relative of a caseworker or village cadre (单独登记备案).
    #[serde(default)]
    pub relative_of_official: bool,
    /// The payee's account (the beneficiary's, else the applicant's): bank_card |
    /// social_security_card. Give all three account fields, or none.
    pub account_kind: Option<String>,
    /// 开户银行, at most 50 characters.
    pub account_bank: Option<String>,
    /// The card number (社会保障卡: its financial account number): 16–19 digits with a valid
    /// check digit (Luhn); spaces and hyphens between groups are ignored.
    pub account_number: Option<String>,
    /// The case's revision the client saw (required): a case changed since is 409 `case_conflict`.
    #[schema(required = true)]
    pub expected_revision: Option<i64>,
}

impl ApplicationRequest {
    pub fn into_input(self) -> ApplicationInput {
        ApplicationInput {
            household_id: self.household_id,
            program: self.program,
            beneficiary: self.beneficiary,
            supporter: self.supporter,
            father: self.father,
            mother: self.mother,
            in_institution: self.in_institution,
            requested_yuan: self.requested_yuan,
            hardship: self.hardship,
            relative_of_official: self.relative_of_official,
            account_kind: self.account_kind,
            account_bank: self.account_bank,
            account_number: self.account_number,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDto {
    pub case_id: i64,
    pub household_id: i64,
    pub program: String,
    pub program_name: String,
    pub beneficiary: Option<i64>,
    /// Why the application is registered separately, when it is.
    pub relative_flag: Option<String>,
}

impl From<ApplicationView> for ApplicationDto {
    fn from(a: ApplicationView) -> ApplicationDto {
        ApplicationDto {
            case_id: a.case_id,
            household_id: a.household_id,
            program: a.program,
            program_name: a.program_name,
            beneficiary: a.beneficiary,
            relative_flag: a.relative_flag,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AssistanceDecisionDto)]
pub struct DecisionDto {
    pub case_id: i64,
    pub program: String,
    pub program_name: String,
    pub eligible: bool,
    pub granted: bool,
    /// Per month (once for 临时救助).
    pub amount_yuan: String,
    pub amount_fen: i64,
    /// YYYY-MM, the first month paid.
    pub first_month: Option<String>,
    /// YYYY-MM, the last month payable by rule (a child's 18th birthday month), if any.
    pub last_month: Option<String>,
    /// The rule data version applied (crates/domain/data/assistance_rules.toml).
    pub rule_version: String,
    /// 本级职权, or 下放（document）.
    pub authority: String,
    pub decided_on: String,
    #[schema(value_type = Object)]
    pub inputs: serde_json::Value,
    /// Why, one rule per line, in Chinese.
    pub trace: Vec<String>,
    /// The refusal's reasons (empty when eligible); a stop's written reasons.
    pub reasons: Vec<String>,
    /// grant | refuse | adjust (re-check: 增发/减发/维持) | stop (re-check: 停发).
    pub outcome: String,
    /// The case whose decision this periodic re-check reviewed (动态管理).
    pub recheck_of_case: Option<i64>,
}

impl From<DecisionView> for DecisionDto {
    fn from(d: DecisionView) -> DecisionDto {
        DecisionDto {
            case_id: d.case_id,
            program: d.program,
            program_name: d.program_name,
            eligible: d.eligible,
            granted: d.granted,
            amount_yuan: d.amount_yuan,
            amount_fen: d.amount_fen,
            first_month: d.first_month,
            last_month: d.last_month,
            rule_version: d.rule_version,
            authority: d.authority,
            decided_on: d.decided_on,
            inputs: d.inputs,
            trace: d.trace,
            reasons: d.reasons,
            outcome: d.outcome,
            recheck_of_case: d.recheck_of_case,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RollQuery {
    /// A county code (the county's roll), e.g. 511702, or a township code (that township's own
    /// lines of its county's roll), e.g. 511702001.
    pub county: String,
    /// YYYY-MM
    pub month: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RollLineDto {
    pub program: String,
    pub program_name: String,
    pub household_id: i64,
    pub payee: i64,
    pub name: String,
    /// Masked unless the reader may see full ID numbers (each full read is recorded).
    pub id_number: String,
    pub amount_yuan: String,
    pub amount_fen: i64,
    pub case_id: i64,
    /// YYYY-MM: a stop already decided applies from that month (渐退期, or next month's stop).
    pub stop_from: Option<String>,
    /// The payee's account (收款账户) for the paying bank; absent when none was entered.
    pub account: Option<PayeeAccountDto>,
}

/// A payee's account as a roll shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayeeAccountDto {
    /// bank_card | social_security_card
    pub kind: String,
    /// 银行卡 | 社会保障卡
    pub kind_name: String,
    /// 开户银行.
    pub bank: String,
    /// Masked (first 4 and last 4 digits) unless the reader may see full ID numbers.
    pub number: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RollTotalDto {
    pub program: String,
    pub program_name: String,
    pub count: usize,
    pub amount_yuan: String,
    pub amount_fen: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RollChangeDto {
    /// new | stopped | changed
    pub kind: String,
    pub kind_name: String,
    pub program_name: String,
    pub payee: i64,
    pub name: String,
    pub before_yuan: String,
    pub after_yuan: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentRollDto {
    /// The paying county.
    pub county: String,
    pub county_name: String,
    /// Whose lines these are: the county, or one of its townships (a township's own lines).
    pub division: String,
    pub division_name: String,
    pub month: String,
    pub lines: Vec<RollLineDto>,
    pub totals: Vec<RollTotalDto>,
    pub total_yuan: String,
    pub total_fen: i64,
    /// Against the month before.
    pub changes: Vec<RollChangeDto>,
    /// Decisions not paid because the person already receives an exclusive benefit.
    pub excluded: Vec<String>,
    pub full_ids: bool,
}

impl From<PaymentRollView> for PaymentRollDto {
    fn from(r: PaymentRollView) -> PaymentRollDto {
        PaymentRollDto {
            county: r.county,
            county_name: r.county_name,
            division: r.division,
            division_name: r.division_name,
            month: r.month,
            lines: r
                .lines
                .into_iter()
                .map(|l| RollLineDto {
                    program: l.program,
                    program_name: l.program_name,
                    household_id: l.household_id,
                    payee: l.payee,
                    name: l.name,
                    id_number: l.id_number,
                    amount_yuan: l.amount_yuan,
                    amount_fen: l.amount_fen,
                    case_id: l.case_id,
                    stop_from: l.stop_from,
                    account: l.account.map(|a| PayeeAccountDto {
                        kind: a.kind,
                        kind_name: a.kind_name,
                        bank: a.bank,
                        number: a.number,
                    }),
                })
                .collect(),
            totals: r
                .totals
                .into_iter()
                .map(|t| RollTotalDto {
                    program: t.program,
                    program_name: t.program_name,
                    count: t.count,
                    amount_yuan: t.amount_yuan,
                    amount_fen: t.amount_fen,
                })
                .collect(),
            total_yuan: r.total_yuan,
            total_fen: r.total_fen,
            changes: r
                .changes
                .into_iter()
                .map(|c| RollChangeDto {
                    kind: c.kind,
                    kind_name: c.kind_name,
                    program_name: c.program_name,
                    payee: c.payee,
                    name: c.name,
                    before_yuan: c.before_yuan,
                    after_yuan: c.after_yuan,
                })
                .collect(),
            excluded: r.excluded,
            full_ids: r.full_ids,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RecheckQuery {
    /// A county code, e.g. 511702.
    pub county: String,
    /// YYYY-MM-DD: due on or before this day.
    pub on: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecheckDto {
    pub case_id: i64,
    pub household_id: i64,
    pub payee: i64,
    pub name: String,
    pub decided_on: String,
    /// yearly | half_yearly
    pub cycle: String,
    pub cycle_name: String,
    pub due: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecheckListDto {
    pub items: Vec<RecheckDto>,
}

impl From<service::assistance::RecheckDue> for RecheckDto {
    fn from(r: service::assistance::RecheckDue) -> RecheckDto {
        RecheckDto {
            case_id: r.case_id,
            household_id: r.household_id,
            payee: r.payee,
            name: r.name,
            decided_on: r.decided_on,
            cycle: r.cycle,
            cycle_name: r.cycle_name,
            due: r.due,
        }
    }
}
