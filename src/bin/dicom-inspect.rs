//! `dicom-inspect`: batch audits of files and folders from the command line.
//!
//! ```text
//! dicom-inspect scan PATH... [--format human|json] [--elements] [--fail-on high]
//! dicom-inspect demo OUT_DIR
//! ```
//! Exit status: 0 when no finding is at or above `--fail-on`, 1 when one is,
//! 2 on usage or I/O errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use clap::{Parser, Subcommand, ValueEnum};
use dicom_inspector::report::{DicomdirReport, FileReport, Severity, Summary, Tool};
use dicom_inspector::options::ProfileOption;
use dicom_inspector::{inspect_source, Finding, Options, Source};

#[derive(Parser)]
#[command(name = "dicom-inspect", version, about = "DICOM privacy and security inspector")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Inspect files; directories are walked recursively.
    Scan {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Include every file's element tree in the JSON report.
        #[arg(long)]
        elements: bool,
        /// Exit with status 1 when a finding has this severity or higher.
        #[arg(long, value_enum, default_value_t = FailOn::High)]
        fail_on: FailOn,
        /// Worker threads (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Write the report here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// An Annex E profile option you will apply (repeatable): retain-safe-private,
        /// retain-uids, retain-device-identity, retain-institution-identity,
        /// retain-patient-characteristics, retain-longitudinal-full-dates,
        /// retain-longitudinal-modified-dates, clean-descriptors,
        /// clean-structured-content, clean-graphics.
        #[arg(long = "profile-option", value_name = "OPTION", value_parser = parse_profile_option)]
        profile_options: Vec<ProfileOption>,
        /// Do not search each file for the identities found in the other files.
        #[arg(long)]
        no_batch_identity: bool,
        /// Read headers only: do not decode pixels or search them for text.
        #[arg(long)]
        no_pixel_scan: bool,
        /// Time limit for one file in milliseconds (0: none); past it the
        /// file's report says what was left out (integrity.limit).
        #[arg(long, value_name = "MS", default_value_t = 30_000)]
        max_millis: u64,
    },
    /// Write the synthetic demo files (fictional patients) into a folder.
    Demo {
        out_dir: PathBuf,
    },
    /// Write a benchmark workload into a folder: a CT series of COUNT slices
    /// (default), or one file: a COUNT-frame multi-frame CT or a COUNT-frame
    /// ultrasound RGB cine.
    #[command(hide = true)]
    BenchData {
        out_dir: PathBuf,
        #[arg(long, default_value_t = 300)]
        count: u32,
        #[arg(long, value_enum, default_value_t = Workload::Series)]
        kind: Workload,
        /// Patients of the series (1 to 3), slice by slice in turn: a batch
        /// whose files are searched again for each other's identities.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=3))]
        patients: u8,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Workload {
    /// 512×512 CT slices, one file each.
    Series,
    /// One native multi-frame CT of 512×512 frames.
    Multiframe,
    /// One ultrasound RGB cine of 640×480 frames, text burned in.
    Cine,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Info,
    Low,
    Medium,
    High,
    Never,
}

impl FailOn {
    fn severity(self) -> Option<Severity> {
        match self {
            FailOn::Info => Some(Severity::Info),
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Never => None,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Scan { paths, format, elements, fail_on, jobs, output, profile_options, no_batch_identity, no_pixel_scan, max_millis } => {
            let mut options = Options::default().with_elements(elements).with_pixel_scan(!no_pixel_scan).with_max_millis((max_millis > 0).then_some(max_millis));
            for option in profile_options {
                options = options.with_profile_option(option);
            }
            scan(&paths, format, &options, !no_batch_identity, fail_on, jobs, output.as_deref())
        }
        Command::Demo { out_dir } => demo(&out_dir),
        Command::BenchData { out_dir, count, kind, patients } => {
            if let Err(e) = std::fs::create_dir_all(&out_dir) {
                eprintln!("dicom-inspect: cannot create {}: {e}", out_dir.display());
                return ExitCode::from(2);
            }
            let files = match kind {
                Workload::Series => {
                    use dicom_inspector::demo::{study::ERIKA, JANE, JOHN};
                    dicom_inspector::demo::ct_series_of(count, &[JANE, JOHN, ERIKA][..usize::from(patients)])
                }
                Workload::Multiframe => vec![(format!("multiframe-{count}.dcm"), dicom_inspector::demo::workloads::multiframe_ct(count, 512))],
                Workload::Cine => vec![(format!("us-cine-{count}.dcm"), dicom_inspector::demo::workloads::us_cine(count, 640, 480))],
            };
            for (name, bytes) in files {
                if let Err(e) = std::fs::write(out_dir.join(&name), bytes) {
                    eprintln!("dicom-inspect: cannot write {name}: {e}");
                    return ExitCode::from(2);
                }
            }
            ExitCode::SUCCESS
        }
    }
}

fn demo(out_dir: &Path) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        eprintln!("dicom-inspect: cannot create {}: {e}", out_dir.display());
        return ExitCode::from(2);
    }
    let mut index = Vec::new();
    for demo in dicom_inspector::demo::page_files() {
        let path = out_dir.join(&demo.file);
        let written = match path.parent() {
            Some(parent) => std::fs::create_dir_all(parent).and_then(|()| std::fs::write(&path, &demo.bytes)),
            None => std::fs::write(&path, &demo.bytes),
        };
        if let Err(e) = written {
            eprintln!("dicom-inspect: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        index.push(demo.index_entry());
        println!("{}", path.display());
    }
    let index_path = out_dir.join("index.json");
    let text = serde_json::to_string_pretty(&index).unwrap_or_default();
    if let Err(e) = std::fs::write(&index_path, text) {
        eprintln!("dicom-inspect: cannot write {}: {e}", index_path.display());
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// Expands directories into the files below them, in a stable order.
fn collect(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .follow_links(false)
                .into_iter()
                .filter_map(|entry| match entry {
                    Ok(e) if e.file_type().is_file() => Some(e.into_path()),
                    Ok(_) => None,
                    Err(e) => {
                        errors.push(format!("{e}"));
                        None
                    }
                })
                .collect();
            found.sort();
            files.extend(found);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            errors.push(format!("{}: no such file or directory", p.display()));
        }
    }
    files
}

fn parse_profile_option(name: &str) -> Result<ProfileOption, String> {
    ProfileOption::parse(name).ok_or_else(|| {
        let all: Vec<&str> = ProfileOption::ALL.iter().map(|o| o.name()).collect();
        format!("unknown profile option; one of: {}", all.join(", "))
    })
}

/// A file read a range at a time: without the pixel scan the inspection
/// reads its headers and what follows the pixels, not the pixels.
struct FileSource {
    file: std::fs::File,
    size: u64,
}

impl FileSource {
    fn open(path: &Path) -> std::io::Result<FileSource> {
        let file = std::fs::File::open(path)?;
        let size = file.metadata()?.len();
        Ok(FileSource { file, size })
    }
}

impl Source for FileSource {
    fn size(&self) -> u64 {
        self.size
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        if buf.is_empty() {
            return Ok(());
        }
        // One positioned read (pread) where there is one; a seek and a read elsewhere.
        #[cfg(unix)]
        {
            std::os::unix::fs::FileExt::read_exact_at(&self.file, buf, offset)
        }
        #[cfg(not(unix))]
        {
            use std::io::{Read, Seek, SeekFrom};
            self.file.seek(SeekFrom::Start(offset))?;
            self.file.read_exact(buf)
        }
    }

    fn read_all(&mut self) -> std::io::Result<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        let mut bytes = Vec::with_capacity(usize::try_from(self.size).unwrap_or(0));
        self.file.seek(SeekFrom::Start(0))?;
        self.file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

fn inspect_path(path: &Path, options: &Options) -> Result<FileReport, String> {
    let mut source = FileSource::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let options = options.clone().with_path(path.display().to_string());
    // The core never panics by design; if a bug makes it, the batch goes on
    // and the file says so (the source is dropped with the failed call).
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inspect_source(&mut source, &options))) {
        Ok(Ok(report)) => Ok(report),
        Ok(Err(e)) => Err(format!("{}: {e}", path.display())),
        Err(_) => Err(format!("{}: internal error while inspecting (please report this file)", path.display())),
    }
}

fn scan(paths: &[PathBuf], format: Format, options: &Options, batch: bool, fail_on: FailOn, jobs: Option<usize>, output: Option<&Path>) -> ExitCode {
    let mut errors = Vec::new();
    let files = collect(paths, &mut errors);
    let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).clamp(1, 256);

    // Pass 1: the identities of the whole batch, so that a name found in one
    // file is searched for in every file.
    let mut options = options.clone();
    if batch && files.len() > 1 {
        let mut identities: Vec<String> = Vec::new();
        par_in_order(
            &files,
            jobs,
            |path| FileSource::open(path).and_then(|mut source| dicom_inspector::identity_values_from(&mut source)).unwrap_or_default(),
            |values| identities.extend(values),
        );
        identities.sort();
        identities.dedup();
        options = options.with_batch_identities(identities);
    }

    // Each file's report is written as soon as it and those before it are
    // done, then dropped: a folder of any size is inspected in bounded memory.
    // Written in blocks of many reports (one report is 5-15 KB, more than
    // BufWriter's default, which would write each one with a call of its own).
    const OUT_BUFFER: usize = 256 << 10;
    let mut out: Box<dyn Write + Send> = match output {
        Some(path) => match std::fs::File::create(path) {
            Ok(file) => Box::new(std::io::BufWriter::with_capacity(OUT_BUFFER, file)),
            Err(e) => {
                eprintln!("dicom-inspect: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => Box::new(std::io::BufWriter::with_capacity(OUT_BUFFER, std::io::stdout())),
    };
    let mut stream = ReportStream::new(format);
    let mut failed: Option<std::io::Error> = None;
    let mut write = |out: &mut dyn Write, step: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>| {
        if failed.is_none() {
            if let Err(e) = step(out) {
                failed = Some(e);
            }
        }
    };
    write(&mut out, &mut |sink| stream.begin(sink));
    // The workers also render their file's text, so the writer only writes.
    par_in_order(
        &files,
        jobs,
        |path| inspect_path(path, &options).map(|report| render_file(format, &report)),
        |r| match r {
            Ok(file) => write(&mut out, &mut |sink| stream.file(sink, &file)),
            Err(e) => errors.push(e),
        },
    );
    write(&mut out, &mut |sink| stream.end(sink, &errors).and_then(|()| sink.flush()));
    if let Some(e) = failed {
        errors.push(match output {
            Some(path) => format!("{}: {e}", path.display()),
            None => e.to_string(),
        });
    }
    for e in &errors {
        eprintln!("dicom-inspect: {e}");
    }
    if !errors.is_empty() {
        return ExitCode::from(2);
    }
    match (fail_on.severity(), stream.summary.highest_severity) {
        (Some(limit), Some(highest)) if highest >= limit => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

/// The batch report written a file at a time: JSON exactly as the whole
/// `Report` would be written (`{"tool", "files": [...], "summary"}`), or
/// the human summary; only the summary's counts are kept.
struct ReportStream {
    format: Format,
    summary: Summary,
}

impl ReportStream {
    fn new(format: Format) -> ReportStream {
        ReportStream { format, summary: Summary::default() }
    }

    fn begin(&mut self, sink: &mut dyn Write) -> std::io::Result<()> {
        if let Format::Json = self.format {
            sink.write_all(b"{\n  \"tool\": ")?;
            dicom_inspector::json::to_writer_pretty_nested(sink, &Tool::default(), 1)?;
            sink.write_all(b",\n  \"files\": [")?;
        }
        Ok(())
    }

    fn file(&mut self, sink: &mut dyn Write, file: &RenderedFile) -> std::io::Result<()> {
        let first = self.summary.files == 0;
        self.summary.merge(&file.summary);
        if let Format::Json = self.format {
            sink.write_all(if first { b"\n    " } else { b",\n    " })?;
        }
        sink.write_all(&file.text)
    }

    fn end(&mut self, sink: &mut dyn Write, errors: &[String]) -> std::io::Result<()> {
        match self.format {
            Format::Json => {
                sink.write_all(if self.summary.files == 0 { b"],\n  \"summary\": " } else { b"\n  ],\n  \"summary\": " })?;
                dicom_inspector::json::to_writer_pretty_nested(sink, &self.summary, 1)?;
                sink.write_all(b"\n}\n")
            }
            Format::Human => sink.write_all(human_summary(&self.summary, errors).as_bytes()),
        }
    }
}

/// One file's part of the output, rendered by the worker that inspected it,
/// and its counts for the summary.
struct RenderedFile {
    text: Vec<u8>,
    summary: Summary,
}

fn render_file(format: Format, report: &FileReport) -> RenderedFile {
    let mut summary = Summary::default();
    summary.add(report);
    let text = match format {
        // A report's serialization cannot fail (its types never report errors).
        Format::Json => dicom_inspector::json::to_string_pretty_nested(report, 2).unwrap_or_default().into_bytes(),
        Format::Human => human_file(report).into_bytes(),
    };
    RenderedFile { text, summary }
}

/// Runs `f` on every item on `jobs` threads and hands the results to
/// `consume` in the items' order as soon as they are ready. No thread waits
/// to write: the worker that finds the next result in order ready hands it
/// (and those after it) on, the others go on inspecting. Workers run at most
/// a window of items ahead of the oldest unconsumed one, so a slow file
/// holds back memory, not correctness.
fn par_in_order<T: Sync, R: Send>(items: &[T], jobs: usize, f: impl Fn(&T) -> R + Sync, mut consume: impl FnMut(R) + Send) {
    struct Done<R> {
        ready: std::collections::BTreeMap<usize, R>,
        consumed: usize,
        /// Whether a worker is handing results on (the others leave theirs).
        handing: bool,
        /// Workers asleep until the window moves; no one else is woken.
        waiting: usize,
    }
    if jobs <= 1 || items.len() <= 1 {
        // One thread: no hand-over at all.
        items.iter().for_each(|item| consume(f(item)));
        return;
    }
    let window = jobs * 16;
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Done { ready: std::collections::BTreeMap::new(), consumed: 0, handing: false, waiting: 0 });
    // Only the worker that set `handing` takes this lock: it is never contended.
    let consume = Mutex::new(&mut consume);
    let moved = std::sync::Condvar::new();
    let lock = || done.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    std::thread::scope(|s| {
        for _ in 0..jobs.min(items.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let mut guard = lock();
                while i >= guard.consumed + window {
                    guard.waiting += 1;
                    guard = moved.wait(guard).unwrap_or_else(std::sync::PoisonError::into_inner);
                    guard.waiting -= 1;
                }
                drop(guard);
                let r = f(item);
                let mut guard = lock();
                guard.ready.insert(i, r);
                if guard.handing {
                    continue;
                }
                guard.handing = true;
                loop {
                    let at = guard.consumed;
                    let Some(r) = guard.ready.remove(&at) else { break };
                    guard.consumed += 1;
                    if guard.waiting > 0 {
                        moved.notify_all();
                    }
                    drop(guard);
                    (consume.lock().unwrap_or_else(std::sync::PoisonError::into_inner))(r);
                    guard = lock();
                }
                guard.handing = false;
            });
        }
    });
}

fn finding_line(f: &Finding) -> String {
    let place = match (&f.path, f.offset) {
        (Some(p), Some(o)) => format!(" {p} @{o}"),
        (None, Some(o)) => format!(" @{o}"),
        (Some(p), None) => format!(" {p}"),
        (None, None) => String::new(),
    };
    format!("  {:<6} {}{}: {}", f.severity.as_str().to_uppercase(), f.code, place, f.message)
}

/// Most DICOMDIR records listed in the human output.
const DICOMDIR_LINES: usize = 20;

/// A DICOMDIR's records, briefly: type and referenced file, marked when the
/// file is not beside the DICOMDIR on disk.
fn dicomdir_lines(path: &str, dir: &DicomdirReport) -> String {
    let referencing = dir.records.iter().filter(|r| r.file_id.is_some()).count();
    let mut out = format!("  DICOMDIR: {} records, {referencing} referencing a file\n", dir.records.len());
    let base = Path::new(path).parent().unwrap_or(Path::new(""));
    for r in dir.records.iter().take(DICOMDIR_LINES) {
        let kind = r.record_type.as_deref().unwrap_or("?");
        match &r.file_id {
            Some(id) => {
                let missing = if base.join(id).is_file() { "" } else { " (not found beside the DICOMDIR)" };
                out.push_str(&format!("    {kind:<8} {id}{missing}\n"));
            }
            None => out.push_str(&format!("    {kind}\n")),
        }
    }
    if dir.records.len() > DICOMDIR_LINES {
        out.push_str(&format!("    … {} more\n", dir.records.len() - DICOMDIR_LINES));
    }
    out
}

/// One file's lines of the human output.
fn human_file(f: &FileReport) -> String {
    let mut out = String::new();
    out.push_str(&format!("{} ({} bytes)\n", f.path, f.size));
    if f.is_dicom {
        let ts = f.transfer_syntax.as_ref().map_or("unknown", |t| t.name.as_str());
        let sop = f.sop_class.as_ref().map_or("unknown SOP class".to_owned(), |s| s.name.clone().unwrap_or_else(|| s.uid.clone()));
        out.push_str(&format!("  {ts} · {sop} · {} elements\n", f.element_count));
        let s = &f.summary;
        let field = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
        match &f.dicomdir {
            Some(dir) => out.push_str(&dicomdir_lines(&f.path, dir)),
            None => out.push_str(&format!(
                "  patient {} ({}) · study {} {} · {}\n",
                field(&s.patient_name),
                field(&s.patient_id),
                field(&s.study_date),
                field(&s.study_description),
                field(&s.modality)
            )),
        }
    }
    let mut findings: Vec<&Finding> = f.findings.iter().collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    for finding in findings {
        out.push_str(&finding_line(finding));
        out.push('\n');
    }
    out.push('\n');
    out
}

/// The last line of the human output.
fn human_summary(s: &Summary, errors: &[String]) -> String {
    format!(
        "{} files ({} DICOM, {} not DICOM, {} unreadable) · findings: {} high, {} medium, {} low, {} info\n",
        s.files + errors.len() as u32,
        s.dicom_files,
        s.not_dicom,
        errors.len(),
        s.findings.high,
        s.findings.medium,
        s.findings.low,
        s.findings.info
    )
}
