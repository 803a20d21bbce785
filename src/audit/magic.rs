//! What a run of bytes is, from its magic numbers: executables, scripts,
//! active documents and archives, the payloads of polyglot attacks such as
//! CVE-2019-11687 (a Windows executable in the DICOM preamble).

/// A recognised payload kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// MZ header whose `e_lfanew` points at a `PE\0\0` signature.
    WindowsPe,
    /// MZ header without a PE signature where `e_lfanew` points.
    DosMz,
    Elf,
    MachO,
    Script,
    Html,
    Pdf,
    Zip,
    Gzip,
    Tiff,
}

impl Payload {
    pub fn describe(self) -> &'static str {
        match self {
            Payload::WindowsPe => "a Windows executable (MZ header with a PE signature)",
            Payload::DosMz => "a DOS/Windows executable header (MZ)",
            Payload::Elf => "a Linux/Unix executable (ELF)",
            Payload::MachO => "a macOS executable (Mach-O)",
            Payload::Script => "a script (#! interpreter line)",
            Payload::Html => "HTML or JavaScript",
            Payload::Pdf => "a PDF document",
            Payload::Zip => "a ZIP/JAR archive",
            Payload::Gzip => "a gzip stream",
            Payload::Tiff => "a TIFF header",
        }
    }

    /// Executable or active content: what makes a file dangerous to open.
    pub fn is_active(self) -> bool {
        !matches!(self, Payload::Tiff)
    }
}

/// Classifies bytes starting at `at` in `file` (the whole file is needed to
/// follow a PE header's `e_lfanew`, which may point past the preamble).
pub fn classify(file: &[u8], at: usize) -> Option<Payload> {
    let b = file.get(at..)?;
    let starts = |m: &[u8]| b.starts_with(m);
    if starts(b"MZ") {
        let pe = b
            .get(0x3C..0x40)
            .map(|o| u32::from_le_bytes([o[0], o[1], o[2], o[3]]) as usize)
            .and_then(|off| b.get(off..off.checked_add(4)?))
            .is_some_and(|sig| sig == b"PE\0\0");
        return Some(if pe { Payload::WindowsPe } else { Payload::DosMz });
    }
    if starts(b"\x7FELF") {
        return Some(Payload::Elf);
    }
    if starts(&[0xFE, 0xED, 0xFA, 0xCE]) || starts(&[0xFE, 0xED, 0xFA, 0xCF]) || starts(&[0xCE, 0xFA, 0xED, 0xFE]) || starts(&[0xCF, 0xFA, 0xED, 0xFE]) || starts(&[0xCA, 0xFE, 0xBA, 0xBE]) {
        return Some(Payload::MachO);
    }
    if starts(b"#!") {
        return Some(Payload::Script);
    }
    if starts(b"%PDF") {
        return Some(Payload::Pdf);
    }
    if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        return Some(Payload::Zip);
    }
    if starts(&[0x1F, 0x8B]) {
        return Some(Payload::Gzip);
    }
    if starts(b"II*\0") || starts(b"MM\0*") {
        return Some(Payload::Tiff);
    }
    let head: Vec<u8> = b.iter().take(256).map(u8::to_ascii_lowercase).collect();
    let head = head.trim_ascii_start();
    let markers = [&b"<html"[..], b"<!doctype", b"<script", b"<svg", b"<iframe", b"javascript:"];
    if markers.iter().any(|m| head.starts_with(m)) || memchr::memmem::find(head, b"<script").is_some() {
        return Some(Payload::Html);
    }
    None
}

/// Offsets where active payloads start anywhere inside `bytes` (for values
/// that wrap a payload after some padding), at most `limit` bytes searched.
pub fn find_embedded(bytes: &[u8], limit: usize) -> Option<(usize, Payload)> {
    let b = &bytes[..bytes.len().min(limit)];
    if let Some(p) = classify(b, 0).filter(|p| p.is_active() && !matches!(p, Payload::Pdf | Payload::DosMz | Payload::Gzip)) {
        return Some((0, p));
    }
    for needle in [&b"\x7FELF"[..], b"PK\x03\x04", b"MZ", b"<script"] {
        for at in memchr::memmem::find_iter(b, needle) {
            match classify(b, at) {
                Some(Payload::DosMz) => continue, // "MZ" alone is too common inside binary data
                Some(p) if p.is_active() => return Some((at, p)),
                _ => {}
            }
        }
    }
    None
}

/// Hex of up to `n` bytes.
pub fn hex(bytes: &[u8], n: usize) -> String {
    bytes.iter().take(n).map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_payloads() {
        let mut pe = vec![0u8; 256];
        pe[..2].copy_from_slice(b"MZ");
        pe[0x3C] = 0x80;
        pe[0x80..0x84].copy_from_slice(b"PE\0\0");
        assert_eq!(classify(&pe, 0), Some(Payload::WindowsPe));
        pe[0x80] = b'X';
        assert_eq!(classify(&pe, 0), Some(Payload::DosMz));
        assert_eq!(classify(b"\x7FELF\x02\x01", 0), Some(Payload::Elf));
        assert_eq!(classify(b"#!/bin/sh\n", 0), Some(Payload::Script));
        assert_eq!(classify(b"  <HTML><body>", 0), Some(Payload::Html));
        assert_eq!(classify(b"II*\0\x08\0\0\0", 0), Some(Payload::Tiff));
        assert_eq!(classify(&[0u8; 16], 0), None);
        assert_eq!(classify(b"\xCF\xFA\xED\xFE", 0), Some(Payload::MachO));
    }

    #[test]
    fn finds_payloads_inside_values() {
        let mut v = vec![0u8; 100];
        v.extend_from_slice(b"PK\x03\x04rest");
        assert_eq!(find_embedded(&v, 1 << 20), Some((100, Payload::Zip)));
        assert_eq!(find_embedded(b"MZ but nothing else here", 1 << 20), None, "MZ alone is not evidence");
    }
}
