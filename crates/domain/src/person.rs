//! A person's record as the domain sees it: parsed name, ID number, phone and address, and the
//! masking rules for every view that is not the person's own full record (design.md §6).

use chrono::NaiveDate;

use crate::division::{DivisionCode, Divisions};
use crate::idcard::{parse_id, IdInfo, RegionHistory};
use crate::problem::{text_field, FieldError};

/// A phone number: a mainland mobile (11 digits starting 1[3-9]) or a fixed line written
/// as digits with an optional area-code dash (e.g. `0818-2123456`).
#[derive(Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Phone, FieldError> {
        let s: String = input.trim().chars().filter(|c| *c != ' ').collect();
        let mobile = s.len() == 11
            && s.starts_with('1')
            && matches!(s.as_bytes()[1], b'3'..=b'9')
            && s.bytes().all(|b| b.is_ascii_digit());
        let fixed = {
            let parts: Vec<&str> = s.split('-').collect();
            let digits_ok = parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            let total: usize = parts.iter().map(|p| p.len()).sum();
            digits_ok && parts.len() <= 3 && (7..=16).contains(&total) && s.starts_with('0')
        };
        if mobile || fixed {
            Ok(Phone(s))
        } else {
            Err(FieldError::new(
                "phone",
                "invalid_phone",
                "电话号码格式不正确：手机号应为11位数字，固定电话如 0818-2123456",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

impl std::fmt::Debug for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

/// `13812345678` → `138****5678`; other lengths keep the first 3 and last 4 when long enough.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// Masks a name for public pages: 张三 → 张*, 欧阳娜娜 → 欧***.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

/// The raw input for a new person record, as it arrives from a form or the API.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub name: String,
    pub id_number: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// The division the record belongs to (户籍地 or residence); jurisdiction follows it.
    pub division: String,
}

/// A person record built only from parsed parts.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub id: IdInfo,
    pub phone: Option<Phone>,
    pub address: String,
    pub division: DivisionCode,
}

impl NewPerson {
    /// Parses every field and returns every problem at once.
    pub fn parse(
        input: &PersonInput,
        today: NaiveDate,
        regions: &RegionHistory,
        divisions: &Divisions,
    ) -> Result<NewPerson, Vec<FieldError>> {
        let mut problems = Vec::new();
        let name = text_field("name", &input.name, 50, true).map_err(|e| problems.push(e)).ok();
        let id = parse_id(&input.id_number, today, regions)
            .map_err(|e| problems.push(FieldError::new("id_number", id_field_code(e.code()), e.to_string())))
            .ok();
        let phone = match input.phone.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(p) => Phone::parse(p).map(Some).map_err(|e| problems.push(e)).ok(),
        };
        let address = text_field("address", input.address.as_deref().unwrap_or(""), 200, false)
            .map_err(|e| problems.push(e))
            .ok();
        let division = match DivisionCode::parse(input.division.trim()) {
            Ok(code) if divisions.get(&code).is_some() => Some(code),
            _ => {
                problems.push(FieldError::new(
                    "division",
                    "unknown_division",
                    format!("行政区划代码“{}”不存在", input.division.trim()),
                ));
                None
            }
        };
        match (name, id, phone, address, division) {
            (Some(name), Some(id), Some(phone), Some(address), Some(division)) if problems.is_empty() => {
                Ok(NewPerson { name, id, phone, address, division })
            }
            _ => Err(problems),
        }
    }
}

/// The stable API code for an ID-number refusal: `id_` + the reason of `minzheng idcard check`.
pub fn id_field_code(reason: &str) -> &'static str {
    match reason {
        "length" => "id_length",
        "chars" => "id_chars",
        "checksum" => "id_checksum",
        "date" => "id_date",
        _ => "id_region",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_parse_and_mask() {
        assert_eq!(Phone::parse("13812345678").unwrap().masked(), "138****5678");
        assert_eq!(Phone::parse(" 138 1234 5678 ").unwrap().as_str(), "13812345678");
        assert!(Phone::parse("0818-2123456").is_ok());
        assert!(Phone::parse("12812345678").is_err());
        assert!(Phone::parse("1381234567").is_err());
        assert!(Phone::parse("<script>").is_err());
        assert_eq!(format!("{:?}", Phone::parse("13812345678").unwrap()), "Phone(138****5678)");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
    }

    #[test]
    fn new_person_reports_every_problem() {
        let input = PersonInput {
            name: " ".into(),
            id_number: "51170219400101170X".into(),
            phone: Some("123".into()),
            address: None,
            division: "999999".into(),
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let problems = NewPerson::parse(&input, today, RegionHistory::builtin(), Divisions::builtin()).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["name", "id_number", "phone", "division"]);
    }

    #[test]
    fn new_person_accepts_a_valid_record() {
        let input = PersonInput {
            name: "张三".into(),
            id_number: "511702194001011706".into(),
            phone: Some("13812345678".into()),
            address: Some("通川区朝阳路1号".into()),
            division: "511702001".into(),
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let person = NewPerson::parse(&input, today, RegionHistory::builtin(), Divisions::builtin()).unwrap();
        assert_eq!(person.id.number.masked(), "5117**************");
        assert_eq!(person.division.as_str(), "511702001");
    }
}
