//! The assistance part of `serve --demo`: the 2021 delegation pilot (下放 of the confirmation power
//! for 低保, 特困 and small 临时救助 to 46 Dazhou townships), loaded through the same use case as
//! `minzheng delegation add`. Data: crates/domain/data/assistance_delegations_2021.toml.

use domain::assistance::pilot::DelegationPilot;
use service::delegations::DelegationInput;
use service::App;

/// Records the pilot's delegations; returns how many rows (one per step and township).
pub async fn load(app: &App) -> anyhow::Result<usize> {
    let pilot = DelegationPilot::dazhou_2021().map_err(|e| anyhow::anyhow!(e))?;
    let divisions: Vec<String> = pilot.townships.iter().map(|t| t.to_string()).collect();
    let mut rows = 0;
    for (item, step) in &pilot.steps {
        let input = DelegationInput {
            item: item.clone(),
            step: step.clone(),
            to_level: "township".into(),
            divisions: divisions.clone(),
            from: pilot.from.to_string(),
            document: pilot.document.clone(),
        };
        rows +=
            app.grant_delegation(None, &input).await.map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))?.len();
    }
    Ok(rows)
}
