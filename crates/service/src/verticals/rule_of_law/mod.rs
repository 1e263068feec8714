//! 法治政府建设台账: the use cases of the registers the annual report reads. Every record is
//! checked by `domain::verticals::rule_of_law::parse` (the form, the API and each imported row
//! alike) and scoped by its division: reading needs [`Permission::ReadRuleOfLaw`] over it, writing
//! [`Permission::WriteRuleOfLaw`] (the 法制审核 role: the bureau's 法制机构 keeps the registers and
//! compiles the report). An 执法证号 named by an exam result must be in the enforcement area's
//! officers' register, which stays the one source of who holds a credential.
//!
//! For the report: [`App::rule_of_law_year`] gives, per register, the records that count in a
//! year (id, date, label, the address of its page) and the officers whose credential was valid
//! in it, so a figure can link to what it counts.

pub mod indicators;
pub mod openness;

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::division::DivisionCode;
use domain::problem::FieldError;
use domain::verticals::rule_of_law::{self as rules, parse, Entry, RecordInput, Register};
use serde_json::json;
use store::persons::Scope;
pub use store::verticals::rule_of_law::RecordRow;
use store::StoreError;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The most rows one workbook may import.
pub const MAX_IMPORT_ROWS: usize = 2_000;

/// A problem of one imported row: the sheet's row number (the header is row 1), the field and
/// its code and message as the form would show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: u32,
    pub problem: FieldError,
}

/// What an import did: every row written, or none and every problem of every row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported(Vec<i64>),
    Refused(Vec<RowProblem>),
}

/// A record that counts in a year, as the report links to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearRecord {
    pub id: i64,
    pub date: NaiveDate,
    pub label: String,
    /// The division's code.
    pub division: String,
    /// The record's page.
    pub href: String,
}

/// An officer of the enforcement register whose credential was valid on some day of the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialHolder {
    pub officer_id: i64,
    pub name: String,
    pub certificate_no: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

/// The registers as the annual report of `year` reads them, inside the reader's jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOfLawYear {
    pub year: i32,
    /// Every register, in [`Register::ALL`]'s order, with its records that count in the year:
    /// dated in it, or (a membership, an engagement) whose period overlaps it.
    pub registers: Vec<(Register, Vec<YearRecord>)>,
    /// From the enforcement area's officers' register (行政执法资格).
    pub credentials: Vec<CredentialHolder>,
}

impl RuleOfLawYear {
    pub fn records(&self, register: Register) -> &[YearRecord] {
        self.registers.iter().find(|(r, _)| *r == register).map(|(_, v)| v.as_slice()).unwrap_or(&[])
    }
}

/// The address of a record's page.
pub fn record_href(id: i64) -> String {
    format!("/rule-of-law/records/{id}")
}

fn store_error(err: StoreError) -> ServiceError {
    match err {
        StoreError::Conflict(_) => {
            ServiceError::new(ErrorKind::Conflict, "rule_of_law_conflict", "该记录已被他人修改，请刷新后重新填写")
        }
        StoreError::NotFound => ServiceError::not_found("台账记录"),
        other => other.into(),
    }
}

fn check_year(year: i32) -> ServiceResult<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(ServiceError::invalid(vec![FieldError::new("year", "record_year", "年度应在2000年至2100年之间")]))
    }
}

impl App {
    /// The store's scope of a permission, refused when the actor holds it nowhere.
    fn rule_of_law_scope(&self, actor: &Actor, permission: Permission) -> ServiceResult<Scope> {
        let codes = actor.scope(permission);
        if codes.is_empty() {
            return Err(ServiceError::forbidden());
        }
        Ok(Scope(codes.iter().map(|c| c.to_string()).collect()))
    }

    fn rule_of_law_may(&self, actor: &Actor, permission: Permission, division: &DivisionCode) -> bool {
        actor.may(permission, division, self.divisions()) || {
            // A writer reads what he may write.
            permission == Permission::ReadRuleOfLaw && actor.may(Permission::WriteRuleOfLaw, division, self.divisions())
        }
    }

    fn rule_of_law_readable(&self, actor: &Actor) -> ServiceResult<Scope> {
        let mut codes = actor.scope(Permission::ReadRuleOfLaw);
        codes.extend(actor.scope(Permission::WriteRuleOfLaw));
        if codes.is_empty() {
            return Err(ServiceError::forbidden());
        }
        Ok(Scope(codes.iter().map(|c| c.to_string()).collect()))
    }

    /// Refuses a caller who may write no register anywhere (checked before an upload is read).
    pub fn rule_of_law_check_writer(&self, actor: &Actor) -> ServiceResult<()> {
        self.rule_of_law_scope(actor, Permission::WriteRuleOfLaw).map(|_| ())
    }

    /// The records of a register inside the caller's jurisdiction, optionally those counting in
    /// `year` and those at or below `division`.
    pub async fn rule_of_law_list(
        &self,
        actor: &Actor,
        register: Register,
        year: Option<i32>,
        division: Option<&str>,
    ) -> ServiceResult<Vec<RecordRow>> {
        let scope = self.rule_of_law_readable(actor)?;
        if let Some(year) = year {
            check_year(year)?;
        }
        let within = match division {
            Some(code) if !code.trim().is_empty() => Some(self.division("division", code.trim())?),
            _ => None,
        };
        let rows = self.store.rule_of_law_records(Some(register), &scope).await?;
        Ok(rows
            .into_iter()
            .filter(|r| self.rule_of_law_may(actor, Permission::ReadRuleOfLaw, &r.entry.division))
            .filter(|r| year.is_none_or(|y| r.entry.in_year(y)))
            .filter(|r| within.as_ref().is_none_or(|w| self.divisions().is_within(&r.entry.division, w)))
            .collect())
    }

    /// One record, inside the caller's jurisdiction.
    pub async fn rule_of_law_record(&self, actor: &Actor, id: i64) -> ServiceResult<RecordRow> {
        let row = self.store.rule_of_law_record(id).await.map_err(store_error)?;
        if !self.rule_of_law_may(actor, Permission::ReadRuleOfLaw, &row.entry.division) {
            return Err(ServiceError::forbidden());
        }
        Ok(row)
    }

    /// Checks the certificates an exam result names against the enforcement register.
    async fn rule_of_law_certificates(&self, entries: &[(u32, &Entry)]) -> ServiceResult<Vec<RowProblem>> {
        let named: Vec<(u32, &str)> =
            entries.iter().map(|(row, e)| (*row, e.value("certificate_no"))).filter(|(_, c)| !c.is_empty()).collect();
        if named.is_empty() {
            return Ok(Vec::new());
        }
        let known: BTreeSet<String> =
            self.store.enforcement_officers(None).await?.into_iter().map(|o| o.officer.certificate_no).collect();
        Ok(named
            .into_iter()
            .filter(|(_, c)| !known.contains(*c))
            .map(|(row, c)| RowProblem {
                row,
                problem: FieldError::new(
                    "certificate_no",
                    "certificate_not_registered",
                    format!("执法证号“{c}”不在执法人员名录中"),
                ),
            })
            .collect())
    }

    fn rule_of_law_event(&self, actor: &Actor, act: &str, id: i64, entry: &Entry) -> EventDraft {
        EventDraft::new(
            rules::STREAM,
            actor.label(),
            act,
            json!({ "record": id, "register": entry.register.as_str(), "label": entry.label() }),
        )
        .in_division(entry.division.to_string())
    }

    /// Adds a record (from the page form or the API).
    pub async fn rule_of_law_add(&self, actor: &Actor, register: Register, input: &RecordInput) -> ServiceResult<i64> {
        self.rule_of_law_scope(actor, Permission::WriteRuleOfLaw)?;
        let entry = parse(register, input).map_err(ServiceError::invalid)?;
        self.authorize(actor, Permission::WriteRuleOfLaw, &entry.division)?;
        let problems = self.rule_of_law_certificates(&[(0, &entry)]).await?;
        if !problems.is_empty() {
            return Err(ServiceError::invalid(problems.into_iter().map(|p| p.problem).collect()));
        }
        let ids = self
            .store
            .rule_of_law_add(std::slice::from_ref(&entry), actor.account_id, self.now(), |id, e| {
                self.rule_of_law_event(actor, "rule_of_law.recorded", id, e)
            })
            .await
            .map_err(store_error)?;
        ids.into_iter().next().ok_or_else(|| ServiceError::internal("rule_of_law: no id"))
    }

    /// Changes a record under the revision the caller read (its register does not change).
    pub async fn rule_of_law_change(
        &self,
        actor: &Actor,
        id: i64,
        expected_revision: i64,
        input: &RecordInput,
    ) -> ServiceResult<RecordRow> {
        let row = self.store.rule_of_law_record(id).await.map_err(store_error)?;
        self.authorize(actor, Permission::WriteRuleOfLaw, &row.entry.division)?;
        let entry = parse(row.entry.register, input).map_err(ServiceError::invalid)?;
        self.authorize(actor, Permission::WriteRuleOfLaw, &entry.division)?;
        let problems = self.rule_of_law_certificates(&[(0, &entry)]).await?;
        if !problems.is_empty() {
            return Err(ServiceError::invalid(problems.into_iter().map(|p| p.problem).collect()));
        }
        let event = self.rule_of_law_event(actor, "rule_of_law.changed", id, &entry);
        self.store.rule_of_law_change(id, expected_revision, &entry, self.now(), &event).await.map_err(store_error)?;
        self.store.rule_of_law_record(id).await.map_err(store_error)
    }

    /// Imports the rows of a workbook, each (its sheet row number, its values by field key):
    /// every row is checked as the form checks it, and one problem anywhere imports nothing.
    /// A row outside the caller's jurisdiction is a problem of its division.
    pub async fn rule_of_law_import(
        &self,
        actor: &Actor,
        register: Register,
        rows: &[(u32, RecordInput)],
    ) -> ServiceResult<ImportOutcome> {
        self.rule_of_law_scope(actor, Permission::WriteRuleOfLaw)?;
        if rows.len() > MAX_IMPORT_ROWS {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "import_too_many_rows",
                format!("一次最多导入{MAX_IMPORT_ROWS}行"),
            ));
        }
        if rows.is_empty() {
            return Err(ServiceError::new(ErrorKind::Invalid, "import_no_rows", "工作簿中没有数据行"));
        }
        let mut problems = Vec::new();
        let mut entries = Vec::new();
        for (row, input) in rows {
            match parse(register, input) {
                Ok(entry) => {
                    if actor.may(Permission::WriteRuleOfLaw, &entry.division, self.divisions()) {
                        entries.push((*row, entry));
                    } else {
                        problems.push(RowProblem {
                            row: *row,
                            problem: FieldError::new("division", "forbidden", "该行政区划不在您的管辖范围内"),
                        });
                    }
                }
                Err(errs) => problems.extend(errs.into_iter().map(|problem| RowProblem { row: *row, problem })),
            }
        }
        let refs: Vec<(u32, &Entry)> = entries.iter().map(|(r, e)| (*r, e)).collect();
        problems.extend(self.rule_of_law_certificates(&refs).await?);
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.row);
            return Ok(ImportOutcome::Refused(problems));
        }
        let entries: Vec<Entry> = entries.into_iter().map(|(_, e)| e).collect();
        let ids = self
            .store
            .rule_of_law_add(&entries, actor.account_id, self.now(), |id, e| {
                self.rule_of_law_event(actor, "rule_of_law.imported", id, e)
            })
            .await
            .map_err(store_error)?;
        Ok(ImportOutcome::Imported(ids))
    }

    /// What the annual report of `year` reads from the registers, inside the caller's
    /// jurisdiction: per register, the records that count in the year; and the officers of the
    /// enforcement register whose credential was valid on some day of it.
    pub async fn rule_of_law_year(&self, actor: &Actor, year: i32) -> ServiceResult<RuleOfLawYear> {
        check_year(year)?;
        let scope = self.rule_of_law_readable(actor)?;
        let rows = self.store.rule_of_law_records(None, &scope).await?;
        let registers = Register::ALL
            .into_iter()
            .map(|register| {
                let records = rows
                    .iter()
                    .filter(|r| r.entry.register == register && r.entry.in_year(year))
                    .filter(|r| self.rule_of_law_may(actor, Permission::ReadRuleOfLaw, &r.entry.division))
                    .map(|r| YearRecord {
                        id: r.id,
                        date: r.entry.date,
                        label: r.entry.label(),
                        division: r.entry.division.to_string(),
                        href: record_href(r.id),
                    })
                    .collect();
                (register, records)
            })
            .collect();
        let credentials = self
            .store
            .enforcement_officers(Some(&scope))
            .await?
            .into_iter()
            .filter(|o| {
                DivisionCode::parse(&o.division)
                    .is_ok_and(|d| self.rule_of_law_may(actor, Permission::ReadRuleOfLaw, &d))
            })
            .filter(|o| {
                let o = &o.officer;
                !o.suspended && o.valid_from.year() <= year && o.valid_until.year() >= year
            })
            .map(|o| CredentialHolder {
                officer_id: o.officer.id,
                name: o.officer.name,
                certificate_no: o.officer.certificate_no,
                valid_from: o.officer.valid_from,
                valid_until: o.officer.valid_until,
            })
            .collect();
        Ok(RuleOfLawYear { year, registers, credentials })
    }
}
