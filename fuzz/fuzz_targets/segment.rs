//! Segmentation of arbitrary UTF-8: never panics and every span invariant holds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        claimlens_fuzz::check_segmentation(text);
    }
});
