//! The machine codes this area mints (the generic ones are in [`crate::codes`]); the tidy test
//! `every_code_the_source_mints_is_in_one_table` holds every code the area's folders mint to a row
//! here or there. A row: `CONST = "code", HTTP status (`-` if never one), "meaning";`.

crate::codes::codes! {
    CHECKLIST_INCOMPLETE = "checklist_incomplete", 422, "法制审核应当逐项记录审核意见";
    AMOUNT_FORMAT = "amount_format", 422, "金额应为大于零的元数，最多两位小数";
    REVOKED_BY = "revoked_by", 422, "请选择行政复议或行政诉讼";
    ACT_KIND = "act_kind", 422, "未知的执法环节";
    PENALTY_KIND = "penalty_kind", 422, "请选择处罚种类";
    VALIDITY_ORDER = "validity_order", 422, "有效期截止日不能早于起始日";
    HOURS_RANGE = "hours_range", 422, "培训学时应为0至10000之间的整数";
    NO_OFFICER = "no_officer", 422, "应当由执法人员实施（{BASIS_CREDENTIAL}）";
    CREDENTIAL_INVALID = "credential_invalid", 422, "{}的执法证（{}）在{}不在有效期内或已暂扣，不能实施执法行为（{BASIS_CREDENTIAL}）";
    OFFICER_RECUSED = "officer_recused", 422, "{}已申请回避，不能参与本案（{BASIS_RECUSAL}）";
    TWO_OFFICERS = "two_officers", 422, "案件应当指定不少于两名执法人员（{LAW}第四十二条）";
    REVIEWER_INVESTIGATED = "reviewer_investigated", 422, "{}参与了本案调查，不能担任本案的法制审核人员（{BASIS_REVIEWER}）";
    REVIEWER_UNQUALIFIED = "reviewer_unqualified", 422, "初次从事行政处罚决定法制审核的人员应当取得法律职业资格，{}未取得（{BASIS_REVIEWER}）";
    CERTIFICATE_FORMAT = "certificate_format", 422, "执法证号只能由字母、数字和“-”组成";
    LIMITATION_EXPIRED = "limitation_expired", 422, "违法行为在{years}年内未被发现的，不再给予行政处罚（{LAW}第三十六条）";
    OFFICER_UNKNOWN = "officer_unknown", 422, "执法人员不在执法人员名录中";
    ALREADY_RECUSED = "already_recused", 422, "该执法人员已申请回避";
    APPROVAL_REQUIRED = "approval_required", 422, "先行登记保存应当经行政机关负责人批准（{LAW}第五十六条）";
    NOTHING_PRESERVED = "nothing_preserved", 422, "没有待处理的先行登记保存";
    PENALTY_RAISED = "penalty_raised", 422, "决定的处罚重于告知的处罚，应当重新告知；不得因陈述、申辩加重处罚（{LAW}第四十五条）";
    NOT_NOTIFIED = "not_notified", 422, "作出行政处罚决定前，应当告知当事人拟作出的处罚及其权利（{LAW}第四十四条、第六十二条）";
    NO_HEARING_RIGHT = "no_hearing_right", 422, "拟作出的行政处罚不属于可以要求听证的情形（{LAW}第六十三条）";
    HEARING_REQUEST_LATE = "hearing_request_late", 422, "当事人应当在告知后五个工作日内提出听证要求，最后一日为{due}（{LAW}第六十四条）";
    HEARING_REQUESTED = "hearing_requested", 422, "当事人已经提出听证要求";
    NO_HEARING_REQUEST = "no_hearing_request", 422, "当事人没有提出听证要求";
    CHAIR_INVESTIGATED = "chair_investigated", 422, "听证由非本案调查人员主持（{LAW}第六十四条第四项）";
    HEARING_NOTICE_LATE = "hearing_notice_late", 422, "行政机关应当在举行听证的七个工作日前通知当事人（{LAW}第六十四条第二项）";
    HEARING_EARLY = "hearing_early", 422, "听证通知的举行日期为{day}";
    NO_HEARING_NOTICE = "no_hearing_notice", 422, "尚未通知听证的时间、地点";
    HEARING_PENDING = "hearing_pending", 422, "当事人要求听证，应当先举行听证（{LAW}第六十三条）";
    DISCUSSION_REQUIRED = "discussion_required", 422, "情节复杂或者重大违法行为给予行政处罚，应当集体讨论决定（{LAW}第五十七条第二款）";
    DECISION_LATE = "decision_late", 422, "应当自立案之日起九十日内作出行政处罚决定，期限已于{due}届满（{LAW}第六十条）";
    NOT_DECIDED = "not_decided", 422, "尚未作出处罚决定";
    ALREADY_SERVED = "already_served", 422, "决定书已经送达";
    NOT_SERVED = "not_served", 422, "决定书尚未送达";
    ALREADY_PAID = "already_paid", 422, "已记录缴款";
    AMOUNT_MISMATCH = "amount_mismatch", 422, "应缴金额为{}分（含加处罚款，{LAW}第七十二条）";
    ALREADY_PUBLISHED = "already_published", 422, "处罚决定已经公示";
    ALREADY_REVOKED = "already_revoked", 422, "已记录决定被撤销";
    NOT_PUBLISHED = "not_published", 422, "没有可撤下的公示";
    NOT_SETTLED = "not_settled", 422, "处罚决定尚未送达或尚未履行，不能结案";
    AMOUNT_NOT_ALLOWED = "amount_not_allowed", 422, "该处罚种类不填写金额";
    SUMMARY_NOT_ALLOWED = "summary_not_allowed", 422, "当场处罚仅限警告或者对公民二百元以下、对法人或者其他组织三千元以下罚款（{LAW}第五十一条）";
    PARTY_REQUIRED = "party_required", 422, "缺少当事人";
    EVIDENCE_NOT_ALLOWED = "evidence_not_allowed", 422, "只有调查取证环节可以上传证据材料";
    CERTIFICATE_TAKEN = "certificate_taken", 409, "该执法证号已在执法人员名录中";
    ENFORCEMENT_CONFLICT = "enforcement_conflict", 409, "该案件已被他人办理或已变化，请刷新后按当前情况重新操作";
    YEAR_RANGE = "year_range", 422, "年份应在2000至2100之间";
}
