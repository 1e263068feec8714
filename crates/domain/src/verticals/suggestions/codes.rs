//! The machine codes this area mints (the generic ones are in [`crate::codes`]); the tidy test
//! `every_code_the_source_mints_is_in_one_table` holds every code the area's folders mint to a row
//! here or there. A row: `CONST = "code", HTTP status (`-` if never one), "meaning";`.

crate::codes::codes! {
    UNKNOWN_PROPOSER = "unknown_proposer", 422, "“{name}”不是本件的提出人";
    BEFORE_LAST_ACT = "before_last_act", 422, "日期不能早于上一办理环节的日期";
    SENT_BACK = "sent_back", 422, "本件已退回交办机关，不能再记录办理环节";
    CLOSED = "closed", 422, "本件已办结，不能再记录办理环节";
    OPINION_GIVEN = "opinion_given", 422, "该协办单位的意见已经记录";
    NOTHING_TO_ANSWER = "nothing_to_answer", 422, "每位提出人都已答复，无需再拟答复";
    ALREADY_APPROVED = "already_approved", 422, "答复已经审定";
    NO_DRAFT = "no_draft", 422, "尚无待审定的答复";
    ALREADY_SENT = "already_sent", 422, "已答复该提出人，待其反馈意见";
    NOT_APPROVED = "not_approved", 422, "答复须经领导审定后才能发出（不满意重新办理的，须重新拟定并审定）";
    INVALID_RESULT = "invalid_result", 422, "请选择满意、基本满意或不满意";
    NOT_SENT = "not_sent", 422, "尚未答复该提出人，不能记录征询意见表";
    FEEDBACK_GIVEN = "feedback_given", 422, "该提出人的征询意见表已经记录";
    DUPLICATE_NAME = "duplicate_name", 422, "“{name}”重复";
    TOO_MANY = "too_many", 422, "最多{max}个";
    INVALID_KIND = "invalid_kind", 422, "类型应为人大代表建议、政协委员提案或群众意见建议";
    LEAD_IS_CO_UNIT = "lead_is_co_unit", 422, "主办单位不能同时是协办单位";
    ASSIGNED_IN_FUTURE = "assigned_in_future", 422, "交办日期不能晚于今天";
    INVALID_ACT = "invalid_act", 422, "请选择要记录的办理环节";
    OTHER_BUREAU = "other_bureau", 422, "这条意见建议是其他单位开放日收到的";
    HELD_IN_FUTURE = "held_in_future", 422, "活动日期不能晚于今天（活动举行后登记）";
    OPEN_DAY_INPUT_REGISTERED = "open_day_input_registered", 409, "这条意见建议已经登记为建议提案办理";
    SUGGESTION_CONFLICT = "suggestion_conflict", 409, "该建议提案已被他人办理或已变化，请刷新后按当前情况重新操作";
    SUGGESTION_NOT_FOUND = "suggestion_not_found", 404, "编号或查询码不正确";
    INVALID_OPEN_DAY_INPUT = "invalid_open_day_input", 422, "所选开放日意见建议无效";
}
