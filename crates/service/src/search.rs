//! 办件查询 for staff: by case number, by the applicant's ID number (looked up by its keyed
//! hash, never decrypted) or by the applicant's exact name. The results are cut to the cases
//! the caller may see (the same test as opening a case), and every search is recorded
//! (`case.search` on the searcher's account stream) with the query masked. A case outside the
//! caller's jurisdiction is not found, by number as by name: never a refusal that would confirm
//! the number exists.

use domain::access::Actor;
use domain::audit::EventDraft;
use domain::person::mask_name;
use serde_json::json;
use store::persons::Scope;
use store::StoreError;

use crate::cases::CaseView;
use crate::{case_json, App, ErrorKind, ServiceError, ServiceResult};

/// The most cases a search shows.
pub const SEARCH_LIMIT: i64 = 50;

/// What the query was taken to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKind {
    /// 办件编号 `511700-2021-000001`.
    Number,
    /// 公民身份号码 (18 characters).
    IdNumber,
    /// 申请人姓名 (exact).
    Name,
}

impl SearchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Number => "number",
            SearchKind::IdNumber => "id_number",
            SearchKind::Name => "name",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            SearchKind::Number => "办件编号",
            SearchKind::IdNumber => "公民身份号码",
            SearchKind::Name => "申请人姓名",
        }
    }
}

/// Which kind of query `text` is (already trimmed); None when it can be none of them.
pub fn classify(text: &str) -> Option<SearchKind> {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if parts.len() == 3 && (digits(parts[0], 6) || digits(parts[0], 9)) && digits(parts[1], 4) && digits(parts[2], 6) {
        return Some(SearchKind::Number);
    }
    let bytes = text.as_bytes();
    if bytes.len() == 18
        && bytes[..17].iter().all(u8::is_ascii_digit)
        && (bytes[17].is_ascii_digit() || bytes[17] == b'X' || bytes[17] == b'x')
    {
        return Some(SearchKind::IdNumber);
    }
    let n = text.chars().count();
    if (1..=30).contains(&n) && !text.chars().any(|c| c.is_ascii_digit() || c.is_control()) {
        return Some(SearchKind::Name);
    }
    None
}

/// The query as the record keeps it: an ID number or a name masked.
fn masked_query(kind: SearchKind, text: &str) -> String {
    match kind {
        SearchKind::Number => text.to_string(),
        SearchKind::IdNumber => domain::idcard::mask_id_text(text),
        SearchKind::Name => mask_name(text),
    }
}

impl App {
    /// Searches the cases the caller may see; the search is recorded whatever it finds.
    pub async fn search_cases(&self, actor: &Actor, text: &str) -> ServiceResult<(SearchKind, Vec<CaseView>)> {
        let text = text.trim();
        let staff: Vec<String> = actor
            .grants
            .iter()
            .filter(|g| !matches!(g.role, domain::access::Role::Citizen | domain::access::Role::Admin))
            .map(|g| g.division.to_string())
            .collect();
        if staff.is_empty() {
            return Err(ServiceError::forbidden());
        }
        let kind = classify(text).ok_or_else(|| {
            ServiceError::new(
                ErrorKind::Invalid,
                "unrecognized_search",
                "请输入办件编号（例如 511700-2021-000001）、18位公民身份号码或申请人姓名",
            )
            .with_field("q")
        })?;
        let scope = Scope(staff);
        let rows = match kind {
            SearchKind::Number => match self.store.case_by_number(text).await {
                Ok(row) => vec![row],
                Err(StoreError::NotFound) => Vec::new(),
                Err(other) => return Err(other.into()),
            },
            SearchKind::IdNumber => {
                let person = self.store.person_id_by_id_number(&self.keys, &text.to_ascii_uppercase()).await?;
                self.store.cases_of_applicants(&scope, &person.into_iter().collect::<Vec<_>>(), SEARCH_LIMIT).await?
            }
            SearchKind::Name => {
                let persons = self.store.person_ids_by_name(text, SEARCH_LIMIT).await?;
                self.store.cases_of_applicants(&scope, &persons, SEARCH_LIMIT).await?
            }
        };
        let mut views = Vec::new();
        for row in rows {
            let stored = case_json::from_json(&row.state).map_err(ServiceError::internal)?;
            if !self.may_see(actor, &stored) {
                // A number outside the jurisdiction reads exactly as an unknown one: numbers run
                // in sequence per county and year, so a refusal would let staff count another
                // county's cases by probing. Logged, for whoever reviews the logs.
                tracing::warn!(actor.id = actor.account_id, "case search outside the jurisdiction");
                continue;
            }
            let Some(item) = self.catalog.get(&stored.case.item_slug, stored.case.item_version) else { continue };
            views.push(self.view(Some(actor), &stored, item).await?);
        }
        let event = EventDraft::new(
            format!("account:{}", actor.account_id),
            actor.label(),
            "case.search",
            json!({"kind": kind.as_str(), "query": masked_query(kind, text), "found": views.len()}),
        );
        self.store.record(&event, self.now()).await?;
        Ok((kind, views))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_told_apart() {
        assert_eq!(classify("511700-2021-000001"), Some(SearchKind::Number));
        assert_eq!(classify("511702001-2021-000001"), Some(SearchKind::Number));
        assert_eq!(classify("51170219800101001X"), Some(SearchKind::IdNumber));
        assert_eq!(classify("511702198001010011"), Some(SearchKind::IdNumber));
        assert_eq!(classify("王小明"), Some(SearchKind::Name));
        assert_eq!(classify("欧阳 娜娜"), Some(SearchKind::Name));
        assert_eq!(classify("5117-2021-1"), None);
        assert_eq!(classify("51170219800101001"), None, "17 digits");
        assert_eq!(classify(""), None);
        assert_eq!(classify("张3"), None);
    }

    #[test]
    fn the_record_keeps_the_query_masked() {
        assert_eq!(masked_query(SearchKind::IdNumber, "51170219800101001X"), "5117**************");
        assert_eq!(masked_query(SearchKind::Name, "王小明"), "王**");
        assert_eq!(masked_query(SearchKind::Number, "511700-2021-000001"), "511700-2021-000001");
    }
}
