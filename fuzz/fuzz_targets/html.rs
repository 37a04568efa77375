//! HTML article extraction on arbitrary UTF-8: never panics; extracted text segments cleanly.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    for url in [None, Some("https://example.org/news/story.html")] {
        if let Ok(extracted) = claimlens_ingest::html::extract_article(html, url) {
            claimlens_fuzz::check_segmentation(&extracted.text);
        }
    }
});
