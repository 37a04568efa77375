//! claimlens evaluation: gold-data readers and scorers for each stage against real labelled data.
