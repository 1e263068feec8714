//! The durability the store promises: an act acknowledged to a clerk survives a power cut.

use test_support::{on_both, Db};

use crate::test_app;

async fn durability_is_what_we_promise(db: Db) {
    let t = test_app(db).await;
    let mode = t.app.store.durability().await.expect("durability");
    match db {
        Db::Sqlite => assert_eq!(mode, "sqlite journal_mode=wal synchronous=FULL foreign_keys=1 batches=same"),
        Db::Postgres => assert_eq!(mode, "postgres synchronous_commit=on new_cases=on case_numbers=off"),
    }
}
on_both!(durability_is_what_we_promise, durability_is_what_we_promise);
