//! The legal sources of the marriage rules, cited once so refusals and doc comments agree
//! (民法典婚姻家庭编; 婚姻登记条例). Numbers the sources consulted do not confirm are marked so.

/// 结婚年龄，男不得早于二十二周岁，女不得早于二十周岁.
pub const MARRIAGE_AGE: &str = "《中华人民共和国民法典》第一千零四十七条";
/// 要求结婚的男女双方应当亲自到婚姻登记机关申请结婚登记.
pub const MARRIAGE_IN_PERSON: &str = "《中华人民共和国民法典》第一千零四十九条";
/// 禁止重婚（一夫一妻）；重婚的婚姻无效.
pub const NO_BIGAMY: &str = "《中华人民共和国民法典》第一千零四十二条第二款、第一千零五十一条";
/// 夫妻双方自愿离婚的，签订书面离婚协议，并亲自到婚姻登记机关申请离婚登记.
pub const DIVORCE_BY_AGREEMENT: &str = "《中华人民共和国民法典》第一千零七十六条";
/// 离婚冷静期：收到申请之日起三十日内可撤回；期间届满后三十日内双方应当亲自申请发给离婚证，
/// 未申请的，视为撤回离婚登记申请.
pub const COOLING_OFF: &str = "《中华人民共和国民法典》第一千零七十七条";
/// 期间的计算：开始的当日不计入；最后一日是法定休假日的，以法定休假日结束的次日为最后一日.
pub const PERIODS: &str = "《中华人民共和国民法典》第二百零一条至第二百零三条";
/// Before 2021-06-01: 内地居民结婚登记，由一方当事人常住户口所在地的婚姻登记机关办理.
pub const OFFICE_2003: &str = "《婚姻登记条例》（2003年，国务院令第387号）第四条";
/// Before 2021-06-01: 内地居民自愿离婚的，男女双方应当共同到一方当事人常住户口所在地的婚姻登记机关
/// 办理离婚登记.
pub const OFFICE_2003_DIVORCE: &str = "《婚姻登记条例》（2003年，国务院令第387号）第十条";
/// From 2021-06-01 in the pilot provinces: also the office where either party holds a 居住证.
/// The document numbers are not confirmed by the sources consulted.
pub const OFFICE_PILOT_2021: &str =
    "《国务院关于同意在辽宁等省份开展内地居民婚姻登记“跨省通办”试点的批复》及民政部2021年婚姻登记“跨省通办”试点通知";
/// From 2025-05-10: any 婚姻登记机关 in the mainland (全国通办). Article number [unconfirmed].
pub const OFFICE_2025: &str = "《婚姻登记条例》（2025年修订，国务院令第804号）第四条";
/// The certificate number format (J/L/BJ/BL + 区划代码 + 年份 + 顺序号): secondary source only.
// (The article number is unconfirmed, so none is cited.)
pub const CERTIFICATE_FORMAT: &str = "《婚姻登记工作规范》";
/// 本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明 (2003 条例第五条; the
/// 2025 text keeps the declaration, article number [unconfirmed]).
// (The 2025 article number is unconfirmed, so only its chapter is cited.)
pub const DECLARATION: &str = "《婚姻登记条例》（2003年）第五条、（2025年修订）结婚登记章";
/// 结婚证、离婚证遗失或者损毁的，可以申请补领 (2003 条例第十七条; 2025 article [unconfirmed]).
// (The 2025 article number is unconfirmed, so none is cited.)
pub const REISSUE: &str = "《婚姻登记条例》（2003年）第十七条、（2025年修订）";
