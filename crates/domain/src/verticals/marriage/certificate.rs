//! Certificate numbers, in one place: prefix + the registry's 6-digit 区划代码 + `-` + 4-digit
//! year + `-` + 6-digit yearly sequence, e.g. `J511702-2021-000123` (民法典婚姻家庭编; 婚姻登记条例; normative
//! source [`crate::marriage::basis::CERTIFICATE_FORMAT`], article unconfirmed). The sequence comes from a
//! counter per office and year; above 999,999 it keeps all its digits.

use crate::division::DivisionCode;

/// Which certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertificateKind {
    /// 结婚证: `J`.
    Marriage,
    /// 离婚证: `L`.
    Divorce,
    /// 补发结婚证: `BJ`.
    MarriageReissue,
    /// 补发离婚证: `BL`.
    DivorceReissue,
}

impl CertificateKind {
    pub const ALL: [CertificateKind; 4] = [
        CertificateKind::Marriage,
        CertificateKind::Divorce,
        CertificateKind::MarriageReissue,
        CertificateKind::DivorceReissue,
    ];

    pub fn prefix(self) -> &'static str {
        match self {
            CertificateKind::Marriage => "J",
            CertificateKind::Divorce => "L",
            CertificateKind::MarriageReissue => "BJ",
            CertificateKind::DivorceReissue => "BL",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CertificateKind::Marriage => "marriage",
            CertificateKind::Divorce => "divorce",
            CertificateKind::MarriageReissue => "marriage_reissue",
            CertificateKind::DivorceReissue => "divorce_reissue",
        }
    }

    pub fn parse(s: &str) -> Option<CertificateKind> {
        CertificateKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            CertificateKind::Marriage => "结婚证",
            CertificateKind::Divorce => "离婚证",
            CertificateKind::MarriageReissue => "结婚证（补发）",
            CertificateKind::DivorceReissue => "离婚证（补发）",
        }
    }
}

/// The certificate number. The office code is the registry's county-level 6 digits (a township
/// registry's 9-digit code is cut to its county).
pub fn certificate_number(kind: CertificateKind, office: &DivisionCode, year: i32, seq: u64) -> String {
    let office6: String = office.as_str().chars().take(6).collect();
    format!("{}{office6}-{year:04}-{seq:06}", kind.prefix())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    #[test]
    fn numbers() {
        assert_eq!(certificate_number(CertificateKind::Marriage, &code("511702"), 2021, 123), "J511702-2021-000123");
        assert_eq!(certificate_number(CertificateKind::Divorce, &code("511702"), 2025, 1), "L511702-2025-000001");
        assert_eq!(
            certificate_number(CertificateKind::MarriageReissue, &code("511702001"), 2025, 7),
            "BJ511702-2025-000007"
        );
        assert_eq!(
            certificate_number(CertificateKind::DivorceReissue, &code("511703"), 2026, 1_000_000),
            "BL511703-2026-1000000"
        );
        for kind in CertificateKind::ALL {
            assert_eq!(CertificateKind::parse(kind.as_str()), Some(kind));
        }
    }
}
