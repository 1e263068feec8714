//! The annual report on building a law-based government (法治政府建设年度报告) on the web and as
//! files: the staff pages (figures, narrative versions, publishing), the public pages of the
//! published versions with their drift, the JSON API, and the .docx/.xlsx renderings ([`files`]).

pub mod files;
