//! The payment roll as an Excel workbook (xlsx): 花名册, 分项目合计, 较上月变动, Chinese headers.
//! The figures are the roll's (computed by the service from the stored decisions); IDs are as the
//! roll shows them to this reader (masked unless they hold `ReadPersonFull`), and so are the
//! payees' accounts. The service records the export (`App::payment_roll_export`).

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use service::assistance::PaymentRollView;

/// The file name of a roll's workbook.
pub fn file_name(roll: &PaymentRollView) -> String {
    format!("payment-roll-{}-{}.xlsx", roll.division, roll.month)
}

/// Yuan as a number for the sheet (two decimals shown).
fn yuan(fen: i64) -> f64 {
    // Exact for every amount below 2^53 fen.
    fen as f64 / 100.0
}

fn headers(sheet: &mut Worksheet, bold: &Format, names: &[&str]) -> Result<(), XlsxError> {
    for (col, name) in (0u16..).zip(names) {
        sheet.write_string_with_format(0, col, *name, bold)?;
        sheet.set_column_width(col, 16)?;
    }
    Ok(())
}

/// The workbook of one roll.
pub fn roll_workbook(roll: &PaymentRollView) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    let bold_money = Format::new().set_bold().set_num_format("0.00");

    let sheet = book.add_worksheet();
    sheet.set_name("花名册")?;
    headers(
        sheet,
        &bold,
        &[
            "序号",
            "救助项目",
            "家庭编号",
            "姓名",
            "身份证号码",
            "发放金额（元）",
            "办件编号",
            "停发月份",
            "收款账户类型",
            "开户银行",
            "收款账号",
        ],
    )?;
    let mut row: u32 = 1;
    for (n, line) in (1u32..).zip(&roll.lines) {
        sheet.write_number(row, 0, n)?;
        sheet.write_string(row, 1, &line.program_name)?;
        sheet.write_number(row, 2, line.household_id as f64)?;
        sheet.write_string(row, 3, &line.name)?;
        sheet.write_string(row, 4, &line.id_number)?;
        sheet.write_number_with_format(row, 5, yuan(line.amount_fen), &money)?;
        sheet.write_number(row, 6, line.case_id as f64)?;
        // A stop already decided from a later month (渐退期, or next month's stop).
        if let Some(month) = &line.stop_from {
            sheet.write_string(row, 7, format!("自 {month} 起停发"))?;
        }
        // The payee's account, as the roll shows it to this reader (masked unless full access).
        if let Some(account) = &line.account {
            sheet.write_string(row, 8, &account.kind_name)?;
            sheet.write_string(row, 9, &account.bank)?;
            sheet.write_string(row, 10, &account.number)?;
        }
        row += 1;
    }
    sheet.write_string_with_format(row, 1, "合计", &bold)?;
    sheet.write_number_with_format(row, 5, yuan(roll.total_fen), &bold_money)?;
    sheet.write_string(
        row + 2,
        0,
        format!("{}　{} 发放花名册（由已作出的决定计算）", roll.division_name, roll.month),
    )?;

    let sheet = book.add_worksheet();
    sheet.set_name("分项目合计")?;
    headers(sheet, &bold, &["救助项目", "人（户）数", "金额（元）"])?;
    let mut row: u32 = 1;
    for t in &roll.totals {
        sheet.write_string(row, 0, &t.program_name)?;
        sheet.write_number(row, 1, t.count as f64)?;
        sheet.write_number_with_format(row, 2, yuan(t.amount_fen), &money)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "合计", &bold)?;
    sheet.write_number_with_format(row, 1, roll.lines.len() as f64, &bold)?;
    sheet.write_number_with_format(row, 2, yuan(roll.total_fen), &bold_money)?;

    let sheet = book.add_worksheet();
    sheet.set_name("较上月变动")?;
    headers(sheet, &bold, &["变动类型", "救助项目", "姓名", "上月金额（元）", "本月金额（元）"])?;
    for (row, c) in (1u32..).zip(&roll.changes) {
        sheet.write_string(row, 0, &c.kind_name)?;
        sheet.write_string(row, 1, &c.program_name)?;
        sheet.write_string(row, 2, &c.name)?;
        sheet.write_string(row, 3, &c.before_yuan)?;
        sheet.write_string(row, 4, &c.after_yuan)?;
    }
    let last = u32::try_from(roll.changes.len()).unwrap_or(0) + 2;
    for (i, note) in (last..).zip(&roll.excluded) {
        sheet.write_string(i, 0, note)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use service::assistance::{RollChangeView, RollLineView, RollTotalView};
    use service::assistance_accounts::AccountView;

    fn line(name: &str, id_number: &str, amount_fen: i64, account: Option<AccountView>) -> RollLineView {
        RollLineView {
            program: "extreme_poverty".into(),
            program_name: "特困人员救助供养".into(),
            household_id: 7,
            payee: 1,
            name: name.into(),
            id_number: id_number.into(),
            amount_fen,
            amount_yuan: String::new(),
            case_id: 3,
            stop_from: None,
            account,
        }
    }

    fn roll() -> PaymentRollView {
        let account = AccountView {
            kind: "social_security_card".into(),
            kind_name: "社会保障卡".into(),
            bank: "中国农业银行达州分行".into(),
            number: "6228***********0018".into(),
        };
        PaymentRollView {
            county: "511702".into(),
            county_name: "通川区".into(),
            division: "511702001".into(),
            division_name: "四川省达州市通川区东城街道".into(),
            month: "2021-08".into(),
            lines: vec![
                line("张三", "5117**************", 123_456, Some(account)),
                line("李四", "5117**************", 70_050, None),
            ],
            totals: vec![RollTotalView {
                program: "extreme_poverty".into(),
                program_name: "特困人员救助供养".into(),
                count: 2,
                amount_fen: 193_506,
                amount_yuan: "1935.06".into(),
            }],
            total_fen: 193_506,
            total_yuan: "1935.06".into(),
            changes: vec![RollChangeView {
                kind: "new".into(),
                kind_name: "新增".into(),
                program_name: "特困人员救助供养".into(),
                payee: 2,
                name: "李四".into(),
                before_yuan: "0.00".into(),
                after_yuan: "700.50".into(),
            }],
            excluded: Vec::new(),
            full_ids: false,
        }
    }

    fn cents(d: &Data) -> i64 {
        match d {
            Data::Float(f) => (f * 100.0).round() as i64,
            Data::Int(i) => i * 100,
            other => panic!("not a number: {other:?}"),
        }
    }

    /// The workbook carries the roll as given: every line with its ID as the roll shows it, the
    /// amounts in yuan adding up to the total row, the payee's account, the totals per program
    /// and the changes.
    #[test]
    fn the_workbook_carries_the_roll_as_given() {
        let roll = roll();
        assert_eq!(file_name(&roll), "payment-roll-511702001-2021-08.xlsx");
        let bytes = roll_workbook(&roll).expect("workbook");
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx file");
        let sheet = book.worksheet_range("花名册").expect("sheet");
        let rows: Vec<&[Data]> = sheet.rows().collect();
        assert_eq!(rows[0][4], Data::String("身份证号码".into()));
        assert_eq!(rows[0][10], Data::String("收款账号".into()));
        let lines: Vec<&&[Data]> =
            rows.iter().skip(1).filter(|r| matches!(r[0], Data::Float(_) | Data::Int(_))).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines.iter().map(|r| cents(&r[5])).sum::<i64>(), roll.total_fen);
        assert_eq!(lines[0][4], Data::String("5117**************".into()));
        assert_eq!(lines[0][10], Data::String("6228***********0018".into()));
        let total_row = rows.iter().find(|r| r[1] == Data::String("合计".into())).expect("合计");
        assert_eq!(cents(&total_row[5]), roll.total_fen);
        let totals = book.worksheet_range("分项目合计").expect("totals sheet");
        assert!(totals.rows().any(|r| r[0] == Data::String("特困人员救助供养".into()) && cents(&r[2]) == 193_506));
        let changes = book.worksheet_range("较上月变动").expect("changes sheet");
        assert!(changes.rows().any(|r| r[0] == Data::String("新增".into()) && r[2] == Data::String("李四".into())));
    }
}
