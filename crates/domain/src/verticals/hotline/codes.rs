//! The machine codes this area mints (the generic ones are in [`crate::codes`]); the tidy test
//! `every_code_the_source_mints_is_in_one_table` holds every code the area's folders mint to a row
//! here or there. A row: `CONST = "code", HTTP status (`-` if never one), "meaning";`.

crate::codes::codes! {
    CHOICE_REQUIRED = "choice_required", 422, "请选择“是”或“否”";
    ACT_BEFORE_LAST = "act_before_last", 422, "办理日期不能早于上一步的日期";
    INVALID_PLATFORM_NUMBER = "invalid_platform_number", 422, "平台工单编号只能由字母、数字和“-”组成";
    UNKNOWN_TICKET_KIND = "unknown_ticket_kind", 422, "请选择工单类型：咨询、求助、意见建议或投诉举报";
    RECEIVED_IN_FUTURE = "received_in_future", 422, "受理时间不能晚于当前时间";
    INVALID_RECEIVED_AT = "invalid_received_at", 422, "受理时间格式应为 2021-09-17 10:30（北京时间）";
    UNIT_REQUIRED = "unit_required", 422, "请选择承办单位";
    INVALID_WORKDAYS = "invalid_workdays", 422, "延期天数应为工作日数（整数）";
    HOTLINE_WRONG_STAGE = "hotline_wrong_stage", 422, "工单当前为“{}”，不能{what}";
    EXTENSION_PENDING = "extension_pending", 422, "已有延期申请待审批";
    EXTENSION_TOO_LATE = "extension_too_late", 422, "办理期限已过，不能再申请延期";
    NO_EXTENSION_PENDING = "no_extension_pending", 422, "没有待审批的延期申请";
    EXTENSION_SELF_APPROVAL = "extension_self_approval", 422, "延期申请须由申请人以外的人员审批";
    PLATFORM_NUMBER_REUSED = "platform_number_reused", 409, "该平台工单编号已受理另一工单，内容不同，请核对编号";
    UNIT_OUTSIDE_DIVISION = "unit_outside_division", 422, "承办单位须在工单所属行政区划之内";
    HOTLINE_CONFLICT = "hotline_conflict", 409, "该工单或整改事项已被他人办理，请刷新后按当前情况重新操作";
}
