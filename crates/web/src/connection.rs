//! The connection under the router: a refusal hyper makes itself gets the error shape too.
//!
//! hyper answers a request it cannot parse before any service sees it — 400 (a malformed request
//! line or header), 414 (a request target over 64 KiB), 431 (a head over its buffer) — with a
//! bare status line and an empty body. [`Guarded`] wraps each accepted TCP stream and replaces
//! exactly those automatic answers (one of these statuses with `content-length: 0`; the router
//! never answers them without a body) with the JSON error every other refusal carries
//! (`{code, message, field, problems}`), then the connection closes as hyper intended.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::serve::Listener;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::dto::ErrorBody;

/// A TCP listener whose connections are [`Guarded`].
pub struct GuardedListener(pub TcpListener);

impl Listener for GuardedListener {
    type Io = Guarded<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = Listener::accept(&mut self.0).await;
        (Guarded { inner: io, pending: Vec::new() }, addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Listener::local_addr(&self.0)
    }
}

/// A stream whose automatic parse-error answers are rewritten (see the module).
pub struct Guarded<T> {
    inner: T,
    /// The rewritten answer not yet written to `inner`.
    pending: Vec<u8>,
}

/// The code and Chinese message of hyper's automatic answer `status`, if it is one.
fn refusal(status: &[u8]) -> Option<(u16, &'static str, &'static str, &'static str)> {
    match status {
        b"400" => Some((400, "Bad Request", "bad_request", "请求格式有误（请求行或请求头无法解析）")),
        b"414" => Some((414, "URI Too Long", "uri_too_long", "请求地址过长，不能超过 64 KiB")),
        b"431" => Some((431, "Request Header Fields Too Large", "headers_too_large", "请求头过大或过多，请精简后重试")),
        _ => None,
    }
}

/// The replacement of `head` when it is one of hyper's automatic bodiless refusals.
fn rewrite(head: &[u8]) -> Option<Vec<u8>> {
    let rest = head.strip_prefix(b"HTTP/1.1 ").or_else(|| head.strip_prefix(b"HTTP/1.0 "))?;
    let (status, reason, code, message) = refusal(rest.get(..3)?)?;
    if !head.ends_with(b"\r\n\r\n") {
        return None;
    }
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    if !text.contains("\r\ncontent-length: 0\r\n") || text.contains("content-type:") {
        return None;
    }
    let body = ErrorBody {
        code: code.to_string(),
        message: message.to_string(),
        field: None,
        problems: Vec::new(),
        basis: None,
        state: None,
        revision: None,
        last_act: None,
    };
    let body = serde_json::to_vec(&body).ok()?;
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    Some(out)
}

impl<T: AsyncWrite + Unpin> Guarded<T> {
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pending.drain(..n);
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Guarded<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Guarded<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(replacement) = rewrite(buf) {
            self.pending = replacement;
            // Written as far as the caller is concerned; the rest goes out on flush.
            let _ = self.drain(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(first) = bufs.iter().find(|b| !b.is_empty()) {
            if rewrite(first).is_some() {
                return self.poll_write(cx, &first[..]);
            }
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bodiless_automatic_refusals_are_rewritten() {
        let auto = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: Sat, 05 Dec 2026 06:00:00 GMT\r\n\r\n";
        let out = String::from_utf8(rewrite(auto).unwrap()).unwrap();
        assert!(out.starts_with("HTTP/1.1 414 "), "{out}");
        assert!(out.contains("\"code\":\"uri_too_long\""), "{out}");
        let json = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n";
        assert!(rewrite(json).is_none(), "an answer of the router is left alone");
        assert!(rewrite(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(rewrite(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n").is_none());
    }
}
