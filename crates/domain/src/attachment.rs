//! Attachments on a case (附件): evidence gathered in enforcement, the materials a citizen hands in
//! online, papers staff add. Pure: which files are taken (by their content, never by the name's
//! extension), how large, under what name, and the SM3 hash (GB/T 32905-2016) that identifies the
//! bytes in storage and in the full-process record.

use sm3::{Digest, Sm3};

use crate::problem::{text_field, FieldError};

/// The largest file taken: 10 MiB. The platform's choice (no statute sets one): a scanned
/// multi-page PDF or a phone photo fits, and one upload never holds a server worker for long.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// The longest file name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 100;

/// The longest label (what the file is: 现场照片, 身份证复印件…), in characters.
pub const MAX_LABEL_CHARS: usize = 50;

/// The kinds of file taken, recognised by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    Pdf,
    Jpeg,
    Png,
}

impl MediaType {
    pub const ALL: [MediaType; 3] = [MediaType::Pdf, MediaType::Jpeg, MediaType::Png];

    /// The IANA media type, as stored and served.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            MediaType::Pdf => "PDF 文件",
            MediaType::Jpeg => "JPEG 图片",
            MediaType::Png => "PNG 图片",
        }
    }

    /// The extensions a name of this kind may end in (lower case); the first is the one added.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            MediaType::Pdf => &["pdf"],
            MediaType::Jpeg => &["jpg", "jpeg"],
            MediaType::Png => &["png"],
        }
    }

    /// The stored media type back.
    pub fn parse(text: &str) -> Option<MediaType> {
        MediaType::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// The kind of `bytes` by their signature: PDF `%PDF-` (ISO 32000-1 §7.5.2), JPEG `FF D8 FF`
    /// (the SOI marker and the next marker's lead byte, ISO/IEC 10918-1), PNG's eight-byte
    /// signature (ISO/IEC 15948 §5.2). Anything else, whatever its name says, is none of them.
    pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
        const PNG: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if bytes.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if bytes.starts_with(&PNG) {
            Some(MediaType::Png)
        } else {
            None
        }
    }
}

/// A file that may be attached: checked, named, hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedAttachment {
    pub file_name: String,
    pub media_type: MediaType,
    pub label: String,
    pub size: usize,
    /// SM3 of the bytes, 64 lower-case hex digits.
    pub hash: String,
}

/// SM3 (GB/T 32905-2016) of `bytes`, as 64 lower-case hex digits.
pub fn sm3_hex(bytes: &[u8]) -> String {
    hex::encode(Sm3::digest(bytes))
}

/// Checks an upload: `bytes` not empty, at most [`MAX_ATTACHMENT_BYTES`], a PDF, JPEG or PNG by
/// content; `label` free text of at most [`MAX_LABEL_CHARS`]; the name made safe
/// ([`sanitize_file_name`]). Every problem at once, on the fields `file` and `label`.
pub fn check_attachment(file_name: &str, label: &str, bytes: &[u8]) -> Result<CheckedAttachment, Vec<FieldError>> {
    let mut problems = Vec::new();
    let media_type = if bytes.is_empty() {
        problems.push(FieldError::new("file", "attachment_empty", "上传的文件是空的，请重新选择文件"));
        None
    } else if bytes.len() > MAX_ATTACHMENT_BYTES {
        problems.push(too_large());
        None
    } else {
        let sniffed = MediaType::sniff(bytes);
        if sniffed.is_none() {
            problems.push(FieldError::new(
                "file",
                "attachment_type",
                "只能上传 PDF 文件或 JPEG、PNG 图片（按文件内容识别，与文件名的扩展名无关）",
            ));
        }
        sniffed
    };
    let label = match text_field("label", label, MAX_LABEL_CHARS, false) {
        Ok(label) => Some(label),
        Err(problem) => {
            problems.push(problem);
            None
        }
    };
    match (media_type, label) {
        (Some(media_type), Some(label)) if problems.is_empty() => Ok(CheckedAttachment {
            label: mask_number_runs(&label),
            file_name: sanitize_file_name(file_name, media_type),
            media_type,
            size: bytes.len(),
            hash: sm3_hex(bytes),
        }),
        _ => Err(problems),
    }
}

/// The refusal of a file over [`MAX_ATTACHMENT_BYTES`] (also what the web layer answers when the
/// request body itself is over its limit).
pub fn too_large() -> FieldError {
    FieldError::new(
        "file",
        "attachment_too_large",
        format!("文件过大：单个文件不能超过 {} MB", MAX_ATTACHMENT_BYTES / (1024 * 1024)),
    )
}

/// The name a file is kept and offered under: the last path component only (no `/` or `\`),
/// control characters and the characters file systems refuse (`<>:"|?*`) replaced by `_`, no
/// leading dots or spaces, at most [`MAX_FILE_NAME_CHARS`] characters, ending in an extension of
/// the kind its content is (`扫描件.pdf` holding a PNG becomes `扫描件.pdf.png`); an empty name
/// becomes `附件.<ext>`.
pub fn sanitize_file_name(name: &str, media_type: MediaType) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String =
        last.chars().map(|c| if c.is_control() || "<>:\"|?*".contains(c) { '_' } else { c }).collect();
    let cleaned = mask_number_runs(&cleaned);
    let stem = cleaned.trim().trim_start_matches(['.', ' ']).trim_end();
    let extension = media_type.extensions()[0];
    let ends_right = stem.rsplit_once('.').is_some_and(|(before, ext)| {
        !before.is_empty() && media_type.extensions().contains(&ext.to_lowercase().as_str())
    });
    let (stem, suffix) = match (stem.is_empty(), ends_right) {
        (true, _) => ("附件", format!(".{extension}")),
        (false, true) => {
            let (before, ext) = stem.rsplit_once('.').unwrap_or((stem, ""));
            (before, format!(".{ext}"))
        }
        (false, false) => (stem, format!(".{extension}")),
    };
    let room = MAX_FILE_NAME_CHARS.saturating_sub(suffix.chars().count());
    let stem: String = stem.chars().take(room).collect();
    format!("{}{suffix}", stem.trim_end())
}

/// Shortest run of digits taken for a personal number: a mobile number has 11 digits, an ID
/// number 18 (the last may be `X`), an old ID number 15.
const PERSONAL_NUMBER_DIGITS: usize = 11;

/// `text` with every run of at least [`PERSONAL_NUMBER_DIGITS`] ASCII digits (and a trailing `X`
/// or `x`, an ID number's check character) replaced by as many `*`. A file's name and label go
/// into the full-process record in clear, so a number that may be a person's ID or phone number
/// is never kept in them (个人信息保护法第五十一条: measures such as de-identification). The
/// length is the platform's choice: shorter runs (dates, document numbers) are kept.
pub fn mask_number_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let digits = i - start;
        if digits >= PERSONAL_NUMBER_DIGITS && i < chars.len() && matches!(chars[i], 'X' | 'x') {
            i += 1;
        }
        if digits >= PERSONAL_NUMBER_DIGITS {
            out.extend(std::iter::repeat_n('*', i - start));
        } else {
            out.extend(&chars[start..i]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_numbers_in_names_and_labels_are_masked() {
        assert_eq!(mask_number_runs("张三51170219900101001X身份证"), "张三******************身份证");
        assert_eq!(mask_number_runs("电话13812345678"), "电话***********");
        assert_eq!(mask_number_runs("511702199001010011.pdf"), "******************.pdf");
        assert_eq!(mask_number_runs("2021年10月9日通知 第20210901号"), "2021年10月9日通知 第20210901号");
        assert_eq!(mask_number_runs("1234567890"), "1234567890", "ten digits are kept");
        assert_eq!(mask_number_runs("12345678901"), "***********", "eleven are not");
        assert_eq!(mask_number_runs("12345X"), "12345X", "a short run keeps its X");
        let pdf = MediaType::Pdf;
        assert_eq!(sanitize_file_name("户口簿_511702199001010011.pdf", pdf), "户口簿_******************.pdf");
        let bytes = b"%PDF-1.4 test";
        let checked = check_attachment("a.pdf", "王五 13900001111 的身份证", bytes).expect("valid");
        assert_eq!(checked.label, "王五 *********** 的身份证");
    }

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    fn codes(result: Result<CheckedAttachment, Vec<FieldError>>) -> Vec<&'static str> {
        result.err().unwrap_or_default().iter().map(|p| p.code).collect()
    }

    #[test]
    fn kinds_are_told_by_content_not_by_name() {
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        assert_eq!(MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(MediaType::Jpeg));
        assert_eq!(MediaType::sniff(PNG), Some(MediaType::Png));
        assert_eq!(MediaType::sniff(b"MZ\x90\x00"), None, "a Windows executable");
        assert_eq!(MediaType::sniff(b"%PDF"), None, "the signature cut short");
        assert_eq!(MediaType::sniff(&[0xFF, 0xD8]), None);
        assert_eq!(MediaType::sniff(&PNG[..7]), None);
        assert_eq!(MediaType::sniff(b" %PDF-1.7"), None, "not at the start");
        let png_named_pdf = check_attachment("扫描件.pdf", "", PNG).unwrap();
        assert_eq!(png_named_pdf.media_type, MediaType::Png);
        assert_eq!(png_named_pdf.file_name, "扫描件.pdf.png");
        assert_eq!(codes(check_attachment("合同.pdf", "", b"MZ\x90\x00\x03")), ["attachment_type"]);
        for m in MediaType::ALL {
            assert_eq!(MediaType::parse(m.as_str()), Some(m));
        }
        assert_eq!(MediaType::parse("text/html"), None);
    }

    #[test]
    fn size_limits_and_the_day_the_limit_is_reached() {
        assert_eq!(codes(check_attachment("a.pdf", "", b"")), ["attachment_empty"]);
        let mut at_limit = b"%PDF-".to_vec();
        at_limit.resize(MAX_ATTACHMENT_BYTES, b' ');
        assert_eq!(check_attachment("a.pdf", "", &at_limit).map(|a| a.size), Ok(MAX_ATTACHMENT_BYTES));
        at_limit.push(b' ');
        assert_eq!(codes(check_attachment("a.pdf", "", &at_limit)), ["attachment_too_large"]);
        assert!(too_large().message.contains("10 MB"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let long = "长".repeat(MAX_LABEL_CHARS + 1);
        assert_eq!(codes(check_attachment("a.exe", &long, b"MZ")), ["attachment_type", "too_long"]);
        assert_eq!(codes(check_attachment("a.pdf", "现场\u{1b}照片", b"%PDF-1.4")), ["control_chars"]);
        let ok = check_attachment("a.pdf", "  现场照片 ", b"%PDF-1.4").unwrap();
        assert_eq!(ok.label, "现场照片");
    }

    #[test]
    fn the_hash_is_sm3_of_the_bytes() {
        // GB/T 32905-2016 Appendix A, example 1: SM3("abc").
        assert_eq!(sm3_hex(b"abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
        assert_eq!(check_attachment("a.pdf", "", b"%PDF-1.4").unwrap().hash, sm3_hex(b"%PDF-1.4"));
    }

    #[test]
    fn names_are_made_safe() {
        let pdf = MediaType::Pdf;
        assert_eq!(sanitize_file_name("../../etc/passwd.pdf", pdf), "passwd.pdf");
        assert_eq!(sanitize_file_name("C:\\Users\\张三\\申请书.PDF", pdf), "申请书.PDF");
        assert_eq!(sanitize_file_name("a<b>:c|d?.pdf", pdf), "a_b__c_d_.pdf");
        assert_eq!(sanitize_file_name("报告\u{0}\n.pdf", pdf), "报告__.pdf");
        assert_eq!(sanitize_file_name("", pdf), "附件.pdf");
        assert_eq!(sanitize_file_name("dir/", pdf), "附件.pdf");
        assert_eq!(sanitize_file_name("...", pdf), "附件.pdf");
        assert_eq!(sanitize_file_name(".pdf", pdf), "pdf.pdf", "a bare extension is a name");
        assert_eq!(sanitize_file_name("photo", MediaType::Jpeg), "photo.jpg");
        assert_eq!(sanitize_file_name("photo.JPEG", MediaType::Jpeg), "photo.JPEG");
        let long = format!("{}.pdf", "名".repeat(300));
        let kept = sanitize_file_name(&long, pdf);
        assert_eq!(kept.chars().count(), MAX_FILE_NAME_CHARS);
        assert!(kept.ends_with(".pdf"));
        let exactly = format!("{}.pdf", "名".repeat(MAX_FILE_NAME_CHARS - 4));
        assert_eq!(sanitize_file_name(&exactly, pdf), exactly, "a name at the limit is kept whole");
        for name in ["a/b.pdf", "a\\b.pdf", "/", "\\\\server\\share\\x.pdf"] {
            let safe = sanitize_file_name(name, pdf);
            assert!(!safe.contains(['/', '\\']), "{name} → {safe}");
        }
    }
}
