//! Charts drawn on the server as SVG (no script: the CSP allows none, and a leader's phone
//! needs none): one kind, horizontal grouped bars, laid out here and drawn by
//! `templates/chart.html`. Each chart has a text title and sits beside a table of its numbers.
//! [`png`] draws the same bars as images for a document that holds no SVG (the report's .docx).

pub mod png;

/// One series of a chart: its name (the legend) and its CSS class (`s0`, `s1`, `s2`).
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub class: &'static str,
}

/// One bar, laid out in the chart's coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub class: &'static str,
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// The value as written at the bar's end.
    pub text: String,
    pub text_x: u32,
    pub text_y: u32,
}

/// A group's label, at the left.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub text: String,
    pub y: u32,
}

#[derive(Debug, Clone)]
pub struct Chart {
    /// `chart-…`, unique on the page (the title's id).
    pub id: String,
    pub title: String,
    pub width: u32,
    pub height: u32,
    pub series: Vec<Series>,
    pub labels: Vec<Label>,
    pub bars: Vec<Bar>,
    /// The numbers in words (the SVG's `desc`, read by a screen reader): `label：series value，…；…`.
    pub desc: String,
}

/// Where the bars start and how long the longest is.
const LABEL_WIDTH: u32 = 120;
const BAR_SPACE: u32 = 300;
const WIDTH: u32 = LABEL_WIDTH + BAR_SPACE + 70;
const BAR_HEIGHT: u32 = 14;
const GROUP_GAP: u32 = 10;

const CLASSES: [&str; 3] = ["s0", "s1", "s2"];

/// A horizontal grouped bar chart: `groups` are (label, one value per series, None where
/// there is no data: no bar, "无数据"); bars are scaled to `max` (the largest value when None);
/// `text` writes a value.
pub fn bars(
    id: &str,
    title: &str,
    series: &[&str],
    groups: &[(String, Vec<Option<f64>>)],
    max: Option<f64>,
    text: impl Fn(f64) -> String,
) -> Chart {
    let series: Vec<Series> = series
        .iter()
        .enumerate()
        .map(|(i, name)| Series { name: name.to_string(), class: CLASSES[i % CLASSES.len()] })
        .collect();
    let largest = groups.iter().flat_map(|(_, v)| v.iter().flatten().copied()).fold(0.0_f64, f64::max);
    let max = max.unwrap_or(largest).max(f64::MIN_POSITIVE);
    let per_group = BAR_HEIGHT * series.len().max(1) as u32 + GROUP_GAP;
    let mut labels = Vec::new();
    let mut out = Vec::new();
    let mut desc = Vec::new();
    for (g, (label, values)) in groups.iter().enumerate() {
        let said: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(s, v)| {
                let value = v.map(&text).unwrap_or_else(|| "无数据".to_string());
                match series.get(s).filter(|_| series.len() > 1) {
                    Some(x) => format!("{} {value}", x.name),
                    None => value,
                }
            })
            .collect();
        desc.push(format!("{label}：{}", said.join("，")));
        let top = GROUP_GAP + g as u32 * per_group;
        labels.push(Label { text: label.clone(), y: top + BAR_HEIGHT * values.len().max(1) as u32 / 2 + 4 });
        for (s, value) in values.iter().enumerate() {
            let width = value.map(|v| ((v.max(0.0) / max).min(1.0) * f64::from(BAR_SPACE)).round() as u32).unwrap_or(0);
            let y = top + s as u32 * BAR_HEIGHT;
            out.push(Bar {
                class: series.get(s).map(|x| x.class).unwrap_or("s0"),
                x: LABEL_WIDTH,
                y,
                width,
                height: BAR_HEIGHT - 2,
                text: value.map(&text).unwrap_or_else(|| "无数据".to_string()),
                text_x: LABEL_WIDTH + width + 4,
                text_y: y + BAR_HEIGHT - 3,
            });
        }
    }
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        width: WIDTH,
        height: GROUP_GAP + groups.len() as u32 * per_group,
        series,
        labels,
        bars: out,
        desc: desc.join("；"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_scaled_to_the_largest_value() {
        let groups =
            vec![("东城".to_string(), vec![Some(4.0), Some(1.0)]), ("西城".to_string(), vec![Some(2.0), Some(0.0)])];
        let chart = bars("chart-x", "标题", &["未办结", "超期"], &groups, None, |v| format!("{v}"));
        assert_eq!(chart.bars.len(), 4);
        assert_eq!(chart.bars[0].width, BAR_SPACE, "the largest fills the space");
        assert_eq!(chart.bars[1].width, BAR_SPACE / 4);
        assert_eq!(chart.bars[3].width, 0);
        assert_eq!((chart.bars[0].class, chart.bars[1].class), ("s0", "s1"));
        assert!(chart.bars[2].y > chart.bars[1].y, "groups do not overlap");
        assert_eq!(chart.labels.len(), 2);
        assert_eq!(chart.desc, "东城：未办结 4，超期 1；西城：未办结 2，超期 0");
        assert!(chart.height >= chart.bars[3].y + BAR_HEIGHT);
    }

    #[test]
    fn ratios_use_a_fixed_scale_and_empty_charts_do_not_divide_by_zero() {
        let chart =
            bars("c", "t", &["比率"], &[("a".into(), vec![Some(0.5)])], Some(1.0), |v| format!("{}%", v * 100.0));
        assert_eq!(chart.bars[0].width, BAR_SPACE / 2);
        assert_eq!(chart.bars[0].text, "50%");
        let empty = bars("c", "t", &["件数"], &[("a".into(), vec![Some(0.0)])], None, |v| v.to_string());
        assert_eq!(empty.bars[0].width, 0);
        let none = bars("c", "t", &["比率"], &[("a".into(), vec![None])], Some(1.0), |v| v.to_string());
        assert_eq!((none.bars[0].width, none.bars[0].text.as_str()), (0, "无数据"));
    }
}
