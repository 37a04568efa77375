//! Which IP addresses a fetch may connect to: the public internet only, unless the caller
//! allows private addresses. A URL typed by a user (or sent to a server) must not reach the
//! machine's own services, the local network or a cloud metadata endpoint (169.254.169.254).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why `ip` is not a public address, `None` when it is one.
///
/// IPv6 forms that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, the deprecated
/// IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96` and 6to4 `2002::/16`) are judged by the
/// IPv4 address inside them: `::ffff:127.0.0.1` reaches loopback as surely as `127.0.0.1`.
pub fn non_public_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_reason(v4),
        IpAddr::V6(v6) => v6_reason(v6),
    }
}

fn v4_reason(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        _ if ip.is_broadcast() => "broadcast",
        (0, _, _) => "unspecified (0.0.0.0/8, this network)",
        (127, _, _) => "loopback",
        (10, _, _) | (192, 168, _) => "private (RFC 1918)",
        (172, 16..=31, _) => "private (RFC 1918)",
        (169, 254, _) => "link-local",
        (100, 64..=127, _) => "shared address space (carrier-grade NAT, 100.64.0.0/10)",
        (224..=239, _, _) => "multicast",
        (240..=255, _, _) => "reserved (240.0.0.0/4)",
        (192, 0, 0) => "reserved for protocol assignments (192.0.0.0/24)",
        (198, 18..=19, _) => "reserved for benchmarking (198.18.0.0/15)",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "reserved for documentation",
        _ => return None,
    })
}

fn v6_reason(ip: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = embedded_v4(ip) {
        return v4_reason(v4);
    }
    let first = ip.segments()[0];
    Some(match first {
        _ if ip.is_unspecified() => "unspecified",
        _ if ip.is_loopback() => "loopback",
        0xfc00..=0xfdff => "unique local (fc00::/7)",
        0xfe80..=0xfebf => "link-local (fe80::/10)",
        0xfec0..=0xfeff => "site-local (fec0::/10, deprecated)",
        0xff00..=0xffff => "multicast",
        0x2001 if ip.segments()[1] == 0x0db8 => "reserved for documentation (2001:db8::/32)",
        _ => return None,
    })
}

/// The IPv4 address an IPv6 address stands for, when it is one of the forms that carry one.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let low = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    match s {
        // IPv4-mapped ::ffff:a.b.c.d
        [0, 0, 0, 0, 0, 0xffff, hi, lo] => Some(low(hi, lo)),
        // IPv4-compatible ::a.b.c.d (not :: or ::1, which are IPv6's own)
        [0, 0, 0, 0, 0, 0, hi, lo] if (hi, lo) > (0, 1) => Some(low(hi, lo)),
        // NAT64 well-known prefix 64:ff9b::/96
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(low(hi, lo)),
        // 6to4 2002:AABB:CCDD::/48
        [0x2002, hi, lo, ..] => Some(low(hi, lo)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reason(addr: &str) -> Option<&'static str> {
        non_public_reason(addr.parse().unwrap())
    }

    #[test]
    fn refused_addresses_say_why() {
        let table = [
            ("127.0.0.1", "loopback"),
            ("127.255.255.254", "loopback"),
            ("10.0.0.1", "private"),
            ("10.255.255.255", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("100.64.0.1", "carrier-grade NAT"),
            ("100.127.255.255", "carrier-grade NAT"),
            ("0.0.0.0", "unspecified"),
            ("0.1.2.3", "unspecified"),
            ("224.0.0.1", "multicast"),
            ("239.255.255.250", "multicast"),
            ("255.255.255.255", "broadcast"),
            ("240.0.0.1", "reserved"),
            ("192.0.2.10", "documentation"),
            ("198.18.0.1", "benchmarking"),
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("fc00::1", "unique local"),
            ("fd12:3456:789a::1", "unique local"),
            ("fe80::1", "link-local"),
            ("febf:ffff::1", "link-local"),
            ("fec0::1", "site-local"),
            ("ff02::1", "multicast"),
            ("2001:db8::1", "documentation"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:10.1.2.3", "private"),
            ("::ffff:169.254.169.254", "link-local"),
            ("::ffff:0.0.0.0", "unspecified"),
            ("::127.0.0.1", "loopback"),
            ("::0.0.0.2", "unspecified"),
            ("64:ff9b::192.168.0.1", "private"),
            ("2002:7f00:1::", "loopback"),
            ("2002:a9fe:a9fe::1", "link-local"),
        ];
        for (addr, expected) in table {
            let why = reason(addr).unwrap_or_else(|| panic!("{addr} should be refused"));
            assert!(why.contains(expected), "{addr}: {why}");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for addr in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.215.14",
            "172.15.255.255",
            "172.32.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "169.253.255.255",
            "192.169.0.1",
            "223.255.255.255",
            "2606:4700:4700::1111",
            "2a00:1450:4001:82b::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::1.1.1.1",
            "2002:0808:0808::1",
        ] {
            assert_eq!(reason(addr), None, "{addr}");
        }
    }

    proptest! {
        // Every IPv6 form that carries an IPv4 address is judged as that address.
        #[test]
        fn embedded_ipv4_is_judged_as_ipv4(bits: u32) {
            let v4 = Ipv4Addr::from(bits);
            let expected = v4_reason(v4);
            prop_assert_eq!(non_public_reason(IpAddr::V6(v4.to_ipv6_mapped())), expected);
            let [hi, lo] = [(bits >> 16) as u16, bits as u16];
            prop_assert_eq!(v6_reason(Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, hi, lo)), expected);
            prop_assert_eq!(v6_reason(Ipv6Addr::new(0x2002, hi, lo, 0, 0, 0, 0, 1)), expected);
        }

        // Agrees with the standard library on what it knows.
        #[test]
        fn std_categories_are_refused(bits: u32, bits6: u128) {
            let v4 = Ipv4Addr::from(bits);
            if v4.is_private() || v4.is_loopback() || v4.is_link_local() || v4.is_multicast()
                || v4.is_broadcast() || v4.is_unspecified() || v4.is_documentation()
            {
                prop_assert!(v4_reason(v4).is_some(), "{}", v4);
            }
            let v6 = Ipv6Addr::from(bits6);
            if v6.is_loopback() || v6.is_multicast() || v6.is_unspecified()
                || v6.is_unique_local() || v6.is_unicast_link_local()
            {
                prop_assert!(v6_reason(v6).is_some(), "{}", v6);
            }
        }
    }
}
