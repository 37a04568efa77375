//! claimlens analyzers: pipeline stages (segmentation first) that read earlier layers and add their own.
