//! Redirect resolution of the URL fetcher on arbitrary base URLs and `Location` values: never
//! panics, and whatever it accepts is an absolute http(s) URL with a host that it accepts
//! again unchanged as a base.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (base, location) = text.split_once('\n').unwrap_or(("https://example.org/a/b", text));
    if let Ok(resolved) = claimlens_fetch::resolve_redirect(base, location) {
        assert!(claimlens_fetch::is_url(&resolved), "{resolved:?}");
        let again = claimlens_fetch::resolve_redirect(&resolved, "").unwrap_or_else(|e| {
            panic!("{resolved:?} from {base:?} + {location:?} is not a valid base: {e}")
        });
        assert!(claimlens_fetch::is_url(&again));
    }
});
