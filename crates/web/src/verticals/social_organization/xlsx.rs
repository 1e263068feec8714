//! The register as an Excel workbook (rendered at the edge: the service gives the rows): one row
//! per organization, its current facts.

use domain::verticals::social_organization::{DirectCategory, Level, OrgStatus, OrgType};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use service::verticals::social_organization::OrgRow;

const HEADERS: [&str; 12] = [
    "统一社会信用代码",
    "名称",
    "类型",
    "级别",
    "登记方式",
    "业务主管单位",
    "住所",
    "法定代表人（负责人）",
    "活动资金（开办资金，元）",
    "会员数（个人/单位）",
    "成立登记日期",
    "状态",
];

/// The workbook of the register rows given (the caller filtered them to the reader's reach).
pub fn register_workbook(rows: &[OrgRow]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("社会组织登记名册")?;
    for (col, h) in (0u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, col, h, &bold)?;
        sheet.set_column_width(col, if col == 1 || col == 6 { 36 } else { 16 })?;
    }
    for (row, o) in (1u32..).zip(rows) {
        let path = match o.category.as_deref().and_then(DirectCategory::parse) {
            Some(c) => format!("直接登记（{}）", c.name_zh()),
            None => "经业务主管单位审查同意".into(),
        };
        let cells = [
            o.credit_code.clone(),
            o.name.clone(),
            OrgType::parse(&o.org_type).map_or("", |t| t.name_zh()).to_string(),
            Level::parse(&o.level).map_or("", |l| l.name_zh()).to_string(),
            path,
            o.sponsor.clone().unwrap_or_default(),
            o.address.clone(),
            o.legal_rep_name.clone(),
            domain::assistance::format_yuan(o.funds_fen),
            format!("{}/{}", o.individual_members, o.unit_members),
            o.registered_on.to_string(),
            OrgStatus::parse(&o.status).map_or("", |s| s.name_zh()).to_string(),
        ];
        for (col, cell) in (0u16..).zip(cells) {
            sheet.write_string(row, col, cell)?;
        }
    }
    book.save_to_buffer()
}
