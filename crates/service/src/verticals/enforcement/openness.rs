//! What enforcement adds to the bureau's 政务公开 column: the 行政处罚 decisions published
//! (《中华人民共和国政府信息公开条例》第二十条第（六）项; 《中华人民共和国行政处罚法》第四十八条),
//! each against the 7 working days of 国办发〔2018〕118号 counted from the decision.

use domain::verticals::enforcement::periods;

use crate::openness::{Column, OpenEntry};
use crate::{App, ServiceResult};

pub(crate) async fn open_entries(app: &App) -> ServiceResult<Vec<OpenEntry>> {
    let calendar = app.calendar();
    let mut out = Vec::new();
    for root in app.whole_tree().0 {
        for p in app.enforcement_publications(&root).await? {
            out.push(OpenEntry {
                column: Column::Proactive,
                category: "行政执法公示",
                basis: "《中华人民共和国行政处罚法》第四十八条；《中华人民共和国政府信息公开条例》第二十条第（六）项",
                title: format!("{}：{}", p.party, p.violation),
                href: Some(format!("/enforcement/public/{}", p.division)),
                division: p.division,
                formed: p.decided_on,
                published: Some(p.published_on),
                own_limit: Some((
                    periods::publication_due(&calendar, p.decided_on).ok(),
                    "《中华人民共和国行政处罚法》第四十八条；国办发〔2018〕118号（7个工作日）",
                )),
            });
        }
    }
    Ok(out)
}
