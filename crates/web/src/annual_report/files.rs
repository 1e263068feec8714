//! The annual report as files: the Word document in the 公文 layout of GB/T 9704-2012
//! (党政机关公文格式), the figures as a workbook, and the text. Rendered at the edge from what the
//! service returns (the figures and the narrative), as every download is.
//!
//! GB/T 9704-2012: A4 (5.2); margins 上 37 mm, 下 35 mm, 左 28 mm, 右 26 mm (5.2.1 版心 156 mm ×
//! 225 mm); title in 2号小标宋 (22 pt, 7.3.1), body in 3号仿宋 (16 pt, 7.3.3); 22 lines of 28
//! characters a page (5.2.2); page numbers in 4号 (14 pt) 半角宋体 Arabic numerals with a dash
//! either side at the foot (7.5); the issuing organ and the date under the body (7.3.5).

use chrono::NaiveDate;
use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing,
    LineSpacingType, PageMargin, Paragraph, Pic, Run, RunFonts, SpecialIndentType, Table, TableCell, TableRow,
    VAlignType, WidthType,
};
use domain::annual_report::{line_kind, pieces, run_in_heading, LineKind, Piece, Unit};
use service::annual_report::{Figures, ReportCharts};

use crate::charts::{bars, Chart};

/// Twentieths of a point in a millimetre (1 mm = 72 / 25.4 pt).
fn twips(mm: f64) -> i32 {
    (mm * 72.0 / 25.4 * 20.0).round() as i32
}

/// Millimetres of the page (GB/T 9704-2012 5.2).
pub const A4_MM: (f64, f64) = (210.0, 297.0);
/// 上、下、左、右 margins in millimetres (5.2.1).
pub const MARGINS_MM: (f64, f64, f64, f64) = (37.0, 35.0, 28.0, 26.0);
/// Lines a page and characters a line (5.2.2).
pub const GRID: (u32, u32) = (22, 28);

fn body_font() -> RunFonts {
    RunFonts::new().east_asia("仿宋_GB2312").ascii("Times New Roman").hi_ansi("Times New Roman")
}

fn run(text: &str, half_points: usize, fonts: RunFonts) -> Run {
    Run::new().add_text(text).size(half_points).fonts(fonts)
}

/// A run of the body: 3号 (16 pt), its characters drawn 0.2 pt closer so that 28 fill the 156 mm
/// line (GB/T 9704-2012 5.2.2). Character spacing, not a character grid: LibreOffice lays a
/// negative grid pitch out as wider cells (about 17 characters a line), Word and WPS honour both.
fn body_run(text: &str, fonts: RunFonts) -> Run {
    run(text, 32, fonts).character_spacing(body_spacing())
}

/// The body's character spacing in twentieths of a point: the 28-character pitch less 16 pt.
fn body_spacing() -> i32 {
    let pitch_pt = (A4_MM.0 - MARGINS_MM.2 - MARGINS_MM.3) / f64::from(GRID.1) * 72.0 / 25.4;
    ((pitch_pt - 16.0) * 20.0).round() as i32
}

/// The line pitch of 22 lines in the 225 mm 版心, in twips.
fn line_pitch() -> i32 {
    twips((A4_MM.1 - MARGINS_MM.0 - MARGINS_MM.1) / f64::from(GRID.0))
}

fn exact(p: Paragraph) -> Paragraph {
    p.line_spacing(LineSpacing::new().line(line_pitch()).line_rule(LineSpacingType::Exact))
}

/// The report as a .docx: title, body lines (parts in 黑体, sections in 楷体, paragraphs indented
/// two characters), the issuing organ and the date, page numbers at the foot; the charts, when
/// there are any, as its 附件 (named under the body, 7.3.4; on pages of their own after the
/// date, 8.3).
pub fn docx(
    figures: &Figures,
    charts: &[ReportChart],
    title: &str,
    body: &str,
    dated: Option<NaiveDate>,
) -> Result<Vec<u8>, String> {
    let value = |key: &str| figures.get(key).map(|i| i.display()).unwrap_or_else(|| format!("【{key}】"));
    let dash = || RunFonts::new().east_asia("宋体").ascii("宋体");
    let page_number = Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(run("— ", 28, dash()))
        .add_run(Run::new().size(28).add_field_char(FieldCharType::Begin, false))
        .add_run(Run::new().size(28).add_instr_text(InstrText::PAGE(InstrPAGE::new())))
        .add_run(Run::new().size(28).add_field_char(FieldCharType::Separate, false))
        .add_run(run("1", 28, dash()))
        .add_run(Run::new().size(28).add_field_char(FieldCharType::End, false))
        .add_run(run(" —", 28, dash()));
    let mut doc = Docx::new()
        .page_size(twips(A4_MM.0) as u32, twips(A4_MM.1) as u32)
        .page_margin(PageMargin {
            top: twips(MARGINS_MM.0),
            bottom: twips(MARGINS_MM.1),
            left: twips(MARGINS_MM.2),
            right: twips(MARGINS_MM.3),
            header: twips(15.0),
            footer: twips(28.0 - 7.0),
            gutter: 0,
        })
        .footer(Footer::new().add_paragraph(page_number))
        // The grid's character pitch is reckoned from the document's default font size: 16 pt
        // (3号), or a 16 pt character spans two cells of a smaller default and a line holds ~21.
        .default_size(32)
        .default_fonts(body_font());
    // 22 lines in the 225 mm 版心: the line grid; the 28 characters of a line by the body runs'
    // character spacing (`body_run`).
    doc.document =
        doc.document.doc_grid(DocGrid::new().grid_type(DocGridType::Lines).line_pitch(line_pitch() as usize));
    // The title in two lines where its words part (7.3.1: 回行时词意完整，排列对称): the organ and
    // the year, then what the report is.
    let title_font = || RunFonts::new().east_asia("方正小标宋简体");
    let mut heading = Paragraph::new().align(AlignmentType::Center);
    match title.split_once("年度") {
        Some((organ_year, rest)) if !rest.is_empty() => {
            heading = heading
                .add_run(run(&format!("{organ_year}年度"), 44, title_font()).add_break(BreakType::TextWrapping))
                .add_run(run(rest, 44, title_font()));
        }
        _ => heading = heading.add_run(run(title, 44, title_font())),
    }
    doc = doc.add_paragraph(exact(heading));
    doc = doc.add_paragraph(exact(Paragraph::new()));
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let fonts = match line_kind(line) {
            LineKind::Part => RunFonts::new().east_asia("黑体"),
            LineKind::Section => RunFonts::new().east_asia("楷体_GB2312"),
            LineKind::Paragraph => body_font(),
        };
        // 首行缩进 two characters, in twips (what every reader honours; docx-rs writes no
        // w:firstLineChars).
        let two_chars = twips(2.0 * (A4_MM.0 - MARGINS_MM.2 - MARGINS_MM.3) / f64::from(GRID.1));
        let mut p = exact(Paragraph::new().indent(None, Some(SpecialIndentType::FirstLine(two_chars)), None, None));
        // A paragraph opening with a numbered heading of its own ("（一）及时谋划部署。"): the
        // heading in 楷体 as a section line's, the rest in 仿宋.
        let heading = run_in_heading(line).filter(|_| line_kind(line) == LineKind::Paragraph);
        for (n, piece) in pieces(line).into_iter().enumerate() {
            let text = match piece {
                Piece::Text(t) => t,
                Piece::Figure(k) => value(&k),
            };
            match heading.filter(|h| n == 0 && text.starts_with(h)) {
                Some(h) => {
                    p = p.add_run(body_run(h, RunFonts::new().east_asia("楷体_GB2312")));
                    p = p.add_run(body_run(&text[h.len()..], fonts.clone()));
                }
                None => p = p.add_run(body_run(&text, fonts.clone())),
            }
        }
        doc = doc.add_paragraph(p);
    }
    doc = doc.add_paragraph(exact(Paragraph::new()));
    if !charts.is_empty() {
        // 7.3.4: 正文下空一行左空二字编排“附件”二字，后标全角冒号和附件名称.
        let two_chars = twips(2.0 * (A4_MM.0 - MARGINS_MM.2 - MARGINS_MM.3) / f64::from(GRID.1));
        doc = doc.add_paragraph(
            exact(Paragraph::new().indent(Some(two_chars), None, None, None))
                .add_run(body_run(&format!("附件：{ANNEX_TITLE}"), body_font())),
        );
        doc = doc.add_paragraph(exact(Paragraph::new()));
    }
    // 7.3.5: the date 右空四字, the organ centred over it.
    let date = dated_zh(dated);
    let char_twips = f64::from(twips((A4_MM.0 - MARGINS_MM.2 - MARGINS_MM.3) / f64::from(GRID.1)));
    let right = |chars: f64| Some((chars * char_twips).round() as i32);
    let organ_right = 4.0 + (width_in_chars(&date) - width_in_chars(&figures.organ_name)) / 2.0;
    doc = doc.add_paragraph(
        exact(Paragraph::new().align(AlignmentType::Right).indent(None, None, right(organ_right.max(0.0)), None))
            .add_run(body_run(&figures.organ_name, body_font())),
    );
    doc = doc.add_paragraph(
        exact(Paragraph::new().align(AlignmentType::Right).indent(None, None, right(4.0), None))
            .add_run(body_run(&date, body_font())),
    );
    if !charts.is_empty() {
        doc = annex(doc, charts);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// The name of the report's 附件: its charts.
const ANNEX_TITLE: &str = "办件情况图表";

/// Millimetres of an annex table's columns: the row's name, its bars, its values (156 mm).
const ANNEX_COLUMNS_MM: [f64; 3] = [40.0, 96.0, 20.0];
/// The bars' width in the document: the bars' column less its cell margins (2 × 0.19 cm).
const ANNEX_BARS_MM: f64 = 92.0;
/// English Metric Units in a millimetre (a picture's size).
const EMU_PER_MM: f64 = 36_000.0;

/// The charts as the report's 附件 (GB/T 9704-2012 8.3: 另面编排; “附件”二字用3号黑体字顶格编排
/// 在版心左上角第一行; 附件标题居中编排在版心第三行): each chart its title, its legend and a table,
/// a row a group: the name, the bars drawn as a PNG ([`crate::charts::png`], the bars the
/// page's SVG draws), and the values beside their bars in the series' colours.
fn annex(mut doc: Docx, charts: &[ReportChart]) -> Docx {
    use crate::charts::png;
    let small = |text: &str, class: Option<&str>| {
        let r = run(text, 21, body_font());
        match class {
            Some(c) => r.color(png::colour_hex(c)),
            None => r,
        }
    };
    let picture = |image: &png::Raster, width_mm: f64| {
        let height_mm = width_mm * f64::from(image.height) / f64::from(image.width);
        Pic::new_with_dimensions(image.png(), image.width, image.height)
            .size((width_mm * EMU_PER_MM) as u32, (height_mm * EMU_PER_MM) as u32)
    };
    // One bar's pitch in the document, the line of the value written beside it.
    let pitch = twips(png::bar_pitch(ANNEX_BARS_MM));
    doc = doc.add_paragraph(
        exact(Paragraph::new().page_break_before(true)).add_run(body_run("附件", RunFonts::new().east_asia("黑体"))),
    );
    doc = doc.add_paragraph(exact(Paragraph::new()));
    doc = doc.add_paragraph(exact(Paragraph::new().align(AlignmentType::Center)).add_run(run(
        ANNEX_TITLE,
        44,
        RunFonts::new().east_asia("方正小标宋简体"),
    )));
    let columns: Vec<usize> = ANNEX_COLUMNS_MM.iter().map(|mm| twips(*mm) as usize).collect();
    for (n, chart) in charts.iter().enumerate() {
        doc = doc.add_paragraph(exact(Paragraph::new()));
        doc = doc.add_paragraph(
            exact(Paragraph::new().align(AlignmentType::Center))
                .add_run(body_run(&format!("图{}　{}", n + 1, chart.title), RunFonts::new().east_asia("黑体"))),
        );
        let mut legend = Paragraph::new().align(AlignmentType::Center).snap_to_grid(false);
        for series in &chart.series {
            legend = legend
                .add_run(Run::new().add_image(picture(&png::swatch(series.class), 3.0)))
                .add_run(small(&format!(" {}　", series.name), None));
        }
        doc = doc.add_paragraph(legend);
        let cell = |n: usize| TableCell::new().width(columns[n], WidthType::Dxa);
        let per_group = chart.series.len().max(1);
        let rows = chart
            .labels
            .iter()
            .enumerate()
            .map(|(g, label)| {
                let name = chart.rows.get(g).map(|r| r.0.as_str()).unwrap_or(&label.text);
                let mut values = cell(2);
                for bar in chart.bars.iter().skip(g * per_group).take(per_group) {
                    values = values.add_paragraph(
                        Paragraph::new()
                            .snap_to_grid(false)
                            .line_spacing(LineSpacing::new().line(pitch).line_rule(LineSpacingType::Exact))
                            .add_run(small(&bar.text, Some(bar.class))),
                    );
                }
                TableRow::new(vec![
                    cell(0)
                        .vertical_align(VAlignType::Center)
                        .add_paragraph(Paragraph::new().snap_to_grid(false).add_run(small(name, None))),
                    cell(1).add_paragraph(
                        Paragraph::new()
                            .snap_to_grid(false)
                            .add_run(Run::new().add_image(picture(&png::group(chart, g), ANNEX_BARS_MM))),
                    ),
                    values,
                ])
                .cant_split()
            })
            .collect();
        doc = doc.add_table(Table::without_borders(rows).set_grid(columns.clone()));
    }
    doc
}

/// The width of a line of the body in characters of the grid: an ASCII character (the date's
/// Arabic numerals) half a character.
fn width_in_chars(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}

/// The figures as a workbook: key, name, value, numerator, denominator, definition, records.
pub fn xlsx(figures: &Figures) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(format!("{}年度指标", figures.year))?;
    let header = ["指标", "名称", "数值", "分子", "分母", "定义", "所计记录数"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    for (r, i) in figures.indicators.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &i.key)?;
        sheet.write_string(r, 1, &i.label)?;
        sheet.write_string(r, 2, i.display())?;
        sheet.write_number(r, 3, i.numerator as f64)?;
        match (i.unit, i.denominator) {
            (Unit::Percent, Some(d)) => sheet.write_number(r, 4, d as f64)?,
            _ => sheet.write_string(r, 4, "")?,
        };
        sheet.write_string(r, 5, &i.definition)?;
        sheet.write_number(r, 6, i.records.len() as f64)?;
    }
    sheet.set_column_width(1, 30)?;
    sheet.set_column_width(5, 80)?;
    book.save_to_buffer()
}

/// The report as plain text: title, the narrative with its figures, organ and date.
pub fn text(figures: &Figures, title: &str, body: &str, dated: Option<NaiveDate>) -> String {
    format!("{title}\n\n{}\n\n{}\n{}\n", figures.render(body), figures.organ_name, dated_zh(dated))
}

/// The date under the organ: the report version's own date
/// ([`service::annual_report::ReportVersion::dated`]); with no version saved yet (the skeleton),
/// the blanks a draft leaves for the date to be written in.
pub fn dated_zh(dated: Option<NaiveDate>) -> String {
    dated.map(crate::views::date_zh).unwrap_or_else(|| "　　　　年　　月　　日".to_string())
}

/// The title of `figures`' report.
pub fn title(figures: &Figures) -> String {
    format!("{}{}年度法治政府建设工作情况报告", figures.organ_name, figures.year)
}

/// The report's stylesheet (screen, phone width and print).
pub const REPORT_CSS: &str = include_str!("../../static/report.css");

/// A run of a rendered line: text, or a figure linking to its definition and records.
pub struct Part {
    pub text: String,
    pub href: Option<String>,
    pub title: String,
}

pub struct Line {
    /// `part`, `section` or `paragraph`.
    pub kind: &'static str,
    pub parts: Vec<Part>,
}

pub struct IndicatorLine {
    pub key: String,
    pub label: String,
    pub value: String,
    pub definition: String,
    pub href: String,
}

/// The page of an indicator of `figures`.
pub fn indicator_href(figures: &Figures, key: &str) -> String {
    format!("/reports/{}/{}/indicators/{key}", figures.organ, figures.year)
}

/// The narrative as lines with the current figures, each figure a link.
pub fn lines(figures: &Figures, body: &str, frozen: Option<&[domain::annual_report::FrozenFigure]>) -> Vec<Line> {
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| Line {
            kind: match line_kind(line) {
                LineKind::Part => "part",
                LineKind::Section => "section",
                LineKind::Paragraph => "paragraph",
            },
            parts: pieces(line)
                .into_iter()
                .map(|p| match p {
                    Piece::Text(text) => Part { text, href: None, title: String::new() },
                    Piece::Figure(key) => {
                        let frozen_value =
                            frozen.and_then(|f| f.iter().find(|x| x.key == key)).map(|x| x.value.clone());
                        let current = figures.get(&key);
                        Part {
                            text: frozen_value
                                .or_else(|| current.map(|i| i.display()))
                                .unwrap_or_else(|| format!("【{key}】")),
                            href: Some(indicator_href(figures, &key)),
                            title: current.map(|i| i.label.clone()).unwrap_or_default(),
                        }
                    }
                })
                .collect(),
        })
        .collect()
}

pub fn indicator_lines(figures: &Figures) -> Vec<IndicatorLine> {
    figures
        .indicators
        .iter()
        .map(|i| IndicatorLine {
            key: i.key.clone(),
            label: i.label.clone(),
            value: i.display(),
            definition: i.definition.clone(),
            href: indicator_href(figures, &i.key),
        })
        .collect()
}

#[derive(askama::Template)]
#[template(path = "annual_report/document.html")]
pub struct DocumentPage<'a> {
    pub title: String,
    pub inline_css: Option<&'a str>,
    pub note: Option<String>,
    pub lines: Vec<Line>,
    pub organ_name: String,
    pub dated: String,
    pub drift: Vec<domain::annual_report::Drift>,
    pub charts: Vec<ReportChart>,
    pub indicators: Vec<IndicatorLine>,
}

/// A chart of the report with the table of its numbers beside it (drawn by `chart.html`, the
/// chart's fields read through [`std::ops::Deref`]).
pub struct ReportChart {
    pub chart: Chart,
    /// The table's column heads, the first naming the rows.
    pub head: Vec<&'static str>,
    pub rows: Vec<(String, Vec<String>)>,
}

impl std::ops::Deref for ReportChart {
    type Target = Chart;
    fn deref(&self) -> &Chart {
        &self.chart
    }
}

/// A chart's label: long item names are cut (the table beside the chart has them whole).
fn short(name: &str) -> String {
    if name.chars().count() > 9 {
        format!("{}…", name.chars().take(8).collect::<String>())
    } else {
        name.to_string()
    }
}

fn workdays(v: f64) -> String {
    format!("{:.1}", (v * 10.0).round() / 10.0)
}

/// The report's charts (those with something to draw): cases by month, time used against the
/// limit by item, cross-region handling by kind. Server-side SVG, no script; each with its table.
pub fn charts(c: &ReportCharts) -> Vec<ReportChart> {
    use crate::routes::dashboard::month_zh;
    let counts = |values: &[i64]| values.iter().map(|v| Some(*v as f64)).collect::<Vec<_>>();
    let count = |v: f64| format!("{v:.0}");
    let mut out = Vec::new();
    if c.months.iter().any(|m| m.submitted + m.closed > 0) {
        let groups: Vec<(String, Vec<Option<f64>>)> =
            c.months.iter().map(|m| (month_zh(&m.month), counts(&[m.submitted, m.closed, m.on_time]))).collect();
        out.push(ReportChart {
            chart: bars("chart-report-months", "按月办件量", &["提交", "办结", "按时办结"], &groups, None, count),
            head: vec!["月份", "提交", "办结", "按时办结（有期限的办结件）"],
            rows: c
                .months
                .iter()
                .map(|m| {
                    (
                        month_zh(&m.month),
                        vec![m.submitted.to_string(), m.closed.to_string(), format!("{} / {}", m.on_time, m.with_due)],
                    )
                })
                .collect(),
        });
    }
    if !c.items.is_empty() {
        let groups: Vec<(String, Vec<Option<f64>>)> = c
            .items
            .iter()
            .map(|i| (short(&i.name), vec![Some(i.average_workdays), i.promised_workdays.map(f64::from)]))
            .collect();
        let limit = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_else(|| "—".into());
        out.push(ReportChart {
            chart: bars(
                "chart-report-items",
                "各事项平均办理用时与承诺时限（工作日）",
                &["平均用时", "承诺时限"],
                &groups,
                None,
                workdays,
            ),
            head: vec!["事项", "办结件数", "平均用时（工作日）", "承诺时限（工作日）", "法定时限（工作日）"],
            rows: c
                .items
                .iter()
                .map(|i| {
                    (
                        i.name.clone(),
                        vec![
                            i.cases.to_string(),
                            workdays(i.average_workdays),
                            limit(i.promised_workdays),
                            limit(i.statutory_workdays),
                        ],
                    )
                })
                .collect(),
        });
    }
    if c.cross.iter().any(|(_, _, n)| *n > 0) {
        let groups: Vec<(String, Vec<Option<f64>>)> =
            c.cross.iter().map(|(_, name, n)| (name.clone(), counts(&[*n]))).collect();
        out.push(ReportChart {
            chart: bars("chart-report-cross", "按受理地与办理地关系分类的办件量", &["件数"], &groups, None, count),
            head: vec!["类别", "件数"],
            rows: c.cross.iter().map(|(_, name, n)| (name.clone(), vec![n.to_string()])).collect(),
        });
    }
    out
}

/// The report as one HTML file (its stylesheet inside), the figures as they are now.
pub fn html(
    figures: &Figures,
    report_charts: &ReportCharts,
    title: &str,
    body: &str,
    dated: Option<NaiveDate>,
) -> Result<String, askama::Error> {
    use askama::Template;
    DocumentPage {
        title: title.to_string(),
        inline_css: Some(REPORT_CSS),
        note: None,
        lines: lines(figures, body, None),
        organ_name: figures.organ_name.clone(),
        dated: dated_zh(dated),
        drift: Vec::new(),
        charts: charts(report_charts),
        indicators: indicator_lines(figures),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use service::annual_report::ItemTime;
    use service::dashboard::MonthLoad;
    use std::io::Read;

    /// The files of a zip whose names start with `prefix`, inflated (the local headers, as
    /// docx-rs writes them: sizes in the header, stored or deflated).
    fn entries(zip: &[u8], prefix: &str) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut at = 0;
        while at + 30 <= zip.len() && zip[at..at + 4] == [0x50, 0x4b, 0x03, 0x04] {
            let u16_at = |i: usize| u16::from_le_bytes([zip[at + i], zip[at + i + 1]]) as usize;
            let size = u32::from_le_bytes(zip[at + 18..at + 22].try_into().unwrap()) as usize;
            let (method, name_len, extra_len) = (u16_at(8), u16_at(26), u16_at(28));
            let name = String::from_utf8_lossy(&zip[at + 30..at + 30 + name_len]).to_string();
            let data = &zip[at + 30 + name_len + extra_len..at + 30 + name_len + extra_len + size];
            if name.starts_with(prefix) && !name.ends_with('/') {
                let mut body = Vec::new();
                match method {
                    0 => body.extend_from_slice(data),
                    _ => {
                        flate2::read::DeflateDecoder::new(data).read_to_end(&mut body).unwrap();
                    }
                }
                out.push((name, body));
            }
            at += 30 + name_len + extra_len + size;
        }
        out
    }

    fn figures() -> Figures {
        Figures { organ: "511700".into(), organ_name: "达州市民政局".into(), year: 2021, indicators: Vec::new() }
    }

    #[test]
    fn the_charts_go_into_the_docx_as_pictures_in_an_annex() {
        let month = |month: &str, submitted, closed| MonthLoad {
            month: month.into(),
            submitted,
            closed,
            on_time: closed,
            with_due: closed,
        };
        let report_charts = ReportCharts {
            months: vec![month("2021-01", 4, 2), month("2021-02", 0, 1)],
            cross: Vec::new(),
            items: vec![ItemTime {
                name: "结婚登记".into(),
                cases: 3,
                average_workdays: 0.5,
                promised_workdays: Some(1),
                statutory_workdays: Some(1),
            }],
        };
        let drawn = charts(&report_charts);
        assert_eq!(drawn.len(), 2, "months and items; no cross-region cases, no chart");
        let file = docx(&figures(), &drawn, "达州市民政局2021年度法治政府建设工作情况报告", "正文。", None).unwrap();
        let document = entries(&file, "word/document.xml");
        let xml = String::from_utf8(document[0].1.clone()).unwrap();
        // A picture per group (two months, one item) and a legend square per series (3 + 2).
        let media = entries(&file, "word/media/");
        assert_eq!(xml.matches("<pic:pic").count(), 3 + 5, "{xml}");
        assert!(!media.is_empty() && media.iter().all(|(_, png)| png.starts_with(b"\x89PNG\r\n\x1a\n")));
        for needle in
            ["附件：办件情况图表", "图1　按月办件量", "图2　各事项平均办理用时", "2021年1月", "结婚登记", ">4<"]
        {
            assert!(xml.contains(needle), "document.xml lacks {needle}");
        }
        // The organ's name closes the body (the last time it is written), before the annex.
        let signed = xml.rfind("达州市民政局").unwrap();
        assert!(xml.find("附件：").unwrap() < signed, "named under the body");
        assert!(signed < xml.find("图1").unwrap(), "the annex after the date");
        // The value beside its bar, in the series' colour.
        assert!(xml.contains(r#"<w:color w:val="b38600" />"#), "{xml}");

        let bare = docx(&figures(), &[], "报告", "正文。", None).unwrap();
        let xml = String::from_utf8(entries(&bare, "word/document.xml")[0].1.clone()).unwrap();
        assert!(!xml.contains("<pic:pic") && !xml.contains("附件"), "no charts, no annex");
        assert!(entries(&bare, "word/media/").is_empty());
    }
}
