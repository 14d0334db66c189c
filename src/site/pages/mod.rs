//! The page families of the site, one file each: the family's view structs and the function that
//! plans its pages (typed `Output`s made with the `Planner`). `common` holds the view pieces
//! several families show and `planner` what every page is made of; no family uses another.
//! Adding a family is a route variant (with its template and section in `routes`), a file here
//! called from `site::plan`, and a template (README: "Adding a page family").

pub mod announcements;
pub mod assessment;
pub mod common;
pub mod compare;
pub mod consortium;
pub mod extras;
pub mod free;
pub mod governance;
pub mod indicators;
pub mod industry_map;
pub mod lists;
pub mod majors;
pub mod members;
pub mod milestones;
pub mod planner;
pub mod portal;
pub mod programmes;
pub mod report;
pub mod search;
pub mod summary;
pub mod training;
