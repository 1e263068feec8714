//! The demo register of social organizations in Dazhou: the register as it stood before the
//! year (a few hundred organizations of the city and its seven counties, registered 2000–2020,
//! sponsored or, since the 2016 reform, direct; the 2020 inspections; the 行业协会商会 with their
//! former organs and the five separations, 123 of them decoupled by the end of 2021, as the
//! 2021 report says) is entered in bulk, as an import of the paper register would be. In the
//! year, the 2021 inspection reports arrive at the windows from March to May and are recorded
//! through the service; a few organizations never report, so the campaign lists them.

use chrono::{Days, NaiveDate};
use domain::access::Actor;
use domain::verticals::social_organization::decoupling::Separation;
use domain::verticals::social_organization::inspection::InspectionResult;
use domain::verticals::social_organization::OrgType;
use service::verticals::social_organization::register::InspectionForm;
use service::App;
use store::verticals::social_organization::{InspectionInput, NewOrg, NewVersion, SeparationInput};

/// The places of the register: (division, name).
const PLACES: [(&str, &str); 8] = [
    ("511700", "达州市"),
    ("511702", "通川区"),
    ("511703", "达川区"),
    ("511722", "宣汉县"),
    ("511723", "开江县"),
    ("511724", "大竹县"),
    ("511725", "渠县"),
    ("511781", "万源市"),
];

const TRADES: [&str; 20] = [
    "餐饮",
    "建筑业",
    "物流",
    "汽车销售",
    "旅游",
    "茶叶",
    "中药材",
    "家具",
    "酒类",
    "电子商务",
    "房地产",
    "物业管理",
    "食品",
    "天然气",
    "再生资源",
    "农机",
    "果业",
    "生猪产业",
    "苎麻",
    "广告",
];
const FIELDS: [&str; 16] = [
    "书法家",
    "摄影家",
    "老年体育",
    "科普",
    "计算机",
    "医学",
    "护理",
    "律师",
    "会计",
    "心理咨询",
    "青年志愿者",
    "慈善",
    "文学",
    "社会工作",
    "红十字志愿者",
    "围棋",
];
const SERVICES: [&str; 8] = [
    "社会工作服务中心",
    "养老服务中心",
    "职业培训学校",
    "康复中心",
    "幼儿园",
    "社区服务中心",
    "青少年活动中心",
    "文化艺术培训中心",
];
const ORGANS: [&str; 5] = ["商务局", "经济和信息化局", "住房和城乡建设局", "农业农村局", "交通运输局"];
const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 10] = ["建华", "明", "丽娟", "国强", "小红", "志刚", "海燕", "德明", "春梅", "永红"];

/// How many 行业协会商会 had completed their 脱钩 by the end of 2021 (达州市民政局 2021 年工作总结).
pub const DECOUPLED: usize = 123;

struct Dice(u64);

impl Dice {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// One organization of the register, the `i`-th.
fn organization(dice: &mut Dice, i: usize) -> (NewOrg, Option<String>) {
    let (division, place) = PLACES[i % PLACES.len()];
    let registered_on = day(2000 + dice.next(21) as i32, 1 + dice.next(12) as u32, 1 + dice.next(28) as u32);
    let direct_era = registered_on >= day(2016, 9, 1);
    let (org_type, name, category, former) = if i < 160 {
        // 行业协会商会: direct since the reform; their former organ is what 脱钩 separates.
        let trade = TRADES[(i / PLACES.len()) % TRADES.len()];
        let suffix = if i.is_multiple_of(3) { "商会" } else { "行业协会" };
        let organ = format!("{place}{}", ORGANS[i % ORGANS.len()]);
        (OrgType::SocialGroup, format!("{place}{trade}{suffix}"), Some("trade_association"), Some(organ))
    } else if i < 290 {
        let field = FIELDS[(i / PLACES.len()) % FIELDS.len()];
        let suffix = if i.is_multiple_of(2) { "协会" } else { "学会" };
        let category = match field {
            "科普" | "计算机" | "医学" => Some("science"),
            "慈善" | "青年志愿者" | "红十字志愿者" => Some("charity"),
            _ => None,
        };
        (OrgType::SocialGroup, format!("{place}{field}{suffix}"), category.filter(|_| direct_era), None)
    } else {
        let service = SERVICES[(i / PLACES.len()) % SERVICES.len()];
        let category = match service {
            "社会工作服务中心" | "社区服务中心" => Some("community_service"),
            "养老服务中心" | "康复中心" => Some("charity"),
            _ => None,
        };
        (OrgType::PrivateNonEnterprise, format!("{place}{service}"), category.filter(|_| direct_era), None)
    };
    let level = if division == "511700" { "prefecture" } else { "county" };
    let members = if org_type == OrgType::SocialGroup { 50 + dice.next(400) as i64 } else { 0 };
    let units = if category == Some("trade_association") { 30 + dice.next(120) as i64 } else { 0 };
    let legal_rep = format!("{}{}", SURNAMES[dice.next(10) as usize], GIVEN[dice.next(10) as usize]);
    let org = NewOrg {
        org_type,
        level: level.into(),
        category: category.map(str::to_string),
        sponsor: category
            .is_none()
            .then(|| format!("{place}{}", if org_type == OrgType::SocialGroup { "科学技术协会" } else { "教育局" })),
        authority_division: division.into(),
        premises_division: division.into(),
        registered_on,
        legal_rep_person: None,
        case_id: None,
        version: NewVersion {
            valid_from: registered_on,
            change_kind: "establish".into(),
            name,
            address: format!(
                "{place}{}路{}号",
                ["人民", "朝阳", "凤凰", "西外", "南外"][dice.next(5) as usize],
                1 + dice.next(300)
            ),
            legal_rep_name: legal_rep,
            funds_fen: (30_000 + dice.next(200) as i64 * 1_000) * 100,
            individual_members: if units > 0 { 0 } else { members },
            unit_members: units,
            purpose: "依照章程开展业务活动".into(),
        },
    };
    (org, former)
}

/// Enters the register and its past; returns the organizations that take part in the 2021
/// inspection (registered before 2021), with whether they register directly.
pub async fn load(app: &App) -> anyhow::Result<Vec<(i64, bool)>> {
    let mut dice = Dice(20210331);
    let mut orgs = Vec::new();
    let mut formers = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for i in 0..360 {
        let (org, former) = organization(&mut dice, i);
        if seen.insert(org.version.name.clone()) {
            orgs.push(org);
            formers.push(former);
        }
    }
    let ids = app.import_social_orgs(&orgs).await?;
    let mut inspections = Vec::new();
    let mut separations = Vec::new();
    let mut decoupled = 0;
    for ((org, former), (id, _)) in orgs.iter().zip(&formers).zip(&ids) {
        if org.registered_on < day(2020, 1, 1) {
            let result = match dice.next(20) {
                0 => InspectionResult::Fail,
                1 | 2 => InspectionResult::BasicPass,
                _ => InspectionResult::Pass,
            };
            let to_sponsor_on = org.sponsor.as_ref().map(|_| day(2020, 3, 10 + dice.next(20) as u32));
            inspections.push((
                *id,
                InspectionInput {
                    year: 2020,
                    to_sponsor_on,
                    to_authority_on: Some(day(2020, 4, 1 + dice.next(29) as u32)),
                    result: Some(result.as_str().into()),
                },
            ));
        }
        let Some(former) = former else { continue };
        // 123 complete (the last separation by 2021-12-15), 15 part way, the rest not started.
        let done = if decoupled < DECOUPLED {
            5
        } else if decoupled < DECOUPLED + 15 {
            1 + dice.next(4) as usize
        } else {
            0
        };
        if done == 5 {
            decoupled += 1;
        }
        let start = day(2019, 6, 1) + Days::new(dice.next(600));
        for (k, separation) in Separation::ALL.iter().take(done).enumerate() {
            separations.push((
                *id,
                SeparationInput {
                    former_organ: former.clone(),
                    separation: separation.as_str().into(),
                    done_on: start + Days::new(20 * k as u64),
                    evidence: format!("{}脱钩验收意见", former.trim_end_matches(ORGANS[0])),
                },
            ));
        }
    }
    app.import_social_org_history(&inspections, &separations).await?;
    Ok(orgs
        .iter()
        .zip(&ids)
        .filter(|(o, _)| o.registered_on < day(2021, 1, 1))
        .map(|(o, (id, _))| (*id, o.category.is_some()))
        .collect())
}

/// The 2021 campaign, day by day.
pub struct Year {
    pending: Vec<(i64, bool)>,
    dice: Dice,
    /// The authority's clerk of the city, who records what arrives (the city's grant reaches
    /// every county's organizations).
    clerk: Actor,
}

impl Year {
    pub fn new(clerk: Actor) -> Year {
        Year { pending: Vec::new(), dice: Dice(20210531), clerk }
    }

    pub async fn prepare(&mut self, app: &App) -> anyhow::Result<()> {
        self.pending = load(app).await?;
        Ok(())
    }

    /// From March to May, the reports of a few organizations each working day; one in 25 never
    /// reports.
    pub async fn day(&mut self, app: &App) -> anyhow::Result<()> {
        let today = app.today();
        if today < day(2021, 3, 1) || today > day(2021, 5, 31) || self.pending.is_empty() {
            return Ok(());
        }
        for _ in 0..6 {
            let Some((id, direct)) = self.pending.pop() else { break };
            if self.dice.next(25) == 0 {
                continue;
            }
            let result = match self.dice.next(20) {
                0 => InspectionResult::Fail,
                1 | 2 => InspectionResult::BasicPass,
                _ => InspectionResult::Pass,
            };
            let to_sponsor =
                if direct { String::new() } else { day(2021, 2, 20 + self.dice.next(8) as u32).to_string() };
            let form = InspectionForm {
                year: "2021".into(),
                to_sponsor_on: to_sponsor,
                to_authority_on: today.to_string(),
                result: result.as_str().into(),
            };
            app.record_social_org_inspection(&self.clerk, id, &form).await?;
        }
        Ok(())
    }
}
