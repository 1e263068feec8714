//! Accounts, passwords (argon2id), sessions and API tokens, grants.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::Duration;
use domain::access::{check_password_strength, check_username, Actor, Grant, Permission, Role};
use domain::audit::EventDraft;
use domain::problem::{text_field, FieldError};
use rand::RngCore;
use serde_json::json;
use sm3::{Digest, Sm3};
use store::accounts::{Account, NewAccount};
use store::sessions::SessionKind;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// How long a browser session or an API token lives.
pub const SESSION_HOURS: i64 = 8;

/// How long a process trusts a live session it has read. A logout, a disabled account, a new
/// password or a changed grant made through this process takes effect at once (the cache is
/// cleared when it commits); one made by another process on the same database (the CLI's
/// `user passwd`) within this time.
pub const SESSION_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(2);

/// A session as [`App::authenticate`] keeps it between requests: the actor, the CSRF token and
/// when the session ends (checked against the domain clock on every use).
#[derive(Debug, Clone)]
pub(crate) struct LiveSession {
    actor: Actor,
    csrf_token: String,
    expires_at_ms: i64,
}

/// How strongly new passwords are hashed. Verification always reads the parameters from the
/// stored hash, so either verifies under both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PasswordHashing {
    /// argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane: OWASP's minimum). The
    /// default of every [`App`], and the only strength the program itself ever uses.
    #[default]
    Production,
    /// argon2id at the smallest cost the algorithm allows (8 KiB, 1 pass): for test suites that
    /// create hundreds of accounts. Set only by the test harness, through
    /// [`App::set_password_hashing`]; never by the program.
    TestOnly,
}

impl PasswordHashing {
    fn hasher(self) -> Argon2<'static> {
        match self {
            PasswordHashing::Production => Argon2::default(),
            PasswordHashing::TestOnly => {
                let params = argon2::Params::new(argon2::Params::MIN_M_COST, argon2::Params::MIN_T_COST, 1, None)
                    .unwrap_or_default();
                Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            }
        }
    }

    /// A new hash of `password` (PHC string with a random salt).
    pub fn hash(self, password: &str) -> ServiceResult<String> {
        let salt = SaltString::generate(&mut OsRng);
        self.hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(ServiceError::internal)
    }
}

/// argon2id at production strength ([`PasswordHashing::Production`]).
pub fn hash_password(password: &str) -> ServiceResult<String> {
    PasswordHashing::Production.hash(password)
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A random secret as hex (tokens, CSRF tokens).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A random password that passes the strength rule: 16 letters and digits, no look-alikes.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    loop {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let password: String = bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
        if check_password_strength(&password).is_ok() {
            return password;
        }
    }
}

fn token_hash(token: &str) -> String {
    hex::encode(Sm3::digest(token.as_bytes()))
}

/// A new login: the secret to hand to the client and the CSRF token bound to it.
#[derive(Debug, Clone)]
pub struct Login {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub actor: Actor,
}

/// The request to create an account.
#[derive(Debug, Clone, Default)]
pub struct AccountInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub grants: Vec<(String, String)>,
}

fn actor_of(account: &Account) -> Actor {
    Actor { account_id: account.id, username: account.username.clone(), grants: account.grants.clone() }
}

/// The system itself, for acts nobody performed by hand (init, the sweep).
pub fn system_actor() -> String {
    "system".to_string()
}

/// A node of cross-region handling as a page names it: its code is its division's
/// (`510000` → 四川省节点).
pub fn node_label(node: &str) -> String {
    domain::division::DivisionCode::parse(node)
        .ok()
        .and_then(|code| domain::division::Divisions::builtin().get(&code).map(|d| format!("{}节点", d.name)))
        .unwrap_or_else(|| "办理地节点".to_string())
}

fn parse_grant(app: &App, role: &str, division: &str) -> Result<Grant, FieldError> {
    let role = Role::parse(role.trim()).ok_or_else(|| {
        FieldError::new("role", "unknown_role", format!("角色“{}”不存在，可选：admin、clerk、reviewer、decider、township_officer、legal_reviewer、enforcement_officer、leader、citizen", role.trim()))
    })?;
    let division = app.division("division", division).map_err(|e| FieldError::new("division", e.code, e.message))?;
    Ok(Grant { role, division })
}

impl App {
    /// Checks a username and password; on success opens a session or token.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: &str,
        kind: SessionKind,
    ) -> ServiceResult<Login> {
        let username = username.trim();
        if username.is_empty() || password.is_empty() || username.len() > 64 || password.len() > 256 {
            return Err(ServiceError::new(ErrorKind::Invalid, "credentials_required", "请输入用户名和密码")
                .with_field("username"));
        }
        if !self.throttle.allowed(username, address, self.now()) {
            return Err(ServiceError::new(
                ErrorKind::TooManyRequests,
                "too_many_attempts",
                "登录失败次数过多，请15分钟后再试",
            ));
        }
        let found = self.store.account_by_username(username).await?;
        let ok = match &found {
            Some((account, hash)) => verify_password(password, hash) && !account.disabled,
            None => {
                // Same work as a real check, so timing does not tell which usernames exist.
                let _ = verify_password(password, DUMMY_HASH);
                false
            }
        };
        let Some((account, _)) = found.filter(|_| ok) else {
            self.throttle.failed(username, address, self.now());
            tracing::info!(address = %address, "login failed");
            return Err(ServiceError::new(ErrorKind::Unauthorized, "bad_credentials", "用户名或密码错误"));
        };
        self.throttle.succeeded(username);
        let token = random_token();
        let csrf_token = random_token();
        let now = self.now();
        let expires_at = now + Duration::hours(SESSION_HOURS);
        let event = EventDraft::new(
            format!("account:{}", account.id),
            actor_of(&account).label(),
            "session.login",
            json!({"kind": kind.as_str(), "address": address}),
        );
        self.store.create_session(&token_hash(&token), account.id, kind, &csrf_token, now, expires_at, &event).await?;
        tracing::info!(actor.id = account.id, kind = kind.as_str(), "login");
        Ok(Login { token, csrf_token, expires_at, actor: actor_of(&account) })
    }

    /// The actor behind a session cookie or bearer token, with the session's CSRF token. Every
    /// authenticated request asks it: a session read is kept for [`SESSION_CACHE_TTL`] (see
    /// there for when a change takes effect), its expiry checked on every use.
    pub async fn authenticate(&self, token: &str) -> ServiceResult<(Actor, String)> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ServiceError::unauthorized());
        }
        let hash = token_hash(token);
        let now = self.now();
        let live = match self.session_cache.get(&hash) {
            Some(cached) => cached,
            None => {
                let stamp = self.session_cache.stamp();
                let (session, account) =
                    self.store.live_session(&hash, now).await?.ok_or_else(ServiceError::unauthorized)?;
                let live = LiveSession {
                    actor: actor_of(&account),
                    csrf_token: session.csrf_token,
                    expires_at_ms: session.expires_at_ms,
                };
                self.session_cache.put(stamp, &hash, live.clone());
                live
            }
        };
        if live.expires_at_ms <= now.timestamp_millis() {
            return Err(ServiceError::unauthorized());
        }
        Ok((live.actor, live.csrf_token))
    }

    /// After a change to a session, an account or its grants (made or failed: a failed commit
    /// may still have been applied): no session read before it is used again.
    fn forget_sessions(&self) {
        self.session_cache.clear();
    }

    /// Ends a session or revokes a token.
    pub async fn logout(&self, token: &str) -> ServiceResult<bool> {
        let revoked = self
            .store
            .revoke_session(&token_hash(token), self.now(), |account_id| {
                EventDraft::new(
                    format!("account:{account_id}"),
                    format!("account:{account_id}"),
                    "session.logout",
                    json!({}),
                )
            })
            .await;
        self.forget_sessions();
        Ok(revoked?)
    }

    /// Creates an account. The caller must hold `ManageAccounts` at every division it grants.
    pub async fn create_account(&self, actor: Option<&Actor>, input: &AccountInput) -> ServiceResult<Account> {
        let mut problems = Vec::new();
        let username = check_username(input.username.trim()).map_err(|e| problems.push(e)).ok();
        let display_name = text_field("display_name", &input.display_name, 50, true).map_err(|e| problems.push(e)).ok();
        if let Err(e) = check_password_strength(&input.password) {
            problems.push(e);
        }
        let mut grants = Vec::new();
        if input.grants.is_empty() {
            problems.push(FieldError::new("grants", "grant_required", "至少需要一项授权（角色和行政区划）"));
        }
        for (role, division) in &input.grants {
            match parse_grant(self, role, division) {
                // The same grant listed twice is one grant (the table holds each once).
                Ok(grant) if grants.contains(&grant) => {}
                Ok(grant) => grants.push(grant),
                Err(e) => problems.push(e),
            }
        }
        let (Some(username), Some(display_name)) = (username, display_name) else {
            return Err(ServiceError::invalid(problems));
        };
        if !problems.is_empty() {
            return Err(ServiceError::invalid(problems));
        }
        if let Some(actor) = actor {
            for grant in &grants {
                self.authorize(actor, Permission::ManageAccounts, &grant.division)?;
            }
        }
        let password_hash = self.password_hashing.hash(&input.password)?;
        let account = NewAccount {
            username: username.clone(),
            display_name,
            password_hash,
            grants: grants.clone(),
            person_id: None,
        };
        let actor_label = actor.map(Actor::label).unwrap_or_else(system_actor);
        let division = grants.first().map(|g| g.division.to_string());
        let grants_json: Vec<_> =
            grants.iter().map(|g| json!({"role": g.role.as_str(), "division": g.division.as_str()})).collect();
        let id = self
            .store
            .create_account(&account, self.now(), |id| {
                let draft = EventDraft::new(
                    format!("account:{id}"),
                    actor_label,
                    "account.create",
                    json!({"username": username, "grants": grants_json}),
                );
                match division {
                    Some(d) => draft.in_division(d),
                    None => draft,
                }
            })
            .await
            .map_err(|e| match e {
                store::StoreError::Conflict(what) if what == "username" => {
                    ServiceError::new(ErrorKind::Conflict, "username_taken", "用户名已被使用").with_field("username")
                }
                other => other.into(),
            })?;
        Ok(self.store.account(id).await?)
    }

    /// Adds a grant to an account.
    pub async fn grant(
        &self,
        actor: Option<&Actor>,
        account_id: i64,
        role: &str,
        division: &str,
    ) -> ServiceResult<Account> {
        let grant = parse_grant(self, role, division)?;
        if let Some(actor) = actor {
            self.authorize(actor, Permission::ManageAccounts, &grant.division)?;
        }
        let account = self.store.account(account_id).await.map_err(|_| ServiceError::not_found("账户"))?;
        let label = actor.map(Actor::label).unwrap_or_else(system_actor);
        let event = EventDraft::new(
            format!("account:{account_id}"),
            label,
            "account.grant",
            json!({"role": grant.role.as_str(), "division": grant.division.as_str()}),
        )
        .in_division(grant.division.as_str());
        let added = self.store.add_grant(account.id, &grant, self.now(), &event).await;
        self.forget_sessions();
        added.map_err(|e| match e {
            store::StoreError::Conflict(_) => {
                ServiceError::new(ErrorKind::Conflict, "grant_exists", "该账户已有此授权")
            }
            other => other.into(),
        })?;
        Ok(self.store.account(account_id).await?)
    }

    /// Revokes a grant of an account. The caller must hold `ManageAccounts` at the grant's
    /// division; nobody revokes their own administrator grant (an administrator could lock the
    /// bureau out of its accounts).
    pub async fn revoke_grant(
        &self,
        actor: Option<&Actor>,
        account_id: i64,
        role: &str,
        division: &str,
    ) -> ServiceResult<Account> {
        let grant = parse_grant(self, role, division)?;
        if let Some(actor) = actor {
            self.authorize(actor, Permission::ManageAccounts, &grant.division)?;
            if actor.account_id == account_id && grant.role == Role::Admin {
                return Err(ServiceError::new(
                    ErrorKind::Invalid,
                    "own_admin_grant",
                    "不能撤销自己的系统管理员授权，请由其他管理员办理",
                )
                .with_field("role"));
            }
        }
        let account = self.store.account(account_id).await.map_err(|_| ServiceError::not_found("账户"))?;
        let label = actor.map(Actor::label).unwrap_or_else(system_actor);
        let event = EventDraft::new(
            format!("account:{account_id}"),
            label,
            "account.revoke",
            json!({"role": grant.role.as_str(), "division": grant.division.as_str()}),
        )
        .in_division(grant.division.as_str());
        let removed = self.store.remove_grant(account.id, &grant, self.now(), &event).await;
        self.forget_sessions();
        removed.map_err(|e| match e {
            store::StoreError::NotFound => {
                ServiceError::new(ErrorKind::Conflict, "grant_not_held", "该账户没有此授权").with_field("role")
            }
            other => other.into(),
        })?;
        Ok(self.store.account(account_id).await?)
    }

    /// Disables an account: it can no longer sign in and its sessions end. The caller must hold
    /// `ManageAccounts` over every grant of the account, and cannot disable their own.
    pub async fn disable_account(&self, actor: Option<&Actor>, account_id: i64) -> ServiceResult<Account> {
        let account = self.store.account(account_id).await.map_err(|_| ServiceError::not_found("账户"))?;
        if let Some(actor) = actor {
            if !actor.may_somewhere(Permission::ManageAccounts) {
                return Err(ServiceError::forbidden());
            }
            for grant in &account.grants {
                self.authorize(actor, Permission::ManageAccounts, &grant.division)?;
            }
            if actor.account_id == account_id {
                return Err(ServiceError::new(ErrorKind::Invalid, "own_account", "不能停用自己的账户"));
            }
        }
        let label = actor.map(Actor::label).unwrap_or_else(system_actor);
        let event = EventDraft::new(format!("account:{account_id}"), label, "account.disable", json!({}));
        let event = match account.grants.first() {
            Some(g) => event.in_division(g.division.as_str()),
            None => event,
        };
        let disabled = self.store.disable_account(account_id, self.now(), &event).await;
        self.forget_sessions();
        disabled.map_err(|e| match e {
            store::StoreError::Conflict(_) => {
                ServiceError::new(ErrorKind::Conflict, "already_disabled", "该账户已停用")
            }
            other => other.into(),
        })?;
        Ok(self.store.account(account_id).await?)
    }

    /// Sets a new password (admin reset or own change); revokes every session of the account.
    pub async fn set_password(
        &self,
        actor: Option<&Actor>,
        account_id: i64,
        password: &str,
        current_password: Option<&str>,
    ) -> ServiceResult<()> {
        check_password_strength(password)?;
        let account = self.store.account(account_id).await.map_err(|_| ServiceError::not_found("账户"))?;
        if let Some(actor) = actor {
            if actor.account_id == account_id {
                // A stolen session must not be enough to take the account over.
                let (_, hash) = self
                    .store
                    .account_by_username(&account.username)
                    .await?
                    .ok_or_else(|| ServiceError::not_found("账户"))?;
                if !current_password.is_some_and(|current| verify_password(current, &hash)) {
                    return Err(ServiceError::new(ErrorKind::Invalid, "current_password_wrong", "原密码不正确")
                        .with_field("current_password"));
                }
            } else {
                for grant in &account.grants {
                    self.authorize(actor, Permission::ManageAccounts, &grant.division)?;
                }
            }
        }
        let label = actor.map(Actor::label).unwrap_or_else(system_actor);
        let event = EventDraft::new(format!("account:{account_id}"), label, "account.password", json!({}));
        let hash = self.password_hashing.hash(password)?;
        let set = self.store.set_password(account_id, &hash, self.now(), &event).await;
        self.forget_sessions();
        Ok(set?)
    }

    /// Accounts visible to the actor: those with a grant inside the actor's account-management
    /// scope. `None` (the CLI, run by the machine's operator) sees all.
    pub async fn accounts(&self, actor: Option<&Actor>) -> ServiceResult<Vec<Account>> {
        let all = self.store.accounts().await?;
        Ok(match actor {
            None => all,
            Some(actor) => {
                if !actor.may_somewhere(Permission::ManageAccounts) {
                    return Err(ServiceError::forbidden());
                }
                all.into_iter()
                    .filter(|a| {
                        a.grants.iter().any(|g| actor.may(Permission::ManageAccounts, &g.division, self.divisions()))
                    })
                    .collect()
            }
        })
    }

    /// Who did an act, as a page or a message names them (the record keeps the account): a staff
    /// member by the name on their account; a citizen as 申请人 (a page shows their name masked,
    /// and their username is whatever they chose at registration, a phone number say: neither is
    /// given back here); another node as that node (`四川省节点`); the system as 系统; an account
    /// no longer found as 工作人员.
    pub async fn actor_label(&self, actor: &str) -> String {
        if actor == system_actor() {
            return "系统".into();
        }
        if let Some(node) = actor.strip_prefix("node:") {
            return node_label(node);
        }
        let id = actor.strip_prefix("account:").and_then(|rest| rest.split(':').next()?.parse::<i64>().ok());
        match id {
            // A citizen registering has no account yet when their person is recorded.
            Some(0) => "申请人".into(),
            Some(id) => match self.store.account(id).await {
                Ok(account) if account.person_id.is_some() => "申请人".into(),
                Ok(account) => account.display_name,
                Err(_) => "工作人员".into(),
            },
            None => "工作人员".into(),
        }
    }

    /// [`App::actor_label`] of each distinct actor, each account looked up once.
    pub async fn actor_labels(&self, actors: &[&str]) -> std::collections::HashMap<String, String> {
        let mut labels = std::collections::HashMap::new();
        for &actor in actors {
            if !labels.contains_key(actor) {
                labels.insert(actor.to_string(), self.actor_label(actor).await);
            }
        }
        labels
    }

    pub async fn account_by_username(&self, username: &str) -> ServiceResult<Account> {
        let (account, _) =
            self.store.account_by_username(username).await?.ok_or_else(|| ServiceError::not_found("账户"))?;
        Ok(account)
    }
}

/// An argon2id hash of a random password nobody knows, for constant-time failures.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Yl3H2UuV6C0oZ6T3qkq8Zc5c7d5mZbQ3q2h6c2mH1Y";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("good-pass-2021").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("good-pass-2021", &hash));
        assert!(!verify_password("good-pass-2022", &hash));
        assert!(!verify_password("x", "not a hash"));
        assert!(!verify_password("x", DUMMY_HASH));
    }

    /// The parameters of a PHC string: `m=…,t=…,p=…`.
    fn params_of(hash: &str) -> String {
        PasswordHash::new(hash).unwrap().params.to_string()
    }

    #[test]
    fn production_hashing_is_owasp_minimum_argon2id_and_is_the_default() {
        // 19 MiB, 2 passes, 1 lane (OWASP Password Storage Cheat Sheet, argon2id minimum).
        let hash = hash_password("good-pass-2021").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert_eq!(params_of(&hash), "m=19456,t=2,p=1");
        assert_eq!(PasswordHashing::default(), PasswordHashing::Production);
        assert_eq!(params_of(&PasswordHashing::default().hash("x").unwrap()), "m=19456,t=2,p=1");
        // The test strength is weaker, and a hash of either kind verifies (the parameters
        // travel in the hash).
        let weak = PasswordHashing::TestOnly.hash("good-pass-2021").unwrap();
        assert_eq!(params_of(&weak), "m=8,t=1,p=1");
        assert!(verify_password("good-pass-2021", &weak));
        assert!(!verify_password("good-pass-2022", &weak));
    }

    #[test]
    fn random_passwords_are_strong_and_different() {
        let a = random_password();
        assert!(check_password_strength(&a).is_ok());
        assert_ne!(a, random_password());
    }
}
