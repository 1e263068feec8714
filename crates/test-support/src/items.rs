//! Item files for testing engine features no shipped item declares (opened with
//! [`crate::TestApp::with_items`]).

/// Where [`CORRECTION_ITEM`] is read from.
pub const CORRECTION_PATH: &str = "catalog/correction-test/v1.toml";

/// An item whose correction has its own period (`[procedure] correction`, 15 working days) and
/// whose lapse is the outcome `abandoned` (视为放弃申请).
pub const CORRECTION_ITEM: &str = r#"
[version]
number = 1
effective_from = "2021-01-01"
reason = "测试"
ordered_by = "测试"

[item]
slug = "correction-test"
code = "51170000MZ-QT-9998"
name = "补正期限测试事项"
kind = "other_power"
legal_basis = ["《中华人民共和国政府信息公开条例》第二十七条"]
implementing_body = "达州市民政局"
body_nature = "statutory"
levels = ["county"]
power_source = "statutory"
case_type = "promised"
statutory_limit = { value = 20, unit = "workday", basis = "《中华人民共和国政府信息公开条例》第三十三条第二款" }
promised_limit = { value = 20, unit = "workday", basis = "《中华人民共和国政府信息公开条例》第三十三条第二款" }
fee = { charged = false, basis = "不收费" }
place = "民政局窗口"
hours = "工作日"
phone = "0818-0000000"
supervision_phone = "0818-12345"
acceptance_conditions = ["申请内容明确"]
online_depth = 2
cross_region_mode = "none"
accept_anywhere = "anywhere"
competent_by = "accepting"
city_centre = false
result = { name = "答复", sample = "", delivery = ["window"] }

[[materials]]
id = "request"
name = "申请书"
source = "applicant"
form = "paper_or_electronic"
required = true

[[outcomes]]
key = "provided"
label = "予以提供"
grants = true
basis = "《中华人民共和国政府信息公开条例》第三十六条第（二）项"

[[outcomes]]
key = "abandoned"
label = "视为放弃申请"
grants = false
basis = "《中华人民共和国政府信息公开条例》第三十条"

[procedure]
pauses = ["supplement"]
correction = { period = { value = 15, unit = "workday", basis = "《中华人民共和国政府信息公开条例》第三十条" }, lapse_outcome = "abandoned" }

[[procedure.steps]]
id = "accept"
name = "登记"
kind = "accept"
role = "clerk"
seat = "accepting"

[[procedure.steps]]
id = "answer"
name = "答复"
kind = "decide"
role = "decider"
seat = "competent"
"#;

/// Where [`outcome_form_item`] is read from.
pub const OUTCOME_FORM_PATH: &str = "catalog/outcome-form-test/v1.toml";

/// [`CORRECTION_ITEM`] under another slug, its refusal declaring a form: the reason
/// (第十四条至第十六条) and the fee (第四十二条).
pub fn outcome_form_item() -> String {
    CORRECTION_ITEM
        .replace("correction-test", "outcome-form-test")
        .replace("51170000MZ-QT-9998", "51170000MZ-QT-9997")
        .replace(
            "basis = \"《中华人民共和国政府信息公开条例》第三十条\"\n\n[procedure]",
            "basis = \"《中华人民共和国政府信息公开条例》第三十条\"\n\n[[outcomes]]\nkey = \"withheld\"\nlabel = \"不予公开\"\ngrants = false\nbasis = \"《中华人民共和国政府信息公开条例》第三十六条第（三）项\"\nform = [\n  { id = \"reason\", label = \"不予公开的理由\", kind = \"choice\", required = true, choices = [{ value = \"state_secret\", label = \"属于国家秘密\" }, { value = \"third_party\", label = \"损害第三方合法权益\" }] },\n  { id = \"fee\", label = \"信息处理费\", kind = \"money\" },\n  { id = \"charged\", label = \"收取信息处理费\", kind = \"bool\" },\n]\n\n[procedure]\nrefusal_outcome = \"withheld\"",
        )
}
