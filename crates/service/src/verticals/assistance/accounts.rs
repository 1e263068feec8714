//! The payee's account (收款账户) of an assistance application, and how the payment roll shows
//! it: entered with the application (the JSON API and the case page's form both fill
//! `ApplicationInput`, parsed here once by domain::assistance::account::parse_account),
//! stored SM4-encrypted (store::payee_accounts), shown masked like ID numbers, in full only to a
//! reader holding `ReadPersonFull` at the roll's division (that reading is the `person.read_full`
//! event the roll already records for the line's payee).

use domain::assistance::account::{parse_account, AccountKind, PayeeAccount};
use domain::problem::FieldError;
use serde_json::{json, Value};
use store::payee_accounts::NewPayeeAccount;

use crate::assistance::ApplicationInput;
use crate::{App, ServiceResult};

/// The account entered with an application, problems pushed to `p`.
pub(crate) fn parse_input(input: &ApplicationInput, p: &mut Vec<FieldError>) -> Option<PayeeAccount> {
    match parse_account(input.account_kind.as_deref(), input.account_bank.as_deref(), input.account_number.as_deref()) {
        Ok(account) => account,
        Err(problems) => {
            p.extend(problems);
            None
        }
    }
}

/// The account in an event's payload: its kind, bank and masked number only.
pub(crate) fn describe(payload: &mut Value, account: Option<&PayeeAccount>) {
    if let Some(a) = account {
        payload["payee_account"] = json!({
            "kind": a.kind.as_str(),
            "bank": a.bank,
            "number_masked": domain::assistance::account::mask_account(&a.number),
        });
    }
}

pub(crate) fn new_account<'a>(
    payee: i64,
    case_id: i64,
    account: &'a PayeeAccount,
    masked: &'a str,
) -> NewPayeeAccount<'a> {
    NewPayeeAccount {
        person_id: payee,
        kind: account.kind.as_str(),
        bank: &account.bank,
        number: &account.number,
        number_masked: masked,
        case_id: Some(case_id),
    }
}

/// An account entered now as the case page shows it once on record: "<kind> <bank> <masked>".
pub(crate) fn described(account: Option<&PayeeAccount>, masked: &str) -> String {
    match account {
        Some(a) => format!("{} {} {masked}", a.kind.name_zh(), a.bank),
        None => masked.to_string(),
    }
}

/// A payee's account as a roll line shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub kind: String,
    pub kind_name: String,
    pub bank: String,
    /// Masked, or in full for a reader with full access.
    pub number: String,
}

impl App {
    /// The payee's account on record as one masked line, for the case page.
    pub(crate) async fn masked_account(&self, payee: i64) -> ServiceResult<Option<String>> {
        Ok(self.roll_account(payee, false).await?.map(|a| format!("{} {} {}", a.kind_name, a.bank, a.number)))
    }

    /// The payee's account for a roll line: masked, or in full when `full`.
    pub(crate) async fn roll_account(&self, payee: i64, full: bool) -> ServiceResult<Option<AccountView>> {
        let Some(row) = self.store.payee_account(payee).await? else { return Ok(None) };
        let number =
            if full { store::payee_accounts::open_number(&self.keys, &row)? } else { row.number_masked.clone() };
        let kind = AccountKind::parse(&row.kind);
        Ok(Some(AccountView {
            kind_name: kind.map(AccountKind::name_zh).unwrap_or_default().to_string(),
            kind: row.kind,
            bank: row.bank,
            number,
        }))
    }
}
