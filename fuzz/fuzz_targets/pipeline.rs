//! The whole default pipeline (segmentation, attribution, sourcing, entities, times,
//! amounts, places) on arbitrary UTF-8: never panics, and no stage reports a warning (a
//! stage whose layer the document model rejected, for an invalid span or a dangling link,
//! reports one).
#![no_main]

use claimlens_core::{Doc, Severity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut doc = Doc::new("fuzz", text);
    let diagnostics = claimlens_pipeline::Pipeline::default_pipeline().run(&mut doc);
    for d in &diagnostics {
        assert!(d.severity != Severity::Warning, "{}: {}", d.stage, d.message);
    }
    for layer in doc.layers() {
        for a in &layer.annotations {
            assert!(a.span.is_valid_for(doc.text()), "{}: {:?}", layer.name, a.span);
        }
    }
});
