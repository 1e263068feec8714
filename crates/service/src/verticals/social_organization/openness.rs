//! What social organizations add to the bureau's 政务公开 column: the registration authority's
//! 公告 (《社会团体登记管理条例》第二十三条; 《民办非企业单位登记管理暂行条例》第十八条;
//! 《中华人民共和国政府信息公开条例》第二十条第（五）项), public from the registration itself.
//! The authority is read from the organization's 统一社会信用代码 (GB 32100-2015: characters 3–8
//! are the registering authority's division).

use crate::openness::{Column, OpenEntry};
use crate::{App, ServiceResult};

/// How many of the latest announcements the column lists.
const LATEST: i64 = 500;

pub(crate) async fn open_entries(app: &App) -> ServiceResult<Vec<OpenEntry>> {
    Ok(app
        .social_org_announcements(LATEST)
        .await?
        .into_iter()
        .filter_map(|a| {
            let division = a.credit_code.get(2..8)?.to_string();
            let kind = match a.change_kind.as_str() {
                "establish" => "成立登记",
                "name" => "名称变更",
                "address" => "住所变更",
                "legal_rep" => "法定代表人变更",
                "deregister" => "注销登记",
                _ => "变更登记",
            };
            Some(OpenEntry {
                column: Column::Proactive,
                category: "社会组织登记公告",
                basis: "《社会团体登记管理条例》第二十三条；《民办非企业单位登记管理暂行条例》第十八条",
                title: format!("{}（{}）", a.name, kind),
                division,
                formed: a.on,
                published: Some(a.on),
                href: Some("/organizations/announcements".into()),
                own_limit: None,
            })
        })
        .collect())
}
