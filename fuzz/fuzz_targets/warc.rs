//! Web-archive ingest on arbitrary bytes (through a scratch file, as `claimlens_ingest::read`
//! reads files): never panics or hangs; every item is a non-blank document or an error naming
//! the file; no more items than records could start.
#![no_main]

use claimlens_ingest::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the size limit, so the too-large paths are fuzzed as well.
    let (limit, body) = match data.split_first() {
        Some((&b, rest)) if b < 16 => (u64::from(b) * 64, rest),
        _ => (1 << 20, data),
    };
    claimlens_fuzz::read_bytes(body, Format::Warc, "warc", limit);
});
