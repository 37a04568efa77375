//! claimlens ingest: plain text, HTML, JSONL and CSV into documents, with encoding detection and streaming.
