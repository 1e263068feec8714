//! The engine's tests: acts (allowed and refused), deadlines, and properties over random
//! sequences of acts.

mod acts;
mod correction;
mod deadlines;
mod properties;
mod receipt;
