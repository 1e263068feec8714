//! The annual report's sections 三 and 四 as an Excel workbook, in the national format's layout
//! (国办公开办函〔2021〕30号): the same figures as the page, from [`AnnualReport`].

use domain::verticals::disclosure::{AnnualReport, ApplicantKind};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The workbook of one year's report.
pub fn report_workbook(report: &AnnualReport) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();

    let sheet = book.add_worksheet();
    sheet.set_name("收到和处理申请情况")?;
    sheet.write_string_with_format(0, 0, format!("{}年度 三、收到和处理政府信息公开申请情况", report.year), &bold)?;
    sheet.set_column_width(0, 60)?;
    sheet.write_string_with_format(1, 0, "项目", &bold)?;
    for (col, kind) in (1u16..).zip(ApplicantKind::ALL) {
        sheet.write_string_with_format(1, col, kind.name_zh(), &bold)?;
        sheet.set_column_width(col, 14)?;
    }
    sheet.write_string_with_format(1, 7, "总计", &bold)?;
    for (row, line) in (2u32..).zip(&report.rows) {
        let indent = "  ".repeat(usize::from(line.level));
        sheet.write_string(row, 0, format!("{indent}{}", line.label))?;
        for (col, n) in (1u16..).zip(line.counts) {
            sheet.write_number(row, col, n as f64)?;
        }
        sheet.write_number(row, 7, line.total() as f64)?;
    }

    let remedies = book.add_worksheet();
    remedies.set_name("行政复议行政诉讼情况")?;
    remedies.write_string_with_format(
        0,
        0,
        format!("{}年度 四、政府信息公开行政复议、行政诉讼情况", report.year),
        &bold,
    )?;
    for (col, (group, result, n)) in (0u16..).zip(report.remedy_columns()) {
        remedies.write_string_with_format(1, col, group, &bold)?;
        remedies.write_string_with_format(2, col, result, &bold)?;
        remedies.write_number(3, col, n as f64)?;
        remedies.set_column_width(col, 14)?;
    }
    book.save_to_buffer()
}
