//! Accounts, grants, sessions and passwords: who may grant what, how sessions end, what a
//! failed login says, and the events each act leaves.

use chrono::Duration;
use domain::access::Role;
use service::accounts::{AccountInput, SESSION_HOURS};
use service::{throttle, ErrorKind};
use store::sessions::SessionKind;
use test_support::{on_both, Db};

use crate::{acts, count, footprint, test_app};

fn input(username: &str, role: &str, division: &str) -> AccountInput {
    AccountInput {
        username: username.into(),
        display_name: format!("测试{username}"),
        password: "good-pass-2021".into(),
        grants: vec![(role.into(), division.into())],
    }
}

async fn accounts_are_created_and_granted_within_the_jurisdiction(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let admin = t.staff("admin702", "admin", "511702").await;

    let account = app.create_account(Some(&admin), &input("clerk702", "clerk", "511702")).await.expect("create");
    assert_eq!(account.username, "clerk702");
    let grants: Vec<(Role, &str)> = account.grants.iter().map(|g| (g.role, g.division.as_str())).collect();
    assert_eq!(grants, [(Role::Clerk, "511702")]);

    // The same username again: a conflict, and nothing written.
    let before = footprint(&raw).await;
    let err = app.create_account(Some(&admin), &input("clerk702", "reviewer", "511702001")).await.expect_err("taken");
    assert_eq!((err.kind, err.code, err.field.as_deref()), (ErrorKind::Conflict, "username_taken", Some("username")));
    assert_eq!(footprint(&raw).await, before);

    // An administrator of 通川区 cannot reach up (达州市) or sideways (达川区).
    for division in ["511700", "511703", "511703001"] {
        let err = app
            .create_account(Some(&admin), &input("clerk-elsewhere", "clerk", division))
            .await
            .expect_err("create outside the jurisdiction");
        assert_eq!(err.kind, ErrorKind::Forbidden, "create at {division}");
        let err = app.grant(Some(&admin), account.id, "reviewer", division).await.expect_err("grant outside");
        assert_eq!(err.kind, ErrorKind::Forbidden, "grant at {division}");
        assert_eq!(footprint(&raw).await, before, "a refused grant at {division} writes nothing");
    }
    // Not even with a second grant that is inside.
    let mut mixed = input("clerk-mixed", "clerk", "511702");
    mixed.grants.push(("clerk".into(), "511703".into()));
    assert_eq!(app.create_account(Some(&admin), &mixed).await.expect_err("mixed").kind, ErrorKind::Forbidden);
    // Nor reset the password of an account it does not manage (the first administrator, 达州市).
    let root = app.account_by_username("admin").await.expect("init's administrator");
    let err = app.set_password(Some(&admin), root.id, "taken-over-2021", None).await.expect_err("reset outside");
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert_eq!(footprint(&raw).await, before);

    // The same grant listed twice is one grant, not a username conflict.
    let mut twice = input("clerk702b", "clerk", "511702");
    twice.grants.push(("clerk".into(), " 511702 ".into()));
    let account_b = app.create_account(Some(&admin), &twice).await.expect("a repeated grant is harmless");
    assert_eq!(account_b.grants.len(), 1);

    // Inside: a grant at a township of 通川区.
    let granted = app.grant(Some(&admin), account.id, "reviewer", "511702001").await.expect("grant");
    assert_eq!(granted.grants.len(), 2);
    let before = footprint(&raw).await;
    let again = app.grant(Some(&admin), account.id, "reviewer", "511702001").await.expect_err("the same grant twice");
    assert_eq!((again.kind, again.code), (ErrorKind::Conflict, "grant_exists"));
    assert_eq!(footprint(&raw).await, before);
    app.set_password(Some(&admin), account.id, "new-pass-2022", None).await.expect("reset");

    let stream = format!("account:{}", account.id);
    assert_eq!(acts(app, &stream).await, ["account.create", "account.grant", "account.password"]);
    let events = app.store.stream_events(&stream).await.expect("events");
    assert!(events.iter().all(|e| e.actor == admin.label()), "every act names its actor");
    assert!(events.iter().all(|e| !e.payload.contains("good-pass") && !e.payload.contains("new-pass")));
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM accounts").await, 4);
    app.verify_record().await.expect("verification runs").expect("the record is whole");
}
on_both!(
    accounts_are_created_and_granted_within_the_jurisdiction,
    accounts_are_created_and_granted_within_the_jurisdiction
);

async fn grants_are_revoked_and_accounts_disabled_within_the_jurisdiction(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let admin = t.staff("admin702", "admin", "511702").await;
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    app.grant(Some(&admin), clerk.account_id, "reviewer", "511702001").await.expect("grant");
    let login = app.login("clerk702", "test-pass-2021", "10.0.0.1", SessionKind::Cookie).await.expect("login");

    let before = footprint(&raw).await;
    // Outside the administrator's 通川区, a grant not held, one's own admin grant or account:
    // refused, nothing written.
    let err = app.revoke_grant(Some(&admin), clerk.account_id, "clerk", "511703").await.expect_err("outside");
    assert_eq!(err.kind, ErrorKind::Forbidden);
    let err = app.revoke_grant(Some(&admin), clerk.account_id, "leader", "511702").await.expect_err("not held");
    assert_eq!((err.kind, err.code), (ErrorKind::Conflict, "grant_not_held"));
    let err = app.revoke_grant(Some(&admin), admin.account_id, "admin", "511702").await.expect_err("own admin");
    assert_eq!((err.kind, err.code), (ErrorKind::Invalid, "own_admin_grant"));
    let err = app.disable_account(Some(&admin), admin.account_id).await.expect_err("own account");
    assert_eq!((err.kind, err.code), (ErrorKind::Invalid, "own_account"));
    let root = app.account_by_username("admin").await.expect("init's administrator");
    let err = app.disable_account(Some(&admin), root.id).await.expect_err("an account it does not manage");
    assert_eq!(err.kind, ErrorKind::Forbidden);
    let err = app.disable_account(Some(&clerk), admin.account_id).await.expect_err("a clerk");
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert_eq!(footprint(&raw).await, before);

    let revoked = app.revoke_grant(Some(&admin), clerk.account_id, "reviewer", "511702001").await.expect("revoke");
    let grants: Vec<(Role, &str)> = revoked.grants.iter().map(|g| (g.role, g.division.as_str())).collect();
    assert_eq!(grants, [(Role::Clerk, "511702")]);
    let disabled = app.disable_account(Some(&admin), clerk.account_id).await.expect("disable");
    assert!(disabled.disabled);
    assert_eq!(app.authenticate(&login.token).await.expect_err("its session ended").kind, ErrorKind::Unauthorized);
    let err = app.login("clerk702", "test-pass-2021", "10.0.0.1", SessionKind::Cookie).await.expect_err("disabled");
    assert_eq!(err.kind, ErrorKind::Unauthorized);
    let err = app.disable_account(Some(&admin), clerk.account_id).await.expect_err("twice");
    assert_eq!((err.kind, err.code), (ErrorKind::Conflict, "already_disabled"));

    let stream = format!("account:{}", clerk.account_id);
    let acts = acts(app, &stream).await;
    assert_eq!(acts[acts.len() - 2..], ["account.revoke", "account.disable"]);
    app.verify_record().await.expect("verification runs").expect("the record is whole");
}
on_both!(
    grants_are_revoked_and_accounts_disabled_within_the_jurisdiction,
    grants_are_revoked_and_accounts_disabled_within_the_jurisdiction
);

async fn sessions_end_on_logout_expiry_and_password_change(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let clerk = t.staff("clerk702", "clerk", "511702").await;

    let login = app.login("clerk702", "test-pass-2021", "10.0.0.1", SessionKind::Cookie).await.expect("login");
    assert_eq!(login.token.len(), 64);
    assert_eq!(login.actor.account_id, clerk.account_id);
    let (actor, csrf) = app.authenticate(&login.token).await.expect("a fresh session is live");
    assert_eq!((actor.account_id, csrf), (clerk.account_id, login.csrf_token.clone()));
    assert!(app.logout(&login.token).await.expect("logout"), "the session was live");
    assert_eq!(app.authenticate(&login.token).await.expect_err("logged out").kind, ErrorKind::Unauthorized);
    assert!(!app.logout(&login.token).await.expect("logout twice"), "already ended");
    let forged = "0".repeat(64);
    assert_eq!(app.authenticate(&forged).await.expect_err("unknown token").kind, ErrorKind::Unauthorized);

    // Expiry follows the application's clock.
    let early = app.login("clerk702", "test-pass-2021", "10.0.0.1", SessionKind::Token).await.expect("login");
    let left = early.expires_at - app.now();
    assert!(left <= Duration::hours(SESSION_HOURS) && left > Duration::hours(SESSION_HOURS) - Duration::minutes(1));
    t.clock.advance(Duration::hours(SESSION_HOURS - 1)).expect("clock forward");
    app.authenticate(&early.token).await.expect("still live before 8 hours");
    let later = app.login("clerk702", "test-pass-2021", "10.0.0.1", SessionKind::Token).await.expect("login");
    t.clock.advance(Duration::hours(2)).expect("clock forward");
    let err = app.authenticate(&early.token).await.expect_err("9 hours later the token is refused");
    assert_eq!((err.kind, err.code), (ErrorKind::Unauthorized, "unauthorized"));
    app.authenticate(&later.token).await.expect("a 2-hour-old token is live");

    // A new password ends every session of the account.
    let other = app.login("clerk702", "test-pass-2021", "10.0.0.2", SessionKind::Cookie).await.expect("login");
    let err = app.set_password(Some(&clerk), clerk.account_id, "new-pass-2022", None).await.expect_err("no current");
    assert_eq!(err.code, "current_password_wrong");
    let err = app
        .set_password(Some(&clerk), clerk.account_id, "new-pass-2022", Some("guess-2021"))
        .await
        .expect_err("wrong current");
    assert_eq!(err.code, "current_password_wrong");
    app.set_password(Some(&clerk), clerk.account_id, "new-pass-2022", Some("test-pass-2021"))
        .await
        .expect("own password change");
    for token in [&later.token, &other.token] {
        assert_eq!(app.authenticate(token).await.expect_err("revoked").kind, ErrorKind::Unauthorized);
    }
    let err = app.login("clerk702", "test-pass-2021", "10.0.0.3", SessionKind::Cookie).await.expect_err("old password");
    assert_eq!(err.code, "bad_credentials");
    let fresh = app.login("clerk702", "new-pass-2022", "10.0.0.3", SessionKind::Cookie).await.expect("new password");
    app.authenticate(&fresh.token).await.expect("live");
    assert_eq!(
        acts(app, &format!("account:{}", clerk.account_id)).await,
        [
            "account.create",
            "session.login",
            "session.logout",
            "session.login",
            "session.login",
            "session.login",
            "account.password",
            "session.login"
        ],
        "logins, logouts and the password change are in the record; failed attempts are in the log only"
    );
}
on_both!(sessions_end_on_logout_expiry_and_password_change, sessions_end_on_logout_expiry_and_password_change);

/// A session read a moment ago is kept by the process between requests: every change to it, its
/// account or its grants made through the process reaches it at once, and its expiry is checked
/// on every use.
async fn a_kept_session_ends_at_once(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let admin = t.staff("admin702", "admin", "511702").await;
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    let login = |address: &'static str| app.login("clerk702", "test-pass-2021", address, SessionKind::Token);
    let roles = |actor: domain::access::Actor| actor.grants.iter().map(|g| g.role).collect::<Vec<_>>();
    let first = login("10.0.0.1").await.expect("login");
    let second = login("10.0.0.2").await.expect("login");
    for _ in 0..2 {
        assert_eq!(roles(app.authenticate(&first.token).await.expect("live").0), [Role::Clerk]);
        app.authenticate(&second.token).await.expect("live");
    }
    app.grant(Some(&admin), clerk.account_id, "reviewer", "511702001").await.expect("grant");
    assert_eq!(roles(app.authenticate(&first.token).await.expect("live").0), [Role::Clerk, Role::Reviewer]);
    app.revoke_grant(Some(&admin), clerk.account_id, "reviewer", "511702001").await.expect("revoke");
    assert_eq!(roles(app.authenticate(&first.token).await.expect("live").0), [Role::Clerk]);

    assert!(app.logout(&first.token).await.expect("logout"));
    assert_eq!(app.authenticate(&first.token).await.expect_err("logged out").kind, ErrorKind::Unauthorized);
    app.authenticate(&second.token).await.expect("another session of the account stays live");
    app.disable_account(Some(&admin), clerk.account_id).await.expect("disable");
    assert_eq!(app.authenticate(&second.token).await.expect_err("disabled").kind, ErrorKind::Unauthorized);

    // Expiry on the application's clock, whether or not the session was just read.
    let admin_login = app.login("admin702", "test-pass-2021", "10.0.0.3", SessionKind::Token).await.expect("login");
    app.authenticate(&admin_login.token).await.expect("live");
    t.clock.advance(Duration::hours(SESSION_HOURS)).expect("clock forward");
    assert_eq!(app.authenticate(&admin_login.token).await.expect_err("expired").kind, ErrorKind::Unauthorized);
}
on_both!(a_kept_session_ends_at_once, a_kept_session_ends_at_once);

async fn failed_logins_say_nothing_and_are_throttled(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    t.staff("clerk702", "clerk", "511702").await;

    let wrong = app.login("clerk702", "wrong-pass-2021", "10.0.0.1", SessionKind::Cookie).await.expect_err("wrong");
    let unknown = app.login("nobody", "test-pass-2021", "10.0.0.1", SessionKind::Cookie).await.expect_err("unknown");
    assert_eq!((wrong.kind, wrong.code), (ErrorKind::Unauthorized, "bad_credentials"));
    assert_eq!((unknown.kind, unknown.code, &unknown.message), (wrong.kind, wrong.code, &wrong.message));
    assert_eq!(unknown.field, wrong.field);

    // Five failures for the account (whatever the address), then even the right password waits.
    for i in 2..=5 {
        let err = app
            .login("clerk702", "wrong-pass-2021", &format!("10.0.1.{i}"), SessionKind::Cookie)
            .await
            .expect_err("wrong");
        assert_eq!(err.code, "bad_credentials", "attempt {i}");
    }
    let sixth = app.login("clerk702", "test-pass-2021", "10.0.2.1", SessionKind::Cookie).await.expect_err("6th");
    assert_eq!((sixth.kind, sixth.code), (ErrorKind::TooManyRequests, "too_many_attempts"));
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM sessions").await, 0, "no session was opened");
    // Another account is not locked by it.
    t.staff("clerk703", "clerk", "511703").await;
    app.login("clerk703", "test-pass-2021", "10.0.2.1", SessionKind::Cookie).await.expect("other account");
}
on_both!(failed_logins_say_nothing_and_are_throttled, failed_logins_say_nothing_and_are_throttled);

/// The lock on the simulated clock: each failure counts for 15 minutes from when it happened,
/// so five failures a minute apart lock the account until the first is 15 minutes old.
async fn the_login_lock_lifts_fifteen_minutes_after_a_failure(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.staff("clerk702", "clerk", "511702").await;
    let login = |password: &'static str| app.login("clerk702", password, "10.0.0.1", SessionKind::Cookie);

    // The first failure happens between `before` and `after`; the other four a minute apart.
    let before = app.now();
    login("wrong-pass-2021").await.expect_err("wrong");
    let after = app.now();
    for _ in 1..throttle::MAX_PER_ACCOUNT {
        t.clock.advance(Duration::minutes(1)).expect("forward");
        assert_eq!(login("wrong-pass-2021").await.expect_err("wrong").code, "bad_credentials");
    }
    assert_eq!(login("test-pass-2021").await.expect_err("locked").code, "too_many_attempts");

    t.clock.set(before + Duration::minutes(14) + Duration::seconds(59)).expect("forward");
    let held = login("test-pass-2021").await.expect_err("still locked at 14:59");
    assert_eq!((held.kind, held.code), (ErrorKind::TooManyRequests, "too_many_attempts"));

    t.clock.set(after + Duration::minutes(15)).expect("forward");
    app.login("clerk702", "test-pass-2021", "10.0.0.1", SessionKind::Cookie)
        .await
        .expect("the first failure is 15 minutes old: four left, under the limit");
}
on_both!(the_login_lock_lifts_fifteen_minutes_after_a_failure, the_login_lock_lifts_fifteen_minutes_after_a_failure);
