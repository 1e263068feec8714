//! 主动公开 of the organ's rule-making: what 政府信息公开条例 (国务院令第711号, as revised in
//! force 2019-05-15) 第二十条 lists for proactive disclosure — 第（一）项 its 规范性文件, and
//! 重大行政决策 as published under 重大行政决策程序暂行条例第三十二条 — with the limit of
//! 第二十六条 (20 working days), ruled for every area in [`crate::openness`]. A decision's
//! information is formed on the day of the discussion that adopted it.

pub use crate::openness::{proactive_due, PublishState as Disclosure, PROACTIVE_WORKDAYS};
