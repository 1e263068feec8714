//! An item's declared outcomes (`[[outcomes]]`): what a decision on it may answer, not only
//! granted or refused. A 政府信息公开 request is answered in one of the forms of 《中华人民共和国
//! 政府信息公开条例》第三十六条 (予以公开, 部分公开, 不予公开, 信息不存在, 非本机关负责公开…); a
//! licence is 准予 or 不予 (《中华人民共和国行政许可法》第三十八条); a filing 备案 or 不予备案.
//!
//! ```toml
//! [[outcomes]]
//! key = "filed"                   # the machine key a decide act names
//! label = "予以备案"               # what pages, notices and the tracking page show
//! grants = true                   # counts as a grant (办结准予) or not
//! notice = "……予以备案。"          # the sentence the decision notice states
//! basis = "《养老机构管理办法》第十条"  # its legal basis
//! steps = ["produce"]             # the decision steps that may choose it (default: any)
//!
//! [procedure]
//! grant_outcome = "filed"         # the outcome of a grant that names none (required when
//! refusal_outcome = "not_filed"   # a side has more than one outcome)
//! ```
//!
//! An item file without `[[outcomes]]` (every version published before outcomes existed: a
//! published version is never edited) gets the two implicit outcomes [`OutcomeDef::implicit`]:
//! `granted` (准予) and, unless `refusable = false`, `denied` (不予准予), at every step.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use super::Check;
use crate::procedure::{StepDef, StepKind};

/// One declared outcome of an item's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeDef {
    /// Stable machine key (`[a-z0-9_]`, unique in the item): what a decide act names and what the
    /// case stores.
    pub key: String,
    /// The Chinese label (予以公开, 准予许可…).
    pub label: String,
    /// Whether this outcome grants (the case ends 准予) or not (不予准予).
    pub grants: bool,
    /// The sentence the decision notice states for it (empty: the label alone).
    pub notice: String,
    /// Its legal basis (empty only for the implicit outcomes of an older file).
    pub basis: String,
    /// The decision steps that may choose it; empty: any step that decides.
    pub steps: Vec<String>,
    /// What a decision naming it must state besides its reasons (`form = [ … ]`, the fields of
    /// an item's `[[form]]`, parsed by the one parser, [`crate::form::FormSpec::parse`]): e.g.
    /// the reason 不予公开 names and how information is provided (《政府信息公开条例》第三十六条、
    /// 第四十条). Empty: nothing more.
    pub form: crate::form::FormSpec,
}

impl OutcomeDef {
    /// The outcomes of an item file that declares none: 准予, and 不予准予 when refusable.
    pub fn implicit(refusable: bool) -> Vec<OutcomeDef> {
        let one = |key: &str, label: &str, grants: bool| OutcomeDef {
            key: key.to_string(),
            label: label.to_string(),
            grants,
            notice: String::new(),
            basis: String::new(),
            steps: Vec::new(),
            form: crate::form::FormSpec::default(),
        };
        let mut out = vec![one(IMPLICIT_GRANT, "准予", true)];
        if refusable {
            out.push(one(IMPLICIT_REFUSAL, "不予准予", false));
        }
        out
    }

    /// Whether the item file declared it (a declared outcome has its basis; the implicit ones of
    /// an older file have none).
    pub fn is_declared(&self) -> bool {
        !self.basis.is_empty()
    }

    /// Whether the step `id` may choose it.
    pub fn at_step(&self, id: &str) -> bool {
        self.steps.is_empty() || self.steps.iter().any(|s| s == id)
    }
}

/// The key of the implicit grant outcome.
pub const IMPLICIT_GRANT: &str = "granted";
/// The key of the implicit refusal outcome.
pub const IMPLICIT_REFUSAL: &str = "denied";

/// An item's outcomes and which applies to a grant or a refusal that names none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcomes {
    /// In file order; never empty.
    pub list: Vec<OutcomeDef>,
    /// `false` for an older file: the list is [`OutcomeDef::implicit`].
    pub declared: bool,
    /// The key a grant without an outcome records.
    pub grant_default: String,
    /// The key a refusal without an outcome records (`None`: the item is not refusable).
    pub refusal_default: Option<String>,
}

impl Outcomes {
    /// The implicit outcomes of a file that declares none.
    pub fn implicit(refusable: bool) -> Outcomes {
        Outcomes {
            list: OutcomeDef::implicit(refusable),
            declared: false,
            grant_default: IMPLICIT_GRANT.to_string(),
            refusal_default: refusable.then(|| IMPLICIT_REFUSAL.to_string()),
        }
    }

    pub fn get(&self, key: &str) -> Option<&OutcomeDef> {
        self.list.iter().find(|o| o.key == key)
    }

    /// The outcomes the step `id` may choose.
    pub fn at_step<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a OutcomeDef> + 'a {
        self.list.iter().filter(move |o| o.at_step(id))
    }

    /// The outcome a grant (`grants`) or a refusal that names none records at step `step`: the
    /// declared default when that step may choose it, else the first of that side the step may
    /// choose, else the declared default (a grant by acceptance, a rejecting review).
    pub fn default_for(&self, step: Option<&str>, grants: bool) -> Option<&OutcomeDef> {
        let declared = if grants { Some(&self.grant_default) } else { self.refusal_default.as_ref() };
        let declared = declared.and_then(|k| self.get(k));
        if let Some(step) = step {
            if let Some(d) = declared.filter(|d| d.at_step(step)) {
                return Some(d);
            }
            if let Some(first) = self.list.iter().find(|o| o.grants == grants && o.at_step(step)) {
                return Some(first);
            }
        }
        declared.or_else(|| self.list.iter().find(|o| o.grants == grants))
    }

    /// The outcome a decision recorded: its key when known, else the default of its side (a case
    /// decided before outcomes were recorded).
    pub fn of_decision(&self, key: Option<&str>, granted: bool) -> Option<&OutcomeDef> {
        key.and_then(|k| self.get(k)).or_else(|| self.default_for(None, granted))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OutcomeDto {
    key: Spanned<String>,
    label: Spanned<String>,
    grants: bool,
    #[serde(default)]
    notice: String,
    basis: Spanned<String>,
    #[serde(default)]
    steps: Vec<Spanned<String>>,
    /// The fields a decision naming this outcome states (`[[outcomes.form]]`, as `[[form]]`).
    #[serde(default)]
    form: Vec<super::FormFieldDto>,
}

/// A problem on a line of the file (this file's own minter, so the code scan sees its codes).
fn at(c: &mut Check<'_>, span: std::ops::Range<usize>, code: &'static str, message: String) {
    c.at(span, code, message);
}

/// A problem about the file as a whole.
fn whole(c: &mut Check<'_>, code: &'static str, message: String) {
    c.whole(code, message);
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 40
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && key.starts_with(|c: char| c.is_ascii_lowercase())
}

/// The 1-based line of `id = "<step>"` in the file (the step's own line), for a problem about a
/// step found after the steps were converted.
fn step_line(c: &Check<'_>, step: &str) -> Option<usize> {
    let needle = format!("\"{step}\"");
    c.text
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with("id") && l.trim_start_matches("id").trim_start().starts_with('=') && l.contains(&needle)
        })
        .map(|i| i + 1)
}

/// Converts and checks `[[outcomes]]` against the item's steps; `grant` and `refusal` are the
/// `[procedure]` defaults. Every problem is recorded with its line; `None` when any was found.
pub(super) fn convert(
    c: &mut Check<'_>,
    dtos: Vec<OutcomeDto>,
    grant: Option<Spanned<String>>,
    refusal: Option<Spanned<String>>,
    steps: &[StepDef],
    refusable: bool,
) -> Option<Outcomes> {
    let before = c.problems.len();
    if dtos.is_empty() {
        for key in [&grant, &refusal].into_iter().flatten() {
            let message = format!("事项未声明办理结果（[[outcomes]]），不能引用结果“{}”", key.get_ref());
            at(c, key.span(), "undeclared_outcome", message);
        }
        return (c.problems.len() == before).then(|| Outcomes::implicit(refusable));
    }
    let kinds: HashMap<&str, StepKind> = steps.iter().map(|s| (s.id.as_str(), s.kind)).collect();
    let mut list: Vec<OutcomeDef> = Vec::new();
    for dto in dtos {
        let key = dto.key.get_ref().trim().to_string();
        if !valid_key(&key) {
            let message = format!("办理结果标识“{key}”只能由小写字母、数字和下划线组成，以字母开头，至多 40 个字符");
            at(c, dto.key.span(), "bad_outcome_key", message);
        } else if list.iter().any(|o| o.key == key) {
            at(c, dto.key.span(), "duplicate_outcome", format!("办理结果标识“{key}”重复"));
        }
        let label = dto.label.get_ref().trim().to_string();
        if label.is_empty() || label.chars().count() > 20 {
            at(c, dto.label.span(), "bad_outcome_label", format!("办理结果“{key}”的名称（label）应为 1 至 20 个字"));
        }
        let basis = dto.basis.get_ref().trim().to_string();
        if basis.is_empty() {
            at(c, dto.basis.span(), "missing_basis", format!("办理结果“{key}”缺少依据（basis），应写明法律依据"));
        }
        if !dto.grants && !refusable {
            let message =
                format!("事项设有 refusable = false（不作不予决定），办理结果“{key}”却不是准予（grants = false）");
            at(c, dto.key.span(), "refusal_outcome_not_allowed", message);
        }
        for step in &dto.steps {
            match kinds.get(step.get_ref().as_str()) {
                None => {
                    let message = format!("办理结果“{key}”的 steps 指向不存在的环节“{}”", step.get_ref());
                    at(c, step.span(), "unknown_step", message);
                }
                Some(StepKind::Decide | StepKind::Accept | StepKind::Review) => {}
                Some(kind) => {
                    let message = format!(
                        "办理结果“{key}”的 steps 列出的环节“{}”（{}）不作决定；只有决定、受理（当场办结）或审核环节可以选择办理结果",
                        step.get_ref(),
                        kind.as_str()
                    );
                    at(c, step.span(), "outcome_step_not_decision", message);
                }
            }
        }
        list.push(OutcomeDef {
            key,
            label,
            grants: dto.grants,
            notice: dto.notice.trim().to_string(),
            basis,
            steps: dto.steps.iter().map(|s| s.get_ref().clone()).collect(),
            form: super::convert_form(c, dto.form),
        });
    }

    // The defaults: a known key of the right side; required when the side has several.
    let mut default_of = |given: &Option<Spanned<String>>, grants: bool, field: &str| -> Option<String> {
        let side: Vec<&OutcomeDef> = list.iter().filter(|o| o.grants == grants).collect();
        let side_name = if grants { "准予" } else { "不予" };
        match given {
            Some(key) => match list.iter().find(|o| &o.key == key.get_ref()) {
                None => {
                    let known: Vec<&str> = list.iter().map(|o| o.key.as_str()).collect();
                    let message =
                        format!("{field} 引用了未声明的办理结果“{}”，应为 {} 之一", key.get_ref(), known.join("、"));
                    at(c, key.span(), "undeclared_outcome", message);
                    None
                }
                Some(o) if o.grants != grants => {
                    let message = format!("{field} 应为{side_name}类的办理结果，“{}”不是", o.key);
                    at(c, key.span(), "outcome_wrong_side", message);
                    None
                }
                Some(o) => Some(o.key.clone()),
            },
            None if side.len() > 1 => {
                let message = format!(
                    "{side_name}类的办理结果有 {} 个，须在 [procedure] 中以 {field} 指明未选择结果时适用哪一个",
                    side.len()
                );
                whole(c, "no_default_outcome", message);
                None
            }
            None => side.first().map(|o| o.key.clone()),
        }
    };
    let grant_default = default_of(&grant, true, "grant_outcome");
    let refusal_default = default_of(&refusal, false, "refusal_outcome");
    if grant_default.is_none() && !list.iter().any(|o| o.grants) {
        whole(c, "no_grant_outcome", "办理结果中至少应有一个准予类结果（grants = true）".to_string());
    }
    if refusable && refusal_default.is_none() && !list.iter().any(|o| !o.grants) {
        let message = "事项可作不予决定，办理结果中至少应有一个不予类结果（grants = false）；不作不予决定的事项应写明 refusable = false".to_string();
        whole(c, "no_refusal_outcome", message);
    }
    // Every decision step has at least one outcome to choose.
    for step in steps.iter().filter(|s| s.kind == StepKind::Decide) {
        if !list.iter().any(|o| o.at_step(&step.id)) {
            let message = format!("决定环节“{}”没有可选择的办理结果（没有一个办理结果的 steps 包含它）", step.id);
            let line = step_line(c, &step.id);
            c.problems.push(super::CatalogProblem {
                file: c.file.to_string(),
                line,
                code: "decision_step_without_outcomes",
                message,
            });
        }
    }
    if c.problems.len() != before {
        return None;
    }
    Some(Outcomes { list, declared: true, grant_default: grant_default?, refusal_default })
}
