//! The payment roll as an Excel workbook (xlsx): 花名册, 分项目合计, 较上月变动, Chinese headers.
//! The figures are the roll's (computed from the stored decisions); IDs are as the roll shows them
//! to this reader (masked unless they hold `ReadPersonFull`), and so are the payees' accounts. The
//! export is an event.

use domain::access::Actor;
use domain::audit::EventDraft;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde_json::json;

use crate::assistance::PaymentRollView;
use crate::{App, ServiceError, ServiceResult};

fn xlsx_error(e: XlsxError) -> ServiceError {
    ServiceError::internal(format!("xlsx: {e}"))
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

impl App {
    /// The roll as an xlsx file: (file name, bytes). Recorded as `assistance.roll_export` with
    /// whether IDs were in full.
    pub async fn payment_roll_xlsx(
        &self,
        actor: &Actor,
        county: &str,
        month: &str,
    ) -> ServiceResult<(String, Vec<u8>)> {
        let roll = self.payment_roll(actor, county, month).await?;
        let bytes = roll_workbook(&roll).map_err(xlsx_error)?;
        let event = EventDraft::new(
            format!("payment_roll:{}", roll.division),
            actor.label(),
            "assistance.roll_export",
            json!({"month": roll.month, "lines": roll.lines.len(), "total_fen": roll.total_fen, "full_ids": roll.full_ids}),
        )
        .in_division(roll.division.as_str());
        self.store.record(&event, self.now()).await?;
        Ok((format!("payment-roll-{}-{}.xlsx", roll.division, roll.month), bytes))
    }
}
