//! Pixels: decoding ([`decode`]), display kernels with scalar references
//! ([`kernels`]), windowing, overlays and the viewer ([`render`]), and the
//! burned-in text detector ([`text`], with synthetic text from [`font`]).

pub mod decode;
pub mod font;
pub mod kernels;
pub mod render;
pub mod text;
