//! The real-world corpus: every file is inspected without panic, its transfer
//! syntax agrees with the manifest (read with pydicom), and its element tree
//! agrees with DCMTK's `dcmdump`, an independent parser.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use dicom_inspector::{inspect_file, Options};

#[test]
fn every_corpus_file_is_inspected_and_its_transfer_syntax_agrees() {
    let Some(dir) = common::corpus_dir("corpus transfer syntaxes") else { return };
    let rows = common::manifest(&dir);
    assert!(rows.len() > 200, "manifest lists {} files", rows.len());
    let mut checked = 0;
    for row in &rows {
        let bytes = std::fs::read(dir.join(&row.path)).expect("read corpus file");
        assert_eq!(bytes.len() as u64, row.bytes, "{}", row.path);
        let report = inspect_file(&bytes, &Options::default().with_path(&row.path).with_elements(true));
        // Files pydicom could only read by guessing: we may guess differently
        // only where pydicom itself parsed almost nothing.
        if row.notes.contains("parsed only") {
            continue;
        }
        assert!(report.is_dicom, "{} not recognised as DICOM", row.path);
        let ts = report.transfer_syntax.as_ref().expect("transfer syntax");
        if !row.transfer_syntax_uid.is_empty() {
            assert_eq!(ts.uid.as_deref(), Some(row.transfer_syntax_uid.as_str()), "{}", row.path);
        }
        checked += 1;
    }
    println!("transfer syntax agrees with the manifest on {checked} of {} files", rows.len());
}

/// One node of a dump: DCMTK-style path, VR, length (None = undefined).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct DumpLine {
    path: String,
    vr: String,
    length: Option<u64>,
}

/// Whether a dump line opens a record: optional indent, then `(gggg,eeee) `.
fn is_record(line: &str) -> bool {
    let t = line.trim_start_matches(' ').as_bytes();
    t.len() > 12 && t[0] == b'(' && t[5] == b',' && t[10] == b')' && t[1..5].iter().chain(&t[6..10]).all(u8::is_ascii_hexdigit)
}

/// Parses `dcmdump` output into paths, sorted (DCMTK sorts elements by tag).
fn parse_dcmdump(text: &str) -> Vec<DumpLine> {
    // Values may span lines (text with newlines): join continuation lines.
    let mut records: Vec<String> = Vec::new();
    for line in text.lines() {
        if is_record(line) {
            records.push(line.to_owned());
        } else if let Some(last) = records.last_mut() {
            if !line.starts_with('#') && !line.is_empty() {
                last.push_str(line);
            }
        }
    }
    let mut out = Vec::new();
    // stack[d] = path of the node at depth d; item counters per sequence path.
    let mut stack: Vec<String> = Vec::new();
    let mut items: Vec<u32> = Vec::new();
    for record in records {
        let trimmed = record.trim_start_matches(' ');
        let depth = (record.len() - trimmed.len()) / 2;
        let tag = trimmed[..11].to_ascii_uppercase();
        if tag == "(FFFE,E00D)" || tag == "(FFFE,E0DD)" {
            continue;
        }
        stack.truncate(depth);
        items.truncate(depth + 1);
        let parent = stack.last().cloned();
        let path = if tag == "(FFFE,E000)" {
            let n = items.get(depth).copied().unwrap_or(0);
            if let Some(c) = items.get_mut(depth) {
                *c += 1;
            }
            format!("{}[{n}]", parent.unwrap_or_default())
        } else {
            match parent {
                Some(p) => format!("{p}.{tag}"),
                None => tag.clone(),
            }
        };
        stack.push(path.clone());
        while items.len() <= depth + 1 {
            items.push(0);
        }
        items[depth + 1] = 0;
        let vr = trimmed[12..14].to_owned();
        let Some(hash) = trimmed.rfind(" # ") else { continue };
        let len_text = trimmed[hash + 3..].trim_start().split(',').next().unwrap_or("").trim();
        let length = if len_text == "u/l" { None } else { len_text.parse().ok() };
        out.push(DumpLine { path, vr, length });
    }
    out.sort();
    out
}

fn our_lines(bytes: &[u8]) -> Vec<DumpLine> {
    let report = inspect_file(bytes, &Options::default().with_elements(true));
    let mut out = Vec::new();
    // DCMTK shows a UN element of defined length as bytes, where we look
    // inside when its value starts with an Item (CP-246): skip that subtree.
    let mut opaque: Option<String> = None;
    for e in report.elements.unwrap_or_default() {
        if let Some(prefix) = &opaque {
            if e.path.starts_with(prefix.as_str()) && e.path.len() > prefix.len() {
                continue;
            }
            opaque = None;
        }
        let vr = match e.kind.as_str() {
            "item" => "na".to_owned(),
            "fragment" => "pi".to_owned(),
            // PS3.5 A.4: encapsulated Pixel Data is OB; DCMTK shows OB whatever the file says.
            "pixel_sequence" => "OB".to_owned(),
            "sequence" if e.vr == "UN" && e.length.is_none() => "SQ".to_owned(),
            "sequence" if e.vr == "UN" => {
                opaque = Some(e.path.clone());
                "UN".to_owned()
            }
            _ => e.vr.clone(),
        };
        out.push(DumpLine { path: e.path, vr, length: e.length.map(u64::from) });
    }
    // DCMTK keeps the first of two elements with the same tag in one data
    // set ("found twice ... ignoring second entry"); we list both.
    let mut seen = std::collections::HashSet::new();
    out.retain(|l| l.vr == "na" || l.vr == "pi" || seen.insert(l.path.clone()));
    out.sort();
    out
}

fn same(theirs: &DumpLine, ours: &DumpLine) -> bool {
    // Lower-case VRs are DCMTK's internal ones (xs, ox, up, ??): it could not
    // or did not pin the VR down, so any VR of ours is accepted.
    // A private element we read as UN in implicit VR may be named by DCMTK's
    // private dictionary, which we do not ship.
    let vr_ok = theirs.vr == ours.vr
        || theirs.vr.chars().any(|c| c.is_ascii_lowercase() || c == '?')
        || (ours.vr == "UN" && is_private(&ours.path));
    // DCMTK pads odd-length values to even length when it loads them; we
    // report the length the file declares. DCMTK re-encodes DICOMDIR records
    // with undefined length and prints that, not the file's item length.
    let length_ok = theirs.length == ours.length
        || matches!((theirs.length, ours.length), (Some(t), Some(o)) if o % 2 == 1 && t == o + 1)
        || (ours.vr == "na" && theirs.length.is_none());
    theirs.path == ours.path && vr_ok && length_ok
}

/// Whether the last tag of a path is in an odd (private) group.
fn is_private(path: &str) -> bool {
    let Some(start) = path.rfind('(') else { return false };
    u16::from_str_radix(&path[start + 1..start + 5], 16).is_ok_and(|g| g & 1 == 1)
}

#[test]
fn element_trees_agree_with_dcmdump() {
    let Some(dir) = common::corpus_dir("dcmdump agreement") else { return };
    if !common::have("dcmdump") {
        if std::env::var_os("CI").is_some() {
            panic!("dcmdump is missing: scripts/test installs dcmtk");
        }
        println!("SKIPPED dcmdump agreement: dcmdump not installed (apt-get install dcmtk)");
        return;
    }
    let mut compared = 0;
    let mut mismatches = BTreeMap::new();
    for row in common::manifest(&dir) {
        let path = dir.join(&row.path);
        let out = Command::new("dcmdump").arg("-q").arg(&path).output().expect("run dcmdump");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() || stderr.contains("E:") {
            continue; // dcmdump cannot read it: nothing to compare against
        }
        let theirs = parse_dcmdump(&String::from_utf8_lossy(&out.stdout));
        let bytes = std::fs::read(&path).expect("read corpus file");
        let ours = our_lines(&bytes);
        compared += 1;
        let first_difference = theirs.iter().zip(&ours).position(|(t, o)| !same(t, o));
        if first_difference.is_some() || theirs.len() != ours.len() {
            let i = first_difference.unwrap_or(theirs.len().min(ours.len()));
            mismatches.insert(row.path.clone(), format!("at line {i}: dcmdump {:?} / ours {:?} ({} vs {} lines)", theirs.get(i), ours.get(i), theirs.len(), ours.len()));
        }
    }
    println!("compared {compared} files with dcmdump");
    assert!(compared > 150, "only {compared} files compared");
    assert!(mismatches.is_empty(), "{} files disagree with dcmdump:\n{}", mismatches.len(), mismatches.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n"));
}


#[test]
fn no_high_security_finding_on_ordinary_corpus_files() {
    let Some(dir) = common::corpus_dir("corpus security table") else { return };
    let mut table = Vec::new();
    for row in common::manifest(&dir) {
        let bytes = std::fs::read(dir.join(&row.path)).expect("read corpus file");
        let report = inspect_file(&bytes, &Options::default().with_path(&row.path));
        let security: Vec<String> = report.findings.iter().filter(|f| f.code.starts_with("security.") || f.code.starts_with("transfer.")).map(|f| format!("{}:{}", f.code, f.severity.as_str())).collect();
        for f in report.findings.iter().filter(|f| f.code.starts_with("security.")) {
            assert!(f.severity < dicom_inspector::Severity::High, "{}: {} {}", row.path, f.code, f.message);
        }
        table.push(format!("{}\t{}", row.path, security.join(" ")));
    }
    // The table, for a person to read with --nocapture.
    println!("{}", table.join("\n"));
}

/// Person names under every character set in the corpus (ISO 8859, UTF-8,
/// GB18030, ISO 2022 Japanese, Korean, Chinese), at any depth, equal pydicom's.
#[test]
fn person_names_decode_like_pydicom_in_every_character_set() {
    let Some(dir) = common::corpus_dir("character sets") else { return };
    if !common::python_has("pydicom", "character sets") {
        return;
    }
    let files: Vec<_> = std::fs::read_dir(dir.join("pydicom/charset_files")).expect("charset_files").flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "dcm")).collect();
    let script = r#"
import sys, pydicom
def walk(ds, prefix):
    for e in ds:
        tag = f"({e.tag.group:04X},{e.tag.element:04X})"
        path = f"{prefix}.{tag}" if prefix else tag
        if e.VR == "PN" and e.value is not None:
            v = e.value if isinstance(e.value, pydicom.multival.MultiValue) else [e.value]
            print(f"{sys.argv[i]}\t{path}\t" + "\\".join(str(x).rstrip('=') for x in v))
        if e.VR == "SQ":
            for n, item in enumerate(e.value):
                walk(item, f"{path}[{n}]")
for i in range(1, len(sys.argv)):
    walk(pydicom.dcmread(sys.argv[i]), "")
"#;
    let out = Command::new("python3").arg("-c").arg(script).args(&files).output().expect("pydicom");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut compared = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut cols = line.splitn(3, '\t');
        let (file, path, theirs) = (cols.next().unwrap(), cols.next().unwrap(), cols.next().unwrap_or(""));
        let report = inspect_file(&std::fs::read(file).unwrap(), &Options::default().with_elements(true));
        let ours = report.elements.unwrap().into_iter().find(|e| e.path == path).and_then(|e| e.value).unwrap_or_default();
        let ours: Vec<&str> = ours.split('\\').map(|v| v.trim_end_matches('=')).collect();
        assert_eq!(ours.join("\\"), theirs, "{file} {path}");
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} names compared");
    println!("{compared} person names agree with pydicom");
}
