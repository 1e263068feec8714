//! The account a benefit is paid into (发放花名册 → the paying bank): a bank card (银行卡) or the
//! financial account of a 社会保障卡 (社保卡金融账户, itself a bank card number issued with the
//! card). Benefits are paid monthly through a social payment channel, 一卡通 or 社保卡 (domain
//! rules for 两项补贴 and 社会救助: "bank/社保卡 details" among the application's materials).
//!
//! A card number (PAN) is 16 to 19 digits ending in a Luhn check digit (ISO/IEC 7812-1, the
//! numbering the 银联 cards issued in China follow). Shown masked like an ID number — the first 4
//! and the last 4 digits — fewer than the most JR/T 0171-2020 (个人金融信息保护技术规范) allows to
//! be shown (the first 6 and the last 4).

use crate::problem::FieldError;

/// The kind of account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    /// 银行卡 (借记卡).
    BankCard,
    /// 社会保障卡金融账户.
    SocialSecurityCard,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::BankCard => "bank_card",
            AccountKind::SocialSecurityCard => "social_security_card",
        }
    }

    pub fn parse(s: &str) -> Option<AccountKind> {
        match s.trim() {
            "bank_card" => Some(AccountKind::BankCard),
            "social_security_card" => Some(AccountKind::SocialSecurityCard),
            _ => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            AccountKind::BankCard => "银行卡",
            AccountKind::SocialSecurityCard => "社会保障卡",
        }
    }
}

/// A payee's account as entered and checked.
#[derive(Clone, PartialEq, Eq)]
pub struct PayeeAccount {
    pub kind: AccountKind,
    /// The bank that holds the account (开户银行), e.g. 中国农业银行达州分行.
    pub bank: String,
    /// Digits only.
    pub number: String,
}

impl std::fmt::Debug for PayeeAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PayeeAccount")
            .field("kind", &self.kind)
            .field("bank", &self.bank)
            .field("number", &mask_account(&self.number))
            .finish()
    }
}

/// The longest bank name kept.
const BANK_MAX_CHARS: usize = 50;

/// True when the digits end in a valid Luhn check digit (ISO/IEC 7812-1 Annex B).
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 {
                    twice - 9
                } else {
                    twice
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The number shown without full access: the first 4 and the last 4 digits.
pub fn mask_account(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

fn given(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

/// Parses an account as entered: all three parts given, or none (`Ok(None)`). Spaces and
/// hyphens people type between groups of digits are dropped. Every problem at once, on
/// `account_kind`, `account_bank`, `account_number`.
pub fn parse_account(
    kind: Option<&str>,
    bank: Option<&str>,
    number: Option<&str>,
) -> Result<Option<PayeeAccount>, Vec<FieldError>> {
    let (kind, bank, number) = (given(kind), given(bank), given(number));
    if kind.is_none() && bank.is_none() && number.is_none() {
        return Ok(None);
    }
    let mut p = Vec::new();
    let parsed_kind = match kind {
        None => {
            p.push(FieldError::new(
                "account_kind",
                "account_kind_required",
                "请选择收款账户类型（银行卡或社会保障卡）",
            ));
            None
        }
        Some(k) => {
            let parsed = AccountKind::parse(k);
            if parsed.is_none() {
                p.push(FieldError::new(
                    "account_kind",
                    "invalid_account_kind",
                    "收款账户类型无效（bank_card 银行卡、social_security_card 社会保障卡）",
                ));
            }
            parsed
        }
    };
    let bank = bank.unwrap_or("");
    if bank.is_empty() {
        p.push(FieldError::new("account_bank", "account_bank_required", "请填写开户银行"));
    } else if bank.chars().count() > BANK_MAX_CHARS || bank.chars().any(char::is_control) {
        p.push(FieldError::new(
            "account_bank",
            "invalid_account_bank",
            format!("开户银行不超过{BANK_MAX_CHARS}字，且不能含控制字符"),
        ));
    }
    let digits: String = number.unwrap_or("").chars().filter(|c| *c != ' ' && *c != '-').collect();
    if digits.is_empty() {
        p.push(FieldError::new("account_number", "account_number_required", "请填写收款账号"));
    } else if !digits.bytes().all(|b| b.is_ascii_digit()) || !(16..=19).contains(&digits.len()) {
        p.push(FieldError::new("account_number", "invalid_account_number", "收款账号应为16至19位数字"));
    } else if !luhn_valid(&digits) {
        p.push(FieldError::new(
            "account_number",
            "account_number_check",
            "收款账号校验位不符（请核对卡号，可能有数字录错）",
        ));
    }
    match parsed_kind {
        Some(kind) if p.is_empty() => Ok(Some(PayeeAccount { kind, bank: bank.to_string(), number: digits })),
        _ => Err(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_valid_card_numbers_and_catches_one_wrong_digit() {
        // Published test numbers of the card schemes.
        assert!(luhn_valid("6228480402564890018"));
        assert!(luhn_valid("4111111111111111"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid("6228480402564890017"));
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("41111111111111a1"));
    }

    #[test]
    fn an_account_is_all_three_parts_or_none() {
        assert_eq!(parse_account(None, Some(" "), None), Ok(None));
        let ok = parse_account(Some("bank_card"), Some("中国农业银行达州分行"), Some("6228 4804 0256 4890 018"))
            .unwrap()
            .unwrap();
        assert_eq!(ok.number, "6228480402564890018");
        assert_eq!(ok.kind, AccountKind::BankCard);
        let codes = |r: Result<Option<PayeeAccount>, Vec<FieldError>>| -> Vec<&'static str> {
            r.unwrap_err().into_iter().map(|e| e.code).collect()
        };
        assert_eq!(
            codes(parse_account(None, None, Some("6228480402564890018"))),
            vec!["account_kind_required", "account_bank_required"]
        );
        assert_eq!(
            codes(parse_account(Some("cash"), Some("农行"), Some("6228480402564890017"))),
            vec!["invalid_account_kind", "account_number_check"]
        );
        assert_eq!(
            codes(parse_account(Some("bank_card"), Some("农行"), Some("123456"))),
            vec!["invalid_account_number"]
        );
        assert_eq!(
            codes(parse_account(Some("social_security_card"), Some("农\u{1b}行"), Some("4111111111111111"))),
            vec!["invalid_account_bank"]
        );
    }

    #[test]
    fn the_number_is_masked_like_an_id_number() {
        assert_eq!(mask_account("6228480402564890018"), "6228***********0018");
        assert_eq!(mask_account("12345678"), "********");
        let account =
            PayeeAccount { kind: AccountKind::BankCard, bank: "农行".into(), number: "6228480402564890018".into() };
        assert!(!format!("{account:?}").contains("6228480402564890018"));
    }
}
