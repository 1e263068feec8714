//! The guard registry: the checks behind the guard names on the marriage items' steps
//! (`catalog/{marriage-registration,divorce-registration,marriage-certificate-reissue}`), over
//! the marital-status registry and the case's form. The service loads the facts before the act
//! (the engine's hook is synchronous and pure) and passes [`GuardFacts::check`] as
//! `EngineContext.guard`. Every refusal names the condition and its legal basis
//! (domain::marriage::basis). Items without an entry here get no hook: their guards are
//! recorded unchecked, as the engine documents.

use chrono::NaiveDate;
use domain::calendar::{shanghai_date, WorkCalendar};
use domain::division::{DivisionCode, Divisions};
use domain::engine::case::Case;
use domain::engine::refusal::Refusal;
use domain::idcard::Sex;
use domain::marriage::{
    basis, check_marriage_age, check_parties, classify_registration, competent_office, divorce_windows,
    CertificateKind, MaritalRegistry, Party, RegistrationKind, RegistryEntry,
};
use serde_json::{Map, Value};
use store::marriage::MaritalRegistration;

/// The items whose guards this registry checks.
pub(crate) const MARRIAGE_ITEMS: [&str; 3] = ["marriage-registration", DIVORCE_ITEM, "marriage-certificate-reissue"];

/// The divorce item, whose withdrawal names a party (`check_act`).
pub(crate) const DIVORCE_ITEM: &str = "divorce-registration";

/// The form fields kept with a case (case_json `form`) for the guards: the other party's person
/// id, the signed declaration, the 居住证 places, both parties' declared 户籍地, and which
/// certificate a reissue is for. Anything else in the form is not kept.
pub(crate) const FORM_KEYS: [&str; 7] = [
    "other_party",
    "hukou_division",
    "declaration_signed",
    "residence_permit_division",
    "other_party_residence_permit_division",
    "other_party_hukou_division",
    "certificate_kind",
];

/// The kept part of a submitted form (`Null` when nothing is kept).
pub(crate) fn kept_form(data: &Value) -> Value {
    let kept: Map<String, Value> = FORM_KEYS
        .iter()
        .filter_map(|key| data.get(*key).filter(|v| !v.is_null()).map(|v| ((*key).to_string(), v.clone())))
        .collect();
    if kept.is_empty() {
        Value::Null
    } else {
        Value::Object(kept)
    }
}

/// The other party's person id named by the form, if it is a positive integer.
pub(crate) fn other_party_id(form: &Value) -> Result<i64, Refusal> {
    match form.get("other_party") {
        None | Some(Value::Null) => Err(Refusal::new("other_party_required", "请填写另一方当事人的姓名和公民身份号码")
            .with_basis(basis::MARRIAGE_IN_PERSON)),
        Some(v) => v.as_i64().filter(|id| *id > 0).ok_or_else(|| {
            Refusal::new("other_party_invalid", "请选择登记在册的另一方当事人").with_basis(basis::MARRIAGE_IN_PERSON)
        }),
    }
}

/// One party as the guards see it: from the person record (sex and birth date from the ID
/// number, the record's division as 户籍地 unless the form declares one) and the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PartyFacts {
    pub id: i64,
    pub sex: Sex,
    pub birth: NaiveDate,
    pub hukou: DivisionCode,
    pub residence_permit: Option<DivisionCode>,
    /// The division the person record is kept at (scoping; not the declared 户籍地).
    pub record_division: String,
}

impl PartyFacts {
    fn party(&self) -> Party {
        Party { hukou: self.hukou.clone(), residence_permit: self.residence_permit.clone() }
    }
}

/// The registry's entry of a stored row: marriages, divorces and deaths; reissue rows change no
/// status (`None`).
pub(crate) fn registry_entry(r: &MaritalRegistration) -> Option<RegistryEntry> {
    let on = NaiveDate::parse_from_str(&r.on_date, "%Y-%m-%d").ok()?;
    match (r.kind.as_str(), r.person_b) {
        ("marriage", Some(b)) => Some(RegistryEntry::Marriage { a: r.person_a, b, on }),
        ("divorce", Some(b)) => Some(RegistryEntry::Divorce { a: r.person_a, b, on }),
        ("death", _) => Some(RegistryEntry::Death { person: r.person_a, on }),
        _ => None,
    }
}

/// The registry folded from stored rows.
pub(crate) fn registry_from_rows(rows: &[MaritalRegistration]) -> Result<MaritalRegistry, String> {
    let entries: Vec<RegistryEntry> = rows.iter().filter_map(registry_entry).collect();
    MaritalRegistry::fold(&entries).map_err(|e| format!("registration #{}: {}", e.index, e.refusal))
}

/// What the guards read: loaded once per act.
#[derive(Debug)]
pub(crate) struct GuardFacts<'a> {
    pub divisions: &'a Divisions,
    /// The act's Shanghai date.
    pub on: NaiveDate,
    pub form: Value,
    pub applicant: PartyFacts,
    /// The other party, or why the form does not name one on record.
    pub other: Result<PartyFacts, Refusal>,
    pub registry: MaritalRegistry,
}

impl GuardFacts<'_> {
    fn other(&self) -> Result<&PartyFacts, Refusal> {
        self.other.as_ref().map_err(Clone::clone)
    }

    /// The check behind `guard` for `case`. An unknown name refuses (a guard is never skipped
    /// silently once the registry is in use).
    pub(crate) fn check(&self, guard: &str, case: &Case) -> Result<(), Refusal> {
        self.check_at(guard, &case.accepting, case.situation.as_deref())
    }

    /// The check behind `guard` for an application at `accepting` in `situation` (also before any
    /// case exists: the registration desk's checks).
    pub(crate) fn check_at(
        &self,
        guard: &str,
        accepting: &DivisionCode,
        situation: Option<&str>,
    ) -> Result<(), Refusal> {
        let a = &self.applicant;
        match guard {
            // 民法典第一千零四十九条: the man and the woman, two persons, both on record.
            "marriage_parties" => {
                let o = self.other()?;
                check_parties((a.id, a.sex), (o.id, o.sex))
            }
            "divorce_parties" => {
                let o = self.other()?;
                if o.id == a.id {
                    return Err(
                        Refusal::new("same_person", "双方当事人不能是同一人").with_basis(basis::DIVORCE_BY_AGREEMENT)
                    );
                }
                Ok(())
            }
            // 2003 条例第五条 / 2025 条例: the signed declaration of no spouse and no prohibited kinship.
            "marriage_declaration_signed" => {
                if self.form.get("declaration_signed").and_then(Value::as_bool) == Some(true) {
                    Ok(())
                } else {
                    Err(Refusal::new(
                        "declaration_missing",
                        "双方未签署本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的声明",
                    )
                    .with_basis(basis::DECLARATION))
                }
            }
            // The office competent on the act's date (domain::marriage::competent_office).
            "marriage_office_competent" | "divorce_office_competent" => {
                let o = self.other()?;
                let kind = if guard == "divorce_office_competent" {
                    RegistrationKind::Divorce
                } else {
                    RegistrationKind::Marriage
                };
                competent_office(kind, accepting, [&a.party(), &o.party()], self.on, self.divisions).map(|_| ())
            }
            // 民法典第一千零四十七条, on the day of the act.
            "marriage_age" => {
                let o = self.other()?;
                check_marriage_age(a.sex, a.birth, self.on)?;
                check_marriage_age(o.sex, o.birth, self.on)
            }
            // 民法典第一千零四十二条、第一千零五十一条: neither currently married per the registry.
            "marriage_no_spouse" => {
                let o = self.other()?;
                self.registry.check_marriage(a.id, o.id)
            }
            // 民法典第一千零七十六条: married to each other per the registry.
            "divorce_married_to_each_other" => {
                let o = self.other()?;
                self.registry.check_divorce(a.id, o.id)
            }
            // 补领: the registration is on record (the archive-missing 情形 proves it otherwise).
            "reissue_record_exists" => match reissue_kind(situation, &self.form) {
                Some(CertificateKind::MarriageReissue) if situation != Some("archive_missing") => {
                    if self.registry.status(a.id).spouse().is_some() {
                        Ok(())
                    } else {
                        Err(Refusal::new(
                            "no_marriage_on_record",
                            "婚姻登记信息中没有申请人现存的结婚登记，不能补领结婚证",
                        )
                        .with_basis(basis::REISSUE))
                    }
                }
                Some(CertificateKind::DivorceReissue) if situation != Some("archive_missing") => {
                    if self.registry.history(a.id).iter().any(|e| matches!(e, RegistryEntry::Divorce { .. })) {
                        Ok(())
                    } else {
                        Err(Refusal::new("no_divorce_on_record", "婚姻登记信息中没有申请人的离婚登记，不能补领离婚证")
                            .with_basis(basis::REISSUE))
                    }
                }
                _ => Ok(()),
            },
            _ => Err(Refusal::new("unknown_guard", format!("条件“{guard}”没有对应的核验规则，请联系系统管理员"))),
        }
    }

    /// A withdrawal of a divorce application (民法典第一千零七十七条第一款: 任何一方不愿意离婚的，
    /// 可以撤回): `party` must be one of the two (a citizen withdrawing their own application
    /// online is the applicant when they name nobody), and, once the application was received,
    /// the act's date within the cooling-off period (`DivorceWindows::check_withdrawal`).
    /// Returns the party and which side they are (`applicant` | `other_party`).
    pub(crate) fn check_divorce_withdrawal(
        &self,
        case: &Case,
        party: Option<i64>,
        by_owner: bool,
        calendar: &WorkCalendar,
    ) -> Result<(i64, &'static str), Refusal> {
        let party = match party.or(by_owner.then_some(self.applicant.id)) {
            Some(party) => party,
            None => {
                return Err(Refusal::new("withdrawal_party_required", "请选择撤回离婚登记申请的一方当事人")
                    .with_basis(basis::COOLING_OFF))
            }
        };
        let role = if party == self.applicant.id {
            "applicant"
        } else if self.other.as_ref().is_ok_and(|o| o.id == party) {
            "other_party"
        } else {
            return Err(Refusal::new(
                "withdrawal_party_invalid",
                "所选人员不是本件离婚登记的当事人，只有双方当事人之一可以撤回申请",
            )
            .with_basis(basis::COOLING_OFF));
        };
        if let Some(accepted) = case.accepted_at {
            let windows = divorce_windows(shanghai_date(accepted), calendar)
                .map_err(|e| Refusal::new("calendar_no_data", format!("无法计算离婚冷静期：{e}")))?;
            windows.check_withdrawal(self.on)?;
        }
        Ok((party, role))
    }

    /// The registration class of the registration made at `office` (statistics).
    pub(crate) fn cross_region(&self, office: &DivisionCode) -> &'static str {
        let other = self.other.as_ref().map(|o| &o.hukou).unwrap_or(&self.applicant.hukou);
        classify_registration(office, [&self.applicant.hukou, other], self.divisions).as_str()
    }
}

/// What the registration desk calls each guard's condition.
pub(crate) fn guard_label(guard: &str) -> &'static str {
    match guard {
        "marriage_parties" | "divorce_parties" => "双方当事人",
        "marriage_declaration_signed" => "无配偶及无禁止结婚亲属关系的声明",
        "marriage_office_competent" | "divorce_office_competent" => "登记机关管辖（按办理日期）",
        "marriage_age" => "法定婚龄（按办理日期）",
        "marriage_no_spouse" => "婚姻状况（婚姻登记信息核验）",
        "divorce_married_to_each_other" => "双方为夫妻（婚姻登记信息核验）",
        "reissue_record_exists" => "婚姻登记记录",
        _ => "其他条件",
    }
}

/// Which certificate a reissue case is for: by its 情形, and for `archive_missing` by the form's
/// `certificate_kind` (`divorce`, else a marriage certificate).
pub(crate) fn reissue_kind(situation: Option<&str>, form: &Value) -> Option<CertificateKind> {
    match situation {
        Some("marriage_certificate") => Some(CertificateKind::MarriageReissue),
        Some("divorce_certificate") => Some(CertificateKind::DivorceReissue),
        _ if form.get("certificate_kind").and_then(Value::as_str) == Some("divorce") => {
            Some(CertificateKind::DivorceReissue)
        }
        _ => Some(CertificateKind::MarriageReissue),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_guards_fields_are_kept() {
        let form = json!({"other_party": 8, "declaration_signed": true, "note": "x", "id_number": "5117"});
        assert_eq!(kept_form(&form), json!({"other_party": 8, "declaration_signed": true}));
        assert_eq!(kept_form(&json!({})), Value::Null);
        assert_eq!(other_party_id(&json!({"other_party": 8})), Ok(8));
        assert_eq!(other_party_id(&json!({})).unwrap_err().code, "other_party_required");
        assert_eq!(other_party_id(&json!({"other_party": "8"})).unwrap_err().code, "other_party_invalid");
        assert_eq!(other_party_id(&json!({"other_party": -1})).unwrap_err().code, "other_party_invalid");
    }

    /// The catalog admits on a marriage item exactly the names the domain lists; each has its
    /// condition here (a name without one would fall to 其他条件 and to `unknown_guard`).
    #[test]
    fn every_marriage_guard_the_catalog_admits_has_its_condition() {
        for guard in domain::vertical::Vertical::Marriage.guards() {
            assert_ne!(guard_label(guard), "其他条件", "{guard}");
        }
    }
}
