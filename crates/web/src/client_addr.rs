//! The client's address behind the bureau's reverse proxy. The socket's peer is the proxy for
//! every user, so anything keyed on the address (the login and /track throttles) would lump the
//! whole hall together; `X-Forwarded-For` is honoured, but only when the peer is a configured
//! trusted proxy (`MINZHENG_TRUSTED_PROXIES` / `--trusted-proxies`), since anyone can send the
//! header. The chain is read from the right: each trusted proxy appended the address it saw, so
//! the right-most address that is not a trusted proxy is the client; what lies left of it is
//! what the client said and is ignored.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

/// One trusted proxy: an address or a network (`10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// `a.b.c.d`, `a.b.c.d/n`, an IPv6 address, or `v6/n`. The host bits must be zero.
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        let bad = || format!("“{text}”不是 IP 地址或网段（如 10.0.0.1、10.0.0.0/8、fd00::/8）");
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
            None => max,
        };
        let cidr = Cidr { addr, prefix };
        if cidr.network_bits(addr) != bits(addr) {
            return Err(format!("“{text}”的主机位不为零（网段应写作其网络地址）"));
        }
        Ok(cidr)
    }

    fn network_bits(&self, ip: IpAddr) -> u128 {
        let width = if ip.is_ipv4() { 32 } else { 128 };
        let host = u32::from(width - self.prefix);
        let mask = if host >= 128 { 0 } else { u128::MAX << host };
        bits(ip) & mask
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        ip.is_ipv4() == self.addr.is_ipv4() && self.network_bits(ip) == bits(self.addr)
    }
}

fn bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// An IPv4 peer seen through a dual-stack socket (`::ffff:10.0.0.1`) is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The configured trusted proxies; empty (the default) trusts none and ignores the header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// A list separated by commas or white space; every bad entry is named.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        let mut cidrs = Vec::new();
        let mut problems = Vec::new();
        for item in list.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()) {
            match Cidr::parse(item) {
                Ok(cidr) => cidrs.push(cidr),
                Err(problem) => problems.push(problem),
            }
        }
        if problems.is_empty() {
            Ok(TrustedProxies(cidrs))
        } else {
            Err(problems.join("；"))
        }
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the right-most
    /// address of the `X-Forwarded-For` chain that is not a trusted proxy (or, when every hop is
    /// one, the left-most). An entry that does not parse ends the walk at the hop to its right.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = canonical(peer);
        if !self.trusts(client) {
            return client;
        }
        let chain: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        for hop in chain.iter().rev() {
            let Some(ip) = parse_hop(hop) else {
                break;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:5678`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip())).map(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(v).expect("header"));
        }
        headers
    }

    #[test]
    fn networks_parse_and_match() {
        let p = TrustedProxies::parse("10.0.0.0/8, 192.168.1.7 fd00::/8").expect("list");
        assert!(p.trusts(ip("10.255.0.1")) && p.trusts(ip("192.168.1.7")) && p.trusts(ip("fd12::1")));
        assert!(!p.trusts(ip("11.0.0.1")) && !p.trusts(ip("192.168.1.8")) && !p.trusts(ip("fe80::1")));
        assert!(p.trusts(ip("::ffff:10.0.0.1")), "an IPv4 peer on a dual-stack socket");
        assert!(TrustedProxies::parse("0.0.0.0/0").expect("all").trusts(ip("8.8.8.8")));
        assert_eq!(TrustedProxies::parse("").expect("none"), TrustedProxies::default());
        for bad in ["10.0.0.0/33", "10.0.0.1/8", "proxy.local", "10.0.0/8", "::/129"] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let p = TrustedProxies::parse("10.0.0.0/8").expect("list");
        // Nothing trusted: the header is ignored.
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("10.0.0.1"), &xff(&["203.0.113.9"])), ip("10.0.0.1"));
        // An untrusted peer's header is ignored, whatever it says.
        assert_eq!(p.client(ip("198.51.100.1"), &xff(&["203.0.113.9"])), ip("198.51.100.1"));
        // Through the proxy.
        assert_eq!(p.client(ip("10.0.0.1"), &xff(&["203.0.113.9"])), ip("203.0.113.9"));
        // A forged left part is ignored: the proxy appended the address it saw.
        assert_eq!(p.client(ip("10.0.0.1"), &xff(&["1.1.1.1, 203.0.113.9"])), ip("203.0.113.9"));
        // Two trusted proxies in a row; two header lines make one chain.
        assert_eq!(p.client(ip("10.0.0.1"), &xff(&["1.1.1.1, 203.0.113.9", "10.0.0.2"])), ip("203.0.113.9"));
        // Ports and brackets.
        assert_eq!(p.client(ip("10.0.0.1"), &xff(&["[2001:db8::1]:443"])), ip("2001:db8::1"));
        assert_eq!(p.client(ip("10.0.0.1"), &xff(&["203.0.113.9:5000"])), ip("203.0.113.9"));
        // Garbage ends the walk at the hop to its right; no header: the peer.
        assert_eq!(p.client(ip("10.0.0.1"), &xff(&["203.0.113.9, junk, 10.0.0.3"])), ip("10.0.0.3"));
        assert_eq!(p.client(ip("10.0.0.1"), &HeaderMap::new()), ip("10.0.0.1"));
        // Every hop trusted: the left-most.
        assert_eq!(p.client(ip("10.0.0.1"), &xff(&["10.0.0.9, 10.0.0.3"])), ip("10.0.0.9"));
    }
}
