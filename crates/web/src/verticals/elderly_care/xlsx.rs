//! The institutions' register as an Excel workbook (rendered at the edge: the service gives the
//! entries, already limited to the reader's jurisdiction): one row per institution as it stands,
//! with where its post-filing inspection stands today.

use domain::verticals::elderly_care::InspectionState;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use service::verticals::elderly_care::RegisterEntry;

const HEADERS: [&str; 13] = [
    "机构名称",
    "统一社会信用代码",
    "法定代表人（主要负责人）",
    "类型",
    "床位数",
    "建筑面积（平方米）",
    "服务场所地址",
    "所在地",
    "备案日期",
    "受理地",
    "运营状态",
    "备案后现场检查",
    "检查日期或期限",
];

/// The workbook of `entries`; `place` names a division code in words.
pub fn register_workbook(entries: &[RegisterEntry], place: impl Fn(&str) -> String) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("养老机构名册")?;
    for (col, h) in (0u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, col, h, &bold)?;
        sheet.set_column_width(col, if col == 0 || col == 6 || col == 7 { 32 } else { 16 })?;
    }
    for (row, e) in (1u32..).zip(entries) {
        let i = &e.row.institution;
        let when = match e.inspection {
            InspectionState::Due { due } | InspectionState::Overdue { due } => format!("{due}前"),
            InspectionState::Done { on, .. } => on.to_string(),
        };
        let texts = [
            (0u16, i.name.clone()),
            (1, i.credit_code.clone()),
            (2, i.representative.clone()),
            (3, i.institution_type.name_zh().to_string()),
            (6, i.address.clone()),
            (7, place(i.premises_division.as_str())),
            (8, e.row.filed_on.to_string()),
            (9, place(&e.row.accepting)),
            (10, i.status.name_zh().to_string()),
            (11, e.inspection.name_zh().to_string()),
            (12, when),
        ];
        for (col, text) in texts {
            sheet.write_string(row, col, text)?;
        }
        sheet.write_number(row, 4, i.beds as f64)?;
        sheet.write_number(row, 5, i.floor_area as f64)?;
    }
    book.save_to_buffer()
}
