//! The annual report's figures of the 12345 hotline and 差评整改, from the tickets and the
//! ratings of the year: tickets received, 按时办结率 (《四川省12345政务服务便民热线运行管理办法》:
//! 3/7/15 个工作日), 回访率 and 满意率 (国办发〔2020〕53号: every completed ticket called back),
//! and 实名差评回访整改率 (国办发〔2019〕51号: 实名差评回访整改率达到100%).

use domain::access::{Actor, Permission};
use domain::annual_report::{CountedRecord, Indicator};
use domain::verticals::hotline::rectification::RectStage;

use crate::{App, ServiceResult};

pub(crate) async fn indicators(app: &App, leader: &Actor, year: i32) -> ServiceResult<Vec<Indicator>> {
    let stats = app.hotline_stats(leader, year).await?;
    let t = stats.tickets;
    let tickets: Vec<CountedRecord> = app
        .hotline_list(leader, year)
        .await?
        .into_iter()
        .map(|v| CountedRecord {
            label: format!(
                "{}（{}）",
                v.full.ticket.subject,
                v.full.ticket.platform_number.as_deref().unwrap_or("工作人员录入")
            ),
            date: v.full.ticket.received_on.to_string(),
            href: format!("/hotline/tickets/{}", v.full.ticket.id),
            division: v.full.ticket.division.clone(),
        })
        .collect();
    // 实名差评: a rating whose rater is known by name (an anonymous one cannot be called back).
    let named: Vec<_> = app
        .hotline_rect_views(leader, Permission::ReadServiceStats, year, None)
        .await?
        .into_iter()
        .filter(|v| v.rating.rater_name.is_some())
        .collect();
    let named_done =
        named.iter().filter(|v| v.state.called_back_on.is_some() && v.state.stage == RectStage::Closed).count();
    Ok(vec![
        Indicator::count(
            "hotline:received",
            "受理12345热线工单件数",
            &format!("{year}年受理的12345热线工单件数（平台转来和工作人员录入的），取自工单记录。"),
            tickets,
        )
        .at("/hotline"),
        Indicator::rate(
            "hotline:on_time",
            "12345工单按时办结率",
            &format!(
                "{year}年受理并已办结的工单中，最后一次答复在其办理时限内（咨询3个、求助和意见建议7个、投诉举报15个工作日，延期批准的按延期后时限）的件数 ÷ 已办结件数。"
            ),
            i64::from(t.on_time),
            i64::from(t.completed),
        )
        .at("/hotline"),
        Indicator::rate(
            "hotline:callback",
            "12345工单回访率",
            &format!("{year}年受理并已办结的工单中，已回访的件数 ÷ 已办结件数。"),
            i64::from(t.called_back),
            i64::from(t.completed),
        )
        .at("/hotline"),
        Indicator::rate(
            "hotline:satisfaction",
            "12345工单满意率",
            &format!("{year}年已回访的工单中，最后一次回访为满意的件数 ÷ 已回访件数。"),
            i64::from(t.satisfied),
            i64::from(t.called_back),
        )
        .at("/hotline"),
        Indicator::rate(
            "hotline:named_bad_rectified",
            "实名差评回访整改率",
            &format!(
                "{year}年收到的实名差评（不满意、非常不满意）中，已回访并整改或作出解释而办结的件数 ÷ 实名差评件数（国办发〔2019〕51号：目标100%）。"
            ),
            named_done as i64,
            named.len() as i64,
        )
        .at("/hotline/rectifications"),
    ])
}
