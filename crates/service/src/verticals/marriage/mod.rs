//! Marriage use cases around the engine: loading what the marriage guards read, committing a
//! registration with the act that makes it, and reading a person's marital status.

pub(crate) mod death_facts;
pub mod deaths;
pub mod desk;
pub(crate) mod guards;
pub mod indicators;

use std::collections::HashSet;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::access::{roles_for, Actor, Permission};
use domain::audit::EventDraft;
use domain::calendar::{shanghai_date, WorkCalendar};
use domain::division::DivisionCode;
use domain::engine::action::Action;
use domain::engine::case::Case;
use domain::engine::context::ActorAt;
use domain::engine::refusal::Refusal;
use domain::idcard::parse_id;
use domain::idcard::Sex;
use domain::marriage::stats::{tally, Counts, RegistrationFact, DEFINITION};
use domain::marriage::{
    classify_registration, divorce_windows, CertificateKind, MaritalRegistry, MaritalStatus, RegistryEntry,
};
use domain::problem::FieldError;
use serde::Serialize;
use serde_json::{json, Value};
use store::marriage::{ImportedRegistration, MaritalRegistration, NewMaritalRegistration};
use store::persons::Scope;
use store::StoreError;

use crate::case_json::Stored;
use crate::guards::{
    other_party_id, registry_entry, registry_from_rows, reissue_kind, GuardFacts, PartyFacts, DIVORCE_ITEM,
    MARRIAGE_ITEMS,
};
use crate::verticals::ActCheck;
use crate::{App, ServiceError, ServiceResult};

/// The guards that read the other party (结婚、离婚: both parties appear in person, 民法典第一千
/// 零四十九条、第一千零七十六条): an item with a step naming one asks for the other party on its
/// application form, by name and 公民身份号码.
const OTHER_PARTY_GUARDS: [&str; 2] = ["marriage_parties", "divorce_parties"];

/// Does the application form of `item` ask for the other party?
pub fn asks_other_party(item: &domain::catalog::ServiceItem) -> bool {
    item.procedure.steps.iter().any(|s| s.guards.iter().any(|g| OTHER_PARTY_GUARDS.contains(&g.as_str())))
}

/// The other party typed on an application (`data.other_party` as `{name, id_number, division?}`),
/// parsed before anything is written; found or registered by [`App::attach_person`] with the
/// case. `division`, when not typed, is the ID number's region if the table knows it, else
/// `fallback` (the accepting office). A number (a person id, as older API clients send) is kept
/// as it is; anything else is refused naming the field.
pub(crate) fn parse_other_party(
    data: &Value,
    today: NaiveDate,
    regions: &domain::idcard::RegionHistory,
    divisions: &domain::division::Divisions,
    fallback: &DivisionCode,
) -> ServiceResult<Option<domain::person::NewPerson>> {
    let object = match data.get("other_party") {
        None | Some(Value::Null) | Some(Value::Number(_)) => return Ok(None),
        Some(Value::Object(object)) => object,
        Some(_) => {
            return Err(ServiceError::new(
                crate::ErrorKind::Invalid,
                "other_party_invalid",
                "另一方当事人须填写姓名和公民身份号码",
            )
            .with_field("data.other_party"))
        }
    };
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::trim).unwrap_or_default().to_string();
    let id_number = text("id_number");
    let region: String = id_number.chars().take(6).collect();
    let division = match text("division") {
        typed if !typed.is_empty() => typed,
        _ => match DivisionCode::parse(&region) {
            Ok(code) if divisions.get(&code).is_some() => region,
            _ => fallback.to_string(),
        },
    };
    let input = domain::person::PersonInput { name: text("name"), id_number, phone: None, address: None, division };
    let person = domain::person::NewPerson::parse(&input, today, regions, divisions).map_err(|problems| {
        ServiceError::invalid(
            problems
                .into_iter()
                .map(|mut p| {
                    p.field = format!("data.other_party.{}", p.field);
                    p.message = format!("另一方当事人：{}", p.message);
                    p
                })
                .collect(),
        )
    })?;
    Ok(Some(person))
}

impl App {
    /// A case of an item that asks for the other party, before acceptance, whose form names none
    /// (submitted through an older client): it cannot be accepted, and the page says what to do.
    pub(crate) async fn other_party_missing(
        &self,
        item: &domain::catalog::ServiceItem,
        case: &Case,
    ) -> ServiceResult<Vec<crate::verticals::StepMissing>> {
        use domain::engine::case::CaseStatus;
        if !asks_other_party(item) || !matches!(case.status, CaseStatus::Submitted | CaseStatus::AwaitingSupplement) {
            return Ok(Vec::new());
        }
        let row = self.store.case(case.id).await?;
        let stored = crate::case_json::from_json(&row.state).map_err(ServiceError::internal)?;
        if other_party_id(&stored.form).is_ok() {
            return Ok(Vec::new());
        }
        Ok(vec![crate::assistance::StepMissing {
            what: "本件未登记另一方当事人，不能受理：请不予受理并说明理由，再在窗口受理表单重新提交（填写另一方当事人的姓名和公民身份号码）"
                .into(),
            fill_at: format!("/items/{}/apply", item.slug),
        }])
    }
}

/// Whether `at` holds `permission` at `division` (a grant of one of its roles reaching it).
fn holds(
    at: &ActorAt,
    permission: Permission,
    division: &DivisionCode,
    divisions: &domain::division::Divisions,
) -> bool {
    let roles = roles_for(permission);
    !at.is_system() && at.grants.iter().any(|g| roles.contains(&g.role) && divisions.is_within(division, &g.division))
}

/// A registration the act about to commit makes, with its events' payload.
#[derive(Debug, Clone)]
pub(crate) struct PendingRegistration {
    pub kind: &'static str,
    pub certificate: CertificateKind,
    pub office: DivisionCode,
    pub on: NaiveDate,
    pub person_a: i64,
    pub person_b: Option<i64>,
    pub cross_region: &'static str,
}

impl PendingRegistration {
    /// The store's row, for the act of case `case_id`.
    pub(crate) fn store_row(&self, case_id: i64) -> NewMaritalRegistration {
        NewMaritalRegistration {
            kind: self.kind.to_string(),
            office: self.office.to_string(),
            on_date: self.on.to_string(),
            year: self.on.year(),
            person_a: self.person_a,
            person_b: self.person_b,
            certificate: Some(self.certificate),
            case_id,
            cross_region: self.cross_region.to_string(),
        }
    }
}

/// The marriage items' check of an act itself: a divorce withdrawn by either party
/// (民法典第一千零七十七条) names which party, in time; the withdrawal's event records the party,
/// their side and the basis.
pub(crate) fn check_act(
    facts: &GuardFacts<'_>,
    case: &Case,
    action: &Action,
    at: &ActorAt,
    calendar: &WorkCalendar,
) -> ActCheck {
    let Action::Withdraw { party, .. } = action else { return ActCheck::Unchecked };
    if case.item_slug != DIVORCE_ITEM {
        return ActCheck::Unchecked;
    }
    match facts.check_divorce_withdrawal(case, *party, at.owns(case), calendar) {
        Ok((party, role)) => {
            let mut note = serde_json::Map::new();
            note.insert("party".into(), json!(party));
            note.insert("party_role".into(), json!(role));
            note.insert("basis".into(), json!(domain::marriage::basis::COOLING_OFF));
            ActCheck::Annotate(note)
        }
        Err(refusal) => ActCheck::Refused { guard: "divorce_withdrawal", refusal },
    }
}

/// One person's marital status as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MaritalStatusView {
    pub person_id: i64,
    /// `unmarried` | `married` | `divorced` | `widowed` | `deceased`.
    pub status: &'static str,
    pub status_name: &'static str,
    /// The spouse (married) or the former spouse (divorced, widowed).
    pub spouse_person_id: Option<i64>,
    pub since: Option<String>,
    pub history: Vec<RegistrationView>,
}

/// The marriage registration statistics of a period, within the caller's scope.
#[derive(Debug, Clone, Serialize)]
pub struct MarriageStatistics {
    pub from: String,
    pub to: String,
    /// How the figures are counted (domain::marriage::stats::DEFINITION).
    pub definition: &'static str,
    pub rows: Vec<MarriageStatRow>,
    pub total: StatCounts,
}

/// Counts of one (kind, office, month).
#[derive(Debug, Clone, Serialize)]
pub struct MarriageStatRow {
    pub kind: String,
    pub office: String,
    /// `YYYY-MM`.
    pub month: String,
    pub counts: StatCounts,
}

/// Total and the cross-region split: 本地 / 跨区县 / 跨地市 / 跨省.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StatCounts {
    pub total: u64,
    pub local: u64,
    pub cross_county: u64,
    pub cross_prefecture: u64,
    pub cross_province: u64,
}

impl From<&Counts> for StatCounts {
    fn from(c: &Counts) -> StatCounts {
        StatCounts {
            total: c.total,
            local: c.local,
            cross_county: c.cross_county,
            cross_prefecture: c.cross_prefecture,
            cross_province: c.cross_province,
        }
    }
}

/// A certificate as printed: its number, kind, office, date and the parties (masked).
#[derive(Debug, Clone, Serialize)]
pub struct CertificateView {
    pub number: String,
    pub kind_name: &'static str,
    pub office: String,
    pub office_name: String,
    pub date: String,
    /// Each party: in full when `full`, else masked.
    pub parties: Vec<CertificateParty>,
    /// The parties' data in full: the certificate handed to each party can be printed (the
    /// reader may read full personal data at the registering office; each party's record read is
    /// an event). Otherwise the masked particulars only, not a certificate.
    pub full: bool,
    /// The check code of the public verification address.
    pub check: String,
    /// [`App::certificate_digest`]: carried by the QR code, checked by the public page.
    pub digest: String,
}

/// One party as a certificate names them.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateParty {
    /// In full, or masked when the certificate view is not `full`.
    pub name: String,
    /// In full, or masked when the certificate view is not `full`.
    pub id_number: String,
    /// 男 / 女 (with `full` only).
    pub sex: Option<&'static str>,
    /// `YYYY-MM-DD` (with `full` only).
    pub birth_date: Option<String>,
}

/// A divorce case's windows and parties, for its page.
#[derive(Debug, Clone)]
pub struct DivorceFacts {
    /// `DivorceWindows::explanation`: the cooling-off period and the certificate window.
    pub windows: Option<String>,
    /// (person id, "申请人 张*（5117**…）").
    pub parties: Vec<(i64, String)>,
}

/// What the public verification page shows: whether such a certificate exists and is current.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateStatus {
    pub number: String,
    pub kind_name: &'static str,
    pub office_name: String,
    pub date: String,
    /// A marriage certificate is current while the parties are married to each other on the
    /// registry and no reissue replaced it; a divorce certificate records a fact and stays
    /// current until a reissue replaces it.
    pub current: bool,
    /// A later reissue (补领) of the same registration replaced this certificate.
    pub superseded: bool,
    /// 有效 / 已失效（已补发新证） / 已失效（婚姻关系已解除）.
    pub standing_name: &'static str,
    /// [`App::certificate_digest`] of the certificate on record, for the page to compare with
    /// the one in the QR code.
    pub digest: String,
}

/// The registration a certificate row certifies: itself for a marriage or a divorce; for a
/// reissue, the holder's latest marriage (divorce) on record before it — the one whose
/// certificate was lost.
fn certified<'a>(row: &'a MaritalRegistration, rows: &'a [MaritalRegistration]) -> Option<&'a MaritalRegistration> {
    let base = match row.kind.as_str() {
        "marriage" | "divorce" => return Some(row),
        "marriage_reissue" => "marriage",
        "divorce_reissue" => "divorce",
        _ => return None,
    };
    let order = |r: &MaritalRegistration| (r.on_date.clone(), r.id);
    rows.iter()
        .filter(|r| r.kind == base && (r.person_a == row.person_a || r.person_b == Some(row.person_a)))
        .filter(|r| order(r) < order(row))
        .max_by_key(|r| order(r))
}

/// Whether a later reissue of the same registration replaced the certificate of `row`
/// (婚姻登记条例 (2003) 第十七条: the reissued certificate takes the lost one's place). `rows`: every
/// registration of the parties.
pub(crate) fn superseded(row: &MaritalRegistration, rows: &[MaritalRegistration]) -> bool {
    let Some(original) = certified(row, rows) else {
        return false;
    };
    let order = |r: &MaritalRegistration| (r.on_date.clone(), r.id);
    rows.iter()
        .filter(|r| r.kind.ends_with("_reissue") && order(r) > order(row))
        .any(|r| certified(r, rows).is_some_and(|o| o.id == original.id))
}

/// One registration in a person's history.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationView {
    pub kind: String,
    pub office: String,
    pub date: String,
    pub other_party_person_id: Option<i64>,
    pub certificate_number: Option<String>,
    pub case_id: Option<i64>,
    pub cross_region: String,
}

fn bad_division(field: &str) -> Refusal {
    Refusal::new("invalid_division", format!("“{field}”不是有效的行政区划代码"))
}

/// The header of a registration import file (`minzheng marriage import FILE`): UTF-8, one
/// registration per line, comma-separated, no quoting. `kind` is `marriage` or `divorce`; `office`
/// the registry's division code; `date` ISO (`2019-05-20`); both parties by ID number, each a
/// person on record; `certificate_number` optional (kept as written, unique).
pub const IMPORT_HEADER: &str = "kind,office,date,party_a_id_number,party_b_id_number,certificate_number";

impl App {
    /// Imports historical registrations from CSV text, all or nothing: every bad row is reported
    /// by its line (format, unknown person, a marriage while married, a divorce of people not
    /// married to each other — checked by folding the registry with the rows on record), and
    /// nothing is written unless every row is good. The CLI operator's act. Returns the count.
    pub async fn import_marriages(&self, csv: &str, source: &str) -> ServiceResult<usize> {
        let today = self.today();
        let mut lines = csv.lines().enumerate();
        let header_ok = lines.next().is_some_and(|(_, h)| h.trim().trim_start_matches('\u{feff}') == IMPORT_HEADER);
        if !header_ok {
            return Err(ServiceError::invalid(vec![FieldError::new(
                "line 1",
                "import_header",
                format!("第1行应为表头：{IMPORT_HEADER}"),
            )]));
        }
        let mut problems: Vec<FieldError> = Vec::new();
        let mut rows: Vec<(usize, ImportedRegistration)> = Vec::new();
        let mut numbers: HashSet<String> = HashSet::new();
        for (i, line) in lines {
            let n = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let field = format!("line {n}");
            let bad =
                |code: &'static str, message: String| FieldError::new(&field, code, format!("第{n}行：{message}"));
            let cols: Vec<&str> = line.split(',').map(str::trim).collect();
            let [kind, office, date, id_a, id_b, number] = cols.as_slice() else {
                problems.push(bad("import_columns", format!("应有6列，实际{}列", cols.len())));
                continue;
            };
            let before = problems.len();
            if !["marriage", "divorce"].contains(kind) {
                problems.push(bad("import_kind", format!("登记类型“{kind}”应为 marriage 或 divorce")));
            }
            let office_ok = DivisionCode::parse(office).ok().filter(|c| self.divisions().get(c).is_some());
            if office_ok.is_none() {
                problems.push(bad("import_office", format!("登记机关“{office}”不是有效的行政区划代码")));
            }
            match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
                Ok(d) if d <= today => {}
                _ => problems.push(bad("import_date", format!("登记日期“{date}”无效或晚于今天"))),
            }
            let mut persons = Vec::new();
            for (which, id) in [("甲方", id_a), ("乙方", id_b)] {
                match parse_id(id, today, self.regions()) {
                    Ok(info) => match self.store.person_id_by_id_number(&self.keys, info.number.as_str()).await? {
                        Some(person) => persons.push(person),
                        None => problems.push(bad(
                            "import_person_unknown",
                            format!("{which}（{}）不在人员记录中", info.number.masked()),
                        )),
                    },
                    Err(e) => problems.push(bad("import_id_number", format!("{which}身份证号码错误：{e}"))),
                }
            }
            if let [a, b] = persons.as_slice() {
                if a == b {
                    problems.push(bad("same_person", "双方当事人不能是同一人".to_string()));
                }
            }
            if !number.is_empty() && !numbers.insert((*number).to_string()) {
                problems.push(bad("import_duplicate_certificate", format!("证书编号“{number}”在文件中重复")));
            }
            if problems.len() > before {
                continue;
            }
            if let ([a, b], Some(office)) = (persons.as_slice(), office_ok) {
                let hukou_a = self.person_division(*a).await?;
                let hukou_b = self.person_division(*b).await?;
                let cross = classify_registration(&office, [&hukou_a, &hukou_b], self.divisions()).as_str();
                rows.push((
                    n,
                    ImportedRegistration {
                        kind: (*kind).to_string(),
                        office: office.to_string(),
                        on_date: (*date).to_string(),
                        person_a: *a,
                        person_b: *b,
                        certificate_number: (!number.is_empty()).then(|| (*number).to_string()),
                        cross_region: cross.to_string(),
                    },
                ));
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::invalid(problems));
        }
        // The registry with the rows on record and these, in date order: the first conflict is named.
        let mut persons: Vec<i64> = rows.iter().flat_map(|(_, r)| [r.person_a, r.person_b]).collect();
        persons.sort_unstable();
        persons.dedup();
        let existing = self.store.marital_registrations_of(&persons).await?;
        let mut entries: Vec<RegistryEntry> = Vec::new();
        let mut origin: Vec<Option<usize>> = Vec::new();
        for entry in existing.iter().filter_map(registry_entry) {
            entries.push(entry);
            origin.push(None);
        }
        for (n, r) in &rows {
            let on = NaiveDate::parse_from_str(&r.on_date, "%Y-%m-%d").unwrap_or(today);
            let (a, b) = (r.person_a, r.person_b);
            entries.push(if r.kind == "marriage" {
                RegistryEntry::Marriage { a, b, on }
            } else {
                RegistryEntry::Divorce { a, b, on }
            });
            origin.push(Some(*n));
        }
        let registry = MaritalRegistry::fold(&entries).map_err(|e| {
            let line = origin.get(e.index).copied().flatten();
            let field = line.map(|n| format!("line {n}")).unwrap_or_default();
            let prefix = line.map(|n| format!("第{n}行：")).unwrap_or_else(|| "已有记录：".to_string());
            ServiceError::invalid(vec![FieldError::new(&field, e.refusal.code, format!("{prefix}{}", e.refusal))])
        })?;
        let married: Vec<(i64, i64)> =
            persons.iter().filter_map(|p| registry.status(*p).spouse().map(|s| (*p, s))).collect();
        let label = crate::accounts::system_actor();
        let lines: Vec<usize> = rows.iter().map(|(n, _)| *n).collect();
        let mut events = vec![EventDraft::new(
            "marriage:import",
            label.clone(),
            "marriage.import",
            json!({ "count": rows.len(), "source": source.chars().take(500).collect::<String>(), "lines": lines }),
        )];
        for (_, r) in &rows {
            for person in [r.person_a, r.person_b] {
                let payload = json!({ "imported": true, "kind": r.kind, "office": r.office, "date": r.on_date,
                    "certificate_number": r.certificate_number, "cross_region": r.cross_region });
                events.push(
                    EventDraft::new(format!("person:{person}"), label.clone(), "person.marital_registration", payload)
                        .in_division(r.office.clone()),
                );
            }
        }
        let only: Vec<ImportedRegistration> = rows.into_iter().map(|(_, r)| r).collect();
        self.store.import_registrations(&only, &married, &events, self.now()).await.map_err(|e| match e {
            StoreError::Conflict(what) if what == "certificate_number" => ServiceError::new(
                crate::ErrorKind::Conflict,
                "import_certificate_exists",
                "文件中的证书编号已在登记记录中，未导入任何记录",
            ),
            other => other.into(),
        })
    }

    /// A person's division (their 户籍地 on the record).
    async fn person_division(&self, person: i64) -> ServiceResult<DivisionCode> {
        let summary = self.store.person_summary(person).await?;
        DivisionCode::parse(&summary.division).map_err(|_| ServiceError::internal("person division"))
    }

    /// One party's facts from the person record and the form's places. A person not on record
    /// is a refusal (the guard names it), a store failure an error.
    async fn party_facts(
        &self,
        person: i64,
        hukou: Option<&str>,
        permit: Option<&str>,
    ) -> ServiceResult<Result<PartyFacts, Refusal>> {
        let summary = match self.store.person_summary(person).await {
            Ok(summary) => summary,
            Err(StoreError::NotFound) => {
                return Ok(Err(Refusal::new("other_party_unknown", "所选的另一方当事人未登记，请先登记当事人信息")))
            }
            Err(other) => return Err(other.into()),
        };
        let parse = |code: &str, field: &str| -> Result<DivisionCode, Refusal> {
            DivisionCode::parse(code.trim()).map_err(|_| bad_division(field))
        };
        let facts = (|| -> Result<PartyFacts, Refusal> {
            let sex = match summary.sex.as_str() {
                "male" => Sex::Male,
                "female" => Sex::Female,
                _ => return Err(Refusal::new("person_record_incomplete", "人员记录缺少性别")),
            };
            let birth = NaiveDate::parse_from_str(&summary.birth_date, "%Y-%m-%d")
                .map_err(|_| Refusal::new("person_record_incomplete", "人员记录缺少出生日期"))?;
            let hukou = match hukou {
                Some(code) => parse(code, "户籍地")?,
                None => parse(&summary.division, "户籍地")?,
            };
            let residence_permit = permit.map(|code| parse(code, "居住证发放地")).transpose()?;
            Ok(PartyFacts {
                id: person,
                sex,
                birth,
                hukou,
                residence_permit,
                record_division: summary.division.clone(),
            })
        })();
        Ok(facts)
    }

    /// What the marriage guards read for an act by `at` on `stored` at `now`; `None` for other
    /// items.
    ///
    /// Reading the other party (婚姻登记信息核验): their record may be kept anywhere (from 2025 any
    /// office registers anyone). The read is allowed to staff holding
    /// [`Permission::CheckMaritalRegistry`] at the case's accepting office, to the citizen whose
    /// case it is and to the system's sweep; anyone else's act finds the other party
    /// `registry_check_not_permitted` (the guards refuse, nothing is read). A read by an account
    /// whose [`Permission::ReadPerson`] grant does not reach the other party's division is an
    /// event on that person's record (`person.registry_check`: the case, the office, the act).
    pub(crate) async fn guard_facts(
        &self,
        stored: &Stored,
        at: &ActorAt,
        now: DateTime<Utc>,
    ) -> ServiceResult<Option<GuardFacts<'_>>> {
        let case = &stored.case;
        if !MARRIAGE_ITEMS.contains(&case.item_slug.as_str()) {
            return Ok(None);
        }
        let form = stored.form.clone();
        let text = |key: &str| form.get(key).and_then(Value::as_str).map(str::to_string);
        let applicant = match self
            .party_facts(
                case.applicant,
                text("hukou_division").as_deref(),
                text("residence_permit_division").as_deref(),
            )
            .await?
        {
            Ok(facts) => facts,
            Err(refusal) => return Err(crate::cases::refusal_error(refusal)),
        };
        let may_check = at.is_system()
            || at.owns(case)
            || holds(at, Permission::CheckMaritalRegistry, &case.accepting, self.divisions());
        let other = match other_party_id(&form) {
            Ok(_) if !may_check => Err(Refusal::new(
                "registry_check_not_permitted",
                "核验另一方当事人的婚姻登记信息须由受理婚姻登记机关的工作人员办理",
            )),
            Ok(id) => {
                self.party_facts(
                    id,
                    text("other_party_hukou_division").as_deref(),
                    text("other_party_residence_permit_division").as_deref(),
                )
                .await?
            }
            Err(refusal) => Err(refusal),
        };
        if let Ok(o) = &other {
            let reached = DivisionCode::parse(&o.record_division)
                .is_ok_and(|d| holds(at, Permission::ReadPerson, &d, self.divisions()));
            if !at.is_system() && !reached {
                let draft = EventDraft::new(
                    format!("person:{}", o.id),
                    &at.label,
                    "person.registry_check",
                    json!({ "case": case.number, "office": case.accepting.as_str(), "item": case.item_slug }),
                )
                .in_division(o.record_division.clone());
                self.store.record(&draft, now).await?;
            }
        }
        let mut persons = vec![applicant.id];
        if let Ok(o) = &other {
            persons.push(o.id);
        }
        let rows = self.store.marital_registrations_of(&persons).await?;
        let registry = registry_from_rows(&rows).map_err(|e| ServiceError::internal(&e))?;
        Ok(Some(GuardFacts { divisions: self.divisions(), on: shanghai_date(now), form, applicant, other, registry }))
    }

    /// The registration an act makes: the one that grants a marriage item's decision.
    pub(crate) fn pending_registration(
        facts: &GuardFacts<'_>,
        before: &Case,
        after: &Case,
    ) -> Option<PendingRegistration> {
        let granted_now = before.decision.is_none() && after.decision.as_ref().is_some_and(|d| d.granted);
        if !granted_now {
            return None;
        }
        let other = facts.other.as_ref().ok().map(|o| o.id);
        let (kind, certificate, person_b) = match after.item_slug.as_str() {
            "marriage-registration" => ("marriage", CertificateKind::Marriage, Some(other?)),
            "divorce-registration" => ("divorce", CertificateKind::Divorce, Some(other?)),
            "marriage-certificate-reissue" => match reissue_kind(after.situation.as_deref(), &facts.form)? {
                CertificateKind::DivorceReissue => ("divorce_reissue", CertificateKind::DivorceReissue, None),
                _ => ("marriage_reissue", CertificateKind::MarriageReissue, None),
            },
            _ => return None,
        };
        Some(PendingRegistration {
            kind,
            certificate,
            office: after.accepting.clone(),
            on: facts.on,
            person_a: after.applicant,
            person_b,
            cross_region: facts.cross_region(&after.accepting),
        })
    }

    /// The events a registration adds to its act: one on the case, one on each party's record.
    pub(crate) fn registration_events(
        pending: &PendingRegistration,
        case: &Case,
        actor: &str,
        number: Option<&str>,
    ) -> Vec<EventDraft> {
        let payload = json!({
            "kind": pending.kind,
            "office": pending.office.as_str(),
            "date": pending.on.to_string(),
            "person_a": pending.person_a,
            "person_b": pending.person_b,
            "certificate_number": number,
            "cross_region": pending.cross_region,
            "case": case.number,
        });
        let division = pending.office.to_string();
        let mut events =
            vec![EventDraft::new(format!("case:{}", case.id), actor, "marriage.registered", payload.clone())
                .in_division(division.clone())];
        for person in std::iter::once(pending.person_a).chain(pending.person_b) {
            events.push(
                EventDraft::new(format!("person:{person}"), actor, "person.marital_registration", payload.clone())
                    .in_division(division.clone()),
            );
        }
        events
    }

    /// The registrations of `from..=to` at the offices the caller's statistics grant reaches, counted
    /// by type, office and month with the cross-region split.
    pub async fn marriage_statistics(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
    ) -> ServiceResult<MarriageStatistics> {
        if !actor.may_somewhere(Permission::ReadServiceStats) {
            return Err(ServiceError::forbidden());
        }
        if from > to {
            return Err(ServiceError::new(crate::ErrorKind::Invalid, "invalid_period", "统计起始日不能晚于截止日")
                .with_field("from"));
        }
        let scope = Scope(actor.scope(Permission::ReadServiceStats).iter().map(|c| c.to_string()).collect());
        let rows = self.store.marital_registrations_between(&from.to_string(), &to.to_string(), &scope).await?;
        let facts: Vec<RegistrationFact> = rows
            .into_iter()
            .map(|r| RegistrationFact { kind: r.kind, office: r.office, date: r.on_date, cross_region: r.cross_region })
            .collect();
        let (rows, total) = tally(&facts);
        Ok(MarriageStatistics {
            from: from.to_string(),
            to: to.to_string(),
            definition: DEFINITION,
            rows: rows
                .iter()
                .map(|((kind, office, month), counts)| MarriageStatRow {
                    kind: kind.clone(),
                    office: office.clone(),
                    month: month.clone(),
                    counts: counts.into(),
                })
                .collect(),
            total: (&total).into(),
        })
    }

    /// The check code printed beside a certificate number: 8 hex of the keyed hash (HMAC-SM3),
    /// so the public page cannot be walked by guessing numbers.
    pub fn certificate_check_code(&self, number: &str) -> String {
        self.keys.lookup_hash("certificate_number", number).chars().take(8).collect()
    }

    /// The SM3 digest (64 hex) of what a certificate prints: its kind, number, office and date
    /// and each party's name, sex, birth date and ID number — the number as its keyed look-up
    /// hash, so that the public page computes the same digest without decrypting anyone's
    /// record. A paper naming other people, or the same people with another ID number, has
    /// another digest.
    async fn certificate_digest(&self, reg: &MaritalRegistration, number: &str) -> ServiceResult<String> {
        use sm3::Digest as _;
        let mut parties = Vec::new();
        for person in std::iter::once(reg.person_a).chain(reg.person_b) {
            let p = self.store.person_summary(person).await?;
            let id_hash = self.store.person_id_number_hash(person).await?;
            parties.push(json!([p.name, p.sex, p.birth_date, id_hash]));
        }
        let content = json!([kind_name(&reg.kind), number, self.office_name(&reg.office), reg.on_date, parties]);
        Ok(hex::encode(sm3::Sm3::digest(content.to_string().as_bytes())))
    }

    /// The certificate a case issued, for printing by staff who see the case.
    pub async fn case_certificate(&self, actor: &Actor, case_id: i64) -> ServiceResult<CertificateView> {
        let view = self.case(actor, case_id).await?;
        let reg = self
            .store
            .marital_registration_by_case(view.case.id)
            .await?
            .filter(|r| r.certificate_number.is_some())
            .ok_or_else(|| ServiceError::not_found("证书"))?;
        let number = reg.certificate_number.clone().unwrap_or_default();
        // The certificate handed to the parties bears their names and ID numbers in full (it is
        // their proof of the registration, 民法典第一千零四十九条、第一千零八十条); masking is for
        // the public verification page. Only a reader who may read full personal data at the
        // registering office prints it, and each party's record read is recorded.
        let full = DivisionCode::parse(&reg.office)
            .is_ok_and(|office| actor.may(Permission::ReadPersonFull, &office, self.divisions()));
        let mut parties = Vec::new();
        for person in std::iter::once(reg.person_a).chain(reg.person_b) {
            if full {
                let event = EventDraft::new(
                    format!("person:{person}"),
                    actor.label(),
                    "person.read_full",
                    json!({ "purpose": "certificate", "certificate_number": number, "case": view.case.number }),
                )
                .in_division(reg.office.clone());
                let p = self.store.person_full(&self.keys, person, self.now(), &event).await?;
                let sex = match p.summary.sex.as_str() {
                    "male" => Some("男"),
                    "female" => Some("女"),
                    _ => None,
                };
                parties.push(CertificateParty {
                    name: p.summary.name,
                    id_number: p.id_number,
                    sex,
                    birth_date: Some(p.summary.birth_date),
                });
            } else {
                let p = self.store.person_summary(person).await?;
                parties.push(CertificateParty {
                    name: domain::person::mask_name(&p.name),
                    id_number: p.id_number_masked,
                    sex: None,
                    birth_date: None,
                });
            }
        }
        Ok(CertificateView {
            full,
            digest: self.certificate_digest(&reg, &number).await?,
            check: self.certificate_check_code(&number),
            number,
            kind_name: kind_name(&reg.kind),
            office_name: self.office_name(&reg.office),
            office: reg.office,
            date: reg.on_date,
            parties,
        })
    }

    /// The public verification of a certificate number with its check code.
    pub async fn verify_certificate(&self, number: &str, check: &str) -> ServiceResult<CertificateStatus> {
        let expected = self.certificate_check_code(number);
        let presented = check.trim().to_ascii_lowercase();
        if presented.len() != expected.len() || !presented.bytes().zip(expected.bytes()).all(|(a, b)| a == b) {
            return Err(ServiceError::not_found("证书"));
        }
        let reg =
            self.store.marital_registration_by_number(number).await?.ok_or_else(|| ServiceError::not_found("证书"))?;
        let mut persons = vec![reg.person_a];
        persons.extend(reg.person_b);
        let rows = self.store.marital_registrations_of(&persons).await?;
        // The couple of a reissue is its original's: read both of theirs.
        if let Some(original) = certified(&reg, &rows) {
            persons.extend(std::iter::once(original.person_a).chain(original.person_b));
            persons.sort_unstable();
            persons.dedup();
        }
        let rows = self.store.marital_registrations_of(&persons).await?;
        let registry = registry_from_rows(&rows).map_err(|e| ServiceError::internal(&e))?;
        let superseded = superseded(&reg, &rows);
        let married = match certified(&reg, &rows) {
            Some(o) if o.kind == "marriage" => {
                o.person_b.is_some_and(|b| registry.status(o.person_a).spouse() == Some(b))
            }
            _ => true,
        };
        let current = married && !superseded;
        let standing_name = match (superseded, married) {
            (true, _) => "已失效（已补发新证）",
            (false, false) => "已失效（婚姻关系已解除）",
            (false, true) => "有效",
        };
        Ok(CertificateStatus {
            digest: self.certificate_digest(&reg, number).await?,
            number: number.to_string(),
            kind_name: kind_name(&reg.kind),
            office_name: self.office_name(&reg.office),
            date: reg.on_date,
            current,
            superseded,
            standing_name,
        })
    }

    /// What the case page shows of a divorce: both windows with their explanation (once received)
    /// and the two parties, masked, for the clerk recording which one withdraws. `None` for other
    /// items. Checks the caller sees the case.
    pub async fn divorce_facts(&self, actor: &Actor, case_id: i64) -> ServiceResult<Option<DivorceFacts>> {
        let view = self.case(actor, case_id).await?;
        if view.case.item_slug != "divorce-registration" {
            return Ok(None);
        }
        let (_, stored, _) = self.load_case(case_id).await?;
        let windows = view.case.accepted_at.map(|at| {
            divorce_windows(shanghai_date(at), &self.calendar())
                .map(|w| w.explanation())
                .unwrap_or_else(|e| format!("暂无法计算离婚冷静期：{e}"))
        });
        let mut parties = Vec::new();
        let other = other_party_id(&stored.form).ok();
        for (who, person) in [("申请人", Some(view.case.applicant)), ("另一方当事人", other)] {
            if let Some(person) = person {
                let p = self.store.person_summary(person).await?;
                parties
                    .push((person, format!("{who} {}（{}）", domain::person::mask_name(&p.name), p.id_number_masked)));
            }
        }
        Ok(Some(DivorceFacts { windows, parties }))
    }

    pub(crate) fn office_name(&self, office: &str) -> String {
        DivisionCode::parse(office)
            .ok()
            .and_then(|c| self.divisions().full_name(&c))
            .map(|name| format!("{name}婚姻登记处"))
            .unwrap_or_else(|| office.to_string())
    }

    /// `GET /api/v1/persons/{id}/marital-status`: the current status and the history, for staff
    /// whose grant reaches the person's division; the read is an event on the person's record.
    pub async fn marital_status(&self, actor: &Actor, person: i64) -> ServiceResult<MaritalStatusView> {
        let summary = self.visible_summary(actor, person, Permission::ReadPerson).await?;
        let rows: Vec<MaritalRegistration> = self.store.marital_registrations_of(&[person]).await?;
        let registry = registry_from_rows(&rows).map_err(|e| ServiceError::internal(&e))?;
        let status = registry.status(person);
        let (spouse, since) = match status {
            MaritalStatus::Married { spouse, since } => (Some(spouse), Some(since.to_string())),
            MaritalStatus::Divorced { former, since } | MaritalStatus::Widowed { former, since } => {
                (Some(former), Some(since.to_string()))
            }
            MaritalStatus::Deceased { on } => (None, Some(on.to_string())),
            MaritalStatus::Unmarried => (None, None),
        };
        let draft = EventDraft::new(
            format!("person:{person}"),
            actor.label(),
            "person.marital_status_read",
            json!({ "status": status.as_str() }),
        )
        .in_division(summary.division.clone());
        self.store.record(&draft, self.now()).await?;
        Ok(MaritalStatusView {
            person_id: person,
            status: status.as_str(),
            status_name: status.name_zh(),
            spouse_person_id: spouse,
            since,
            history: rows
                .into_iter()
                .map(|r| RegistrationView {
                    other_party_person_id: if r.person_a == person { r.person_b } else { Some(r.person_a) },
                    kind: r.kind,
                    office: r.office,
                    date: r.on_date,
                    certificate_number: r.certificate_number,
                    case_id: r.case_id,
                    cross_region: r.cross_region,
                })
                .collect(),
        })
    }
}

/// The certificate's name by registration kind (the kinds are [`CertificateKind::as_str`]).
pub(crate) fn kind_name(kind: &str) -> &'static str {
    CertificateKind::parse(kind).map(CertificateKind::name_zh).unwrap_or("婚姻登记证")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, kind: &str, on: &str, a: i64, b: Option<i64>) -> MaritalRegistration {
        MaritalRegistration {
            id,
            kind: kind.into(),
            office: "511702".into(),
            on_date: on.into(),
            person_a: a,
            person_b: b,
            certificate_number: Some(format!("N{id}")),
            case_id: None,
            cross_region: "none".into(),
            source_document: None,
        }
    }

    #[test]
    fn a_reissue_supersedes_the_certificate_of_the_same_registration_only() {
        let rows = vec![
            row(1, "marriage", "2010-01-01", 1, Some(2)),
            row(2, "divorce", "2015-01-01", 2, Some(1)),
            row(3, "marriage", "2016-01-01", 1, Some(3)),
            // The wife of the first marriage lost the divorce certificate; the husband his second
            // marriage's certificate, twice.
            row(4, "divorce_reissue", "2017-01-01", 2, None),
            row(5, "marriage_reissue", "2018-01-01", 1, None),
            row(6, "marriage_reissue", "2019-01-01", 3, None),
        ];
        let by_id = |id: i64| rows.iter().find(|r| r.id == id).unwrap();
        assert!(!superseded(by_id(1), &rows), "no reissue of the first marriage");
        assert!(superseded(by_id(2), &rows), "the divorce certificate, replaced by the BL");
        assert!(superseded(by_id(3), &rows), "the second marriage's J, replaced");
        assert!(!superseded(by_id(4), &rows));
        assert!(superseded(by_id(5), &rows), "the first BJ, replaced by the wife's later one");
        assert!(!superseded(by_id(6), &rows), "the newest is current");
        assert_eq!(certified(by_id(5), &rows).map(|r| r.id), Some(3));
        assert_eq!(certified(by_id(4), &rows).map(|r| r.id), Some(2));
    }
}
