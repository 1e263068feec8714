//! The machine codes this area mints (the generic ones are in [`crate::codes`]); the tidy test
//! `every_code_the_source_mints_is_in_one_table` holds every code the area's folders mint to a row
//! here or there. A row: `CONST = "code", HTTP status (`-` if never one), "meaning";`.

crate::codes::codes! {
    DECISION_PUBLISHED = "decision_published", 422, "决策已经公布，不能再记录程序";
    STEP_BEFORE_LAST = "step_before_last", 422, "日期不能早于已记录的上一项程序（{last}）";
    PROCEDURE_OMITTED = "procedure_omitted", 422, "已记录{}依法不适用，不能再记录该程序";
    HEARING_NOTICE_SHORT = "hearing_notice_short", 422, "听证材料应当至少在听证会召开7日前送达听证参加人";
    NO_COMMENT_PERIOD = "no_comment_period", 422, "尚未公开征求意见，不能归纳意见";
    COMMENT_PERIOD_RUNNING = "comment_period_running", 422, "征求意见期限至{until}，期限届满前不得讨论决定";
    ADOPTED_EXCEEDS_RECEIVED = "adopted_exceeds_received", 422, "采纳的意见数不能多于收到的意见数";
    EXPERT_INTERESTED = "expert_interested", 422, "不得选择与决策事项有直接利害关系的专家、专业机构参与论证";
    EXPERT_UNSIGNED = "expert_unsigned", 422, "书面论证意见应当署名、盖章";
    PROCEDURE_UNRESOLVED = "procedure_unresolved", 422, "{}尚未完成，也未依法记录不适用，不得提交集体讨论";
    REVIEW_TIME_SHORT = "review_time_short", 422, "合法性审查时间一般不少于7个工作日（自{on}送审，审查期限应不早于{earliest}）";
    REVIEW_NOT_REQUESTED = "review_not_requested", 422, "尚未送请合法性审查";
    LEGALITY_NOT_PASSED = "legality_not_passed", 422, "决策草案未经合法性审查，不得提交决策机关讨论；不得以征求意见等方式代替合法性审查";
    HEAD_NOT_LAST = "head_not_last", 422, "行政首长应当最后发表意见";
    DEPARTURE_UNEXPLAINED = "departure_unexplained", 422, "行政首长拟作出的决定与会议组成人员多数人的意见不一致的，应当在会上说明理由";
    NOT_DISCUSSED = "not_discussed", 422, "决策未经集体讨论决定通过，不得公布";
    PROCEDURE_MANDATORY = "procedure_mandatory", 422, "{}是法定必经程序，不得省略";
    PROCEDURE_BEGUN = "procedure_begun", 422, "{}已经开展，不能再记录为不适用";
    BAD_NUMBER = "bad_number", 422, "应为非负整数";
    EFFECTIVE_BEFORE_PUBLISHED = "effective_before_published", 422, "施行日期不能早于发布日期";
    VALID_UNTIL_ORDER = "valid_until_order", 422, "有效期至不能早于施行日期";
    VALIDITY_TOO_LONG = "validity_too_long", 422, "{}有效期不得超过{years}年（自{effective}施行，最迟至{latest}）（{SICHUAN}）";
    REVIEW_ORDER = "review_order", 422, "审核意见日期不能早于送审日期";
    PUBLISHED_BEFORE_REVIEW = "published_before_review", 422, "规范性文件应当在合法性审核之后发布（{SICHUAN}）";
    PUBLISHED_DURING_COMMENT = "published_during_comment", 422, "征求意见期限届满前不得发布";
    COMMENT_REQUIRED = "comment_required", 422, "与市场主体生产经营活动密切相关的规范性文件，应当向社会公开征求意见（《优化营商环境条例》第六十二条）";
    COMMENT_UNTIL_ORDER = "comment_until_order", 422, "征求意见截止日期应晚于开始日期";
    COMMENT_PERIOD_SHORT = "comment_period_short", 422, "公开征求意见的期限一般不少于30日（自{opened_on}起应至少到{min_end}）；缩短期限的，应当在征求意见时说明理由（{basis}）";
    BAD_YEAR = "bad_year", 422, "目录年度应为2019年以后的年份（《重大行政决策程序暂行条例》自2019年9月1日起施行）";
    FUTURE_DATE = "future_date", 422, "不能记录今天以后的日期";
    UNKNOWN_DOCUMENT = "unknown_document", 422, "登记簿中没有该制定机关的这一文号";
    RULE_ALREADY_FILED = "rule_already_filed", 409, "该规范性文件已经备案";
    DOCUMENT_NOT_IN_FORCE = "document_not_in_force", 422, "该文件在{on}已{}，不能再{}";
    NOTHING_TO_CLEAN = "nothing_to_clean", 422, "该地区没有现行有效的规范性文件";
    CLEANUP_PUBLISHED = "cleanup_published", 409, "清理结果已经公布";
    NOT_IN_CLEANUP = "not_in_cleanup", 422, "该文件不在本次清理范围内";
    CLEANUP_INCOMPLETE = "cleanup_incomplete", 422, "《{}》尚无清理意见，逐件提出意见后方可公布清理结果";
    RULE_DOCUMENT_NUMBER = "rule_document_number", 409, "该制定机关已登记同一文号的规范性文件";
    RULE_CONFLICT = "rule_conflict", 409, "记录已被他人更新，请刷新后按当前情况重新操作";
    CONSULTATION_CLOSED = "consultation_closed", 422, "征求意见期限至{until}，不在征求意见期限内，不再接收意见";
    COMMENT_ANSWERED = "comment_answered", 409, "该意见已经答复";
    TOO_SHORT = "too_short", 422, "意见至少{min}个字";
    PENDING = "pending", 422, "…";
    IN_PROGRESS = "in_progress", 422, "…";
    DONE = "done", 422, "…";
    OMITTED = "omitted", 422, "…";
}
