//! Thin adapters between the browser and the core: everything that touches
//! `web_sys` outside the components lives here.

pub mod clock;
pub mod dom;
pub mod files;
pub mod frame;
pub mod js;
pub mod overflow;
pub mod paint;
pub mod selection;
pub mod storage;
