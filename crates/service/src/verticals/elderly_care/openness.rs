//! What elderly care adds to the bureau's 政务公开 column: the institutions filed and serving,
//! each public in the register from its filing (《中华人民共和国政府信息公开条例》第二十条第（五）项:
//! the results of the organ's services; 《养老机构管理办法》（民政部令第66号） 备案).

use domain::verticals::elderly_care::institution::Status;

use crate::openness::{Column, OpenEntry};
use crate::{App, ServiceResult};

pub(crate) async fn open_entries(app: &App) -> ServiceResult<Vec<OpenEntry>> {
    let rows = app.store.elderly_care_institutions(None).await?;
    Ok(rows
        .into_iter()
        .filter(|(row, _)| row.institution.status == Status::Operating)
        .map(|(row, _)| OpenEntry {
            column: Column::Proactive,
            category: "养老机构备案",
            basis: "《养老机构管理办法》（民政部令第66号）；《中华人民共和国政府信息公开条例》第二十条第（五）项",
            title: format!("{}（床位{}张）", row.institution.name, row.institution.beds),
            division: row.institution.premises_division.to_string(),
            formed: row.filed_on,
            // The public register reads the filing as it is written.
            published: Some(row.filed_on),
            href: Some("/elderly-care/public".into()),
            own_limit: None,
        })
        .collect())
}
