//! Finds the machine codes the source mints: a small Rust tokenizer (comments, strings, raw
//! strings, chars and lifetimes told apart) and three shapes of minting:
//!
//! - a call of a function that takes `code: &'static str` (found by scanning every signature, so
//!   an area's own helper is covered the day it is written), the string literal at that place;
//! - a struct literal's `code: "…"`;
//! - the arms of a function named `code` or `…_code` that returns `&'static str` (`=> "…"`).
//!
//! For `ServiceError::new(ErrorKind::X, …)` and `AppError::new(StatusCode::X, …)` the status is
//! kept too, so a code minted with two statuses is caught.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Punct(char),
    Lifetime,
    Other,
}

fn tokenize(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let count_lines = |s: &[char]| s.iter().filter(|c| **c == '\n').count();
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' || ((c == 'b' || c == 'c') && chars.get(i + 1) == Some(&'"')) {
            let start_line = line;
            i += if c == '"' { 1 } else { 2 };
            let mut value = String::new();
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    value.push(chars[i]);
                    i += 1;
                }
                if chars[i] == '\n' {
                    line += 1;
                }
                value.push(chars[i]);
                i += 1;
            }
            i += 1;
            tokens.push((Token::Str(value), start_line));
        } else if (c == 'r' || (c == 'b' && chars.get(i + 1) == Some(&'r'))) && {
            let j = if c == 'r' { i + 1 } else { i + 2 };
            let mut k = j;
            while chars.get(k) == Some(&'#') {
                k += 1;
            }
            chars.get(k) == Some(&'"')
        } {
            let start_line = line;
            let mut j = if c == 'r' { i + 1 } else { i + 2 };
            let mut hashes = 0;
            while chars[j] == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            let start = j;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    break;
                }
                j += 1;
            }
            let body = &chars[start..j.min(chars.len())];
            line += count_lines(body);
            tokens.push((Token::Str(body.iter().collect()), start_line));
            i = j + 1 + hashes;
        } else if c == '\'' {
            if chars.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
                tokens.push((Token::Other, line));
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                tokens.push((Token::Other, line));
            } else {
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                tokens.push((Token::Lifetime, line));
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push((Token::Ident(chars[start..i].iter().collect()), line));
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                if chars[i] == '.' && !chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
                    break;
                }
                i += 1;
            }
            tokens.push((Token::Other, line));
        } else {
            tokens.push((Token::Punct(c), line));
            i += 1;
        }
    }
    tokens
}

/// One code minted in the source.
#[derive(Debug, Clone)]
pub struct Minted {
    pub code: String,
    /// `path:line`.
    pub at: String,
    /// The file, relative to the repository (`/`-separated).
    pub file: String,
    /// The HTTP status it was minted with, when the call names one.
    pub status: Option<u16>,
    /// The message minted with it, when it is a literal (or a `format!` of one).
    pub message: Option<String>,
    /// Minted through a constant (`codes::FORBIDDEN`): `code` is the constant's name.
    pub constant: bool,
}

/// A function that takes a code: its name (`Type::new` for a constructor) and the position of
/// the code among its arguments (a method's `self` not counted).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Minter {
    name: String,
    position: usize,
    /// Position of an `ErrorKind`/`StatusCode` argument.
    status_position: Option<usize>,
}

fn matching(tokens: &[(Token, usize)], open: usize) -> usize {
    let mut depth = 0;
    for (i, (t, _)) in tokens.iter().enumerate().skip(open) {
        match t {
            Token::Punct('(') | Token::Punct('[') | Token::Punct('{') => depth += 1,
            Token::Punct(')') | Token::Punct(']') | Token::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// The arguments between `open` (a `(`) and its match, split at top-level commas (a closure's
/// `|a, b|` is rare in these calls and only shifts the positions after it).
fn arguments(tokens: &[(Token, usize)], open: usize) -> Vec<&[(Token, usize)]> {
    let close = matching(tokens, open);
    let mut args = Vec::new();
    let mut depth = 0;
    let mut start = open + 1;
    for i in open + 1..close {
        match tokens[i].0 {
            Token::Punct('(') | Token::Punct('[') | Token::Punct('{') => depth += 1,
            Token::Punct(')') | Token::Punct(']') | Token::Punct('}') => depth -= 1,
            Token::Punct(',') if depth == 0 => {
                args.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < close {
        args.push(&tokens[start..close]);
    }
    args
}

fn status_of(arg: &[(Token, usize)]) -> Option<u16> {
    // `ErrorKind::Invalid`, `crate::ErrorKind::Invalid`, `StatusCode::NOT_FOUND`: the last two names.
    let name = match arg {
        [.., (Token::Ident(ty), _), (Token::Punct(':'), _), (Token::Punct(':'), _), (Token::Ident(name), _)]
            if ty == "ErrorKind" || ty == "StatusCode" =>
        {
            name.as_str()
        }
        _ => return None,
    };
    Some(match name {
        "Invalid" | "UNPROCESSABLE_ENTITY" => 422,
        "BAD_REQUEST" => 400,
        "Unauthorized" | "UNAUTHORIZED" => 401,
        "Forbidden" | "FORBIDDEN" => 403,
        "NotFound" | "NOT_FOUND" => 404,
        "METHOD_NOT_ALLOWED" => 405,
        "Conflict" | "CONFLICT" => 409,
        "GONE" => 410,
        "PAYLOAD_TOO_LARGE" => 413,
        "UNSUPPORTED_MEDIA_TYPE" => 415,
        "TooManyRequests" | "TOO_MANY_REQUESTS" => 429,
        "Internal" | "INTERNAL_SERVER_ERROR" => 500,
        "SERVICE_UNAVAILABLE" => 503,
        other => panic!("a status the code scan does not know: {other}"),
    })
}

/// The minters declared in one file: `fn name(…, code: &'static str, …)`.
fn minters(tokens: &[(Token, usize)]) -> Vec<Minter> {
    let mut found = Vec::new();
    let mut impl_type: Option<String> = None;
    for i in 0..tokens.len() {
        if tokens[i].0 == Token::Ident("impl".into()) {
            // The type of the block: the last identifier before its `{` at depth 0.
            let mut j = i + 1;
            let mut last = None;
            while j < tokens.len() && tokens[j].0 != Token::Punct('{') && tokens[j].0 != Token::Punct(';') {
                if let Token::Ident(name) = &tokens[j].0 {
                    if name != "for" && name != "where" {
                        last = Some(name.clone());
                    }
                }
                j += 1;
            }
            impl_type = last;
        }
        if tokens[i].0 != Token::Ident("fn".into()) {
            continue;
        }
        let Some((Token::Ident(name), _)) = tokens.get(i + 1) else { continue };
        let mut open = i + 2;
        if tokens.get(open).map(|t| &t.0) == Some(&Token::Punct('<')) {
            while open < tokens.len() && tokens[open].0 != Token::Punct('(') {
                open += 1;
            }
        }
        if tokens.get(open).map(|t| &t.0) != Some(&Token::Punct('(')) {
            continue;
        }
        let params = arguments(tokens, open);
        let mut position = 0;
        let mut code_at = None;
        let mut status_at = None;
        for param in &params {
            let is_self = param.iter().any(|(t, _)| *t == Token::Ident("self".into()));
            if is_self {
                continue;
            }
            if let [(Token::Ident(p), _), (Token::Punct(':'), _), (Token::Punct('&'), _), (Token::Lifetime, _), (Token::Ident(s), _)] =
                param
            {
                if p == "code" && s == "str" {
                    code_at = Some(position);
                }
            }
            if param
                .iter()
                .any(|(t, _)| *t == Token::Ident("ErrorKind".into()) || *t == Token::Ident("StatusCode".into()))
            {
                status_at = Some(position);
            }
            position += 1;
        }
        if let Some(position) = code_at {
            let name =
                if name == "new" { format!("{}::new", impl_type.clone().unwrap_or_default()) } else { name.clone() };
            found.push(Minter { name, position, status_position: status_at });
        }
    }
    found
}

/// The source files of the crates (tests and `#[cfg(test)]` modules aside), relative path and text.
pub fn sources(root: &Path) -> Vec<(String, String)> {
    let mut stack: Vec<PathBuf> = ["domain", "store", "service", "web", "minzheng"]
        .iter()
        .map(|c| root.join("crates").join(c).join("src"))
        .collect();
    let mut files = Vec::new();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("tests.rs") || path.ends_with("testkit.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default().to_string();
        let relative = path.strip_prefix(root).unwrap_or(&path).display().to_string();
        files.push((relative, code));
    }
    files.sort();
    files
}

/// Every code minted in `files`.
pub fn minted(files: &[(String, String)]) -> Vec<Minted> {
    let tokenized: Vec<(String, Vec<(Token, usize)>)> = files.iter().map(|(p, t)| (p.clone(), tokenize(t))).collect();
    // Public minters reach every file; private ones only their own.
    let mut everywhere: HashMap<String, Minter> = HashMap::new();
    let mut local: HashMap<String, Vec<Minter>> = HashMap::new();
    for (path, tokens) in &tokenized {
        for minter in minters(tokens) {
            if minter.name.contains("::") {
                everywhere.insert(minter.name.clone(), minter);
            } else {
                local.entry(path.clone()).or_default().push(minter);
            }
        }
    }
    let mut out = Vec::new();
    for (path, tokens) in &tokenized {
        let mut known: HashMap<String, Minter> = everywhere.clone();
        for minter in local.get(path).into_iter().flatten() {
            known.insert(minter.name.clone(), minter.clone());
        }
        let push = |out: &mut Vec<Minted>, code: &str, line: usize, status: Option<u16>| {
            out.push(Minted {
                code: code.to_string(),
                at: format!("{path}:{line}"),
                file: path.clone(),
                status,
                message: None,
                constant: false,
            });
        };
        for i in 0..tokens.len() {
            match &tokens[i].0 {
                // `code: "…"` in a struct literal.
                Token::Ident(name) if name == "code" => {
                    if let (Some((Token::Punct(':'), _)), Some((Token::Str(value), line))) =
                        (tokens.get(i + 1), tokens.get(i + 2))
                    {
                        push(&mut out, value, *line, None);
                    }
                }
                _ => {}
            }
            // `fn code(…) -> &'static str` / `fn …_code(…) -> &'static str`: its arms.
            if tokens[i].0 == Token::Ident("fn".into()) {
                if let Some((Token::Ident(name), _)) = tokens.get(i + 1) {
                    if name == "code" || name.ends_with("_code") {
                        let mut j = i + 2;
                        while j < tokens.len() && tokens[j].0 != Token::Punct('{') && tokens[j].0 != Token::Punct(';') {
                            j += 1;
                        }
                        let signature = &tokens[i..j];
                        let returns_static = signature
                            .windows(2)
                            .any(|w| w[0].0 == Token::Lifetime && w[1].0 == Token::Ident("str".into()))
                            && signature.iter().any(|t| t.0 == Token::Punct('>'));
                        if returns_static && j < tokens.len() && tokens[j].0 == Token::Punct('{') {
                            let end = matching(tokens, j);
                            for k in j..end {
                                if let (Token::Punct('='), Some((Token::Punct('>'), _)), Some((Token::Str(v), line))) =
                                    (&tokens[k].0, tokens.get(k + 1), tokens.get(k + 2))
                                {
                                    push(&mut out, v, *line, None);
                                }
                            }
                        }
                    }
                }
            }
            // A call of a minter.
            let Token::Ident(name) = &tokens[i].0 else { continue };
            if tokens.get(i + 1).map(|t| &t.0) != Some(&Token::Punct('(')) {
                continue;
            }
            if i > 0 && tokens[i - 1].0 == Token::Ident("fn".into()) {
                continue;
            }
            let qualified = if name == "new" && i >= 3 && tokens[i - 1].0 == Token::Punct(':') {
                match &tokens[i - 3].0 {
                    Token::Ident(ty) => format!("{ty}::new"),
                    _ => continue,
                }
            } else {
                name.clone()
            };
            let Some(minter) = known.get(&qualified) else { continue };
            let args = arguments(tokens, i + 1);
            // Through a table's constant: `codes::NAME` or `NAME`.
            if let Some([.., (Token::Ident(constant), line)]) = args.get(minter.position).map(|a| &a[..]) {
                let shaped = constant.len() > 1
                    && constant.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                if shaped {
                    let status = minter.status_position.and_then(|p| args.get(p)).and_then(|a| status_of(a));
                    push(&mut out, constant, *line, status);
                    if let Some(last) = out.last_mut() {
                        last.constant = true;
                    }
                }
            }
            if let Some([(Token::Str(value), line)]) = args.get(minter.position).map(|a| &a[..]) {
                let status = minter.status_position.and_then(|p| args.get(p)).and_then(|a| status_of(a));
                push(&mut out, value, *line, status);
                let message = args.get(minter.position + 1).and_then(|a| {
                    a.iter().find_map(|(t, _)| match t {
                        Token::Str(s) => Some(s.clone()),
                        _ => None,
                    })
                });
                if let Some(last) = out.last_mut() {
                    last.message = message;
                }
            }
        }
    }
    out
}
