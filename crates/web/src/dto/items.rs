//! The wire format of the catalog: items in force with every element of their implementation
//! list (实施清单), their adjustment history, their publication per division (认领/发布/撤回) and
//! the delegations (下放) of their steps. Converted by hand from the domain and service types.

use chrono::NaiveDate;
use domain::catalog::{CaseType, ServiceItem};
use domain::division::{DivisionCode, Divisions};
use domain::procedure::Limit;
use serde::{Deserialize, Serialize};
use service::delegations::DelegationRow;
use service::items::{ItemVersionRecord, Publication, PublicationState};
use utoipa::{IntoParams, ToSchema};

use crate::dto::timestamp_ms;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ItemsQuery {
    /// `YYYY-MM-DD` (Asia/Shanghai); default today. The versions in force on that date.
    #[param(example = "2021-06-01")]
    pub on: Option<String>,
}

/// A time limit with its unit and legal basis.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemLimitDto {
    pub value: u32,
    /// `workday` (工作日), `day` (自然日), `month` (个月) or `hour` (小时).
    pub unit: String,
    /// 个工作日, 日, 个月 or 小时.
    pub unit_name: String,
    /// The legal basis, down to the article.
    pub basis: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemFeeDto {
    pub charged: bool,
    pub basis: String,
}

/// 申请材料.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemMaterialDto {
    pub id: String,
    pub name: String,
    /// `applicant` (申请人提供) or `government` (政府部门核发).
    pub source: String,
    /// `paper`, `electronic` or `paper_or_electronic`.
    pub form: String,
    pub copies: u32,
    pub required: bool,
    /// 容缺受理 allowed.
    pub tolerance: bool,
    /// Obtainable by data sharing: listed, never demanded (国务院令第716号第七条).
    pub shared: bool,
}

/// One field of the item's application form: what `facts.<id>` of an application holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemFormFieldDto {
    pub id: String,
    pub label: String,
    /// text | date | money | bool | int | division | person | organization | choice | list
    pub kind: String,
    pub required: bool,
    /// int: smallest value; money: smallest amount in yuan; list: fewest items.
    pub min: Option<i64>,
    /// int: largest value; money: largest amount in yuan; list: most items.
    pub max: Option<i64>,
    /// text: most characters; list: most characters of each item.
    pub max_len: Option<u32>,
    /// A choice's options: the value to send and its label.
    pub choices: Vec<ItemChoiceDto>,
    /// A person's or an organization's parts: `facts.<id>.<part>`.
    pub parts: Vec<ItemPartDto>,
    /// The legal source of the field.
    pub basis: Option<String>,
    pub help: Option<String>,
}

/// A value and its label.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemChoiceDto {
    pub value: String,
    pub label: String,
}

/// A part of a person or organization field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemPartDto {
    pub value: String,
    pub label: String,
    /// Must be given whenever the field is (every part but an optional one the field does not
    /// require, such as the representative).
    pub required: bool,
}

/// 办理情形: selects a subset of the materials.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemSituationDto {
    pub id: String,
    pub name: String,
    /// Material ids.
    pub materials: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemResultDto {
    pub name: String,
    pub sample: String,
    /// `window`, `post`, `electronic`.
    pub delivery: Vec<String>,
}

/// 办理环节.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemStepDto {
    pub id: String,
    pub name: String,
    /// `accept`, `review`, `decide`, `produce`, `issue`, `deliver`, `forward`, `receive`,
    /// `return_result` or `wait`.
    pub kind: String,
    /// The role that acts (`clerk`…); none on a wait step without one.
    pub role: Option<String>,
    pub role_name: Option<String>,
    /// `accepting` (受理地) or `competent` (办理地).
    pub seat: String,
    /// The level that acts, if set (a delegation can move it lower).
    pub level: Option<String>,
    pub limit: Option<ItemLimitDto>,
}

/// One version of a service item, every element of its implementation list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemDto {
    pub slug: String,
    /// 事项编码 (local rule shape until official codes are imported).
    pub code: String,
    pub name: String,
    /// `administrative_license`, `administrative_payment`, `administrative_confirmation`,
    /// `administrative_ruling`, `administrative_reward`, `other_power` or `public_service`.
    pub kind: String,
    /// 行政许可…
    pub kind_name: String,
    /// 设定依据 / 实施依据, down to the article.
    pub legal_basis: Vec<String>,
    pub implementing_body: String,
    /// `statutory` (法定机关), `authorized` (授权组织) or `entrusted` (受委托组织).
    pub body_nature: String,
    /// 行使层级: `province`, `prefecture`, `county`, `township`.
    pub levels: Vec<String>,
    /// 权力来源: `statutory`, `delegated`, `authorized_by_superior`…
    pub power_source: String,
    /// `instant` (即办件) or `promised` (承诺件).
    pub case_type: String,
    pub case_type_name: String,
    /// 法定办结时限; null for an 即办件 or when the law sets none.
    pub statutory_limit: Option<ItemLimitDto>,
    /// Why the law sets no limit, when it sets none.
    pub statutory_limit_none: Option<String>,
    /// 承诺办结时限 (≤ the statutory limit, same unit).
    pub promised_limit: Option<ItemLimitDto>,
    pub fee: ItemFeeDto,
    pub place: String,
    pub hours: String,
    pub phone: String,
    pub supervision_phone: String,
    pub acceptance_conditions: Vec<String>,
    pub materials: Vec<ItemMaterialDto>,
    pub situations: Vec<ItemSituationDto>,
    /// The application form: the facts an application states (`facts` of `POST /api/v1/cases`).
    pub form: Vec<ItemFormFieldDto>,
    /// 网上办理深度 1-4; 4 = 全程网办.
    pub online_depth: u8,
    /// `none`, `online` (全程网办), `proxy` (异地代收代办) or `multi_site` (多地联办).
    pub cross_region_mode: String,
    /// Where it may be accepted: `hukou`, `province` or `anywhere`.
    pub accept_anywhere: String,
    /// How the competent authority is found: `hukou`, `premises` or `accepting`.
    pub competent_by: String,
    /// Handled at the 市政务服务中心.
    pub city_centre: bool,
    pub result: ItemResultDto,
    pub steps: Vec<ItemStepDto>,
    /// The version number (cases keep the version they started under).
    pub version: u32,
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    /// Why this version was made.
    pub version_reason: String,
    /// The document that ordered it.
    pub ordered_by: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemListDto {
    /// The date asked about.
    pub on: String,
    pub items: Vec<ItemDto>,
}

/// One recorded version: the public adjustment history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemVersionDto {
    pub version: i64,
    pub effective_from: String,
    pub name: String,
    pub reason: String,
    pub ordered_by: String,
    /// When the platform recorded it, RFC 3339.
    pub recorded_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemHistoryDto {
    pub slug: String,
    /// Oldest first.
    pub versions: Vec<ItemVersionDto>,
}

fn limit(limit: &Limit) -> ItemLimitDto {
    ItemLimitDto {
        value: limit.value,
        unit: limit.unit.as_str().to_string(),
        unit_name: limit.unit.name_zh().to_string(),
        basis: limit.basis.clone(),
    }
}

impl ItemDto {
    pub fn from_item(item: &ServiceItem) -> ItemDto {
        ItemDto {
            slug: item.slug.clone(),
            code: item.code.clone(),
            name: item.name.clone(),
            kind: item.kind.as_str().to_string(),
            kind_name: item.kind.name_zh().to_string(),
            legal_basis: item.legal_basis.clone(),
            implementing_body: item.implementing_body.clone(),
            body_nature: item.body_nature.as_str().to_string(),
            levels: item.levels.iter().map(|l| l.as_str().to_string()).collect(),
            power_source: item.power_source.as_str().to_string(),
            case_type: item.case_type.as_str().to_string(),
            case_type_name: match item.case_type {
                CaseType::Instant => "即办件",
                CaseType::Promised => "承诺件",
            }
            .to_string(),
            statutory_limit: item.statutory_limit.as_ref().map(limit),
            statutory_limit_none: item.statutory_limit_none.clone(),
            promised_limit: item.promised_limit.as_ref().map(limit),
            fee: ItemFeeDto { charged: item.fee.charged, basis: item.fee.basis.clone() },
            place: item.place.clone(),
            hours: item.hours.clone(),
            phone: item.phone.clone(),
            supervision_phone: item.supervision_phone.clone(),
            acceptance_conditions: item.acceptance_conditions.clone(),
            materials: item
                .materials
                .iter()
                .map(|m| ItemMaterialDto {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    source: m.source.as_str().to_string(),
                    form: m.form.as_str().to_string(),
                    copies: m.copies,
                    required: m.required,
                    tolerance: m.tolerance,
                    shared: m.shared,
                })
                .collect(),
            situations: item
                .situations
                .iter()
                .map(|s| ItemSituationDto { id: s.id.clone(), name: s.name.clone(), materials: s.materials.clone() })
                .collect(),
            form: item
                .form
                .fields
                .iter()
                .map(|f| ItemFormFieldDto {
                    id: f.id.clone(),
                    label: f.label.clone(),
                    kind: f.kind.as_str().to_string(),
                    required: f.required,
                    min: f.min,
                    max: f.max,
                    max_len: f.max_len,
                    choices: f
                        .choices
                        .iter()
                        .map(|c| ItemChoiceDto { value: c.value.clone(), label: c.label.clone() })
                        .collect(),
                    parts: f
                        .parts()
                        .iter()
                        .map(|(part, label)| ItemPartDto {
                            value: part.to_string(),
                            label: label.to_string(),
                            required: f.part_needed(part),
                        })
                        .collect(),
                    basis: f.basis.clone(),
                    help: f.help.clone(),
                })
                .collect(),
            online_depth: item.online_depth,
            cross_region_mode: item.cross_region_mode.as_str().to_string(),
            accept_anywhere: item.accept_anywhere.as_str().to_string(),
            competent_by: item.competent_by.as_str().to_string(),
            city_centre: item.city_centre,
            result: ItemResultDto {
                name: item.result.name.clone(),
                sample: item.result.sample.clone(),
                delivery: item.result.delivery.clone(),
            },
            steps: item
                .procedure
                .steps
                .iter()
                .map(|s| ItemStepDto {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    kind: s.kind.as_str().to_string(),
                    role: s.role.map(|r| r.as_str().to_string()),
                    role_name: s.role.map(|r| r.name_zh().to_string()),
                    seat: s.seat.as_str().to_string(),
                    level: s.level.map(|l| l.as_str().to_string()),
                    limit: s.limit.as_ref().map(limit),
                })
                .collect(),
            version: item.version.number,
            effective_from: item.version.effective_from.to_string(),
            version_reason: item.version.reason.clone(),
            ordered_by: item.version.ordered_by.clone(),
        }
    }
}

impl ItemVersionDto {
    pub fn from_record(record: &ItemVersionRecord) -> ItemVersionDto {
        ItemVersionDto {
            version: record.version,
            effective_from: record.effective_from.clone(),
            name: record.name.clone(),
            reason: record.reason.clone(),
            ordered_by: record.ordered_by.clone(),
            recorded_at: timestamp_ms(record.recorded_at_ms),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Publication (认领 / 发布 / 撤回)

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicationRequest {
    /// The division code the item is claimed, published or withdrawn for.
    pub division: String,
    /// `claim` (认领), `publish` (发布) or `withdraw` (撤回).
    pub act: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PublicationQuery {
    /// One division; default every division the administrator's grants reach.
    pub division: Option<String>,
}

/// An item's publication in a division.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicationDto {
    pub slug: String,
    pub division: String,
    pub division_name: String,
    /// `unclaimed`, `claimed`, `published` or `withdrawn`.
    pub state: String,
    /// 未认领, 已认领, 已发布 or 已撤回.
    pub state_name: String,
    pub claimed_at: Option<String>,
    pub published_at: Option<String>,
    pub withdrawn_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicationListDto {
    pub items: Vec<PublicationDto>,
}

fn division_name(divisions: &Divisions, code: &str) -> String {
    DivisionCode::parse(code).ok().and_then(|c| divisions.full_name(&c)).unwrap_or_default()
}

impl PublicationDto {
    pub fn from_row(row: &Publication, divisions: &Divisions) -> PublicationDto {
        let state = PublicationState::of(Some(row));
        PublicationDto {
            slug: row.slug.clone(),
            division: row.division.clone(),
            division_name: division_name(divisions, &row.division),
            state: state.as_str().to_string(),
            state_name: state.name_zh().to_string(),
            claimed_at: row.claimed_at_ms.map(timestamp_ms),
            published_at: row.published_at_ms.map(timestamp_ms),
            withdrawn_at: row.withdrawn_at_ms.map(timestamp_ms),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Delegations (下放)

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelegationRequest {
    /// The item's slug.
    pub item: String,
    /// The step's id, e.g. `confirm`.
    pub step: String,
    /// The level the power moves to, below the step's level, e.g. `township`.
    pub to_level: String,
    /// Division codes at `to_level`.
    pub divisions: Vec<String>,
    /// `YYYY-MM-DD`: the first day in force.
    pub from: String,
    /// The document, e.g. 达市民发〔2021〕5号.
    pub document: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeDelegationRequest {
    /// `YYYY-MM-DD`, today or later: the delegation is in force until the day before.
    pub from: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DelegationQuery {
    /// One item's slug; default every item.
    pub item: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DelegationDto {
    pub id: i64,
    pub item: String,
    pub step: String,
    pub to_level: String,
    pub division: String,
    pub division_name: String,
    /// First day in force.
    pub from: String,
    /// Last day in force (inclusive), once revoked.
    pub until: Option<String>,
    pub document: String,
    pub in_force_today: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DelegationListDto {
    pub items: Vec<DelegationDto>,
}

impl DelegationDto {
    pub fn from_row(row: &DelegationRow, divisions: &Divisions, today: NaiveDate) -> DelegationDto {
        DelegationDto {
            id: row.id,
            item: row.item_slug.clone(),
            step: row.step.clone(),
            to_level: row.to_level.clone(),
            division: row.division.clone(),
            division_name: division_name(divisions, &row.division),
            from: row.valid_from.to_string(),
            until: row.valid_until.map(|d| d.to_string()),
            document: row.document.clone(),
            in_force_today: row.valid_from <= today && row.valid_until.is_none_or(|until| today <= until),
        }
    }
}
