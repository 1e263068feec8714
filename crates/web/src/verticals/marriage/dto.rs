//! The area's wire types: a person's marital status with its history, and the registration
//! statistics.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One person's marital status (婚姻状况) folded from the registrations on record, and its history.
#[derive(Debug, Serialize, ToSchema)]
pub struct MaritalStatusDto {
    pub person_id: i64,
    /// `unmarried` | `married` | `divorced` | `widowed` | `deceased`.
    pub status: String,
    /// 未婚 / 已婚 / 离婚 / 丧偶 / 已死亡.
    pub status_name: String,
    /// The spouse (married) or the former spouse (divorced, widowed).
    pub spouse_person_id: Option<i64>,
    /// Since when (ISO date).
    pub since: Option<String>,
    pub history: Vec<MaritalRegistrationDto>,
}

/// One registration (结婚 / 离婚 / 补发) in a person's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct MaritalRegistrationDto {
    /// `marriage` | `divorce` | `marriage_reissue` | `divorce_reissue` | `death` (recorded from a
    /// source document; `other_party_person_id` is then the spouse left widowed or the deceased).
    pub kind: String,
    /// The registry office's division code (a death: the deceased's division).
    pub office: String,
    pub date: String,
    pub other_party_person_id: Option<i64>,
    /// `J511702-2025-000001` (domain::marriage::certificate_number).
    pub certificate_number: Option<String>,
    pub case_id: Option<i64>,
    /// `none` | `county` | `prefecture` | `province`: 本地 / 跨区县 / 跨地市 / 跨省 by the nearer party.
    pub cross_region: String,
}

impl MaritalStatusDto {
    pub fn from_view(view: service::marriage::MaritalStatusView) -> MaritalStatusDto {
        MaritalStatusDto {
            person_id: view.person_id,
            status: view.status.to_string(),
            status_name: view.status_name.to_string(),
            spouse_person_id: view.spouse_person_id,
            since: view.since,
            history: view
                .history
                .into_iter()
                .map(|r| MaritalRegistrationDto {
                    kind: r.kind,
                    office: r.office,
                    date: r.date,
                    other_party_person_id: r.other_party_person_id,
                    certificate_number: r.certificate_number,
                    case_id: r.case_id,
                    cross_region: r.cross_region,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MarriageStatsQuery {
    /// `YYYY-MM-DD`, first day (inclusive); default 1 January of `to`'s year.
    #[param(example = "2021-01-01")]
    pub from: Option<String>,
    /// `YYYY-MM-DD`, last day (inclusive); default today.
    #[param(example = "2021-12-31")]
    pub to: Option<String>,
}

/// 婚姻登记统计: counts by type, office and month, with the cross-region split and its definition.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarriageStatsDto {
    pub from: String,
    pub to: String,
    /// How the figures and the cross-region classes are counted.
    pub definition: String,
    pub rows: Vec<MarriageStatRowDto>,
    pub total: MarriageCountsDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MarriageStatRowDto {
    /// `marriage` | `divorce` | `marriage_reissue` | `divorce_reissue`.
    pub kind: String,
    pub office: String,
    /// `YYYY-MM`.
    pub month: String,
    pub counts: MarriageCountsDto,
}

/// Total, 本地, 跨区县, 跨地市, 跨省.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarriageCountsDto {
    pub total: u64,
    pub local: u64,
    pub cross_county: u64,
    pub cross_prefecture: u64,
    pub cross_province: u64,
}

impl MarriageCountsDto {
    fn from_counts(c: &service::marriage::StatCounts) -> MarriageCountsDto {
        MarriageCountsDto {
            total: c.total,
            local: c.local,
            cross_county: c.cross_county,
            cross_prefecture: c.cross_prefecture,
            cross_province: c.cross_province,
        }
    }
}

impl MarriageStatsDto {
    pub fn from_stats(stats: &service::marriage::MarriageStatistics) -> MarriageStatsDto {
        MarriageStatsDto {
            from: stats.from.clone(),
            to: stats.to.clone(),
            definition: stats.definition.to_string(),
            rows: stats
                .rows
                .iter()
                .map(|r| MarriageStatRowDto {
                    kind: r.kind.clone(),
                    office: r.office.clone(),
                    month: r.month.clone(),
                    counts: MarriageCountsDto::from_counts(&r.counts),
                })
                .collect(),
            total: MarriageCountsDto::from_counts(&stats.total),
        }
    }
}
