//! The rules that content must follow, and what users read about them: every diagnostic names its
//! rule by a code, and `chanjiao explain CODE` prints the rule's explanation (`explain`).

pub mod explain;
