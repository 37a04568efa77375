//! claimlens pipeline: stage registry, requires/assigns ordering check, Pipeline::run.
