//! The pages in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`)
//! driven over WebDriver with fantoccini, against the real server (`web::serve`) on a free
//! loopback port. Screenshots go to `target/screenshots/`.
//!
//! Without the browser the tests skip with a message on a developer's machine and **fail** when
//! `CI` is set (`.ci/run` installs the packages).

use std::net::{SocketAddr, TcpListener as StdListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use test_support::Db;
use web::AppState;

use crate::helpers::{id_number, Api, Auth, STAFF_PASSWORD};
use crate::workbench::assert_labelled;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// True when the browser is here; false (skip) on a developer's machine without it; panics in CI.
pub(crate) fn browser_available() -> bool {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{CHROMIUM} or {CHROMEDRIVER} is missing but CI is set: install chromium and chromium-driver");
    }
    eprintln!(
        "skipping browser test: install chromium and chromium-driver (apt-get install -y chromium chromium-driver)"
    );
    false
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free loopback port")
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("nothing listens on port {port}");
}

/// chromedriver, killed when dropped.
pub(crate) struct Driver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl Driver {
    pub(crate) fn start() -> Driver {
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = std::env::temp_dir().join(format!("minzheng-chromium-{port}-{}", std::process::id()));
        std::fs::create_dir_all(&profile).expect("profile folder");
        wait_for_port(port);
        Driver { child, port, profile }
    }

    pub(crate) async fn client(&self) -> Client {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,1000",
            "--lang=zh-CN",
        ];
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", self.profile.display()));
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), json!({"binary": CHROMIUM, "args": args}));
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The real server on a free loopback port; stops when the sender is dropped.
pub(crate) async fn serve(api: &Api) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr: SocketAddr = listener.local_addr().expect("address");
    let state = AppState { app: api.t.app.clone(), secure_cookies: false, simulated: Some(api.t.clock.clone()) };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = web::serve(listener, state, async {
            let _ = stopped.await;
        })
        .await;
    });
    (format!("http://{addr}"), stop)
}

fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// Saves a screenshot and checks the page's fields have labels and its images alt text.
pub(crate) async fn visited(client: &Client, name: &str) -> String {
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).expect("write screenshot");
    let html = client.source().await.expect("page source");
    assert_labelled(&html);
    html
}

pub(crate) async fn login(client: &Client, base: &str, username: &str) {
    client.goto(&format!("{base}/login")).await.expect("login page");
    client.find(Locator::Id("username")).await.expect("username").send_keys(username).await.expect("type");
    client.find(Locator::Id("password")).await.expect("password").send_keys(STAFF_PASSWORD).await.expect("type");
    client.find(Locator::Css("main form button[type=submit]")).await.expect("button").click().await.expect("click");
    client.wait().for_element(Locator::Css("form.logout")).await.expect("signed in");
    let url = client.current_url().await.expect("url");
    assert_eq!(url.path(), "/", "logged in as {username}");
}

async fn logout(client: &Client) {
    client.find(Locator::Css("form.logout button")).await.expect("logout").click().await.expect("click");
    client.wait().for_element(Locator::Id("username")).await.expect("the login page");
    assert_eq!(client.current_url().await.expect("url").path(), "/login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_clerk_and_an_officer_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    api.t.staff("dongcheng", "township_officer", "511702001").await;
    // One case already waiting at the window.
    let waiting = json!({
        "item": "social-group-change-registration",
        "channel": "window",
        "applicant": {"name": "王小明", "id_number": id_number("511702", "19800101", 1), "division": "511702"},
        "accepting_division": "511700",
        "situation": "change_name_scope",
        "materials": ["application", "sponsor_approval", "meeting_resolution", "certificate"],
        "data": {"premises_division": "511700"}
    });
    let waiting = api.post("/api/v1/cases", Auth::Bearer(&clerk), waiting).await.json();
    let waiting_number = waiting["number"].as_str().expect("number").to_string();

    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;

    login(&client, &base, "clerk700").await;
    visited(&client, "01-home").await;

    // 待办.
    client.goto(&format!("{base}/work")).await.expect("work");
    let html = visited(&client, "02-work").await;
    assert!(html.contains(&waiting_number), "{html}");
    assert!(html.contains("模拟时钟"), "the banner: {html}");

    // The window form of a promised item (承诺件, 5 working days).
    client
        .goto(&format!("{base}/items/social-group-change-registration/apply?situation=change_name_scope"))
        .await
        .expect("apply");
    visited(&client, "03-apply").await;
    let id_text = id_number("511702", "19800101", 2);
    for (id, value) in [
        ("name", "李四"),
        ("id_number", id_text.as_str()),
        ("phone", "13912345678"),
        ("division", "511702"),
        ("premises_division", "511700"),
    ] {
        client.find(Locator::Id(id)).await.expect(id).send_keys(value).await.expect("type");
    }
    for checkbox in client.find_all(Locator::Css("input[name=materials]")).await.expect("materials") {
        checkbox.click().await.expect("tick");
    }
    client
        .find(Locator::Css("form[action=\"/items/social-group-change-registration/apply\"][method=post] button"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    // The case page has the accept form.
    client.wait().for_element(Locator::Css("form:has(input[name=action][value=accept])")).await.expect("case page");
    let url = client.current_url().await.expect("url");
    assert!(url.path().starts_with("/cases/"), "{url}");
    let case_path = url.path().to_string();
    let html = visited(&client, "04-case-submitted").await;
    assert!(html.contains("待受理"), "{html}");

    // Accept: back on the case page with the deadline explained.
    client
        .find(Locator::Css("form:has(input[name=action][value=accept]) button"))
        .await
        .expect("accept button")
        .click()
        .await
        .expect("click");
    client.wait().for_element(Locator::Css("p.notice")).await.expect("the act's confirmation");
    let html = visited(&client, "05-case-accepted").await;
    assert!(html.contains("已办理：受理"), "{html}");
    assert!(html.contains("受理 2021-06-01，受理当日不计；5 个工作日"), "{html}");
    assert!(html.contains("2021年6月8日"), "{html}");
    // At phone width.
    client.set_window_size(412, 915).await.expect("phone width");
    visited(&client, "06-case-phone").await;
    client.set_window_size(1280, 1000).await.expect("desktop width");

    // The public guide.
    client.goto(&format!("{base}/guide")).await.expect("guide");
    visited(&client, "07-guide").await;
    client.goto(&format!("{base}/guide/social-group-change-registration")).await.expect("guide item");
    visited(&client, "08-guide-item").await;

    // A township officer: the 403 page for a case outside their township.
    logout(&client).await;
    login(&client, &base, "dongcheng").await;
    client.goto(&format!("{base}{case_path}")).await.expect("case");
    let html = visited(&client, "09-forbidden").await;
    assert!(html.contains("<h1>无权访问</h1>"), "{html}");

    client.close().await.expect("close the session");
}
