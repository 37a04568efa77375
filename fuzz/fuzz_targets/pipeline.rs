//! The whole default pipeline (segmentation, attribution, sourcing, entities, times,
//! amounts, places, claims) on arbitrary UTF-8: never panics, every stage's layers are in the
//! document afterwards (the document model leaves out a layer it rejects, for an invalid span
//! or a dangling link), and every span lies inside the text.
//!
//! Warnings alone are not failures: a stage may rightly warn about its input (the claims stage
//! on text that is not English).
#![no_main]

use claimlens_analyzers::SEGMENT_LAYERS;
use claimlens_core::Doc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut doc = Doc::new("fuzz", text);
    let stages = claimlens_pipeline::builtin_stages();
    let diagnostics: Vec<_> = stages.iter().flat_map(|s| s.run(&mut doc)).collect();
    for stage in &stages {
        // Segmentation fills the document's own fields, not named layers.
        for name in stage.assigns().iter().filter(|n| !SEGMENT_LAYERS.contains(n)) {
            assert!(
                doc.has_layer(name),
                "{}: layer {name} missing: {diagnostics:?}",
                stage.name()
            );
        }
    }
    for layer in doc.layers() {
        for a in &layer.annotations {
            assert!(a.span.is_valid_for(doc.text()), "{}: {:?}", layer.name, a.span);
        }
    }
});
