//! Person records. ID and phone numbers are stored SM4-encrypted, with a keyed hash for exact
//! lookup and a masked copy for lists; plain text never reaches a column.

use chrono::{DateTime, Utc};
use domain::audit::EventDraft;
use domain::person::NewPerson;
use sqlx::Row;

use crate::audit::append;
use crate::crypto::Keys;
use crate::{Store, StoreError, StoreResult};

/// A person as lists show it: masked identifiers only.
#[derive(Debug, Clone)]
pub struct PersonSummary {
    pub id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub phone_masked: Option<String>,
    pub birth_date: String,
    pub sex: String,
    pub address: String,
    pub division: String,
    pub created_at_ms: i64,
    /// The date of death on record, whichever way it was recorded: from its source document
    /// (the registry's `death` row) or stated in a household version (the member row); the
    /// registry's date first.
    pub died_on: Option<String>,
}

/// The full record: identifiers decrypted. Producing one is an event.
#[derive(Debug, Clone)]
pub struct PersonFull {
    pub summary: PersonSummary,
    pub id_number: String,
    pub phone: Option<String>,
}

const COLUMNS: &str =
    "id, name, id_number_masked, phone_masked, birth_date, sex, address, division_code, created_at_ms, \
     COALESCE((SELECT MIN(d.on_date) FROM marital_registrations d WHERE d.kind = 'death' AND d.person_a = persons.id), \
     (SELECT MIN(m.died_on) FROM assistance_household_members m WHERE m.person_id = persons.id)) AS died_on";

fn summary_from_row(row: &sqlx::any::AnyRow) -> StoreResult<PersonSummary> {
    Ok(PersonSummary {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        id_number_masked: row.try_get(2)?,
        phone_masked: row.try_get(3)?,
        birth_date: row.try_get(4)?,
        sex: row.try_get(5)?,
        address: row.try_get(6)?,
        division: row.try_get(7)?,
        created_at_ms: row.try_get(8)?,
        died_on: row.try_get(9)?,
    })
}

/// A filter on the jurisdiction: division codes whose subtrees are visible. The codes of a
/// subtree share the code prefix of its root in GB/T 2260 and the NBS township scheme
/// (`511702` → `511702001`), which is what the index serves; `service` checks the tree as well.
#[derive(Debug, Clone)]
pub struct Scope(pub Vec<String>);

impl Scope {
    /// SQL `(division_code LIKE $k || '%' OR …)`, binding from placeholder number `first`.
    pub(crate) fn clause(&self, column: &str, first: usize) -> String {
        if self.0.is_empty() {
            return "1 = 0".into();
        }
        let parts: Vec<String> = (0..self.0.len()).map(|i| format!("{column} LIKE ${}", first + i)).collect();
        format!("({})", parts.join(" OR "))
    }

    pub(crate) fn patterns(&self) -> impl Iterator<Item = String> + '_ {
        self.0.iter().map(|code| format!("{}%", prefix_of(code)))
    }
}

/// The code prefix shared by a division's subtree: `510000` → `51`, `511700` → `5117`.
pub fn prefix_of(code: &str) -> &str {
    if code.len() == 6 && code.ends_with("0000") {
        &code[..2]
    } else if code.len() == 6 && code.ends_with("00") {
        &code[..4]
    } else {
        code
    }
}

/// Inserts a person's record in `tx` (the caller appends its event): the one statement a person is
/// written by, alone (`Store::create_person`) or with what it belongs to (a household's members).
pub(crate) async fn insert_person(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    keys: &Keys,
    person: &NewPerson,
    created_by: i64,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let id_number = person.id.number.as_str();
    let id_hash = keys.lookup_hash("id_number", id_number);
    let ms = at.timestamp_millis();
    let id: i64 = sqlx::query_scalar(
            "INSERT INTO persons (name, id_number_enc, id_number_hash, id_number_masked, birth_date, sex, phone_enc, phone_hash, phone_masked, \
             address, division_code, created_by, created_at_ms, updated_at_ms, id_number_tail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) RETURNING id",
        )
        .bind(&person.name)
        .bind(keys.encrypt("id_number", id_number))
        .bind(&id_hash)
        .bind(person.id.number.masked())
        .bind(person.id.birth_date.to_string())
        .bind(person.id.sex.as_str())
        .bind(person.phone.as_ref().map(|p| keys.encrypt("phone", p.as_str())))
        .bind(person.phone.as_ref().map(|p| keys.lookup_hash("phone", p.as_str())))
        .bind(person.phone.as_ref().map(|p| p.masked()))
        .bind(&person.address)
        .bind(person.division.as_str())
        .bind(created_by)
        .bind(ms)
        .bind(person.id.number.tail())
        .fetch_one(&mut **tx)
        .await
        .map_err(StoreError::from)?;
    Ok(id)
}

impl Store {
    /// Inserts a person and records `person.create` (with masked fields only) in one
    /// transaction. A person already on file (same ID number) is a conflict naming its id.
    pub async fn create_person(
        &self,
        keys: &Keys,
        person: &NewPerson,
        created_by: i64,
        at: DateTime<Utc>,
        event: impl FnOnce(i64) -> EventDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id = insert_person(&mut tx, keys, person, created_by, at).await?;
        append(&mut tx, self.backend, &event(id), at).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn person_id_by_id_number(&self, keys: &Keys, id_number: &str) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM persons WHERE id_number_hash = $1")
            .bind(keys.lookup_hash("id_number", id_number))
            .fetch_optional(&self.reads)
            .await?)
    }

    /// The last 4 characters of a person's ID number, for the applicant's check on the public
    /// progress page only (never shown).
    pub async fn person_id_tail(&self, id: i64) -> StoreResult<Option<String>> {
        let tail: Option<Option<String>> = sqlx::query_scalar("SELECT id_number_tail FROM persons WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.reads)
            .await?;
        Ok(tail.flatten())
    }

    /// The keyed hash of a person's ID number as stored for look-ups: binds the number (a
    /// printed certificate's digest) without decrypting it.
    pub async fn person_id_number_hash(&self, id: i64) -> StoreResult<String> {
        sqlx::query_scalar("SELECT id_number_hash FROM persons WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn person_summary(&self, id: i64) -> StoreResult<PersonSummary> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM persons WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.reads)
            .await?
            .ok_or(StoreError::NotFound)?;
        summary_from_row(&row)
    }

    /// Decrypts a person's record and records the reading (`person.read_full`) first: no
    /// full view without its event.
    pub async fn person_full(
        &self,
        keys: &Keys,
        id: i64,
        at: DateTime<Utc>,
        event: &EventDraft,
    ) -> StoreResult<PersonFull> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS}, id_number_enc, phone_enc FROM persons WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let summary = summary_from_row(&row)?;
        let id_number = keys.decrypt("id_number", &row.try_get::<String, _>(10)?)?;
        let phone = row.try_get::<Option<String>, _>(11)?.map(|p| keys.decrypt("phone", &p)).transpose()?;
        append(&mut tx, self.backend, event, at).await?;
        tx.commit().await?;
        Ok(PersonFull { summary, id_number, phone })
    }

    /// Persons inside the scope, newest first, optionally by exact ID-number hash or name.
    pub async fn persons(
        &self,
        scope: &Scope,
        name: Option<&str>,
        id_hash: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<PersonSummary>> {
        let mut sql = format!("SELECT {COLUMNS} FROM persons WHERE {}", scope.clause("division_code", 1));
        let mut n = scope.0.len() + 1;
        if name.is_some() {
            sql.push_str(&format!(" AND name = ${n}"));
            n += 1;
        }
        if id_hash.is_some() {
            sql.push_str(&format!(" AND id_number_hash = ${n}"));
            n += 1;
        }
        sql.push_str(&format!(" ORDER BY id DESC LIMIT ${} OFFSET ${}", n, n + 1));
        let mut query = sqlx::query(&sql);
        for pattern in scope.patterns() {
            query = query.bind(pattern);
        }
        if let Some(name) = name {
            query = query.bind(name.to_string());
        }
        if let Some(hash) = id_hash {
            query = query.bind(hash.to_string());
        }
        let rows = query.bind(limit).bind(offset).fetch_all(&self.reads).await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// Every stored value of the personal columns, for the tests that prove no plaintext is kept.
    pub async fn raw_person_columns(&self) -> StoreResult<Vec<String>> {
        let rows = sqlx::query("SELECT name, id_number_enc, id_number_hash, id_number_masked, COALESCE(phone_enc, ''), COALESCE(phone_masked, ''), address FROM persons")
            .fetch_all(&self.reads)
            .await?;
        let mut out = Vec::new();
        for row in rows {
            for i in 0..7 {
                out.push(row.try_get::<String, _>(i)?);
            }
        }
        Ok(out)
    }
}
