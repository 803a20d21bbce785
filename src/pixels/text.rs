//! Burned-in text detector (placeholder: being written).

/// A detected text-like region, in pixels of the frame.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TextBox {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// How text-like the region is, 0..1.
    pub score: f32,
}

/// Finds text-like regions in an 8-bit grayscale frame (row-major, `width * height`).
pub fn detect_text(gray: &[u8], width: usize, height: usize) -> Vec<TextBox> {
    let _ = (gray, width, height);
    Vec::new()
}
