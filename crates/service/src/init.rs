//! `minzheng init`: divisions loaded, the first administrator created with a random password
//! (printed once; there are no default passwords), the first checkpoint written. Safe to run
//! twice: what exists is left alone.

use domain::access::Role;

use crate::accounts::{random_password, AccountInput};
use crate::{App, ServiceResult};

/// The division the first administrator is granted (Dazhou, the model user), unless configured.
pub const DEFAULT_ROOT_DIVISION: &str = "511700";

#[derive(Debug, Clone)]
pub struct InitReport {
    pub divisions_added: u64,
    /// The administrator created now, with the one-time password.
    pub admin: Option<(String, String)>,
}

impl App {
    pub async fn init(&self, root_division: &str) -> ServiceResult<InitReport> {
        let divisions_added = self.load_divisions().await?;
        self.sync_catalog().await?;
        let admin = if self.store.account_count().await? == 0 {
            let password = random_password();
            let input = AccountInput {
                username: "admin".into(),
                display_name: "系统管理员".into(),
                password: password.clone(),
                grants: vec![(Role::Admin.as_str().into(), root_division.into())],
            };
            self.create_account(None, &input).await?;
            Some(("admin".to_string(), password))
        } else {
            None
        };
        self.checkpoint().await?;
        Ok(InitReport { divisions_added, admin })
    }

    /// Writes the program's division table to the database (what is there is left alone), so
    /// grants and records can name any division; the number of divisions added.
    pub async fn load_divisions(&self) -> ServiceResult<u64> {
        Ok(self.store.load_divisions(self.divisions()).await?)
    }
}
