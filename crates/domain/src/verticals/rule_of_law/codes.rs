//! The machine codes this area mints (the generic ones are in [`crate::codes`]); the tidy test
//! `every_code_the_source_mints_is_in_one_table` holds every code the area's folders mint to a row
//! here or there. A row: `CONST = "code", HTTP status (`-` if never one), "meaning";`.

crate::codes::codes! {
    REGISTER_UNKNOWN = "register_unknown", 404, "没有这个台账";
    RECORD_YEAR = "record_year", 422, "日期应在2000年至2100年之间";
    DATES_REVERSED = "dates_reversed", 422, "截止日期不能早于起始日期";
    COUNT_RANGE = "count_range", 422, "应为0至…之间的整数";
    CERTIFICATE_NO_FORMAT = "certificate_no_format", 422, "执法证号只能由字母、数字和“-”组成，至多40个字符";
    CERTIFICATE_NOT_REGISTERED = "certificate_not_registered", 422, "执法证号“…”不在执法人员名录中";
    IMPORT_NOT_XLSX = "import_not_xlsx", 422, "上传的文件不是有效的 Excel 工作簿（.xlsx）";
    IMPORT_HEADER_UNKNOWN = "import_header_unknown", 422, "表头“…”不是本台账的列";
    IMPORT_HEADER_MISSING = "import_header_missing", 422, "缺少必填列“…”";
    IMPORT_NO_ROWS = "import_no_rows", 422, "工作簿中没有数据行";
    IMPORT_TOO_MANY_ROWS = "import_too_many_rows", 422, "一次最多导入…行";
    IMPORT_ROWS_INVALID = "import_rows_invalid", 422, "工作簿有…处错误，未导入任何记录";
    RULE_OF_LAW_CONFLICT = "rule_of_law_conflict", 409, "该记录已被他人修改，请刷新后重新填写";
}
