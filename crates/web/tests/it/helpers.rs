//! One typed test client over the router, so a change of URL or shape touches one place.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use store::persons::Scope;
use test_support::{Db, TestApp};
use tower::ServiceExt;
use tracing_subscriber::fmt::MakeWriter;
use web::AppState;

/// The password `TestApp::staff` gives every staff account.
pub const STAFF_PASSWORD: &str = "test-pass-2021";

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    /// The session cookie, with the `x-csrf-token` header when given.
    Cookie {
        session: &'a str,
        csrf: Option<&'a str>,
    },
}

pub struct Api {
    pub t: TestApp,
    router: Router,
}

/// A response, fully read.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("not JSON ({e}), status {}: {}", self.status, String::from_utf8_lossy(&self.body))
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The error code of a JSON error.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_string()
    }

    /// The value of `name` in the `Set-Cookie` header.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let set = self.header("set-cookie")?;
        let (key, rest) = set.split_once('=')?;
        (key == name).then(|| rest.split(';').next().unwrap_or("").to_string())
    }

    /// Asserts a JSON refusal with this status and code (and so not a 500).
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text());
        assert_eq!(self.header("content-type"), Some("application/json"), "body: {}", self.text());
        let body = self.json();
        assert_eq!(body["code"], code, "body: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "a message: {body}");
        assert!(body["problems"].is_array(), "problems: {body}");
    }
}

impl Api {
    pub async fn new(db: Db) -> Api {
        Api::with(db, false).await
    }

    pub async fn with(db: Db, secure_cookies: bool) -> Api {
        Api::build(db, secure_cookies, false, None).await
    }

    /// The server as started with `MINZHENG_PUBLIC_URL` set: QR codes carry that address.
    pub async fn with_public_url(db: Db, url: &str) -> Api {
        Api::build(db, false, false, Some(url.to_string())).await
    }

    /// The server as started with `--simulated-clock`: the clock endpoint exists and every page
    /// shows the 模拟时钟 banner. (The test app runs on a simulated clock either way.)
    pub async fn simulated(db: Db) -> Api {
        Api::build(db, false, true, None).await
    }

    /// The server of a regional node (`serve --node <code>`) whose link is not running: what it
    /// sends waits in its outbox, what it receives the test hands to `App::receive_message`.
    pub async fn on_node(db: Db, code: &str) -> Api {
        logs();
        let mut t = TestApp::new(db).await.expect("a test database for the backend under test");
        let config = service::nodes::NodeConfig::new(code, "nats://127.0.0.1:4222", "WEB").expect("a province code");
        Arc::get_mut(&mut t.app).expect("not shared yet").set_node(Some(config));
        let router =
            web::router(AppState { app: t.app.clone(), secure_cookies: false, simulated: None, public_url: None });
        Api { t, router }
    }

    /// The server with the shipped catalog and `extra` item files (`TestApp::with_items`).
    pub async fn with_items(db: Db, extra: &[(&str, &str)]) -> Api {
        logs();
        let t = TestApp::with_items(db, extra).await.expect("a test database for the backend under test");
        let router =
            web::router(AppState { app: t.app.clone(), secure_cookies: false, simulated: None, public_url: None });
        Api { t, router }
    }

    async fn build(db: Db, secure_cookies: bool, simulated: bool, public_url: Option<String>) -> Api {
        logs();
        let t = TestApp::new(db).await.expect("a test database for the backend under test");
        let simulated = simulated.then(|| t.clock.clone());
        let router = web::router(AppState { app: t.app.clone(), secure_cookies, simulated, public_url });
        Api { t, router }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.expect("the router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("read body").to_bytes();
        Reply { status, headers, body }
    }

    /// A request with an optional JSON body.
    pub async fn call(&self, method: &str, path: &str, auth: Auth<'_>, body: Option<Value>) -> Reply {
        let mut builder = Request::builder().method(method).uri(path);
        builder = with_auth(builder, auth);
        let body = match body {
            Some(value) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(value.to_string())
            }
            None => Body::empty(),
        };
        self.send(builder.body(body).expect("request")).await
    }

    /// A request with a raw body and content type.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        auth: Auth<'_>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        let mut builder = with_auth(Request::builder().method(method).uri(path), auth);
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        self.send(builder.body(Body::from(body)).expect("request")).await
    }

    /// A form post (pages).
    pub async fn form(&self, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Reply {
        let body: String =
            fields.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect::<Vec<_>>().join("&");
        let mut builder = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(session) = cookie {
            builder = builder.header(header::COOKIE, format!("mz_session={session}"));
        }
        self.send(builder.body(Body::from(body)).expect("request")).await
    }

    pub async fn get(&self, path: &str, auth: Auth<'_>) -> Reply {
        self.call("GET", path, auth, None).await
    }

    pub async fn post(&self, path: &str, auth: Auth<'_>, body: Value) -> Reply {
        self.call("POST", path, auth, Some(body)).await
    }

    /// A bearer token for `username`.
    /// An act through `POST /api/v1/cases/{id}/actions`, carrying the revision the caller sees
    /// now unless the body names one (every act carries the revision it was drawn at).
    pub async fn act(&self, id: i64, auth: Auth<'_>, mut body: Value) -> Reply {
        if body.get("expected_revision").is_none() {
            let case = self.get(&format!("/api/v1/cases/{id}"), auth).await;
            let revision =
                if case.status == StatusCode::OK { case.json()["revision"].as_i64().unwrap_or(1) } else { 1 };
            body["expected_revision"] = json!(revision);
        }
        self.post(&format!("/api/v1/cases/{id}/actions"), auth, body).await
    }

    /// A case's revision now, as text (what a form's hidden `expected_revision` sends back).
    pub async fn revision(&self, id: i64, auth: Auth<'_>) -> String {
        let case = self.get(&format!("/api/v1/cases/{id}"), auth).await;
        case.json()["revision"].as_i64().unwrap_or(1).to_string()
    }

    pub async fn token(&self, username: &str, password: &str) -> String {
        let reply =
            self.post("/api/v1/auth/token", Auth::None, json!({"username": username, "password": password})).await;
        assert_eq!(reply.status, StatusCode::OK, "login {username}: {}", reply.text());
        reply.json()["token"].as_str().expect("token").to_string()
    }

    pub async fn admin_token(&self) -> String {
        let password = self.t.admin_password.clone();
        self.token("admin", &password).await
    }

    /// Creates a staff account holding `role` at `division` and returns its bearer token.
    pub async fn staff_token(&self, username: &str, role: &str, division: &str) -> String {
        self.t.staff(username, role, division).await;
        self.token(username, STAFF_PASSWORD).await
    }

    /// A request for government information entered as before the move, in the area's own
    /// table, by the holder of `token`; `body` has the fields of that entry (division,
    /// applicant_kind, applicant_name, identity, contact, description, form, channel,
    /// submitted_on, and signed_on or confirmed_on where the channel needs them). No route enters
    /// one any more (a new request is a case of the item), but such requests are read, handled
    /// and counted. Returns its id.
    pub async fn earlier_disclosure_request(&self, token: &str, body: &Value) -> i64 {
        let (actor, _) = self.t.app.authenticate(token).await.expect("a signed-in token");
        let text = |key: &str| body[key].as_str().unwrap_or_default().to_string();
        let input = domain::verticals::disclosure::RequestInput {
            applicant_kind: text("applicant_kind"),
            applicant_name: text("applicant_name"),
            identity: text("identity"),
            contact: text("contact"),
            address: text("address"),
            description: text("description"),
            form: text("form"),
            channel: text("channel"),
            submitted_on: text("submitted_on"),
            signed_on: text("signed_on"),
            confirmed_on: text("confirmed_on"),
        };
        self.t.app.disclosure_create(&actor, &text("division"), &input).await.expect("an earlier request entered")
    }

    /// A browser session: (cookie value, CSRF token).
    pub async fn cookie_login(&self, username: &str, password: &str) -> (String, String) {
        let reply =
            self.post("/api/v1/auth/login", Auth::None, json!({"username": username, "password": password})).await;
        assert_eq!(reply.status, StatusCode::OK, "login {username}: {}", reply.text());
        let session = reply.cookie("mz_session").expect("session cookie");
        let csrf = reply.json()["csrf_token"].as_str().expect("csrf").to_string();
        (session, csrf)
    }

    /// Creates a person through the API; returns the response body.
    pub async fn create_person(&self, token: &str, name: &str, id_number: &str, division: &str) -> Value {
        let body = json!({"name": name, "id_number": id_number, "phone": "13912345678", "division": division});
        let reply = self.post("/api/v1/persons", Auth::Bearer(token), body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        reply.json()
    }

    /// Persons, accounts and recorded events: a refused write must change none of them.
    pub async fn footprint(&self) -> (usize, i64, i64) {
        let store = &self.t.app.store;
        let everywhere = Scope(vec!["510000".into(), "500000".into()]);
        let persons = store.persons(&everywhere, None, None, 500, 0).await.expect("persons").len();
        let accounts = store.account_count().await.expect("accounts");
        let events = store.event_count().await.expect("events");
        (persons, accounts, events)
    }
}

fn with_auth(mut builder: axum::http::request::Builder, auth: Auth<'_>) -> axum::http::request::Builder {
    match auth {
        Auth::None => {}
        Auth::Bearer(token) => builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}")),
        Auth::Cookie { session, csrf } => {
            builder = builder.header(header::COOKIE, format!("theme=light; mz_session={session}"));
            if let Some(csrf) = csrf {
                builder = builder.header("x-csrf-token", csrf);
            }
        }
    }
    builder
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A valid citizen identity number (GB 11643-1999) from a region, a birth date and an order.
pub fn id_number(region: &str, birth: &str, order: u32) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let body = format!("{region}{birth}{order:03}");
    assert_eq!(body.len(), 17);
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{body}{}", CHECK[(sum % 11) as usize] as char)
}

/// Every log line of the test binary, at TRACE for every crate. One global subscriber, installed
/// before a test makes its first request: scoped subscribers miss events when parallel tests
/// register the same call sites at the same moment. With `TEST_LOG` set, lines also go to stderr.
pub fn logs() -> &'static Capture {
    static LOGS: OnceLock<Capture> = OnceLock::new();
    LOGS.get_or_init(|| {
        let capture = Capture { lines: Arc::default(), echo: std::env::var_os("TEST_LOG").is_some() };
        let subscriber = tracing_subscriber::fmt()
            .with_writer(capture.clone())
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .finish();
        // Fails only if something else installed one first; then nothing would be captured, and
        // the log test says so.
        let _ = tracing::subscriber::set_global_default(subscriber);
        capture
    })
}

/// A log sink shared with the tests.
#[derive(Clone)]
pub struct Capture {
    lines: Arc<Mutex<Vec<u8>>>,
    echo: bool,
}

impl Capture {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.lines.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.echo {
            std::io::stderr().write_all(buf)?;
        }
        self.lines.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[test]
fn the_example_id_number_is_valid() {
    assert_eq!(id_number("511702", "19400101", 170), "511702194001011706");
}

/// A 社会团体变更登记 at the city window, applicant registered in the same request, with the
/// facts of the item's form.
pub fn application(order: u32) -> Value {
    json!({
        "item": "social-group-change-registration",
        "channel": "window",
        "applicant": {
            "name": "王小明",
            "id_number": id_number("511702", "19800101", order),
            "phone": "13912345678",
            "division": "511702"
        },
        "accepting_division": "511700",
        "situation": "change_name_scope",
        "materials": ["application", "sponsor_approval", "meeting_resolution", "certificate"],
        "data": {"premises_division": "511700"},
        "facts": {
            "organization": {"name": "达州市青年志愿者协会", "credit_code": "515117025041234500", "division": "511702"},
            "change_before": "名称：达州市青年志愿者协会",
            "change_after": "名称：达州市志愿服务协会"
        }
    })
}

/// The window form's fields of [`application`]'s facts (`facts.<id>`, the API's names).
pub const CHANGE_FACTS: [(&str, &str); 5] = [
    ("facts.organization.name", "达州市青年志愿者协会"),
    ("facts.organization.credit_code", "515117025041234500"),
    ("facts.organization.division", "511702"),
    ("facts.change_before", "名称：达州市青年志愿者协会"),
    ("facts.change_after", "名称：达州市志愿服务协会"),
];

/// The facts of a 养老机构备案 (`elderly-care-filing`) whose operator sits in `division`.
pub fn filing_facts(division: &str) -> Value {
    json!({
        "operator": {"name": "幸福养老服务中心", "credit_code": "52511702MJ0001AB69", "division": division},
        "service_address": "翠屏街道1号",
        "beds": 40,
        "institution_type": "private",
        "floor_area": 1200,
        "service_scope": ["生活照料", "康复护理"],
        "commitment_signed": true
    })
}

/// The same facts as the window form posts them (`facts.<id>`), the operator in 511702.
pub const FILING_FACTS: [(&str, &str); 10] = [
    ("facts.operator.name", "幸福养老服务中心"),
    ("facts.operator.credit_code", "52511702MJ0001AB69"),
    ("facts.operator.division", "511702"),
    ("facts.service_address", "翠屏街道1号"),
    ("facts.beds", "40"),
    ("facts.service_scope", "生活照料\n康复护理"),
    ("facts.commitment_signed", "true"),
    ("facts.residents_from", ""),
    ("facts.institution_type", "private"),
    ("facts.floor_area", "1200"),
];
