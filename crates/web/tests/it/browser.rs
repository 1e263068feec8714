//! The pages in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`)
//! driven over WebDriver with fantoccini, against the real server (`web::serve`) on a free
//! loopback port. Screenshots go to `target/screenshots/`.
//!
//! Without the browser the tests skip with a message on a developer's machine and **fail** when
//! `CI` is set (`.ci/run` installs the packages).

use std::net::{SocketAddr, TcpListener as StdListener, TcpStream};
use std::os::unix::process::CommandExt;
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
pub fn browser_available() -> bool {
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

/// The element id the window form gives the field posted as `name` (`facts.a.b` → `fact-a-b`);
/// a division fact is a picker whose named select is `facts-a-division`; other names are their
/// own id.
pub fn fact_input_id(name: &str) -> String {
    match name.strip_prefix("facts.") {
        Some(_) if name.ends_with("division") => name.replace('.', "-"),
        Some(rest) => format!("fact-{}", rest.replace('.', "-")),
        None => name.to_string(),
    }
}

/// Enters `value` in the window form's field posted as `name`: a select (a division picker, a
/// choice) by clicking its option of that value, any other field by typing it afresh.
pub async fn enter(client: &Client, name: &str, value: &str) {
    let id = fact_input_id(name);
    let field = client.find(Locator::Id(&id)).await.unwrap_or_else(|e| panic!("{id}: {e}"));
    if field.tag_name().await.expect("tag") == "select" {
        click(client, &format!("#{id} option[value=\"{value}\"]")).await;
    } else {
        field.clear().await.expect("clear");
        field.send_keys(value).await.expect("type");
    }
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

/// chromedriver and the browser it starts, killed when dropped — after a test that passed or
/// one that panicked before closing its session alike, so no browser outlives its test.
pub struct Driver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl Driver {
    pub fn start() -> Driver {
        let port = free_port();
        // In a process group of its own, which the browser and its child processes join as they start.
        let child = Command::new(CHROMEDRIVER)
            .process_group(0)
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

    pub async fn client(&self) -> Client {
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
        // The whole group: chromedriver, the browser and its child processes.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A process that left the group still names this driver's own profile folder.
        for pid in processes_naming(&self.profile) {
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).stderr(Stdio::null()).status();
        }
        // A killed process leaves /proc only once the kernel has torn it down (slow for a
        // browser on a loaded machine): wait for that, within bounds, so none outlives the test.
        for _ in 0..200 {
            if processes_naming(&self.profile).is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The processes whose command line names `path` (from `/proc`).
pub fn processes_naming(path: &Path) -> Vec<u32> {
    let needle = path.display().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| String::from_utf8_lossy(&c).contains(&needle))
        })
        .collect()
}

/// The real server on a free loopback port; stops when the sender is dropped.
pub async fn serve(api: &Api) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr: SocketAddr = listener.local_addr().expect("address");
    let state = AppState {
        app: api.t.app.clone(),
        secure_cookies: false,
        simulated: Some(api.t.clock.clone()),
        public_url: None,
    };
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

/// The automated accessibility check, run in the page itself on its live DOM: `html lang` is
/// `zh-CN`, every visible field (input, select, textarea) has a label (a `<label>`, or
/// `aria-label` / `aria-labelledby`), every `img` has an `alt`, every SVG drawn as an image
/// has a title, and the page has one `h1`. Returns the problems, in Chinese-free plain text
/// naming the element.
const ACCESSIBILITY_CHECK: &str = r#"
const problems = [];
const describe = (el) => el.outerHTML.slice(0, 120);
if (document.documentElement.getAttribute('lang') !== 'zh-CN') problems.push('html lang is not zh-CN');
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden') continue;
  const named = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
  if (!named) problems.push('field without a label: ' + describe(el));
}
for (const img of document.querySelectorAll('img')) {
  if (!img.hasAttribute('alt')) problems.push('image without alt: ' + describe(img));
}
for (const svg of document.querySelectorAll('svg[role=img]')) {
  if (!svg.querySelector('title') && !svg.getAttribute('aria-label')) problems.push('chart without a title: ' + describe(svg));
}
if (document.querySelectorAll('h1').length !== 1) problems.push('expected one h1, found ' + document.querySelectorAll('h1').length);
return problems;
"#;

/// Asserts the page now open in `client` passes [`ACCESSIBILITY_CHECK`] (and the static
/// label check of its source). Every page a browser test visits goes through it, by way of
/// [`visited`]; a new browser test calls [`visited`] (or this) on each page it opens.
pub async fn assert_accessible(client: &Client, name: &str) {
    let problems = client.execute(ACCESSIBILITY_CHECK, Vec::new()).await.expect("run the accessibility check");
    let problems: Vec<String> = serde_json::from_value(problems).expect("a list of problems");
    let url = client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
    assert!(problems.is_empty(), "{name} ({url}) fails the accessibility check: {problems:#?}");
    let html = client.source().await.expect("page source");
    assert_labelled(&html);
}

/// Saves a screenshot under `target/screenshots/`, runs the accessibility check and the scan for
/// what is not for users (internal markers, event machine names) on the page's visible text;
/// returns the page's source.
pub async fn visited(client: &Client, name: &str) -> String {
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).expect("write screenshot");
    assert_accessible(client, name).await;
    let shown = client.execute("return document.body.innerText;", Vec::new()).await.expect("the visible text");
    crate::page_scan::assert_for_users(shown.as_str().unwrap_or_default(), name);
    client.source().await.expect("page source")
}

/// Clicks the element `css` finds and waits until the browser has left the page it was on (the
/// old document's root goes stale), so that the next lookup finds the new page and never an
/// element of the old one (a form posted back to the same address looks alike).
pub async fn click_to_new_page(client: &Client, css: &str) {
    let old = client.find(Locator::Css("html")).await.expect("the page");
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.expect("click");
    let give_up = Instant::now() + Duration::from_secs(60);
    while old.tag_name().await.is_ok() {
        assert!(Instant::now() < give_up, "the page did not change after clicking {css}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Types `value` into the input of id `id`, replacing what it held.
pub async fn fill(client: &Client, id: &str, value: &str) {
    let field = client.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("{id}: {e}"));
    field.clear().await.expect("clear");
    field.send_keys(value).await.expect("type");
}

/// Clicks the element `css` finds (on the same page).
pub async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.expect("click");
}

/// Ticks every material of an application form.
pub async fn tick_every_material(client: &Client) {
    for checkbox in client.find_all(Locator::Css("input[name=materials]")).await.expect("materials") {
        if !checkbox.is_selected().await.expect("state") {
            checkbox.click().await.expect("tick");
        }
    }
}

/// Saves the page at desktop and at phone width (`<name>-phone`); returns the source.
pub async fn both_widths(client: &Client, name: &str) -> String {
    let html = visited(client, name).await;
    client.set_window_size(412, 915).await.expect("phone width");
    visited(client, &format!("{name}-phone")).await;
    client.set_window_size(1280, 1000).await.expect("desktop width");
    html
}

/// Waits for `css` on the page now loading; fails with the page's source when it does not come.
pub async fn expect_element(client: &Client, css: &str) {
    if client.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css(css)).await.is_err() {
        panic!("no {css} on the page: {}", client.source().await.unwrap_or_default());
    }
}

/// Clicks the (not destructive) form of `action` on the case page and expects its confirmation.
pub async fn act(client: &Client, action: &str) {
    let button = format!("form:has(input[name=action][value={action}]):not(.destructive) button");
    click_to_new_page(client, &button).await;
    expect_element(client, "p.notice").await;
}

pub async fn login(client: &Client, base: &str, username: &str) {
    client.goto(&format!("{base}/login")).await.expect("login page");
    client.find(Locator::Id("username")).await.expect("username").send_keys(username).await.expect("type");
    client.find(Locator::Id("password")).await.expect("password").send_keys(STAFF_PASSWORD).await.expect("type");
    client.find(Locator::Css("main form button[type=submit]")).await.expect("button").click().await.expect("click");
    client.wait().for_element(Locator::Css("form.logout")).await.expect("signed in");
    let url = client.current_url().await.expect("url");
    assert_eq!(url.path(), "/", "logged in as {username}");
}

pub async fn logout(client: &Client) {
    client.find(Locator::Css("form.logout button")).await.expect("logout").click().await.expect("click");
    client.wait().for_element(Locator::Id("username")).await.expect("the login page");
    assert_eq!(client.current_url().await.expect("url").path(), "/login");
}

// A test that fails with its browser open leaves no browser behind: the driver's drop, run as the
// panic unwinds, ends chromedriver, the browser and its child processes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_does_not_outlive_a_failing_test() {
    if !browser_available() {
        return;
    }
    let (seen, running) = std::sync::mpsc::channel();
    let failed = tokio::spawn(async move {
        let driver = Driver::start();
        let client = driver.client().await;
        client.goto("about:blank").await.expect("a page");
        seen.send((driver.profile.clone(), processes_naming(&driver.profile).len())).expect("sent");
        panic!("a test failing with its browser open");
    })
    .await;
    assert!(failed.is_err_and(|e| e.is_panic()));
    let (profile, before) = running.recv().expect("the browser ran");
    assert!(before > 0, "the browser ran with the driver's own profile");
    let left = processes_naming(&profile);
    assert!(left.is_empty(), "processes of the failed test's browser still run: {left:?}");
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
        "data": {"premises_division": "511700"},
        "facts": crate::helpers::application(1)["facts"].clone()
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
    ]
    .into_iter()
    .chain(crate::helpers::CHANGE_FACTS)
    {
        enter(&client, id, value).await;
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

/// The text of the element `css`, trimmed.
async fn text_of(client: &Client, css: &str) -> String {
    let element = client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    element.text().await.expect("text").trim().to_string()
}

pub(crate) async fn type_into(client: &Client, id: &str, value: &str) {
    client.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("{id}: {e}")).send_keys(value).await.expect("type");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_citizen_applies_online_tracks_and_rates_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    let staff = crate::portal::SubsidyStaff::new(&api).await;
    let me = domain::person::PersonInput {
        name: "赵小红".into(),
        id_number: id_number("511702", "19600101", 7),
        phone: None,
        address: None,
        division: "511702001".into(),
    };
    api.t.citizen("citizen1", "511702001", &me).await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;

    // The guide says the item can be done online; the citizen signs in and applies.
    client.goto(&format!("{base}/guide/disability-subsidy")).await.expect("guide");
    visited(&client, "20-guide-online-item").await;
    login(&client, &base, "citizen1").await;
    visited(&client, "21-citizen-home").await;
    client.goto(&format!("{base}/items/disability-subsidy/apply?situation=care_subsidy")).await.expect("form");
    let form = visited(&client, "22-online-apply").await;
    assert!(form.contains("网上申请：残疾人两项补贴资格认定申请"), "{form}");
    let id_text = id_number("511702", "19600101", 7);
    for (id, value) in [("name", "赵小红"), ("id_number", id_text.as_str()), ("phone", "13912345678")] {
        type_into(&client, id, value).await;
    }
    // The 户籍地 is chosen, not typed: the picker opens at the citizen's township.
    click(&client, "#division option[value=\"511702001\"]").await;
    for checkbox in client.find_all(Locator::Css("input[name=materials]")).await.expect("materials") {
        checkbox.click().await.expect("tick");
    }
    click(&client, "form[action=\"/items/disability-subsidy/apply\"][method=post] button").await;
    client.wait().for_element(Locator::Css(".check-code")).await.expect("the case page");
    let html = visited(&client, "23-online-submitted").await;
    assert!(html.contains("待受理"), "{html}");
    // The applicant's own page, at phone width: the next step in words, no staff rows.
    client.set_window_size(412, 915).await.expect("phone width");
    let html = visited(&client, "23b-citizen-case-phone").await;
    assert!(html.contains("<dt>下一步</dt><dd>等待受理") && !html.contains("办理过程"), "{html}");
    client.execute("window.scrollTo(0, document.body.scrollHeight);", Vec::new()).await.expect("scroll");
    visited(&client, "23c-citizen-case-phone-end").await;
    client.set_window_size(1280, 1000).await.expect("desktop width");
    // Just submitted, the page is the receipt: the number and the 查询码 in plain view.
    assert_eq!(text_of(&client, "h1").await.trim(), "申请已提交");
    let number = text_of(&client, ".confirmation .receipt").await.trim().to_string();
    let code = text_of(&client, ".check-code").await;
    assert_eq!(code, api.t.app.case_check_code(&number), "the 查询码 shown is the case's");
    logout(&client).await;

    // The public tracks it without an account: a wrong check first.
    client.goto(&format!("{base}/track")).await.expect("track");
    visited(&client, "24-track-form").await;
    type_into(&client, "number", &number).await;
    type_into(&client, "check", "0000").await;
    click(&client, "main form button[type=submit]").await;
    client.wait().for_element(Locator::Css("p.alert")).await.expect("refused");
    assert_eq!(text_of(&client, "p.alert").await, "办件编号或查询码不正确");
    visited(&client, "25-track-refused").await;
    // The right code, at phone width: the status and the next step in words.
    client.set_window_size(412, 915).await.expect("phone width");
    client.goto(&format!("{base}/track")).await.expect("track");
    type_into(&client, "number", &number).await;
    type_into(&client, "check", &code).await;
    click(&client, "main form button[type=submit]").await;
    client.wait().for_element(Locator::Css("dl.facts")).await.expect("the case");
    let html = visited(&client, "25b-track-open-phone").await;
    assert!(html.contains("<dt>下一步</dt><dd>等待受理"), "{html}");
    client.set_window_size(1280, 1000).await.expect("desktop width");

    // The staff move it to its end (acts through the service; the 公示 runs out on the clock).
    let id = api.t.app.track_case(&number, &code, "test").await.expect("the case").case.id;
    crate::portal::complete_subsidy(&api, &staff, id).await;

    client.goto(&format!("{base}/track")).await.expect("track");
    type_into(&client, "number", &number).await;
    type_into(&client, "check", &id_text[14..]).await;
    click(&client, "main form button[type=submit]").await;
    client.wait().for_element(Locator::Css("form[action=\"/track/rate\"]")).await.expect("the rating form");
    let html = visited(&client, "26-track-closed").await;
    assert!(html.contains("<dt>状态</dt><dd>已办结</dd>"), "{html}");
    assert!(
        html.contains("<dt>办结日期</dt>") && html.contains("<dt>办理结果</dt><dd><strong>准予</strong></dd>"),
        "{html}"
    );
    // Keyboard: each indicator's grade is chosen by its label (an online case: the 线上 ones),
    // the comment typed.
    for indicator in ["overall", "efficiency", "guide_accuracy", "convenience", "usability"] {
        click(&client, &format!("label[for={indicator}-satisfied]")).await;
    }
    type_into(&client, "comment", "网上申请很方便").await;
    click(&client, "form[action=\"/track/rate\"] button").await;
    client.wait().for_element(Locator::Css("p.notice")).await.expect("thanks");
    let html = visited(&client, "27-rated").await;
    assert!(html.contains("您已对本次线上服务作出评价") && html.contains("<dt>平台操作性</dt><dd>满意</dd>"), "{html}");
    assert_eq!(api.t.app.rating_of(id).await.expect("rating").map(|r| r.grade), Some("satisfied".to_string()));

    // At phone width.
    client.set_window_size(412, 915).await.expect("phone width");
    let html = visited(&client, "28-rated-phone").await;
    assert!(html.contains("<dt>办结日期</dt>"), "the closing date at phone width too: {html}");
    client.close().await.expect("close the session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_leader_dashboard_shows_what_the_api_returns_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    let token = crate::dashboard::some_cases(&api).await;
    let dashboard = api.get("/api/v1/stats/dashboard", Auth::Bearer(&token)).await.json();
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "leader").await;
    client.goto(&format!("{base}/dashboard")).await.expect("dashboard");
    visited(&client, "30-dashboard").await;
    for m in dashboard["stats"]["metrics"].as_array().expect("metrics") {
        let key = m["key"].as_str().expect("key");
        assert_eq!(text_of(&client, &format!("#metric-{key} td.value")).await, m["display"], "{key}");
        assert_eq!(text_of(&client, &format!("#metric-{key} td.numerator")).await, m["numerator"].to_string(), "{key}");
        assert_eq!(
            text_of(&client, &format!("#metric-{key} td.denominator")).await,
            m["denominator"].to_string(),
            "{key}"
        );
    }
    let divisions = dashboard["divisions"].as_array().expect("divisions");
    assert!(!divisions.is_empty());
    for d in divisions {
        let code = d["code"].as_str().expect("code");
        for (class, field) in [("open", "open"), ("due-soon", "due_soon"), ("overdue", "overdue")] {
            assert_eq!(
                text_of(&client, &format!("#division-{code} td.{class}")).await,
                d[field].to_string(),
                "{code} {field}"
            );
        }
    }
    for m in dashboard["months"].as_array().expect("months") {
        let month = m["month"].as_str().expect("month");
        assert_eq!(
            text_of(&client, &format!("#month-{month} td.submitted")).await,
            m["submitted"].to_string(),
            "{month}"
        );
        assert_eq!(text_of(&client, &format!("#month-{month} td.closed")).await, m["closed"].to_string(), "{month}");
    }
    assert_eq!(client.find_all(Locator::Css("figure.chart svg[role=img]")).await.expect("charts").len(), 4);
    client.set_window_size(412, 915).await.expect("phone width");
    visited(&client, "31-dashboard-phone").await;
    client.set_window_size(1280, 1000).await.expect("desktop width");

    // A figure is a link to the cases it counts: the city's 超期 opens its one overdue case.
    let overdue = divisions.iter().find(|d| d["code"] == "511700").map(|d| d["overdue"].clone()).expect("the city");
    assert_eq!(overdue, 1, "{dashboard}");
    client.find(Locator::Css("#division-511700 td.overdue a")).await.expect("the link").click().await.expect("click");
    client.wait().for_element(Locator::Css("main table")).await.expect("the cases");
    let html = visited(&client, "31b-dashboard-overdue-cases").await;
    assert!(html.contains("四川省达州市超期的办件（1 件）"), "{html}");
    assert_eq!(client.find_all(Locator::Css("main table tbody tr")).await.expect("rows").len(), 1);

    // The search, by the applicant's name, from the keyboard.
    client.goto(&format!("{base}/cases")).await.expect("search");
    type_into(&client, "q", "王小明\n").await;
    client.wait().for_element(Locator::Css("main table")).await.expect("results");
    let html = visited(&client, "32-search-by-name").await;
    assert!(html.contains("按申请人姓名查询的结果（3 件）"), "{html}");
    client.close().await.expect("close the session");
}
