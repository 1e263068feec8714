//! The machine codes this area mints (the generic ones are in [`crate::codes`]); the tidy test
//! `every_code_the_source_mints_is_in_one_table` holds every code the area's folders mint to a row
//! here or there. A row: `CONST = "code", HTTP status (`-` if never one), "meaning";`.

crate::codes::codes! {
    COMMITMENT_REQUIRED = "commitment_required", 422, "备案实行告知承诺：请申请人书面承诺符合建筑、消防、食品安全、医疗卫生、特种设备等要求";
    INVALID_NUMBER = "invalid_number", 422, "{what}应为整数";
    OUT_OF_RANGE = "out_of_range", 422, "{what}应在{min}至{max}之间";
    INVALID_CHOICE = "invalid_choice", 422, "请选择检查结论";
    UNCHANGED = "unchanged", 422, "{}与名册记载相同，无需变更";
    BEFORE_FILING = "before_filing", 422, "变更日期不能早于备案日期";
    STATUS_TRANSITION = "status_transition", 422, "该机构目前的运营状态不能办理此项（暂停服务的可恢复或终止，终止服务的须重新备案）";
    BEFORE_REPORT = "before_report", 422, "生效日期不能早于报告日期";
    PLACEMENT_REQUIRED = "placement_required", 422, "有在住老年人的，请填写老年人安置方案（安置去向、资金保障等）";
    ELDERLY_CARE_CONFLICT = "elderly_care_conflict", 409, "该养老机构的档案刚被他人更新，请刷新后按最新内容办理";
}
