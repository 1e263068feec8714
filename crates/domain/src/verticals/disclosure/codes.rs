//! The machine codes this area mints (the generic ones are in [`crate::codes`]); the tidy test
//! `every_code_the_source_mints_is_in_one_table` holds every code the area's folders mint to a row
//! here or there. A row: `CONST = "code", HTTP status (`-` if never one), "meaning";`.

crate::codes::codes! {
    AWAITING_CORRECTION = "awaiting_correction", 422, "该申请正在等待补正；逾期未补正的，选择“逾期不补正，不再处理”";
    CONSULTATION_OPEN = "consultation_open", 422, "正在征求第三方意见，请先记录意见收回";
    CORRECTION_LAPSED = "correction_lapsed", 422, "补正期限已于…届满，逾期未补正的视为放弃申请（条例第三十条）";
    CORRECTION_LATE = "correction_late", 422, "应当自收到申请之日起7个工作日内告知补正，最后一日为…（条例第三十条）";
    CORRECTION_NOT_LAPSED = "correction_not_lapsed", 422, "补正期限届满前，不能按逾期未补正处理";
    CORRECTION_ONCE = "correction_once", 422, "补正应当一次性告知，该申请已经告知过补正（条例第三十条）";
    CORRECTION_PERIOD = "correction_period", 422, "补正期限应晚于告知之日";
    DISCLOSURE_ANSWERED = "disclosure_answered", 409, "该申请已经答复";
    DISCLOSURE_CONFLICT = "disclosure_conflict", 409, "该申请已被他人办理或已变化，请刷新后按当前情况重新操作";
    DISCLOSURE_REQUEST_MOVED = "disclosure_request_moved", 410, "新的政府信息公开申请按事项“政府信息公开申请”（government-information-request）办理：请使用 POST /api/v1/cases";
    DISCLOSURE_NOT_FOUND = "disclosure_not_found", 404, "申请编号或查询码不正确";
    EXTENSION_AFTER_DUE = "extension_after_due", 422, "延长答复期限应在期限届满前决定，原期限于…届满";
    EXTENSION_DAYS = "extension_days", 422, "延长的期限为1至20个工作日（条例第三十三条第二款）";
    EXTENSION_ONCE = "extension_once", 422, "答复期限只能延长一次（条例第三十三条第二款）";
    INVALID_ANSWER_KIND = "invalid_answer_kind", 422, "请选择答复类型";
    INVALID_APPLICANT_KIND = "invalid_applicant_kind", 422, "请选择申请人类型";
    INVALID_CONTACT = "invalid_contact", 422, "联系电话只能包含数字、“-”、“+”和空格";
    INVALID_PROVISION_FORM = "invalid_provision_form", 422, "请选择获取信息的方式（提供形式）";
    INVALID_REMEDY_ID = "invalid_remedy_id", 422, "所选记录无效";
    INVALID_REMEDY_KIND = "invalid_remedy_kind", 422, "请选择行政复议或行政诉讼";
    INVALID_REMEDY_RESULT = "invalid_remedy_result", 422, "结果应为维持、纠正、其他或尚未审结";
    INVALID_STEP_KIND = "invalid_step_kind", 422, "办理环节不在可选范围内";
    INVALID_WITHHOLD_REASON = "invalid_withhold_reason", 422, "不予公开的理由不在可选范围内";
    NO_CONSULTATION_OPEN = "no_consultation_open", 422, "没有正在进行的征求第三方意见";
    NO_CORRECTION_PENDING = "no_correction_pending", 422, "该申请没有待补正的告知";
    NOT_ANSWERED = "not_answered", 422, "申请尚未答复，不能记录行政复议、行政诉讼";
    NOT_CORRECTED = "not_corrected", 422, "没有收到补正后的申请，不能答复“补正后申请内容仍不明确”";
    PERIOD_NOT_RUNNING = "period_not_running", 422, "答复期限当前未在计算";
    REMEDY_MISMATCH = "remedy_mismatch", 422, "更新结果时，类型和提起日期应与原记录一致";
    WITHHOLD_REASON_REQUIRED = "withhold_reason_required", 422, "不予公开（含部分公开）须选择理由";
}
