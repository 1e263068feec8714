//! The 统一社会信用代码 the registration authority gives an organization it registers (GB
//! 32100-2015): `5` (民政), the type's 机构类别码, the authority's 6-digit division, a 9-character
//! 主体标识码 and the check character. The 主体标识码 is `MJ` and a 6-digit sequence with its GB
//! 11714-1997 check character: the shape of the codes 民政 issues (`MJ…`) [the allocation of
//! the body by the national code centre is not modelled: the sequence is the register's own].

use super::kind::OrgType;
use crate::organization::{check_character, org_check_character};

/// The code for the `seq`-th organization of `org_type` registered by the authority of `region`
/// (6 digits); `None` for a region that is not 6 digits or a sequence past 999999.
pub fn assign(org_type: OrgType, region: &str, seq: u32) -> Option<String> {
    if region.len() != 6 || !region.bytes().all(|b| b.is_ascii_digit()) || seq > 999_999 {
        return None;
    }
    let body = format!("MJ{seq:06}");
    let subject_check = org_check_character(&body)?;
    let first17 = format!("5{}{region}{body}{subject_check}", org_type.category_code());
    let check = check_character(&first17)?;
    Some(format!("{first17}{check}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idcard::RegionHistory;
    use crate::organization::parse_uscc;

    #[test]
    fn assigned_codes_pass_the_standard_check() {
        for (t, seq) in
            [(OrgType::SocialGroup, 1), (OrgType::PrivateNonEnterprise, 482), (OrgType::Foundation, 999_999)]
        {
            let code = assign(t, "511700", seq).unwrap();
            let info = parse_uscc(&code, "code", RegionHistory::builtin()).unwrap();
            assert!(info.is_civil_affairs());
            assert_eq!(
                info.category,
                match t {
                    OrgType::SocialGroup => "社会团体",
                    OrgType::PrivateNonEnterprise => "民办非企业单位",
                    OrgType::Foundation => "基金会",
                }
            );
            assert_eq!(info.region_code, "511700");
        }
        assert_ne!(assign(OrgType::SocialGroup, "511700", 1), assign(OrgType::SocialGroup, "511700", 2));
        assert_eq!(assign(OrgType::SocialGroup, "5117", 1), None);
        assert_eq!(assign(OrgType::SocialGroup, "511700", 1_000_000), None);
    }
}
