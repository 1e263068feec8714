//! The wire format: request and response bodies, converted by hand from the service's types
//! (domain and store types never derive a wire format). Requests refuse unknown fields, so a
//! typo in a field name is an error rather than a silently dropped value.

use chrono::{DateTime, TimeZone, Utc};
use domain::access::Grant;
use domain::calendar::shanghai_offset;
use domain::division::{Division, Divisions};
use serde::{Deserialize, Serialize};
use service::web_support::{Account, PersonFull, PersonSummary};
use utoipa::{IntoParams, ToSchema};

pub mod items;
pub mod operations;

// ---------------------------------------------------------------------------------------------
// Errors

/// Every 4xx and 5xx response.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// A stable machine code, e.g. `malformed_json`, `id_checksum`, `forbidden`.
    pub code: String,
    /// What went wrong, in Chinese, for the person at the keyboard.
    pub message: String,
    /// The input field concerned, if any.
    pub field: Option<String>,
    /// Every problem found (validation reports all at once).
    pub problems: Vec<ProblemDto>,
    /// The legal basis of the rule that refused the request (the engine's refusals), e.g.
    /// 《中华人民共和国行政许可法》第三十二条.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// After a `case_conflict`: the case's status now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// After a `case_conflict`: the case's revision now (send it as `expected_revision` once
    /// the act below is understood).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
    /// After a `case_conflict`: the last act on the case, so a client can tell its own act
    /// (whose answer was lost) from someone else's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_act: Option<LastActDto>,
}

/// An act on a case as a conflict reports it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LastActDto {
    /// Who acted: the display name (系统 for the system's timers).
    pub by: String,
    /// What: the act's Chinese name, e.g. 受理.
    pub name: String,
    /// The act's machine code, e.g. `accept`.
    pub action: String,
    /// When, RFC 3339 in China Standard Time.
    pub at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProblemDto {
    pub field: Option<String>,
    pub code: String,
    pub message: String,
}

// ---------------------------------------------------------------------------------------------
// Health

#[derive(Debug, Serialize, ToSchema)]
pub struct HealthDto {
    /// `ok`.
    pub status: String,
    /// The simulated time, when the server runs on a simulated clock (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulated_clock: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Authentication

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenDto {
    /// The bearer token: send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// When it stops working (8 hours after issue), RFC 3339.
    pub expires_at: String,
}

/// The answer to a cookie login and to `GET /api/v1/me`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDto {
    /// Send it back as the `x-csrf-token` header on every POST/PUT/PATCH/DELETE.
    pub csrf_token: String,
    pub account: AccountDto,
    /// The simulated time, when the server runs on a simulated clock (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulated_clock: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Accounts

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantDto {
    /// Machine name, e.g. `clerk`.
    pub role: String,
    /// Chinese name, e.g. 窗口受理人员.
    pub role_name: String,
    pub division: String,
    /// Full name from the province down, e.g. 四川省达州市通川区.
    pub division_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountDto {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub grants: Vec<GrantDto>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountListDto {
    pub items: Vec<AccountDto>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantRequest {
    /// `admin`, `clerk`, `reviewer`, `decider`, `township_officer`, `legal_reviewer`,
    /// `enforcement_officer`, `leader` or `citizen`.
    pub role: String,
    /// A division code, e.g. `511702`.
    pub division: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccountRequest {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub grants: Vec<GrantRequest>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    pub password: String,
    /// Required when changing one's own password.
    #[serde(default)]
    pub current_password: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Persons

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePersonRequest {
    pub name: String,
    /// 18-character citizen identity number.
    pub id_number: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// The division the record belongs to; jurisdiction follows it.
    pub division: String,
}

/// Query of `GET /api/v1/persons`. Searching by name or ID number is `POST /persons/search`, so
/// an ID number never appears in a URL (and so never in an access log).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PersonListQuery {
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Default 0.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonSearchRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
    /// 1 to 500, default 50.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Default 0.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub offset: Option<i64>,
}

/// A person as lists show it: ID and phone numbers masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDto {
    pub id: i64,
    pub name: String,
    /// e.g. `5117**************`.
    pub id_number_masked: String,
    /// e.g. `138****5678`.
    pub phone_masked: Option<String>,
    pub birth_date: String,
    /// `male` or `female`.
    pub sex: String,
    /// 男 or 女.
    pub sex_name: String,
    pub address: String,
    pub division: String,
    pub division_name: String,
    pub created_at: String,
    /// The date of death on record (YYYY-MM-DD), whether recorded from its source document or
    /// stated in a household's information; absent while none is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub died_on: Option<String>,
}

/// The full record, identifiers in clear. Every read of it is recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonFullDto {
    #[serde(flatten)]
    pub person: PersonDto,
    pub id_number: String,
    pub phone: Option<String>,
}

/// A death to record: the date and the document it is recorded from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordDeathRequest {
    /// ISO date of death, not after today.
    pub date: String,
    /// The source document and its number (死亡医学证明、户口注销证明…), at most 200 characters.
    pub source_document: String,
}

/// A recorded death.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeathDto {
    pub person_id: i64,
    pub date: String,
    /// The spouse now widowed, if the person was married.
    pub widowed_person_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonListDto {
    pub items: Vec<PersonDto>,
    pub limit: i64,
    pub offset: i64,
}

// ---------------------------------------------------------------------------------------------
// Divisions

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DivisionListQuery {
    /// The parent's code; without it, the provinces.
    pub parent: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DivisionRefDto {
    pub code: String,
    pub name: String,
    /// `province`, `prefecture`, `county` or `township`.
    pub level: String,
    /// 省级, 市级, 县级 or 乡级.
    pub level_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DivisionListDto {
    pub items: Vec<DivisionRefDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DivisionDto {
    pub code: String,
    pub name: String,
    pub level: String,
    pub level_name: String,
    /// e.g. 四川省达州市通川区.
    pub full_name: String,
    pub parent: Option<String>,
    /// Province first, without the division itself.
    pub ancestors: Vec<DivisionRefDto>,
}

// ---------------------------------------------------------------------------------------------
// Calendar

#[derive(Debug, Serialize, ToSchema)]
pub struct DayDto {
    pub date: String,
    pub is_workday: bool,
    /// 春节, 国庆节… on a statutory holiday period's days off.
    pub holiday_name: Option<String>,
    /// A Saturday or Sunday that is a working day (调休上班).
    pub makeup: bool,
    pub calendar_version: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeadlineQuery {
    /// The start date, `YYYY-MM-DD` (not counted).
    #[param(example = "2021-09-30")]
    pub date: String,
    /// How many days.
    pub n: u32,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CalendarDeadlineDto)]
pub struct DeadlineDto {
    pub date: String,
    pub n: u32,
    pub result: String,
    /// The rule applied, in Chinese, with its legal basis.
    pub rule: String,
    pub calendar_version: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarVersionDto {
    pub version: String,
    pub source: String,
    pub years: Vec<i32>,
    pub imported_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarVersionsDto {
    /// The version deadlines are computed with now.
    pub in_force: String,
    /// The years it covers.
    pub years: Vec<i32>,
    /// Imported versions, newest first (the built-in one is not listed).
    pub versions: Vec<CalendarVersionDto>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportCalendarRequest {
    /// The file, header `date,is_workday,holiday_name,is_makeup_workday`, complete years.
    pub csv: String,
    /// Where it comes from, e.g. the 国务院办公厅 notice and its number: required, at most 500
    /// characters, no control characters.
    #[schema(min_length = 1, max_length = 500)]
    pub source: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportCalendarDto {
    pub version: String,
    /// The years the file brought (they replace the same years of the previous version).
    pub years: Vec<i32>,
}

// ---------------------------------------------------------------------------------------------
// Audit

#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyDto {
    pub ok: bool,
    /// When ok: the number of events verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<u64>,
    /// When broken: where (the event's sequence number, or the checkpoint's number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<i64>,
    /// When broken: `edited`, `missing`, `out_of_order`, `inserted` or `checkpoint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Conversions

/// An instant as RFC 3339 in China Standard Time, e.g. `2021-06-01T09:00:00+08:00`.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.with_timezone(&shanghai_offset()).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

pub fn timestamp_ms(ms: i64) -> String {
    Utc.timestamp_millis_opt(ms).single().map(timestamp).unwrap_or_default()
}

fn division_full_name(divisions: &Divisions, code: &str) -> String {
    domain::division::DivisionCode::parse(code).ok().and_then(|c| divisions.full_name(&c)).unwrap_or_default()
}

impl GrantDto {
    pub fn from_grant(grant: &Grant, divisions: &Divisions) -> GrantDto {
        GrantDto {
            role: grant.role.as_str().to_string(),
            role_name: grant.role.name_zh().to_string(),
            division: grant.division.to_string(),
            division_name: divisions.full_name(&grant.division).unwrap_or_default(),
        }
    }
}

impl AccountDto {
    pub fn from_account(account: &Account, divisions: &Divisions) -> AccountDto {
        AccountDto {
            id: account.id,
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            disabled: account.disabled,
            grants: account.grants.iter().map(|g| GrantDto::from_grant(g, divisions)).collect(),
            created_at: timestamp_ms(account.created_at_ms),
        }
    }
}

impl PersonDto {
    pub fn from_summary(person: &PersonSummary, divisions: &Divisions) -> PersonDto {
        let sex_name = match person.sex.as_str() {
            "male" => "男",
            "female" => "女",
            _ => "",
        };
        PersonDto {
            id: person.id,
            name: person.name.clone(),
            id_number_masked: person.id_number_masked.clone(),
            phone_masked: person.phone_masked.clone(),
            birth_date: person.birth_date.clone(),
            sex: person.sex.clone(),
            sex_name: sex_name.to_string(),
            address: person.address.clone(),
            division: person.division.clone(),
            division_name: division_full_name(divisions, &person.division),
            created_at: timestamp_ms(person.created_at_ms),
            died_on: person.died_on.clone(),
        }
    }
}

impl PersonFullDto {
    pub fn from_full(person: &PersonFull, divisions: &Divisions) -> PersonFullDto {
        PersonFullDto {
            person: PersonDto::from_summary(&person.summary, divisions),
            id_number: person.id_number.clone(),
            phone: person.phone.clone(),
        }
    }
}

impl DivisionRefDto {
    pub fn from_division(division: &Division) -> DivisionRefDto {
        DivisionRefDto {
            code: division.code.to_string(),
            name: division.name.clone(),
            level: division.level.as_str().to_string(),
            level_name: division.level.name_zh().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_in_china_standard_time() {
        let at = Utc.with_ymd_and_hms(2021, 6, 1, 1, 0, 0).single().unwrap();
        assert_eq!(timestamp(at), "2021-06-01T09:00:00+08:00");
        assert_eq!(timestamp_ms(at.timestamp_millis()), "2021-06-01T09:00:00+08:00");
    }
}
