//! Pixels: decoding, display kernels and the burned-in text detector.

pub mod font;
pub mod text;
