//! claimlens export: the versioned JSON/JSONL export model, terminal report and self-contained HTML report.
