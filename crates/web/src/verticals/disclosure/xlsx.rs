//! The annual report's sections 三 and 四 as an Excel workbook, in the national format's layout
//! (国办公开办函〔2021〕30号): the same figures as the page, from the [`AnnualReport`] the service
//! computes.

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

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use chrono::NaiveDate;
    use domain::verticals::disclosure::{AnswerKind, RequestRecord};

    fn count(d: &Data) -> i64 {
        match d {
            Data::Float(f) => *f as i64,
            Data::Int(i) => *i,
            other => panic!("not a number: {other:?}"),
        }
    }

    /// The workbook holds the report's rows as computed: one line per row with its label, a
    /// count per applicant column and the total; the remedies on the second sheet.
    #[test]
    fn the_workbook_holds_the_reports_figures() {
        let day = |m, d| NaiveDate::from_ymd_opt(2021, m, d).expect("date");
        let records = [
            RequestRecord {
                applicant_kind: ApplicantKind::NaturalPerson,
                received_on: day(9, 30),
                answer: Some((day(10, 20), AnswerKind::Disclosed, None)),
            },
            RequestRecord { applicant_kind: ApplicantKind::Business, received_on: day(12, 28), answer: None },
        ];
        let report = AnnualReport::compute(2021, &records, &[]);
        let bytes = report_workbook(&report).expect("workbook");
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx file");
        let sheet = book.worksheet_range("收到和处理申请情况").expect("sheet");
        let rows: Vec<&[Data]> = sheet.rows().collect();
        assert_eq!(rows[1][1], Data::String(ApplicantKind::ALL[0].name_zh().into()));
        assert_eq!(rows.len(), report.rows.len() + 2);
        for (line, row) in report.rows.iter().zip(&rows[2..]) {
            let Data::String(label) = &row[0] else { panic!("a label") };
            assert_eq!(label.trim(), line.label);
            let counts: Vec<i64> = row[1..7].iter().map(count).collect();
            assert_eq!(counts, line.counts);
            assert_eq!(count(&row[7]), line.total());
        }
        assert!(report.rows.iter().any(|r| r.total() == 2), "the two requests are counted somewhere");
        let remedies = book.worksheet_range("行政复议行政诉讼情况").expect("remedies sheet");
        assert_eq!(
            remedies.rows().nth(1).map(|r| r[0].clone()),
            Some(Data::String(report.remedy_columns()[0].0.into()))
        );
    }
}
