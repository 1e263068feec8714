//! Citizens' accounts (实名): an account of a 办事群众 belongs to one person, found or registered by
//! the ID number they give the one way every path matches a person ([`App::attach_person`]), one
//! account per person. Through it that person applies online for themselves, or, declared as
//! such, for a close relative (`domain::kinship`); while a person has an open case of an item, a
//! second application of the same item for them is refused (`duplicate_application`).
//!
//! The check of the ID number is the one staff-entered persons get (GB 11643: region, birth date
//! and check digit; a record on file must carry the same name; the deceased are refused). It is
//! not 公安 real-name authentication: that needs the national identity service, which a county
//! bureau reaches through its provincial platform, not from here.

use domain::access::{Actor, Grant, Role};
use domain::audit::EventDraft;
use domain::kinship::Relation;
use domain::person::{NewPerson, PersonInput};
use domain::problem::FieldError;
use serde_json::json;
use store::accounts::{Account, NewAccount};

use crate::persons::Elsewhere;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// A citizen's registration (实名注册): the account and the person it belongs to.
#[derive(Debug, Clone, Default)]
pub struct CitizenSignup {
    pub username: String,
    pub password: String,
    /// Name, ID number, phone, address and 户籍地 (the person's division).
    pub person: PersonInput,
}

/// The form key of the applicant's declared relation to the account's holder (online).
pub const RELATION_FIELD: &str = "applicant_relation";

fn person_taken() -> ServiceError {
    ServiceError::new(
        ErrorKind::Conflict,
        "person_has_account",
        "该公民身份号码已注册过账户，每人只能注册一个账户；忘记密码请携带身份证到窗口办理",
    )
    .with_field("id_number")
}

fn name_mismatch() -> ServiceError {
    ServiceError::new(ErrorKind::Invalid, "name_mismatch", "姓名与公民身份号码不符，请核对后重新填写")
        .with_field("name")
}

impl App {
    /// The person `actor`'s account belongs to, if it is bound.
    pub async fn citizen_person(&self, actor: &Actor) -> ServiceResult<Option<i64>> {
        Ok(self.store.account(actor.account_id).await?.person_id)
    }

    /// The person typed for an account, checked as a staff-entered person is, and refused when
    /// the record on file carries another name, when they are recorded deceased, or when another
    /// account already belongs to them. Reads only.
    async fn person_for_account(&self, input: &PersonInput) -> ServiceResult<NewPerson> {
        let person =
            NewPerson::parse(input, self.today(), self.regions(), self.divisions()).map_err(ServiceError::invalid)?;
        self.refuse_deceased_by_id(person.id.number.as_str()).await?;
        let nobody = Actor { account_id: 0, username: String::new(), grants: Vec::new() };
        if let Some(on_file) = self.on_file_by_number(&nobody, &person.id.number, Some(&person.name)).await? {
            if on_file.name_differs {
                return Err(name_mismatch());
            }
            if self.store.account_of_person(on_file.id).await?.is_some() {
                return Err(person_taken());
            }
        }
        Ok(person)
    }

    /// 实名注册: a new citizen's account bound to the person it belongs to, with the 办事群众 role
    /// at their 户籍地. Every problem of the form at once; failed attempts count against the
    /// client's address like failed logins (the form would otherwise tell a stranger, one number
    /// after another, which ID numbers hold an account).
    pub async fn register_citizen(&self, input: &CitizenSignup, address: &str) -> ServiceResult<Account> {
        let throttle_key = format!("register:{address}");
        if !self.throttle.allowed(&throttle_key, address, self.now()) {
            return Err(ServiceError::new(
                ErrorKind::TooManyRequests,
                "too_many_attempts",
                "注册失败次数过多，请15分钟后再试",
            ));
        }
        let result = self.register_citizen_once(input).await;
        if result.is_err() {
            self.throttle.failed(&throttle_key, address, self.now());
        }
        result
    }

    async fn register_citizen_once(&self, input: &CitizenSignup) -> ServiceResult<Account> {
        let mut problems: Vec<FieldError> = Vec::new();
        let username = domain::access::check_username(input.username.trim()).map_err(|e| problems.push(e)).ok();
        if let Err(e) = domain::access::check_password_strength(&input.password) {
            problems.push(e);
        }
        let parsed = NewPerson::parse(&input.person, self.today(), self.regions(), self.divisions());
        if let Err(person_problems) = &parsed {
            problems.extend(person_problems.iter().cloned());
        }
        let (Some(username), Ok(_), true) = (username, parsed, problems.is_empty()) else {
            return Err(ServiceError::invalid(problems));
        };
        if self.store.account_by_username(&username).await?.is_some() {
            return Err(
                ServiceError::new(ErrorKind::Conflict, "username_taken", "用户名已被使用").with_field("username")
            );
        }
        let person = self.person_for_account(&input.person).await?;
        let password_hash = self.password_hashing.hash(&input.password)?;
        // The person is found or registered first (by the registrant: `account:0:…`, no account
        // yet); the account then comes with its binding and its event in one transaction.
        let registrar = Actor { account_id: 0, username: username.clone(), grants: Vec::new() };
        let person_id = self.attach_person(&registrar, &person, Elsewhere::Attach, "registration").await?.id;
        let grant = Grant { role: Role::Citizen, division: person.division.clone() };
        let account = NewAccount {
            username: username.clone(),
            display_name: person.name.clone(),
            password_hash,
            grants: vec![grant.clone()],
            person_id: Some(person_id),
        };
        let id = self
            .store
            .create_account(&account, self.now(), |id| {
                EventDraft::new(
                    format!("account:{id}"),
                    format!("account:{id}:{username}"),
                    "account.register",
                    json!({"username": username, "person": person_id, "division": grant.division.as_str()}),
                )
                .in_division(grant.division.as_str())
            })
            .await
            .map_err(|e| match e {
                store::StoreError::Conflict(what) if what == "person" => person_taken(),
                store::StoreError::Conflict(_) => {
                    ServiceError::new(ErrorKind::Conflict, "username_taken", "用户名已被使用").with_field("username")
                }
                other => other.into(),
            })?;
        Ok(self.store.account(id).await?)
    }

    /// 实名认证 of a citizen's account made before binding (by an administrator): binds it to the
    /// person typed, checked as at registration. An account already bound is refused.
    pub async fn bind_citizen(&self, actor: &Actor, input: &PersonInput) -> ServiceResult<i64> {
        if !actor.has_role(Role::Citizen) {
            return Err(ServiceError::forbidden());
        }
        if self.citizen_person(actor).await?.is_some() {
            return Err(ServiceError::new(ErrorKind::Conflict, "account_bound", "本账户已完成实名认证"));
        }
        let person = self.person_for_account(input).await?;
        let person_id = self.attach_person(actor, &person, Elsewhere::Attach, "registration").await?.id;
        let event = EventDraft::new(
            format!("account:{}", actor.account_id),
            actor.label(),
            "account.bind_person",
            json!({"person": person_id}),
        )
        .in_division(person.division.as_str());
        self.store.bind_person(actor.account_id, person_id, self.now(), &event).await.map_err(|e| match e {
            store::StoreError::Conflict(what) if what == "person" => person_taken(),
            store::StoreError::Conflict(_) => {
                ServiceError::new(ErrorKind::Conflict, "account_bound", "本账户已完成实名认证")
            }
            other => other.into(),
        })?;
        Ok(person_id)
    }

    /// Who an online application is for, checked against the account it comes from: the
    /// holder (本人), or a close relative declared as such. `applicant` is the applicant's record
    /// if on file (matched by ID number), `typed_name` the name typed with it. Reads only.
    pub(crate) async fn online_applicant(
        &self,
        actor: &Actor,
        declared: Option<&str>,
        applicant: Option<i64>,
    ) -> ServiceResult<Relation> {
        let relation = Relation::parse(RELATION_FIELD, declared).map_err(|e| ServiceError::invalid(vec![e]))?;
        let Some(holder) = self.citizen_person(actor).await? else {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "citizen_unverified",
                "本账户尚未实名认证（没有绑定本人的身份信息），不能网上申请：请先到“实名认证”页面（/account/verify）填写本人的姓名和公民身份号码，或携带身份证到窗口办理",
            )
            .with_field("applicant"));
        };
        let is_holder = applicant == Some(holder);
        match relation {
            Relation::Oneself if !is_holder => Err(ServiceError::new(
                ErrorKind::Invalid,
                "not_account_holder",
                "申请人的公民身份号码与本账户的实名信息不符；为近亲属申请请在“申请人是您的”中选择关系",
            )
            .with_field("applicant.id_number")),
            Relation::Oneself => Ok(relation),
            _ if is_holder => Err(ServiceError::new(
                ErrorKind::Invalid,
                "relation_is_self",
                "申请人就是账户本人，“申请人是您的”请选择“本人”",
            )
            .with_field(RELATION_FIELD)),
            _ => Ok(relation),
        }
    }

    /// Refuses a second application of `item_slug` for `person_id` while the first is open
    /// (not closed): the same matter is decided once, and a duplicate would be decided twice.
    /// Items whose area takes several open requests of one person (each a different matter)
    /// are not checked (`verticals::one_open_case_per_applicant`).
    pub(crate) async fn refuse_duplicate(
        &self,
        item: &domain::catalog::ServiceItem,
        person_id: i64,
    ) -> ServiceResult<()> {
        if !crate::verticals::one_open_case_per_applicant(item) {
            return Ok(());
        }
        if self.store.open_case_of(&item.slug, person_id).await?.is_some() {
            return Err(ServiceError::new(
                ErrorKind::Conflict,
                "duplicate_application",
                format!(
                    "该申请人已有一件正在办理的“{}”，请勿重复申请；办理进度可在“我的办件”或“进度查询”中查看",
                    item.name
                ),
            )
            .with_field("applicant.id_number"));
        }
        Ok(())
    }
}
