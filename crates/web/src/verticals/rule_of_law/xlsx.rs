//! A register as an Excel workbook, both ways. Written with Chinese headers (the fields' labels)
//! and the values as the import reads them back (a choice by its Chinese name, 是/否, a date
//! `YYYY-MM-DD`, a division by its code, with its name in a last column the import does not
//! read). Reading only turns the first sheet into rows of text by field key, each with its sheet
//! row number; checking the rows is the domain's parser, called by the service on every row.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use domain::problem::FieldError;
use domain::verticals::rule_of_law::{RecordInput, Register};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use service::verticals::rule_of_law::{RecordRow, RowProblem};

/// The last column: the division's name, for the reader; the import skips it.
pub const DIVISION_NAME_HEADER: &str = "行政区划名称（导入时不读）";

/// The file name of a register's workbook.
pub fn file_name(register: Register, year: Option<i32>) -> String {
    match year {
        Some(y) => format!("rule-of-law-{}-{y}.xlsx", register.as_str()),
        None => format!("rule-of-law-{}.xlsx", register.as_str()),
    }
}

/// The workbook of a register's records.
pub fn workbook(register: Register, rows: &[RecordRow]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name(register.name_zh())?;
    let fields = register.fields();
    for (col, field) in (0u16..).zip(fields) {
        sheet.write_string_with_format(0, col, field.label, &bold)?;
        sheet.set_column_width(col, 18)?;
    }
    let last = fields.len() as u16;
    sheet.write_string_with_format(0, last, DIVISION_NAME_HEADER, &bold)?;
    sheet.set_column_width(last, 30)?;
    for (row, record) in (1u32..).zip(rows) {
        for (col, field) in (0u16..).zip(fields) {
            // Text cells: a code or a date stays what it is when the sheet is opened and saved.
            sheet.write_string_with_format(row, col, record.entry.cell(field.key), &text)?;
        }
        sheet.write_string(row, last, record.entry.shown("division"))?;
    }
    book.save_to_buffer()
}

fn problem(row: u32, field: &str, code: &'static str, message: String) -> RowProblem {
    RowProblem { row, problem: FieldError::new(field, code, message) }
}

/// A day from Excel's serial number (the 1900 system, days since 1899-12-30 past 1900-03-01).
fn excel_day(serial: f64) -> Option<String> {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    if !(61.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    base.checked_add_days(chrono::Days::new(serial.floor() as u64)).map(|d| d.to_string())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(true) => "是".into(),
        Data::Bool(false) => "否".into(),
        Data::DateTime(dt) => excel_day(dt.as_f64()).unwrap_or_else(|| dt.as_f64().to_string()),
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e:?}"),
    }
}

/// The rows of the first sheet, by field key, each with its sheet row number (the header is
/// row 1; blank rows are skipped). A file that is not a workbook, a header that is no field's
/// label, a required field without its column are refused as problems of row 1.
pub fn read(register: Register, bytes: &[u8]) -> Result<Vec<(u32, RecordInput)>, Vec<RowProblem>> {
    let not_xlsx = || vec![problem(1, "file", "import_not_xlsx", "上传的文件不是有效的 Excel 工作簿（.xlsx）".into())];
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|_| not_xlsx())?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        _ => return Err(not_xlsx()),
    };
    let mut rows = range.rows();
    let header: Vec<String> = match rows.next() {
        Some(cells) => cells.iter().map(|c| cell_text(c).trim().to_string()).collect(),
        None => return Err(vec![problem(1, "file", "import_no_rows", "工作簿中没有数据行".into())]),
    };
    let mut problems = Vec::new();
    // The column of each field; None for a column the import skips.
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    for name in &header {
        if name.is_empty() || name == DIVISION_NAME_HEADER {
            columns.push(None);
            continue;
        }
        match register.fields().iter().find(|f| f.label == name.as_str()) {
            Some(f) => columns.push(Some(f.key)),
            None => {
                columns.push(None);
                problems.push(problem(1, "header", "import_header_unknown", format!("表头“{name}”不是本台账的列")));
            }
        }
    }
    for field in register.fields().iter().filter(|f| f.required) {
        if !columns.contains(&Some(field.key)) {
            problems.push(problem(1, field.key, "import_header_missing", format!("缺少必填列“{}”", field.label)));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // The sheet's first row may not be row 1 of the sheet (leading empty rows).
    let first_row = range.start().map_or(0, |(r, _)| r) + 1;
    let mut out = Vec::new();
    for (offset, cells) in rows.enumerate() {
        let row_number = first_row + 1 + offset as u32;
        let mut input: RecordInput = BTreeMap::new();
        for (cell, key) in cells.iter().zip(&columns) {
            if let Some(key) = key {
                input.insert(key.to_string(), cell_text(cell));
            }
        }
        if input.values().all(|v| v.trim().is_empty()) {
            continue;
        }
        out.push((row_number, input));
    }
    if out.is_empty() {
        return Err(vec![problem(1, "file", "import_no_rows", "工作簿中没有数据行".into())]);
    }
    Ok(out)
}

/// A problem as the import's answer names it: its row and its column header.
pub fn column_of(register: Register, field: &str) -> String {
    match register.field(field) {
        Some(f) => f.label.to_string(),
        None if field == "file" => "文件".into(),
        None if field == "header" => "表头".into(),
        None => field.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serial_days() {
        assert_eq!(excel_day(44348.0).as_deref(), Some("2021-06-01"));
        assert_eq!(excel_day(44534.5).as_deref(), Some("2021-12-04"));
        assert_eq!(excel_day(10.0), None);
    }
}
