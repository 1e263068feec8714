//! What social assistance adds to a decision notice: the program, the authority, the rule
//! version, the amount and the months, the calculation, and the decided words
//! naming what is granted (the program, the monthly amount, the first month), adjusted or
//! stopped. All of it from the case's `assistance.decision` event, which the decision's row was
//! written with in the same transaction, so the public verification page rebuilds the same
//! content.

use domain::assistance::money::format_yuan;
use domain::assistance::program::Program;
use domain::audit::Event;
use serde_json::Value;
use service::cases::CaseView;

use crate::routes::notices::{last_payload, AreaNotice, NoticeKind, Verdict};

/// `YYYY-MM` as 2021年8月; anything else as written.
fn month_zh(month: &str) -> String {
    match month.split_once('-').map(|(y, m)| (y, m.parse::<u32>())) {
        Some((year, Ok(m))) if year.len() == 4 && (1..=12).contains(&m) => format!("{year}年{m}月"),
        _ => month.to_string(),
    }
}

pub fn notice_rows(kind: NoticeKind, _view: &CaseView, events: &[Event]) -> AreaNotice {
    if kind != NoticeKind::Decision {
        return AreaNotice::default();
    }
    let Some((d, _)) = last_payload(events, "assistance.decision") else { return AreaNotice::default() };
    let text = |key: &str| d[key].as_str().unwrap_or("").to_string();
    let program = d["program"].as_str().and_then(Program::parse).map(Program::name_zh).unwrap_or("").to_string();
    let granted = d["granted"].as_bool().unwrap_or(false);
    let outcome = text("outcome");
    let amount = format_yuan(d["amount_fen"].as_i64().unwrap_or(0));
    let first = d["first_month"].as_str().map(month_zh);
    let last = d["last_month"].as_str().map(month_zh);
    let from = first.clone().unwrap_or_default();

    let mut rows = vec![("救助项目", program.clone()), ("作出决定的权限", text("authority"))];
    rows.push(("适用标准版本", text("rule_version")));
    if granted {
        rows.push(("救助金额", format!("{amount} 元")));
    }
    if let Some(first) = &first {
        rows.push((if outcome == "stop" { "停发起始月份" } else { "发放起始月份" }, first.clone()));
    }
    if let Some(last) = &last {
        rows.push(("发放截止月份", last.clone()));
    }
    let trace: Vec<String> = d["trace"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    // 社会救助暂行办法第十一条、第十三条: the decision names what is granted, changed or stopped.
    let verdict = match (outcome.as_str(), granted) {
        ("stop", _) => Some(Verdict {
            title: "停发决定书",
            words: format!("经复核，你（家庭）已不符合{program}的享受条件，本机关决定自{from}起停止发放。"),
            adverse: true,
        }),
        ("adjust", _) => Some(Verdict {
            title: "救助金调整决定书",
            words: format!("经复核，本机关决定自{from}起将你（家庭）的{program}调整为每月{amount}元。"),
            adverse: true,
        }),
        (_, true) => Some(Verdict {
            title: "准予决定书",
            words: format!("经审查，你（家庭）的申请符合{program}的条件，本机关决定给予{program}，每月{amount}元，自{from}起发放。"),
            adverse: false,
        }),
        (_, false) => None,
    };
    AreaNotice {
        verdict,
        rows,
        lists: if trace.is_empty() { vec![] } else { vec![("核算过程", trace)] },
        states_facts: false,
        ..AreaNotice::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_read_the_chinese_way() {
        assert_eq!(month_zh("2021-08"), "2021年8月");
        assert_eq!(month_zh("2021-12"), "2021年12月");
        assert_eq!(month_zh("2021-13"), "2021-13");
        assert_eq!(month_zh("soon"), "soon");
    }
}
