//! Who a citizen applies for online: themselves (本人), or a close relative on their behalf.
//!
//! A citizen's account belongs to one person (实名). An application through it is that person's,
//! or, declared as such, one made for a close relative (近亲属: 配偶、父母、子女、兄弟姐妹、
//! 祖父母、外祖父母、孙子女、外孙子女, 《中华人民共和国民法典》第一千零四十五条第二款) as their
//! agent (民法典第一百六十一条: a civil act may be done through an agent, unless by law or by its
//! nature it must be done in person). Nobody else: an account is not a counter for strangers.

use crate::problem::FieldError;

/// The applicant's relation to the account's holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// 本人: the holder applies for themselves.
    Oneself,
    /// 配偶.
    Spouse,
    /// 父母 (the applicant is the holder's parent).
    Parent,
    /// 子女.
    Child,
    /// 兄弟姐妹.
    Sibling,
    /// 祖父母、外祖父母.
    Grandparent,
    /// 孙子女、外孙子女.
    Grandchild,
}

/// Every relation, in the order a form offers them.
pub const RELATIONS: [Relation; 7] = [
    Relation::Oneself,
    Relation::Spouse,
    Relation::Parent,
    Relation::Child,
    Relation::Sibling,
    Relation::Grandparent,
    Relation::Grandchild,
];

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Oneself => "self",
            Relation::Spouse => "spouse",
            Relation::Parent => "parent",
            Relation::Child => "child",
            Relation::Sibling => "sibling",
            Relation::Grandparent => "grandparent",
            Relation::Grandchild => "grandchild",
        }
    }

    /// The applicant as the holder's …
    pub fn name_zh(self) -> &'static str {
        match self {
            Relation::Oneself => "本人",
            Relation::Spouse => "配偶",
            Relation::Parent => "父母",
            Relation::Child => "子女",
            Relation::Sibling => "兄弟姐妹",
            Relation::Grandparent => "祖父母、外祖父母",
            Relation::Grandchild => "孙子女、外孙子女",
        }
    }

    /// The declared relation as posted; empty is 本人. Refused (field `field`) when it is none of
    /// the close relatives of 民法典第一千零四十五条第二款.
    pub fn parse(field: &str, raw: Option<&str>) -> Result<Relation, FieldError> {
        let raw = raw.map(str::trim).unwrap_or("");
        if raw.is_empty() {
            return Ok(Relation::Oneself);
        }
        RELATIONS.into_iter().find(|r| r.as_str() == raw).ok_or_else(|| {
            FieldError::new(
                field,
                "unknown_relation",
                "与申请人的关系须为本人或近亲属（配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女）",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_oneself_and_every_relation_round_trips() {
        assert_eq!(Relation::parse("r", None), Ok(Relation::Oneself));
        assert_eq!(Relation::parse("r", Some("  ")), Ok(Relation::Oneself));
        for r in RELATIONS {
            assert_eq!(Relation::parse("r", Some(r.as_str())), Ok(r));
        }
    }

    #[test]
    fn a_stranger_or_a_friend_is_no_relation() {
        for raw in ["friend", "其他", "neighbour", "Self"] {
            let err = Relation::parse("applicant_relation", Some(raw)).expect_err(raw);
            assert_eq!((err.field.as_str(), err.code), ("applicant_relation", "unknown_relation"));
        }
    }
}
