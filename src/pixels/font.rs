//! Bitmap fonts for drawing synthetic burned-in text (placeholder: being written).
