//! Pixels: decoding ([`decode`]; 12-bit JPEG in [`jpeg12`]), display kernels with scalar references
//! ([`kernels`]; [`native16`] for 16-bit samples straight from their
//! bytes), windowing, overlays and the viewer ([`render`]), and the
//! burned-in text detector ([`text`], its lines and glyph check in [`lines`],
//! looking only where [`activity`] says strokes can be; synthetic text from [`font`]);
//! [`bench`] holds the pixel scan's benchmark workloads.

pub mod activity;
pub mod bench;
pub mod decode;
pub mod describe;
pub mod font;
pub mod jpeg12;
pub mod kernels;
pub mod lines;
pub mod native16;
pub mod render;
pub mod text;
