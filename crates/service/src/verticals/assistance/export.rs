//! The payment roll's export: the roll as this reader may see it (IDs and accounts masked unless
//! they hold `ReadPersonFull`), with the export recorded as an event. The web layer renders it
//! as the workbook.

use domain::access::Actor;
use domain::audit::EventDraft;
use serde_json::json;

use crate::assistance::PaymentRollView;
use crate::{App, ServiceResult};

impl App {
    /// The roll for an export (a file leaves the system): recorded as `assistance.roll_export`
    /// with whether IDs were in full.
    pub async fn payment_roll_export(
        &self,
        actor: &Actor,
        county: &str,
        month: &str,
    ) -> ServiceResult<PaymentRollView> {
        let roll = self.payment_roll(actor, county, month).await?;
        let event = EventDraft::new(
            format!("payment_roll:{}", roll.division),
            actor.label(),
            "assistance.roll_export",
            json!({"month": roll.month, "lines": roll.lines.len(), "total_fen": roll.total_fen, "full_ids": roll.full_ids}),
        )
        .in_division(roll.division.as_str());
        self.store.record(&event, self.now()).await?;
        Ok(roll)
    }
}
