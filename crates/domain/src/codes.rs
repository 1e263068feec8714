//! The machine codes of the refusals, minted in one place. A client matches on a code, never on
//! the message, so a code has one meaning and, where it is the whole refusal, one HTTP status.
//!
//! This table holds the codes of the generic code; an area keeps its own in its folder
//! (`crate::verticals::<area>::codes`, returned by [`crate::vertical::Vertical::codes`]), so a new
//! area adds codes without touching this file. The tidy test
//! `every_code_the_source_mints_is_in_one_table` (`crates/domain/tests/tidy.rs`) scans the source
//! of every crate for the codes it mints (the code argument of any function taking
//! `code: &'static str`, a `code: "…"` field, the arms of a `fn code(&self) -> &'static str`) and
//! fails on a code in no table, on one in two tables, on one minted with a status other than its
//! row's, on a generic file minting an area's code, and on a row nothing mints.
//!
//! Each row: `CONST = "code", status, "meaning";`: the status is the HTTP status of a refusal that
//! is this code alone (a problem inside a 422 is 422), `-` for a code that never leaves as an
//! HTTP refusal (a catalog file's problem, a reason of the ID-number check); the meaning is the
//! refusal's message with its particulars left out (`…`).

/// One machine code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The constant's name (`code` in capitals).
    pub name: &'static str,
    pub code: &'static str,
    /// The HTTP status of a refusal that is this code alone; `None` for one that never leaves as
    /// an HTTP refusal.
    pub status: Option<u16>,
    /// What it means, in the words of its message.
    pub meaning: &'static str,
}

/// Declares a table of codes: a constant per code and `CODES`, the table.
macro_rules! codes {
    (@status -) => { None };
    (@status $status:literal) => { Some($status) };
    ($( $name:ident = $code:literal, $status:tt, $meaning:literal; )*) => {
        $(
            #[doc = $meaning]
            pub const $name: &str = $code;
        )*
        /// Every code of this table.
        pub const CODES: &[$crate::codes::Code] = &[
            $( $crate::codes::Code { name: stringify!($name), code: $code, status: $crate::codes::codes!(@status $status), meaning: $meaning }, )*
        ];
    };
}
pub(crate) use codes;

/// Every code of the generic table and of every area's.
pub fn all() -> impl Iterator<Item = &'static Code> {
    CODES.iter().chain(crate::vertical::Vertical::ALL.into_iter().flat_map(|v| v.codes().iter()))
}

/// The row of a code, wherever it is kept.
pub fn find(code: &str) -> Option<&'static Code> {
    all().find(|c| c.code == code)
}

codes! {
    ABOVE_MAX = "above_max", 422, "不能大于…";
    ACT_DATE_BEFORE_LAST = "act_date_before_last", 422, "办理日期不能早于本件上一次办理的日期（…）";
    ACT_DATE_NOT_ALLOWED = "act_date_not_allowed", 422, "本事项的办理按录入之时记录，不能另填办理日期";
    ALREADY_DECIDED = "already_decided", 422, "已作出决定，不能再办理该操作";
    ALREADY_DISABLED = "already_disabled", 409, "该账户已停用";
    APPLICANTS_WITHOUT_PERSON = "applicants_without_person", -, "申请人类别应包括个人（person）；仅限法人或者其他组织申请的事项尚不支持";
    ATTACHMENT_CASE_CLOSED = "attachment_case_closed", 403, "办件已办结，不能再上传附件";
    ATTACHMENT_EMPTY = "attachment_empty", 422, "上传的文件是空的，请重新选择文件";
    ATTACHMENT_NOT_FOUND = "attachment_not_found", 404, "附件不存在";
    ATTACHMENT_TOO_LARGE = "attachment_too_large", 422, "文件过大：单个文件不能超过 … MB";
    ATTACHMENT_TYPE = "attachment_type", 422, "只能上传 PDF 文件或 JPEG、PNG 图片（按文件内容识别，与文件名的扩展名无关）";
    BAD_BOOL = "bad_bool", 422, "应选择“是”或“否”";
    BAD_CHOICE = "bad_choice", -, "选择字段的可选项为空或重复";
    BAD_CREDENTIALS = "bad_credentials", 401, "用户名或密码错误";
    BAD_DATE = "bad_date", 422, "日期无效";
    BAD_FIELD_ID = "bad_field_id", -, "表单字段标识只能由小写字母、数字和下划线组成，以字母开头";
    BAD_INT = "bad_int", 422, "“…”不是整数";
    BAD_LIMIT_VALUE = "bad_limit_value", -, "…的数值 … 无效";
    BAD_MONEY = "bad_money", 422, "“…”不是有效的金额，应为元，最多两位小数，如 1200.50";
    BAD_OUTCOME_KEY = "bad_outcome_key", -, "办理结果标识只能由小写字母、数字和下划线组成，以字母开头";
    BAD_OUTCOME_LABEL = "bad_outcome_label", -, "办理结果的名称应为 1 至 20 个字";
    BAD_PATH = "bad_path", -, "文件路径应为 <事项标识>/v<版本号>.toml";
    BAD_RANGE = "bad_range", -, "取值范围或长度限制无效";
    BAD_REQUIRED_PART = "bad_required_part", -, "required_parts 只能列出该类型可选填的部分（组织的法定代表人），且不能重复";
    BAD_SLUG = "bad_slug", -, "事项标识只能由小写字母、数字和连字符组成";
    BAD_VERSION_NUMBER = "bad_version_number", -, "版本号应为从 1 开始的正整数，实际为 …";
    BEARER_REQUIRED = "bearer_required", 400, "此接口注销令牌；浏览器会话请使用 /api/v1/auth/logout";
    BELOW_MIN = "below_min", 422, "不能小于…";
    BODY_READ_FAILED = "body_read_failed", 400, "读取请求体失败";
    BODY_TOO_LARGE = "body_too_large", 413, "请求体过大，不能超过 1 MiB";
    CALENDAR_DUPLICATE_DATE = "calendar_duplicate_date", 422, "节假日表中同一日期出现两次";
    CALENDAR_EMPTY_VERSION = "calendar_empty_version", 422, "节假日表的版本名为空";
    CALENDAR_HEADER = "calendar_header", 422, "节假日表的表头不正确";
    CALENDAR_INCOMPLETE_YEAR = "calendar_incomplete_year", 422, "节假日表中某年度的数据不完整";
    CALENDAR_INVALID_MAKEUP = "calendar_invalid_makeup", 422, "调休上班日不是周六或周日，或不是工作日";
    CALENDAR_NO_DATA = "calendar_no_data", 422, "该年度节假日安排尚未载入，期限无法计算";
    CALENDAR_NO_YEARS = "calendar_no_years", 422, "日历文件没有任何日期：新版本须至少包含一个完整年度的安排";
    CALENDAR_OUT_OF_RANGE = "calendar_out_of_range", 422, "日期超出可计算的范围";
    CALENDAR_PARSE = "calendar_parse", 422, "节假日表某行无法读取";
    CASE_CLOSED = "case_closed", 422, "本件已办结（…），不能再…";
    CASE_CONFLICT = "case_conflict", 409, "本件刚由他人办理，当前状态为“…”，请刷新后按最新状态办理";
    CASE_NOT_CLOSED = "case_not_closed", 422, "办件办结后才能评价";
    CASE_NOT_FOUND = "case_not_found", 404, "办件不存在";
    CASE_RATED = "case_rated", 409, "该办件已评价，每件只能评价一次";
    CATALOG_INVALID = "catalog_invalid", 422, "事项清单文件有误：…";
    CATALOG_VERSION_CHANGED = "catalog_version_changed", 409, "…：事项 … 第 … 版已发布，内容不得修改；请新增版本文件（v….toml）";
    CHARS = "chars", -, "公民身份号码含有不允许的字符（核验原因）";
    CHECK_CODE_REQUIRED = "check_code_required", 429, "该办件编号近期查询失败次数较多，暂不接受身份证号后4位，请输入查询码（提交申请时给出，也印在受理通知书上）";
    CHECKSUM = "checksum", -, "公民身份号码校验码不正确（核验原因）";
    CHOICE_WITHOUT_CHOICES = "choice_without_choices", -, "选择字段未列出可选项";
    CHOICES_NOT_ALLOWED = "choices_not_allowed", -, "只有选择字段可以列出可选项";
    CLOCK_BACKWARDS = "clock_backwards", 422, "模拟时钟不能回拨";
    CLOCK_OUTSIDE_CALENDAR = "clock_outside_calendar", 422, "模拟时钟只能设在工作日历已载入的年份内（…），…年没有节假日安排";
    COMMENT_TOO_LONG = "comment_too_long", 422, "评价意见不能超过…个字";
    CONFLICT = "conflict", 409, "与已有记录冲突：…";
    CONSULTATION_NOT_ALLOWED = "consultation_not_allowed", 422, "本事项的办理流程不包含征求第三方意见";
    CONSULTATION_WITHOUT_PAUSE = "consultation_without_pause", -, "设置了征求第三方意见，计时暂停事由须包括 special";
    CONTROL_CHARS = "control_chars", 422, "不能包含控制字符";
    CORRECTION_PERIOD_NOT_DECLARED = "correction_period_not_declared", 422, "本事项未设补正期限，告知补正时无需填写补正期限";
    CORRECTION_PERIOD_TOO_SHORT = "correction_period_too_short", 422, "补正期限不得短于…，最后一日应不早于…";
    CORRECTION_UNTIL_PAST = "correction_until_past", 422, "补正期限的最后一日（…）已经过去，应不早于告知之日（…）";
    CORRECTION_WITHOUT_PAUSE = "correction_without_pause", -, "设置了补正期限，计时暂停事由须包括 supplement";
    CREDENTIALS_REQUIRED = "credentials_required", 422, "请输入用户名和密码";
    CSRF_FAILED = "csrf_failed", 403, "请求校验失败（CSRF 令牌缺失或不匹配），请刷新页面后重试";
    CURRENT_PASSWORD_WRONG = "current_password_wrong", 422, "原密码不正确";
    DATABASE_UNAVAILABLE = "database_unavailable", 503, "数据库暂时不可用";
    DATE = "date", -, "公民身份号码中的出生日期无效或晚于今天（核验原因）";
    DATE_IN_FUTURE = "date_in_future", 422, "日期不能晚于今天";
    DECISION_EXISTS = "decision_exists", 409, "本件已作出决定，不能再次决定，请刷新后查看";
    DECISION_STEP_WITHOUT_OUTCOMES = "decision_step_without_outcomes", -, "决定环节没有可选择的办理结果";
    DELEGATED_ELSEWHERE = "delegated_elsewhere", 422, "…已下放至…（…），须由…的…办理";
    DELEGATION_ALREADY_REVOKED = "delegation_already_revoked", 409, "该下放已于 … 后失效";
    DELEGATION_EXISTS = "delegation_exists", 409, "… 已有该环节的下放（编号 …，…），须先收回";
    DELEGATION_NOT_FOUND = "delegation_not_found", 404, "下放记录 … 不存在";
    DELIVERY_METHOD_NOT_OFFERED = "delivery_method_not_offered", 422, "本事项的办理结果不提供“…”";
    DIVISION_BAD_PARENT = "division_bad_parent", 422, "行政区划表中某行的上级不存在或级别不符";
    DIVISION_CSV_HEADER = "division_csv_header", 422, "行政区划表的表头不正确";
    DIVISION_CSV_LINE = "division_csv_line", 422, "行政区划表某行有误";
    DIVISION_DUPLICATE_CODE = "division_duplicate_code", 422, "行政区划表中代码重复";
    DIVISION_INVALID_CODE = "division_invalid_code", 422, "行政区划代码格式不正确";
    DIVISION_LEVEL_MISMATCH = "division_level_mismatch", 422, "… 不是…行政区划";
    DIVISION_NOT_FOUND = "division_not_found", 404, "行政区划代码“…”不存在";
    DIVISION_UNKNOWN = "division_unknown", 422, "行政区划不在本平台的行政区划表中";
    DIVISION_UNKNOWN_LEVEL = "division_unknown_level", 422, "未知的行政区划层级";
    DOCUMENT_NUMBER = "document_number", 422, "…号码格式不正确：…";
    DUPLICATE_APPLICANT_KIND = "duplicate_applicant_kind", -, "申请人类别“…”重复";
    DUPLICATE_DIVISION = "duplicate_division", 422, "… 重复列出";
    DUPLICATE_FIELD = "duplicate_field", -, "表单字段标识“…”重复";
    DUPLICATE_MATERIAL = "duplicate_material", -, "材料标识“…”重复";
    DUPLICATE_OUTCOME = "duplicate_outcome", -, "办理结果标识重复";
    DUPLICATE_SITUATION = "duplicate_situation", -, "情形标识“…”重复";
    DUPLICATE_STEP = "duplicate_step", -, "环节标识“…”重复";
    EXPECTED_REVISION_REQUIRED = "expected_revision_required", 422, "缺少办件版本号（expected_revision）";
    EXTENSION_NOT_ALLOWED = "extension_not_allowed", 422, "本事项的办理期限不能延长";
    EXTENSION_OUT_OF_RANGE = "extension_out_of_range", 422, "延长期限须为 1 至 … …";
    EXTENSION_UNIT_MISMATCH = "extension_unit_mismatch", -, "延长期限与办结时限的计算单位不一致";
    EXTENSION_PERIOD_ENDED = "extension_period_ended", 422, "办理期限已于…届满，不能再延长：延长期限应在期限届满前决定";
    EXTENSION_USED = "extension_used", 422, "办理期限已延长过一次，不能再延长";
    FACTS_NOT_OBJECT = "facts_not_object", 422, "表单事实（facts）应为对象";
    FIELD_NOT_APPLICABLE = "field_not_applicable", 422, "此操作不接受该字段";
    FIRST_NOT_ACCEPT = "first_not_accept", -, "第一个环节应为受理（kind = \"accept\"）";
    FORBIDDEN = "forbidden", 403, "无权访问：该记录不在管辖范围内，或角色无此权限";
    GRANT_BY_ACCEPTANCE = "grant_by_acceptance", 422, "当场办结的事项，准予即为受理（当场办结），请使用“受理”";
    GRANT_EXISTS = "grant_exists", 409, "该账户已有此授权";
    GRANT_NOT_HELD = "grant_not_held", 409, "该账户没有此授权";
    GRANT_REQUIRED = "grant_required", 422, "至少需要一项授权（角色和行政区划）";
    GUARD_NOT_ELIGIBLE = "guard_not_eligible", 422, "申请人不符合条件";
    GUIDE_LEVEL_NOT_IN_ITEM = "guide_level_not_in_item", 422, "“…”的行使层级为…，…不发布该事项的办事指南，无从核查";
    HOUR_LIMIT_NOT_ALLOWED = "hour_limit_not_allowed", -, "该时限不能以小时计";
    HOUR_LIMIT_WITH_PAUSES = "hour_limit_with_pauses", -, "以小时计的环节时限不能与计时暂停同用";
    HUKOU_UNKNOWN = "hukou_unknown", 422, "身份证号码的地址码“…”不是现行行政区划（可能已撤并），请申报现户籍地";
    ID_CHARS = "id_chars", 422, "公民身份号码含有不允许的字符";
    ID_CHECKSUM = "id_checksum", 422, "公民身份号码校验码不正确";
    ID_DATE = "id_date", 422, "公民身份号码中的出生日期无效或晚于今天";
    ID_LENGTH = "id_length", 422, "公民身份号码位数不正确";
    ID_REGION = "id_region", 422, "公民身份号码的地址码不是曾经有效的行政区划代码";
    IDEMPOTENCY_KEY_MISMATCH = "idempotency_key_mismatch", 422, "该幂等键已用于内容不同的另一请求；重试须与原请求完全相同，新请求请使用新的幂等键";
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused", 409, "该幂等键已被其他请求使用";
    IDEMPOTENCY_KEY_TAKEN = "idempotency_key_taken", 409, "该幂等键刚被同一请求使用";
    INSTANT_PROMISED_NONZERO = "instant_promised_nonzero", -, "即办件的承诺时限应为 0";
    INTERNAL = "internal", 500, "服务器内部错误，请稍后重试；如持续出现请联系管理员";
    INVALID = "invalid", 422, "输入不正确";
    INVALID_ACCOUNT = "invalid_account", 422, "请选择承办人";
    INVALID_ACT_NAME = "invalid_act_name", -, "环节的办理操作名称应为 1 至 32 个字";
    INVALID_BODY = "invalid_body", 400, "请求体的字段缺失、多余或类型不符";
    INVALID_CHANNEL = "invalid_channel", 422, "请选择申请方式";
    INVALID_DATE = "invalid_date", 422, "日期应为 YYYY-MM-DD 格式的有效日期";
    INVALID_DIVISION = "invalid_division", 422, "行政区划代码无效";
    INVALID_FLAG = "invalid_flag", 422, "勾选项的取值无效";
    INVALID_FORM = "invalid_form", 400, "表单项缺失、多余或格式不正确";
    INVALID_IDEMPOTENCY_HEADER = "invalid_idempotency_header", 400, "Idempotency-Key 请求头须为1至128个可见字符";
    INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key", 422, "幂等键须为1至128个字符，且不含控制字符";
    INVALID_LIMIT = "invalid_limit", 422, "每页条数须在1至500之间";
    INVALID_MULTIPART = "invalid_multipart", 400, "上传请求的格式不正确（multipart/form-data）";
    INVALID_OFFSET = "invalid_offset", 422, "偏移量不能为负数";
    INVALID_PATH = "invalid_path", 400, "路径参数的格式不正确";
    INVALID_PERIOD = "invalid_period", 422, "统计起始日不能晚于截止日";
    INVALID_PHONE = "invalid_phone", 422, "电话号码格式不正确：手机号应为11位数字，固定电话如 0818-2123456";
    INVALID_QUERY = "invalid_query", 400, "查询参数的格式不正确";
    INVALID_TIME = "invalid_time", 400, "时间应为带时区的 RFC 3339 格式，如 2021-10-08T09:00:00+08:00";
    INVALID_USERNAME = "invalid_username", 422, "用户名须为3至32位英文字母、数字、下划线、连字符或点";
    INVALID_VALUE = "invalid_value", 422, "取值的类型不符";
    ITEM_NOT_FOUND = "item_not_found", 404, "事项“…”不存在";
    ITEM_NOT_IN_FORCE = "item_not_in_force", 404, "事项“…”在 … 尚未施行";
    LAPSE_OUTCOME_GRANTS = "lapse_outcome_grants", -, "逾期未补正的办理结果“…”为准予类结果，应为不予类结果";
    LENGTH = "length", -, "公民身份号码位数不正确（核验原因）";
    LEVEL_NOT_BELOW = "level_not_below", 422, "只能下放到该环节行使层级（…）以下的层级";
    LEVEL_NOT_IN_ITEM = "level_not_in_item", 422, "“…”的行使层级为…，不能由…单位认领或发布";
    LIMIT_NOT_APPLICABLE = "limit_not_applicable", -, "该类型的表单字段不能设置取值范围或长度限制";
    LIMIT_UNIT_MISMATCH = "limit_unit_mismatch", -, "承诺时限与法定时限的计算单位不一致";
    MALFORMED_JSON = "malformed_json", 400, "请求体不是有效的 JSON";
    MATERIALS_INCOMPLETE = "materials_incomplete", 422, "申请材料不齐全，缺少：…。请一次性告知申请人需要补正的全部内容";
    METHOD_NOT_ALLOWED = "method_not_allowed", 405, "该接口不支持此请求方法";
    MISSING_APPLICANTS_BASIS = "missing_applicants_basis", -, "申请人范围的依据不能为空，应写到条款";
    MISSING_BASIS = "missing_basis", -, "…缺少依据（basis），应写明法律依据或承诺文件";
    MISSING_CODE = "missing_code", -, "事项编码不能为空";
    MISSING_FIELD = "missing_field", 422, "此操作须填写的字段未填写";
    MISSING_LABEL = "missing_label", -, "表单字段“…”缺少名称（label）";
    MISSING_LEGAL_BASIS = "missing_legal_basis", -, "设定依据不能为空，应写到条款";
    MISSING_LEVELS = "missing_levels", -, "行使层级不能为空";
    MISSING_PROMISED_LIMIT = "missing_promised_limit", -, "承诺件须填写承诺办结时限";
    MISSING_ROLE = "missing_role", -, "环节“…”须指明办理角色（role）";
    MISSING_STATUTORY_LIMIT = "missing_statutory_limit", -, "须填写法定办结时限或说明法律未设定时限的理由";
    NO_ACTING_DIVISION = "no_acting_division", 422, "“…”环节应由…机关办理，但 … 之上没有该级机关";
    NO_DEFAULT_OUTCOME = "no_default_outcome", -, "同类办理结果有多个，须指明未选择结果时适用哪一个";
    NO_GRANT_OUTCOME = "no_grant_outcome", -, "办理结果中至少应有一个准予类结果";
    NO_REFUSAL_OUTCOME = "no_refusal_outcome", -, "可作不予决定的事项至少应有一个不予类办理结果";
    NO_RETURN_STEP = "no_return_step", 422, "“…”环节不能退回";
    NO_STEPS = "no_steps", 422, "事项没有办理流程";
    NO_TIMER = "no_timer", 422, "当前环节没有计时";
    NOT_ACCEPTED_HERE = "not_accepted_here", 422, "本事项须在…范围内受理，本受理点不能受理";
    NOT_FOUND = "not_found", 404, "记录不存在";
    NOT_ONLINE_ITEM = "not_online_item", 422, "“…”不能网上申请（网上办理深度为…级），请到窗口办理";
    NOT_PERMITTED = "not_permitted", 422, "当前角色不能办理该操作";
    NOTHING_MISSING = "nothing_missing", 422, "申请材料已齐全，无需告知补正";
    NOTICE_ALREADY_GIVEN = "notice_already_given", 422, "已一次性告知过需要补正的全部内容，不能再次告知";
    NOTICE_INCOMPLETE = "notice_incomplete", 422, "一次性告知须列明需要补正的全部内容，还应列入：…";
    NOTICE_NOT_FOUND = "notice_not_found", 404, "文书不存在";
    NOTICE_NOT_MISSING = "notice_not_missing", 422, "“…”不是尚缺的必需材料，不应要求补正";
    OBJECTION_ONLY = "objection_only", 422, "“…”期间只能登记异议并退回重新调查（verdict = return），期满自动进入下一环节";
    ON_RETURN_NOT_ALLOWED = "on_return_not_allowed", -, "只有审核环节或公示等待环节可以设置退回去向";
    ONLINE_CITIZENS_ONLY = "online_citizens_only", 403, "网上申请须由办事群众本人提交；工作人员请选择窗口办理";
    ONLINE_DEPTH_RANGE = "online_depth_range", -, "网上办理深度应为 1 至 4";
    OPENER_CHANNEL_MISMATCH = "opener_channel_mismatch", 422, "系统依职权启动的办件须由系统办理，其他办件须由登录的账号办理";
    ORGANIZATION_ONLINE = "organization_online", 422, "网上申请由登录的个人本人提交；法人或者其他组织请到窗口申请";
    OUTCOME_NOT_AT_STEP = "outcome_not_at_step", 422, "该办理结果不能在本环节作出";
    OUTCOME_STEP_NOT_DECISION = "outcome_step_not_decision", -, "办理结果只能由决定、受理（当场办结）或审核环节选择";
    OUTCOME_WRONG_SIDE = "outcome_wrong_side", -, "默认结果应为相应（准予或不予）类的办理结果";
    OWN_ACCOUNT = "own_account", 422, "不能停用自己的账户";
    OWN_ADMIN_GRANT = "own_admin_grant", 422, "不能撤销自己的系统管理员授权，请由其他管理员办理";
    PAGE_NOT_FOUND = "page_not_found", 404, "页面不存在";
    PARTY_NOT_APPLICABLE = "party_not_applicable", 422, "本事项的申请由申请人本人撤回，无需指定当事人";
    PARTY_TIME_WITHOUT_TIMER = "party_time_without_timer", -, "标为当事人期间的环节须设置计时";
    PAUSE_NOT_ALLOWED = "pause_not_allowed", 422, "本事项的办理流程不包含该暂停";
    PERSON_APPLICANT_ONLY = "person_applicant_only", 422, "“…”的申请人须为个人，不能是法人或者其他组织（…）";
    PERSON_EXISTS = "person_exists", 409, "该身份证号码的人员已登记";
    PREMISES_REQUIRED = "premises_required", 422, "请填写场所所在地（行政区划），以确定办理机关";
    PROMISED_EXCEEDS_STATUTORY = "promised_exceeds_statutory", -, "承诺时限超过法定时限";
    REASONS_REQUIRED = "reasons_required", 422, "请写明退回的理由（将写入告知书）";
    RECEIPT_AFTER_SUBMISSION = "receipt_after_submission", 422, "收到申请之日不能晚于登记之日";
    RECEIPT_BEFORE_SUBMISSION = "receipt_before_submission", 422, "收到日期不能早于申请人提交（寄出）之日";
    RECEIPT_DATE_REQUIRED = "receipt_date_required", 422, "…，请填写该日期";
    RECEIPT_NOT_APPLICABLE = "receipt_not_applicable", 422, "本事项的办理期限自受理之日起计算，无需登记收到申请的方式和日期";
    RECEIPT_REQUIRED = "receipt_required", 422, "本事项的办理期限自收到申请之日起计算，请登记申请方式和收到申请的日期";
    REFUSAL_OUTCOME_NOT_ALLOWED = "refusal_outcome_not_allowed", -, "不作不予决定的事项不能有不予类办理结果";
    REGION = "region", -, "公民身份号码的地址码不是曾经有效的行政区划代码（核验原因）";
    REGION_HISTORY_HEADER = "region_history_header", -, "行政区划代码历史表的表头不正确";
    REGION_HISTORY_LINE = "region_history_line", -, "行政区划代码历史表某行有误";
    REPEATED_VALUE = "repeated_value", 422, "只能填写一个值";
    REQUIRED = "required", 422, "此项为必填项";
    REVIEWER_OUTSIDE_ORGAN = "reviewer_outside_organ", 403, "只有…或其上级的事项管理员可以核查…发布的办事指南";
    REVOKE_BACKDATED = "revoke_backdated", 422, "收回只能自今日（…）或以后生效：此前依下放作出的行为不受影响";
    ROUTE_NOT_FOUND = "route_not_found", 404, "请求的接口不存在";
    SLUG_MISMATCH = "slug_mismatch", -, "事项标识与所在目录不一致";
    SOURCE_REQUIRED = "source_required", 422, "请填写日历的来源文件（如国务院办公厅关于节假日安排的通知及其文号）";
    STATUTORY_LIMIT_CONFLICT = "statutory_limit_conflict", -, "已填写法定办结时限，又填写了未设时限的理由";
    STEP_LEVEL_OUTSIDE_ITEM = "step_level_outside_item", -, "环节的层级不在事项的行使层级之内";
    STEP_WITHOUT_LEVEL = "step_without_level", 422, "“…”环节由办理地本级办理，未设行使层级，无可下放的权限";
    SUPPLEMENT_INCOMPLETE = "supplement_incomplete", 422, "补正材料不全，还缺：…";
    SYSTEM_ONLY = "system_only", 422, "期满由系统按期限自动执行";
    TEXT_TOO_LONG = "text_too_long", 422, "…不能超过…个字符，当前为…个";
    TIME_BEFORE_LAST_ACT = "time_before_last_act", 422, "办理时间早于本件上一次办理的时间，请核对系统时钟";
    TIMER_NOT_ALLOWED = "timer_not_allowed", -, "非等待环节只能设置届满视为撤回的计时";
    TIMER_NOT_EXPIRED = "timer_not_expired", 422, "本件当前环节的期限尚未届满";
    TOML_SYNTAX = "toml_syntax", -, "事项定义文件的 TOML 语法错误";
    TOO_FEW_ITEMS = "too_few_items", 422, "至少填写…项，当前为…项";
    TOO_LONG = "too_long", 422, "长度超过上限";
    TOO_MANY_ATTEMPTS = "too_many_attempts", 429, "失败次数过多，请稍后再试";
    TOO_MANY_ITEMS = "too_many_items", 422, "最多填写…项，当前为…项";
    TRACKING_REQUIRED = "tracking_required", 422, "邮寄送达须填写邮件单号";
    UNAUTHORIZED = "unauthorized", 401, "请先登录";
    UNDECLARED_OUTCOME = "undeclared_outcome", -, "引用了事项未声明的办理结果";
    UNDEFINED_MATERIAL = "undefined_material", -, "情形引用了未定义的材料";
    UNKNOWN_ACT = "unknown_act", 422, "操作应为 claim（认领）、publish（发布）或 withdraw（撤回）";
    UNKNOWN_ACTION = "unknown_action", 422, "action";
    UNKNOWN_APPLICANT_KIND = "unknown_applicant_kind", 422, "申请人类别“…”不存在：请选择个人，或者法人或者其他组织";
    UNKNOWN_CHANNEL = "unknown_channel", 422, "办理渠道须为 window（窗口）或 online（网上）";
    UNKNOWN_CHOICE = "unknown_choice", 422, "应为 … 之一";
    UNKNOWN_DELIVERY_METHOD = "unknown_delivery_method", 422, "method";
    UNKNOWN_DOCUMENT_KIND = "unknown_document_kind", 422, "证件类型“…”不存在，请从列表中选择";
    UNKNOWN_DIVISION = "unknown_division", 422, "行政区划代码不存在";
    UNKNOWN_EFFECT = "unknown_effect", -, "办结效果（effects）";
    UNKNOWN_FACT = "unknown_fact", 422, "表单中没有“…”这一项";
    UNKNOWN_FIELD_KIND = "unknown_field_kind", -, "表单字段类型";
    UNKNOWN_FIGURE = "unknown_figure", 422, "看板的数字须为未办结、临期或超期之一";
    UNKNOWN_GRADE = "unknown_grade", 422, "请选择评价：非常满意、满意、基本满意、不满意或非常不满意";
    UNKNOWN_GUARD = "unknown_guard", 422, "未知的办理条件";
    UNKNOWN_ITEM = "unknown_item", 422, "事项不存在或当日不在施行";
    UNKNOWN_ITEM_KIND = "unknown_item_kind", -, "事项类型";
    UNKNOWN_LAPSE_OUTCOME = "unknown_lapse_outcome", -, "逾期未补正的办理结果“…”不是本事项声明的办理结果";
    UNKNOWN_LEVEL = "unknown_level", 422, "行使层级不存在";
    UNKNOWN_MATERIAL = "unknown_material", 422, "本事项没有“…”这项材料";
    UNKNOWN_OUTCOME = "unknown_outcome", 422, "本事项没有该办理结果";
    UNKNOWN_PAUSE = "unknown_pause", -, "计时暂停事由";
    UNKNOWN_PERSON = "unknown_person", 422, "申请人不存在";
    UNKNOWN_RATING_DIMENSION = "unknown_rating_dimension", 422, "…没有这一评价项";
    UNKNOWN_ROLE = "unknown_role", 422, "角色不存在";
    UNKNOWN_SEAT = "unknown_seat", -, "办理地";
    UNKNOWN_SITUATION = "unknown_situation", 422, "事项没有该办理情形";
    UNKNOWN_SPECIAL_KIND = "unknown_special_kind", 422, "kind";
    UNKNOWN_STATE = "unknown_state", 422, "状态须为以下之一：…";
    UNKNOWN_STEP = "unknown_step", 422, "环节不在办理流程中";
    UNKNOWN_STEP_KIND = "unknown_step_kind", -, "环节类型";
    UNKNOWN_TIMER_OUTCOME = "unknown_timer_outcome", -, "计时届满结果";
    UNKNOWN_UNIT = "unknown_unit", -, "时限单位";
    UNKNOWN_VALUE = "unknown_value", -, "取值不在允许的范围内";
    UNKNOWN_VERDICT = "unknown_verdict", 422, "verdict";
    UNKNOWN_VERTICAL = "unknown_vertical", -, "业务领域";
    UNKNOWN_WARNING = "unknown_warning", 422, "预警须为 green、yellow 或 red";
    UNREACHABLE_STEP = "unreachable_step", -, "环节从第一个环节出发无法到达";
    UNRECOGNIZED_SEARCH = "unrecognized_search", 422, "搜索内容应为办件编号、公民身份号码或姓名";
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", 415, "请求体的类型（Content-Type）应为 …";
    USCC_AUTHORITY = "uscc_authority", 422, "统一社会信用代码的登记管理部门码不在国家标准代码表内";
    USCC_CATEGORY = "uscc_category", 422, "统一社会信用代码的机构类别码与登记管理部门不符";
    USCC_CHARS = "uscc_chars", 422, "统一社会信用代码含有不允许的字符";
    USCC_CHECKSUM = "uscc_checksum", 422, "统一社会信用代码的校验码（第18位）不正确";
    USCC_LENGTH = "uscc_length", 422, "统一社会信用代码应为18位";
    USCC_REGION = "uscc_region", 422, "统一社会信用代码的登记管理机关行政区划码应为6位数字";
    USCC_SUBJECT_CHECK = "uscc_subject_check", 422, "统一社会信用代码的主体标识码校验码不正确";
    USERNAME_TAKEN = "username_taken", 409, "用户名已被使用";
    VERSION_MISMATCH = "version_mismatch", -, "版本号与文件名不一致";
    WAIT_WITHOUT_TIMER = "wait_without_timer", -, "等待环节必须设置计时";
    WEAK_PASSWORD = "weak_password", 422, "密码须为10至128个字符，且同时包含字母和数字";
    WRONG_ITEM_VERSION = "wrong_item_version", 422, "本件按“…”第…版办理，不能用第…版的规则处理";
    WRONG_STATUS = "wrong_status", 422, "本件当前为“…”，不能…";
    WRONG_STEP = "wrong_step", 422, "当前环节不能办理该操作";
    ZERO_LIMIT = "zero_limit", -, "时限为 0 仅用于当场办结";
    INVALID_YEAR = "invalid_year", 422, "年度应在2008年至…年之间";
    ALREADY_ANSWERED = "already_answered", 422, "已经答复，不能再记录办理环节";
    FILED_ON_RANGE = "filed_on_range", 422, "提起日期应在答复之日至今天之间";
    REVIEW_REQUIRED = "review_required", 422, "规范性文件未经合法性审核，不得发布（{SICHUAN}；国办发〔2018〕115号）";
    AMOUNT_REQUIRED = "amount_required", 422, "请填写申请救助金额";
    DATE_ORDER = "date_order", 422, "日期不能早于上一办理环节";
    REFUSAL_NOT_PROVIDED = "refusal_not_provided", 422, "本事项依法不作不予受理或不予通过的决定：材料不齐全的，应当一次告知并指导申请人补齐";
    DATE_FORMAT = "date_format", 422, "日期格式应为“年-月-日”，如2021-10-08";
    UNKNOWN_RELATION = "unknown_relation", 422, "与申请人的关系须为本人或近亲属（配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女）";
    ACCOUNT_BOUND = "account_bound", 409, "本账户已完成实名认证";
    CITIZEN_UNVERIFIED = "citizen_unverified", 422, "本账户尚未实名认证（没有绑定本人的身份信息），不能网上申请：请先到“实名认证”页面（/account/verify）填写本人的姓名和公民身份号码，或携带身份证到窗口办理";
    NOT_ACCOUNT_HOLDER = "not_account_holder", 422, "申请人的公民身份号码与本账户的实名信息不符；为近亲属申请请在“申请人是您的”中选择关系";
    RELATION_IS_SELF = "relation_is_self", 422, "申请人就是账户本人，“申请人是您的”请选择“本人”";
    DUPLICATE_APPLICATION = "duplicate_application", 409, "该申请人已有一件正在办理的“{}”，请勿重复申请；办理进度可在“我的办件”或“进度查询”中查看";
    PERSON_HAS_ACCOUNT = "person_has_account", 409, "该公民身份号码已注册过账户，每人只能注册一个账户；忘记密码请携带身份证到窗口办理";
    NAME_MISMATCH = "name_mismatch", 422, "姓名与公民身份号码不符，请核对后重新填写";
    // Regional nodes (service::nodes).
    NODE_INVALID = "node_invalid", 422, "节点须为省级区划代码（如 510000）";
    REMOTE_STEP_MISSING = "remote_step_missing", -, "事项“…”的办理流程没有跨区域环节";
    REMOTE_STEP_MISMATCH = "remote_step_mismatch", -, "办件当前环节不在对方节点，不能接收对方的办理结果";
    // 法治政府建设年度报告 (the annual report).
    UNKNOWN_INDICATOR = "unknown_indicator", 422, "正文引用了不存在的指标：…";
    REPORT_PUBLISHED = "report_published", 409, "该版本已经发布，不能再次发布";
    REPORT_CONFLICT = "report_conflict", 409, "报告已被他人同时保存，请刷新后重新保存";
    // 办事指南要素核查 (the guide review the report's 准确率 reads).
    UNKNOWN_GUIDE_ELEMENT = "unknown_guide_element", 422, "办事指南要素“…”不存在";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_has_one_row_and_its_constant_is_its_name() {
        let mut seen = HashSet::new();
        for code in all() {
            assert!(seen.insert(code.code), "{} is in two tables", code.code);
            assert_eq!(code.name, code.code.to_uppercase(), "{}", code.code);
            assert!(
                code.code.starts_with(|c: char| c.is_ascii_lowercase())
                    && code.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{} is not snake_case",
                code.code
            );
            assert!(!code.meaning.trim().is_empty(), "{} has no meaning", code.code);
        }
        assert_eq!(find(FORBIDDEN).and_then(|c| c.status), Some(403));
        assert_eq!(find("no_such_code"), None);
    }
}
