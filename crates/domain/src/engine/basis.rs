//! The legal sources the engine's rules rest on, cited once so refusals and doc comments agree.
//! Texts: `LawRefBook/Laws` (民法典总则编, 行政许可法, 国办发〔2020〕35号).

/// 受理、不予受理、一次告知需要补正的全部内容、出具书面凭证.
pub const LICENSING_ACCEPTANCE: &str = "《中华人民共和国行政许可法》第三十二条";
/// 能够当场作出决定的，应当当场作出书面的行政许可决定（即办件）.
pub const LICENSING_ON_THE_SPOT: &str = "《中华人民共和国行政许可法》第三十四条第二款";
/// 不予行政许可的书面决定应当说明理由.
pub const LICENSING_DENIAL_REASONS: &str = "《中华人民共和国行政许可法》第三十八条第二款";
/// 二十日内作出决定；经本行政机关负责人批准可以延长十日，并将延长期限的理由告知申请人.
pub const LICENSING_EXTENSION: &str = "《中华人民共和国行政许可法》第四十二条";
/// 听证、检验、检测、鉴定、专家评审等所需时间不计算在期限内，并书面告知申请人.
pub const LICENSING_SPECIAL_TIME: &str = "《中华人民共和国行政许可法》第四十五条";
/// 未依法说明不受理行政许可申请或者不予行政许可的理由的，责令改正.
pub const LICENSING_REASONS_DUTY: &str = "《中华人民共和国行政许可法》第七十二条第七项";
/// 期限以工作日计算，不含法定节假日.
pub const LICENSING_WORKDAYS: &str = "《中华人民共和国行政许可法》第八十二条";
/// 期间开始的当日不计入；期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日.
pub const CIVIL_CODE_PERIODS: &str = "《中华人民共和国民法典》第二百零一条至第二百零三条";
/// 补正后重新起算；征求第三方意见所需时间不计算在期限内.
pub const DISCLOSURE_PAUSES: &str = "《中华人民共和国政府信息公开条例》第三十条、第三十三条";
/// 跨省通办：全程网办、异地代收代办、多地联办；受理地与办理地分工.
pub const CROSS_REGION: &str = "《国务院办公厅关于加快推进政务服务“跨省通办”的指导意见》（国办发〔2020〕35号）";
/// Rules of the platform's own procedure model, where no statute speaks (withdrawal, suspension,
/// assignment): the contract in docs/designs/engine.md.
pub const ENGINE_CONTRACT: &str = "docs/designs/engine.md";
