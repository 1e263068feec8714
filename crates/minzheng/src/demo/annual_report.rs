//! The demo's 法治政府建设年度报告 of 2021: the city bureau's legal staff write the narrative as
//! the Dazhou report words it (达州市民政局 2021年度法治政府建设工作情况报告, published 2022-03-23),
//! every figure in it a `{{indicator}}` reference computed from the year the demo built, saved
//! as a draft version through the service. The villages named 民主法治示范村 stay typed text
//! until their register exists.

use domain::access::{Actor, Role};
use service::App;

/// The narrative, with its references.
pub const NARRATIVE_2021: &str = include_str!("annual_report_2021.txt");

/// Saves the 2021 narrative as the city bureau's first version.
pub async fn write(app: &App, staff: &Actor) -> anyhow::Result<()> {
    app.report_save(staff, "511700", 2021, NARRATIVE_2021)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))?;
    Ok(())
}

/// Before the year: the city service centre's items (the 6 行政许可 and 6 公共服务 the report
/// counts there) claimed and published at the city by its catalogue administrator (认领、发布 in
/// the 一体化政务服务平台), through the same use case as the catalogue page. Returns the
/// administrator.
pub async fn prepare(app: &App, printed: &mut Vec<String>) -> anyhow::Result<Actor> {
    let admin = super::account(app, "catalog", "市政务服务中心事项管理员", Role::Admin, "511700", printed).await?;
    for slug in centre(app) {
        for act in ["claim", "publish"] {
            app.set_publication(&admin, &slug, "511700", act)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))?;
        }
    }
    Ok(admin)
}

/// At the end of the year, before the report: the administrator checks the published guide of
/// each of the centre's items element by element (办事指南要素核查) and finds every element right.
pub async fn review_guides(app: &App, admin: &Actor) -> anyhow::Result<()> {
    for slug in centre(app) {
        app.review_guide(admin, &slug, "511700", &[], "")
            .await
            .map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))?;
    }
    Ok(())
}

fn centre(app: &App) -> Vec<String> {
    app.catalog.items_on(app.today()).into_iter().filter(|i| i.city_centre).map(|i| i.slug.clone()).collect()
}
