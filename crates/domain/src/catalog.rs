//! The catalog of service items (事项清单 / 实施清单, 国务院令第716号; GB/T 39554.1-2020): every element of an item's
//! implementation list, versioned and effective-dated. Loading and validating the catalog files
//! lives in `catalog/load.rs`; the format is documented in docs/designs/engine.md.

use chrono::NaiveDate;

use crate::division::Level;
use crate::procedure::{Limit, ProcedureDef};

pub mod guide;
mod load;
pub use load::*;

/// `as_str` / `parse` / `ALL` for the enums spelled as snake_case strings in the catalog files.
macro_rules! file_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The name used in the catalog files.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }

            pub fn parse(s: &str) -> Option<$ty> {
                $ty::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

/// 事项类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// 行政许可
    AdministrativeLicense,
    /// 行政给付
    AdministrativePayment,
    /// 行政确认
    AdministrativeConfirmation,
    /// 行政裁决
    AdministrativeRuling,
    /// 行政奖励
    AdministrativeReward,
    /// 其他行政权力
    OtherPower,
    /// 公共服务
    PublicService,
}

/// 主体性质.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyNature {
    /// 法定机关
    Statutory,
    /// 授权组织
    Authorized,
    /// 受委托组织
    Entrusted,
}

/// 权力来源.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerSource {
    /// 法定本级行使
    Statutory,
    /// 上级下放
    Delegated,
    /// 上级授权
    AuthorizedBySuperior,
    /// 同级授权
    AuthorizedSameLevel,
    /// 上级委托
    EntrustedBySuperior,
    /// 同级委托
    EntrustedSameLevel,
}

/// 办件类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseType {
    /// 即办件: complete materials are handled on the spot.
    Instant,
    /// 承诺件: finished within the promised limit.
    Promised,
}

/// 跨区域通办模式 (国办发〔2020〕35号).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossRegionMode {
    None,
    /// 全程网办
    Online,
    /// 异地代收代办
    Proxy,
    /// 多地联办
    MultiSite,
}

/// Where an application may be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptAnywhere {
    /// Only at the 户籍地 (or the competent authority).
    Hukou,
    /// Anywhere in the province.
    Province,
    /// Anywhere in the country.
    Anywhere,
}

/// How the competent authority is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompetentBy {
    /// The applicant's 户籍地: the declared household registration, else the ID number's region.
    Hukou,
    /// The place of the premises (`premises_division` in the form data).
    Premises,
    /// The accepting office itself.
    Accepting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaterialSource {
    /// 申请人提供
    Applicant,
    /// 政府部门核发
    Government,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaterialForm {
    Paper,
    Electronic,
    PaperOrElectronic,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Material {
    pub id: String,
    pub name: String,
    pub source: MaterialSource,
    pub form: MaterialForm,
    pub copies: u32,
    pub required: bool,
    /// 容缺受理 allowed.
    pub tolerance: bool,
    /// Obtainable by data sharing: listed for information, never demanded (国务院令第716号 Art. 7).
    pub shared: bool,
}

/// 情形: a variant of the item that selects a subset of materials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Situation {
    pub id: String,
    pub name: String,
    pub materials: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultSpec {
    pub name: String,
    pub sample: String,
    /// window | post | electronic
    pub delivery: Vec<String>,
}

/// Who may apply for an item (`[item] applicants = { kinds = [...], basis = "..." }`): a natural
/// person always; a legal person or other organization too where the item's law lets one
/// (行政许可法第二十九条; 政府信息公开条例第二十七条). An item that declares none admits what its
/// area's law admits ([`crate::vertical::Vertical::person_only`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicants {
    /// A legal person or other organization may apply, besides a natural person.
    pub organizations: bool,
    /// The provision that says who applies: always present when only persons may apply (the
    /// refusal of an organization names it); `None` for an undeclared item whose area admits
    /// organizations.
    pub basis: Option<String>,
}

impl Applicants {
    /// What an item that declares none admits: what its area's law admits.
    pub fn of_area(vertical: Option<crate::vertical::Vertical>) -> Applicants {
        match vertical.and_then(|v| v.person_only()) {
            Some(law) => Applicants { organizations: false, basis: Some(law.to_string()) },
            None => Applicants { organizations: true, basis: None },
        }
    }

    /// The law that makes the applicant a natural person, when it does (for the refusal of an
    /// organization, `person_applicant_only`).
    pub fn person_only(&self) -> Option<&str> {
        (!self.organizations).then(|| self.basis.as_deref().unwrap_or_default())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fee {
    pub charged: bool,
    pub basis: String,
}

/// The version header of an item file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    /// The order of publication (v1, v2, …): a version once published is never edited.
    pub number: u32,
    pub effective_from: NaiveDate,
    pub reason: String,
    pub ordered_by: String,
    /// `out_of_order = true`: the version takes effect no later than one published before it —
    /// an adjustment of the past recorded late (补录), or a correction of a published version
    /// before it takes effect. Without it, each version must take effect after every earlier
    /// one (a date typed wrong is caught). Which version is in force: [`crate::catalog::Catalog::in_force`].
    pub out_of_order: bool,
}

/// One version of a service item, with every element of its implementation list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceItem {
    pub version: VersionInfo,
    /// The area of work the item belongs to (`vertical = "..."` at the top of the file); its
    /// steps' guard and effect names are checked against that area's ([`crate::vertical::Vertical::guards`]). An
    /// item without one may name no guard or effect.
    pub vertical: Option<crate::vertical::Vertical>,
    pub slug: String,
    pub code: String,
    pub name: String,
    pub kind: ItemKind,
    pub legal_basis: Vec<String>,
    pub implementing_body: String,
    pub body_nature: BodyNature,
    pub levels: Vec<Level>,
    pub power_source: PowerSource,
    pub case_type: CaseType,
    /// 法定办结时限; `None` for an 即办件, or when the law sets none (then
    /// `statutory_limit_none` says why).
    pub statutory_limit: Option<Limit>,
    /// Why there is no statutory limit (e.g. a 公共服务 no law times): required when a 承诺件 has no
    /// `statutory_limit`, refused when it has one.
    pub statutory_limit_none: Option<String>,
    /// 承诺办结时限, never longer than the statutory limit (same unit).
    pub promised_limit: Option<Limit>,
    pub fee: Fee,
    pub place: String,
    pub hours: String,
    pub phone: String,
    pub supervision_phone: String,
    pub acceptance_conditions: Vec<String>,
    pub online_depth: u8,
    pub cross_region_mode: CrossRegionMode,
    pub accept_anywhere: AcceptAnywhere,
    pub competent_by: CompetentBy,
    /// Shown at the 市政务服务中心 (the 2021 report counts 6 行政许可 and 6 公共服务 there).
    pub city_centre: bool,
    /// Who may apply (`applicants` in `[item]`; without it, what the item's area admits).
    pub applicants: Applicants,
    pub result: ResultSpec,
    pub materials: Vec<Material>,
    pub situations: Vec<Situation>,
    /// The application form (`[[form]]`): the facts the application states, parsed by
    /// [`crate::form::FormSpec::parse`]; empty for an item that declares none.
    pub form: crate::form::FormSpec,
    pub procedure: ProcedureDef,
    /// What a decision on the item may answer (`[[outcomes]]`, or the implicit 准予 / 不予准予 of
    /// a file that declares none).
    pub outcomes: Outcomes,
}

impl ServiceItem {
    /// The materials a situation asks for (all materials when `situation` is None), excluding
    /// those obtainable by data sharing.
    pub fn demanded_materials(&self, situation: Option<&str>) -> Vec<&Material> {
        let selected: Option<&Situation> = situation.and_then(|id| self.situations.iter().find(|s| s.id == id));
        self.materials
            .iter()
            .filter(|m| !m.shared)
            .filter(|m| selected.is_none_or(|s| s.materials.contains(&m.id)))
            .collect()
    }
}

file_names!(ItemKind {
    AdministrativeLicense => "administrative_license",
    AdministrativePayment => "administrative_payment",
    AdministrativeConfirmation => "administrative_confirmation",
    AdministrativeRuling => "administrative_ruling",
    AdministrativeReward => "administrative_reward",
    OtherPower => "other_power",
    PublicService => "public_service",
});

impl ItemKind {
    pub fn name_zh(self) -> &'static str {
        match self {
            ItemKind::AdministrativeLicense => "行政许可",
            ItemKind::AdministrativePayment => "行政给付",
            ItemKind::AdministrativeConfirmation => "行政确认",
            ItemKind::AdministrativeRuling => "行政裁决",
            ItemKind::AdministrativeReward => "行政奖励",
            ItemKind::OtherPower => "其他行政权力",
            ItemKind::PublicService => "公共服务",
        }
    }
}

file_names!(BodyNature { Statutory => "statutory", Authorized => "authorized", Entrusted => "entrusted" });

file_names!(PowerSource {
    Statutory => "statutory",
    Delegated => "delegated",
    AuthorizedBySuperior => "authorized_by_superior",
    AuthorizedSameLevel => "authorized_same_level",
    EntrustedBySuperior => "entrusted_by_superior",
    EntrustedSameLevel => "entrusted_same_level",
});

file_names!(CaseType { Instant => "instant", Promised => "promised" });

file_names!(CrossRegionMode { None => "none", Online => "online", Proxy => "proxy", MultiSite => "multi_site" });

file_names!(AcceptAnywhere { Hukou => "hukou", Province => "province", Anywhere => "anywhere" });

file_names!(CompetentBy { Hukou => "hukou", Premises => "premises", Accepting => "accepting" });

file_names!(MaterialSource { Applicant => "applicant", Government => "government" });

file_names!(MaterialForm { Paper => "paper", Electronic => "electronic", PaperOrElectronic => "paper_or_electronic" });

/// The ways a result may be delivered (`result.delivery`).
pub const DELIVERY_MODES: [&str; 3] = ["window", "post", "electronic"];
