//! Persistence: the jar's log file (`docs/file-format.md`), its commit, recovery and compaction.
//!
//! [`Store`] knows frames and records, not cookies' meaning: the jar hands it records to append
//! and receives records to replay. The bytes live behind the [`storage::Storage`] trait.

pub mod codec;
pub mod storage;

use std::fmt;
use std::io;
use std::path::Path;
use std::sync::Arc;

use codec::{DecodeError, RecordRef, RecordView, MAX_PAYLOAD};
use storage::{MmapStorage, OpenFileError, Storage};

// ----- header (docs/file-format.md, "Header") ----------------------------------------------------

const MAGIC: [u8; 8] = *b"CKJAR\0\r\n";
const MAGIC_AT: usize = 0;
const MAJOR_AT: usize = MAGIC_AT + 8;
const MINOR_AT: usize = MAJOR_AT + 2;
const HEADER_LEN_AT: usize = MINOR_AT + 2;
const CREATED_AT: usize = HEADER_LEN_AT + 4;
const GENERATION_AT: usize = CREATED_AT + 8;
const RESERVED_AT: usize = GENERATION_AT + 8;
const CHECKSUM_AT: usize = RESERVED_AT + 28;
/// The header's length; records start here.
pub const HEADER_LEN: usize = CHECKSUM_AT + 4;
const _: () = assert!(HEADER_LEN == 64);

/// The format version this code writes.
pub const MAJOR: u16 = 1;
/// The minor version this code writes.
pub const MINOR: u16 = 0;

// ----- frames (docs/file-format.md, "Frame") -----------------------------------------------------

const FRAME_HEADER: usize = 8;
const MARKER: u32 = 0xA5;
const LEN_MASK: u32 = 0x00FF_FFFF;
const _: () = assert!(MAX_PAYLOAD as u32 <= LEN_MASK);

/// The smallest file: grown to this on creation, and at least this much at a time.
const MIN_CHUNK: u64 = 1 << 20;
/// Compaction waits for at least this many dead bytes (besides dead bytes outnumbering live
/// ones). Each compaction costs a rewrite of the live records and an fsync, milliseconds on a
/// real disk whatever the jar's size; this amortises it over some 40,000 appended records, at
/// the price of a file up to this much larger than twice its live records.
pub const COMPACT_MIN_DEAD: u64 = 4 << 20;

/// A frame's checksum: CRC-32 (IEEE, as `crc32fast` computes it) of `word0` followed by the
/// payload (docs/file-format.md, "Frame").
///
/// The four bytes of `word0` go through a table here, and `crc32fast` resumes from their CRC
/// over the payload: a `crc32fast` pass has a setup cost that outweighs four bytes, and this
/// runs for every frame written and every frame an open checks.
fn crc(word0: [u8; 4], payload: &[u8]) -> u32 {
    let mut c = !0u32;
    for b in word0 {
        c = CRC_TABLE[usize::from(c as u8 ^ b)] ^ (c >> 8);
    }
    let mut h = crc32fast::Hasher::new_with_initial(!c);
    h.update(payload);
    h.finalize()
}

/// The byte-at-a-time table of the reflected IEEE polynomial, built at compile time.
static CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

fn le_u16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn le_u64(b: &[u8], at: usize) -> u64 {
    let mut a = [0; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// What to do to make each change durable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Durability {
    /// Every change is in the mapped file (the page cache) before the call returns: it survives
    /// the process being killed at any instant. Call `flush()` to survive power loss.
    #[default]
    Process,
    /// As `Process`, and every change is also msynced before the call returns: it survives
    /// power loss, at the cost of a disk write per change.
    Sync,
}

/// Why the store could not do what was asked.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum StoreError {
    /// An I/O error, during the named operation.
    Io {
        /// What was being done.
        op: &'static str,
        /// The error.
        source: Arc<io::Error>,
    },
    /// Another process has the jar file open.
    Locked,
    /// The path names a symlink or something else that is not a regular file.
    NotAFile,
    /// The file is not a cookiejar file (wrong magic); it was left untouched.
    NotAJarFile,
    /// The header's checksum does not match; the file was left untouched.
    CorruptHeader,
    /// The file was written by a newer, incompatible version; it was left untouched.
    UnsupportedVersion {
        /// The file's major version.
        major: u16,
    },
    /// An earlier write or sync failed; the jar refuses further changes until reopened.
    Poisoned(Arc<str>),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Io { op, source } => write!(f, "{op}: {source}"),
            StoreError::Locked => f.write_str("the jar file is locked by another process"),
            StoreError::NotAFile => {
                f.write_str("the jar path is not a regular file (symlinks are not followed)")
            }
            StoreError::NotAJarFile => f.write_str("the file is not a cookiejar file"),
            StoreError::CorruptHeader => {
                f.write_str("the jar file's header is corrupt (checksum mismatch)")
            }
            StoreError::UnsupportedVersion { major } => write!(
                f,
                "the jar file has format version {major}, newer than this library's {MAJOR}"
            ),
            StoreError::Poisoned(first) => write!(
                f,
                "the jar refuses changes after an earlier storage failure ({first}); reopen it"
            ),
        }
    }
}

impl PartialEq for StoreError {
    fn eq(&self, other: &Self) -> bool {
        use StoreError::*;
        match (self, other) {
            (Io { op: a, source: x }, Io { op: b, source: y }) => a == b && x.kind() == y.kind(),
            (UnsupportedVersion { major: a }, UnsupportedVersion { major: b }) => a == b,
            (Poisoned(a), Poisoned(b)) => a == b,
            (Locked, Locked)
            | (NotAFile, NotAFile)
            | (NotAJarFile, NotAJarFile)
            | (CorruptHeader, CorruptHeader) => true,
            _ => false,
        }
    }
}

impl Eq for StoreError {}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Io { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

fn io_err(op: &'static str) -> impl FnOnce(io::Error) -> StoreError {
    move |e| StoreError::Io {
        op,
        source: Arc::new(e),
    }
}

/// What opening a file found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpenReport {
    /// Records replayed.
    pub records: u64,
    /// Damaged frames dropped (torn tail, corruption), counted as runs of skipped bytes.
    pub dropped_frames: u64,
    /// Bytes skipped because they held no valid frame.
    pub dropped_bytes: u64,
    /// Valid frames whose record kind this version does not know (skipped).
    pub unknown_records: u64,
    /// Records that decoded but broke a rule a stored cookie must keep (a `Domain` on a public
    /// suffix, a control character, an oversized field): dropped (filled in by the jar).
    pub invalid_records: u64,
    /// Expired cookies, and session cookies when they are not persisted, dropped on open
    /// (filled in by the jar).
    pub expired: u64,
    /// Cookies evicted on open because the file held more than the jar's limits (filled in by
    /// the jar).
    pub evicted: u64,
    /// Whether the file was rewritten on open.
    pub compacted: bool,
}

impl OpenReport {
    /// Whether anything in the file was lost.
    pub fn lost_anything(&self) -> bool {
        self.dropped_frames > 0 || self.dropped_bytes > 0
    }
}

/// A valid frame found on open, as handed to the jar.
#[derive(Debug, PartialEq)]
pub enum Scanned {
    /// A cookie record, `Put` (`put`) or `Delete`, left undecoded: where its frame lies, and
    /// the group of the cookie's domain (as recorded, untrusted), by the function the jar
    /// gave [`Store::open`]. The jar reads the record back with [`Store::read_cookie`] when
    /// it first needs the cookies of that group.
    Cookie {
        /// The frame's offset in the file.
        offset: u64,
        /// The frame's size (header and payload).
        size: u32,
        /// Whether it is a `Put`.
        put: bool,
        /// The domain's group.
        group: u64,
    },
    /// Any other record (consent settings, a decision, a rule), decoded, and its frame's size.
    /// Boxed: these are a handful in a file of cookies, and a large jar's open hands over a
    /// `Scanned` per frame from the thread that checks them.
    Record(Box<RecordView<'static>>, u32),
}
const _: () = assert!(std::mem::size_of::<Scanned>() <= 24);

/// The log: a header and frames in a [`Storage`].
pub struct Store {
    storage: Box<dyn Storage>,
    /// Where the next frame goes.
    end: u64,
    durability: Durability,
    poisoned: Option<Arc<str>>,
    scratch: Vec<u8>,
    created_ms: i64,
    generation: u64,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.storage.path())
            .field("end", &self.end)
            .field("durability", &self.durability)
            .field("poisoned", &self.poisoned)
            .finish()
    }
}

/// A compacted copy being prepared while readers go on (see [`Store::prepare_rewrite`]).
pub struct Rewrite {
    storage: Box<dyn Storage>,
    end: u64,
}

impl Store {
    /// Opens (creating if missing) the jar file at `path`.
    pub fn open_file(
        path: &Path,
        durability: Durability,
        now_ms: i64,
        group_of: fn(&[u8]) -> u64,
        visit: &mut dyn FnMut(Scanned),
    ) -> Result<(Store, OpenReport), StoreError> {
        let storage = MmapStorage::open(path).map_err(|e| match e {
            OpenFileError::Locked => StoreError::Locked,
            OpenFileError::NotAFile => StoreError::NotAFile,
            OpenFileError::Io(e) => io_err("opening the jar file")(e),
        })?;
        // A compaction that crashed before its rename left this behind; we hold the lock.
        let _ = std::fs::remove_file(storage::compaction_path(path));
        Store::open(Box::new(storage), durability, now_ms, group_of, visit)
    }

    /// Opens a store on any storage, handing every valid frame to `visit` in log order (cookie
    /// records undecoded, see [`Scanned`]).
    pub fn open(
        mut storage: Box<dyn Storage>,
        durability: Durability,
        now_ms: i64,
        group_of: fn(&[u8]) -> u64,
        visit: &mut dyn FnMut(Scanned),
    ) -> Result<(Store, OpenReport), StoreError> {
        let mut report = OpenReport::default();
        if storage.is_empty() {
            let mut store = Store {
                storage,
                end: HEADER_LEN as u64,
                durability,
                poisoned: None,
                scratch: Vec::new(),
                created_ms: now_ms,
                generation: 0,
            };
            store.init_header(0, true)?;
            return Ok((store, report));
        }
        let len = storage.len();
        if len < HEADER_LEN as u64 {
            let mut head = vec![0; usize::try_from(len).unwrap_or(0)];
            storage
                .read(0, &mut head)
                .map_err(io_err("reading the header"))?;
            return Err(if MAGIC.starts_with(&head[..head.len().min(8)]) {
                StoreError::CorruptHeader
            } else {
                StoreError::NotAJarFile
            });
        }
        let mut header = [0u8; HEADER_LEN];
        storage
            .read(0, &mut header)
            .map_err(io_err("reading the header"))?;
        if header[MAGIC_AT..MAGIC_AT + 8] != MAGIC {
            return Err(StoreError::NotAJarFile);
        }
        if le_u32(&header, CHECKSUM_AT) != crc32fast::hash(&header[..CHECKSUM_AT]) {
            return Err(StoreError::CorruptHeader);
        }
        let major = le_u16(&header, MAJOR_AT);
        if major != MAJOR {
            return Err(StoreError::UnsupportedVersion { major });
        }
        let created_ms = le_u64(&header, CREATED_AT) as i64;
        let generation = le_u64(&header, GENERATION_AT);

        let end = recover(&*storage, len, group_of, &mut report, visit)
            .map_err(io_err("reading the log"))?;
        if len < end {
            storage.grow(end).map_err(io_err("growing the jar file"))?;
        }
        let store = Store {
            storage,
            end,
            durability,
            poisoned: None,
            scratch: Vec::new(),
            created_ms,
            generation,
        };
        Ok((store, report))
    }

    /// Writes the header of a new file of at least `size` bytes, and syncs it when `sync` (a
    /// compaction file is synced once, whole, before it replaces the jar file).
    fn init_header(&mut self, size: u64, sync: bool) -> Result<(), StoreError> {
        let target = MIN_CHUNK.max(self.end).max(size);
        self.storage
            .grow(target)
            .map_err(io_err("growing the jar file"))?;
        self.write_header()?;
        if sync {
            self.storage
                .sync_all()
                .map_err(io_err("syncing the new jar file"))?;
        }
        Ok(())
    }

    fn write_header(&mut self) -> Result<(), StoreError> {
        let mut h = [0u8; HEADER_LEN];
        h[MAGIC_AT..MAGIC_AT + 8].copy_from_slice(&MAGIC);
        h[MAJOR_AT..MAJOR_AT + 2].copy_from_slice(&MAJOR.to_le_bytes());
        h[MINOR_AT..MINOR_AT + 2].copy_from_slice(&MINOR.to_le_bytes());
        h[HEADER_LEN_AT..HEADER_LEN_AT + 4].copy_from_slice(&(HEADER_LEN as u32).to_le_bytes());
        h[CREATED_AT..CREATED_AT + 8].copy_from_slice(&self.created_ms.to_le_bytes());
        h[GENERATION_AT..GENERATION_AT + 8].copy_from_slice(&self.generation.to_le_bytes());
        let sum = crc32fast::hash(&h[..CHECKSUM_AT]);
        h[CHECKSUM_AT..].copy_from_slice(&sum.to_le_bytes());
        self.storage
            .write(0, &h)
            .map_err(io_err("writing the header"))
    }

    /// The bytes of log after the header (live and dead records).
    pub fn log_bytes(&self) -> u64 {
        self.end - HEADER_LEN as u64
    }

    /// The file behind the store, if any.
    pub fn path(&self) -> Option<&Path> {
        self.storage.path()
    }

    /// Fails with the first storage error if an earlier write failed.
    pub fn check(&self) -> Result<(), StoreError> {
        match &self.poisoned {
            Some(first) => Err(StoreError::Poisoned(first.clone())),
            None => Ok(()),
        }
    }

    /// Marks the store failed by `e` (a rewrite the caller could not complete): from now on
    /// every change is refused until the file is reopened. Returns `e`.
    pub fn poison_with(&mut self, e: StoreError) -> StoreError {
        self.poison(e)
    }

    fn poison(&mut self, e: StoreError) -> StoreError {
        if self.poisoned.is_none() {
            self.poisoned = Some(e.to_string().into());
        }
        e
    }

    /// Appends one record (docs/file-format.md, "Committing a change"); returns the frame size.
    pub fn append(&mut self, record: &RecordRef<'_>) -> Result<u32, StoreError> {
        self.check()?;
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        scratch.resize(FRAME_HEADER, 0);
        let r = codec::encode(record, &mut scratch)
            .map_err(|e| io_err("encoding a record")(io::Error::other(e.to_string())))
            .and_then(|()| self.append_frame(&mut scratch));
        self.scratch = scratch;
        r.map_err(|e| self.poison(e))
    }

    fn append_frame(&mut self, frame: &mut [u8]) -> Result<u32, StoreError> {
        let payload_len = frame.len() - FRAME_HEADER;
        if payload_len == 0 || payload_len > MAX_PAYLOAD {
            return Err(io_err("encoding a record")(io::Error::other(
                "a record does not fit in a frame",
            )));
        }
        let word0 = ((MARKER << 24) | payload_len as u32).to_le_bytes();
        let sum = crc(word0, &frame[FRAME_HEADER..]);
        let total = frame.len() as u64;
        let end = self.end;
        if end + total > self.storage.len() {
            let len = self.storage.len();
            let target = (end + total).max(len + (len / 4).max(MIN_CHUNK));
            self.storage
                .grow(target)
                .map_err(io_err("growing the jar file"))?;
        }
        // Checksum and payload first, `word0` last: until it lands, the frame reads as the log
        // end.
        frame[4..FRAME_HEADER].copy_from_slice(&sum.to_le_bytes());
        self.storage
            .write(end + 4, &frame[4..])
            .map_err(io_err("writing a record"))?;
        self.storage
            .write(end, &word0)
            .map_err(io_err("writing a record"))?;
        if self.durability == Durability::Sync {
            self.storage
                .sync_range(end, total)
                .map_err(io_err("syncing a record"))?;
        }
        self.end = end + total;
        frame[..4].copy_from_slice(&word0);
        Ok(total as u32)
    }

    /// Reads back the cookie record of the frame that [`Scanned::Cookie`] reported at
    /// `offset` (of `size` bytes), through `buf`. The frame is checked again: the file is
    /// untrusted, and another process could have written it since. `None` when it is no longer
    /// a valid frame of that size holding a cookie record.
    pub fn read_cookie<'b>(
        &self,
        offset: u64,
        size: u32,
        buf: &'b mut Vec<u8>,
    ) -> Option<RecordView<'b>> {
        buf.clear();
        buf.resize(size as usize, 0);
        self.storage.read(offset, buf).ok()?;
        let payload = checked_payload(buf, 0)?;
        if FRAME_HEADER + payload.len() != buf.len() {
            return None;
        }
        match codec::decode_view(payload) {
            Ok(r @ (RecordView::Put(_) | RecordView::Delete(_))) => Some(r),
            _ => None,
        }
    }

    /// Makes every appended record durable (msync + fsync).
    pub fn flush(&mut self) -> Result<(), StoreError> {
        self.check()?;
        let r = self
            .storage
            .sync_all()
            .map_err(io_err("flushing the jar file"));
        r.map_err(|e| self.poison(e))
    }

    /// Writes `records` into a fresh storage that will replace this one. Needs only `&self`,
    /// so the jar's readers keep going meanwhile. `size_hint` is about how many bytes of frames
    /// they make (the file is grown to it at once). Returns the rewrite and each frame's size.
    pub fn prepare_rewrite<'a>(
        &self,
        records: impl Iterator<Item = RecordRef<'a>>,
        size_hint: u64,
        sizes: &mut Vec<u32>,
    ) -> Result<Rewrite, StoreError> {
        self.check()?;
        let storage = self
            .storage
            .start_rewrite()
            .map_err(io_err("creating the compaction file"))?;
        let mut fresh = Store {
            storage,
            end: HEADER_LEN as u64,
            durability: Durability::Process,
            poisoned: None,
            scratch: Vec::new(),
            created_ms: self.created_ms,
            generation: self.generation + 1,
        };
        // Sized for what is written, so that the copy is not remapped while it grows.
        fresh.init_header(size_hint.saturating_add(HEADER_LEN as u64), false)?;
        for r in records {
            sizes.push(fresh.append(&r)?);
        }
        fresh
            .storage
            .sync_all()
            .map_err(io_err("syncing the compaction file"))?;
        Ok(Rewrite {
            storage: fresh.storage,
            end: fresh.end,
        })
    }

    /// Puts a prepared rewrite in place of the current file (atomic rename).
    pub fn install(&mut self, mut rewrite: Rewrite) -> Result<(), StoreError> {
        self.check()?;
        let r = rewrite
            .storage
            .replace(&*self.storage)
            .map_err(io_err("replacing the jar file"));
        if let Err(e) = r {
            return Err(self.poison(e));
        }
        let old = std::mem::replace(&mut self.storage, rewrite.storage);
        retire(old);
        self.end = rewrite.end;
        self.generation += 1;
        Ok(())
    }
}

/// Drops a storage that a compaction replaced, off the caller's thread when it is a file.
///
/// The old file has been renamed over, so this unmaps and closes the last link to it, and the
/// file system frees its blocks right there; on a file system mounted with `discard` (as the
/// development machine's is) that waits for the device to discard them. Measured with
/// `perf record -e sched:sched_switch` on a churning file jar: that wait was most of the time
/// a `set_cookie` spent blocked, and it made a file jar's `set_cookie` cost twice the
/// in-memory one. Nothing reads the old file any more, and nothing depends on when its blocks
/// are freed, so a short-lived thread does it. Should no thread start, it is dropped here.
fn retire(old: Box<dyn Storage>) {
    if old.path().is_none() {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("cookiejar-retire".into())
        .spawn(move || drop(old));
}

/// docs/file-format.md, "Recovery": scans the frames, hands each valid one to `visit`, and
/// returns the log end. `group_of` maps a cookie record's domain to the number the jar files
/// it under (see [`Scanned::Cookie`]); it runs on the scanning thread.
fn recover(
    storage: &dyn Storage,
    len: u64,
    group_of: fn(&[u8]) -> u64,
    report: &mut OpenReport,
    visit: &mut dyn FnMut(Scanned),
) -> io::Result<u64> {
    let size = usize::try_from(len).map_err(|_| io::Error::other("the jar file is too large"))?;
    let zeros_from = zeros_from(storage, size)?;
    if zeros_from - HEADER_LEN < PIPELINE_MIN_BYTES {
        let (end, scan_report) = Scanner::new(size, zeros_from, group_of).run(storage, visit)?;
        report.merge(&scan_report);
        return Ok(end as u64);
    }
    pipelined(
        storage,
        || Scanner::new(size, zeros_from, group_of),
        report,
        visit,
    )
    .map(|end| end as u64)
}

/// Everything from this offset on is zero: reaching it at a frame boundary is the log end.
/// Read from the end backwards: the preallocated tail can be a quarter of a large file.
fn zeros_from(storage: &dyn Storage, size: usize) -> io::Result<usize> {
    let mut buf = vec![0u8; 64 << 10];
    let mut hi = size;
    while hi > HEADER_LEN {
        let lo = hi.saturating_sub(buf.len()).max(HEADER_LEN);
        let chunk = &mut buf[..hi - lo];
        storage.read(lo as u64, chunk)?;
        if let Some(i) = last_nonzero(chunk) {
            return Ok(lo + i + 1);
        }
        hi = lo;
    }
    Ok(HEADER_LEN)
}

/// The index of the last non-zero byte, 64 bytes at a time.
fn last_nonzero(bytes: &[u8]) -> Option<usize> {
    let (head, blocks) = bytes.as_rchunks::<64>();
    if let Some(b) = blocks.iter().rposition(|b| b.iter().any(|&x| x != 0)) {
        let i = blocks[b].iter().rposition(|&x| x != 0)?;
        return Some(head.len() + b * 64 + i);
    }
    head.iter().rposition(|&x| x != 0)
}

/// The log size from which [`recover`] checks frames on a second thread while the caller
/// files them on its own: about 3,000 records, against the tens of microseconds a thread
/// costs to start.
const PIPELINE_MIN_BYTES: usize = 256 << 10;

/// Frames per batch handed from the scanning thread to the caller's: enough that the
/// hand-over costs little per frame.
const PIPELINE_BATCH: usize = 4096;

/// How much of the file the scanner copies out at a time (plus one largest frame, so that
/// every frame starting in a window lies whole in its copy). The file is read through one
/// buffer of this size rather than copied whole: a large jar's file is tens of MB, and a
/// fresh buffer that size costs a page fault per 4 KiB.
const WINDOW: usize = 1 << 20;
const MAX_FRAME: usize = FRAME_HEADER + MAX_PAYLOAD;

/// The scan of docs/file-format.md, "Recovery", window by window.
struct Scanner {
    size: usize,
    zeros_from: usize,
    groups: LastGroup,
    /// Where the next frame may start.
    pos: usize,
    /// The end of the last valid frame: the log end so far.
    end: usize,
    /// Where the current run of damaged bytes began.
    damaged_from: Option<usize>,
    report: OpenReport,
}

impl Scanner {
    fn new(size: usize, zeros_from: usize, group_of: fn(&[u8]) -> u64) -> Scanner {
        Scanner {
            size,
            zeros_from,
            groups: LastGroup::new(group_of),
            pos: HEADER_LEN,
            end: HEADER_LEN,
            damaged_from: None,
            report: OpenReport::default(),
        }
    }

    /// Scans the whole log through one window buffer; returns the log end and the report.
    fn run(
        mut self,
        storage: &dyn Storage,
        visit: &mut dyn FnMut(Scanned),
    ) -> io::Result<(usize, OpenReport)> {
        let mut buf = Vec::new();
        while self.pos < self.zeros_from {
            let start = self.pos;
            let stop = (start + WINDOW).min(self.zeros_from);
            let copy_end = (stop + MAX_FRAME).min(self.size);
            buf.resize(copy_end - start, 0);
            storage.read(start as u64, &mut buf)?;
            self.window(start, stop, &buf, visit);
        }
        Ok(self.finish())
    }

    /// The frames starting in `start..stop`, from `bytes`, the file's bytes from `start` on.
    fn window(&mut self, start: usize, stop: usize, bytes: &[u8], visit: &mut dyn FnMut(Scanned)) {
        while self.pos < stop {
            match frame_at(bytes, self.pos - start, self.pos as u64, &mut self.groups) {
                Some((scanned, total)) => {
                    if let Some(from) = self.damaged_from.take() {
                        self.report.dropped_frames += 1;
                        self.report.dropped_bytes += (self.pos - from) as u64;
                    }
                    match scanned {
                        Some(scanned) => {
                            self.report.records += 1;
                            visit(scanned);
                        }
                        None => self.report.unknown_records += 1,
                    }
                    self.pos += total;
                    self.end = self.pos;
                }
                None => {
                    // Damage: try the next byte. Every step advances, so the scan ends.
                    self.damaged_from.get_or_insert(self.pos);
                    self.pos += 1;
                }
            }
        }
    }

    fn finish(mut self) -> (usize, OpenReport) {
        if let Some(from) = self.damaged_from {
            // A torn or corrupt tail: everything from the last valid frame on is cut off.
            self.report.dropped_frames += 1;
            self.report.dropped_bytes += (self.zeros_from - from) as u64;
        }
        (self.end, self.report)
    }
}

impl OpenReport {
    /// Adds the scan's counts.
    fn merge(&mut self, scan: &OpenReport) {
        self.records += scan.records;
        self.unknown_records += scan.unknown_records;
        self.dropped_frames += scan.dropped_frames;
        self.dropped_bytes += scan.dropped_bytes;
    }
}

/// [`Scanner::run`] on a second thread, feeding `visit` on this one, in the same order:
/// checking frames costs about as much as filing them, so the two halves overlap. A thread
/// that cannot be started leaves the work to this one.
fn pipelined(
    storage: &dyn Storage,
    scanner: impl Fn() -> Scanner + Sync,
    report: &mut OpenReport,
    visit: &mut dyn FnMut(Scanned),
) -> io::Result<usize> {
    std::thread::scope(|scope| {
        // A bound on the batches in flight bounds the memory, should the caller fall behind.
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Scanned>>(4);
        let new_scanner = &scanner;
        let handle = std::thread::Builder::new()
            .name("cookiejar-open".into())
            .spawn_scoped(scope, {
                move || {
                    let mut batch = Vec::with_capacity(PIPELINE_BATCH);
                    let r = new_scanner().run(storage, &mut |scanned| {
                        batch.push(scanned);
                        if batch.len() == PIPELINE_BATCH {
                            let full =
                                std::mem::replace(&mut batch, Vec::with_capacity(PIPELINE_BATCH));
                            // The receiver lives until this thread is joined.
                            let _ = send.send(full);
                        }
                    });
                    if !batch.is_empty() {
                        let _ = send.send(batch);
                    }
                    r
                }
            });
        let handle = match handle {
            Ok(handle) => handle,
            Err(_) => {
                // The closure never ran: `send` is gone with it.
                drop(receive);
                let (end, scan_report) = scanner().run(storage, visit)?;
                report.merge(&scan_report);
                return Ok(end);
            }
        };
        for batch in receive.iter() {
            batch.into_iter().for_each(&mut *visit);
        }
        let (end, scan_report) = handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        report.merge(&scan_report);
        Ok(end)
    })
}

/// The valid frame at `pos` of `bytes` (docs/file-format.md, "Frame"), with what it holds
/// (`None` for a record kind this version does not know) and its total size; `None` when
/// there is none. `offset` is where `pos` lies in the file.
///
/// A cookie record is only read as far as its domain: most of a large jar's records are
/// cookies the program may never ask for, and the jar reads each one back in full when it
/// first needs its site ([`Store::read_cookie`]). Any other record is decoded here.
fn frame_at(
    bytes: &[u8],
    pos: usize,
    offset: u64,
    groups: &mut LastGroup,
) -> Option<(Option<Scanned>, usize)> {
    let payload = checked_payload(bytes, pos)?;
    let total = FRAME_HEADER + payload.len();
    if let Some((put, domain)) = codec::peek_cookie_domain(payload) {
        let scanned = Scanned::Cookie {
            offset,
            size: total as u32,
            put,
            group: groups.of(domain),
        };
        return Some((Some(scanned), total));
    }
    let scanned = match codec::decode_view(payload) {
        // Should the quick read above ever refuse a cookie record that bincode reads, it is
        // still filed as one.
        Ok(RecordView::Put(r)) => Scanned::Cookie {
            offset,
            size: total as u32,
            put: true,
            group: groups.of(r.key.domain.as_bytes()),
        },
        Ok(RecordView::Delete(k)) => Scanned::Cookie {
            offset,
            size: total as u32,
            put: false,
            group: groups.of(k.domain.as_bytes()),
        },
        Ok(RecordView::Settings(r)) => {
            Scanned::Record(Box::new(RecordView::Settings(r)), total as u32)
        }
        Ok(RecordView::Consent(r)) => {
            Scanned::Record(Box::new(RecordView::Consent(r)), total as u32)
        }
        Ok(RecordView::Rule(r)) => Scanned::Record(Box::new(RecordView::Rule(r)), total as u32),
        Err(DecodeError::UnknownKind) => return Some((None, total)),
        Err(DecodeError::Malformed) => return None,
    };
    Some((Some(scanned), total))
}

/// The jar's group function with a memo of the last domain it was asked: a site's records
/// mostly lie together in the log, often with the same domain, and comparing a domain with the
/// last one costs a fraction of finding its last labels and hashing them.
struct LastGroup {
    group_of: fn(&[u8]) -> u64,
    domain: Vec<u8>,
    group: u64,
}

impl LastGroup {
    fn new(group_of: fn(&[u8]) -> u64) -> LastGroup {
        LastGroup {
            group_of,
            domain: Vec::new(),
            group: group_of(b""),
        }
    }

    fn of(&mut self, domain: &[u8]) -> u64 {
        if domain != self.domain {
            self.group = (self.group_of)(domain);
            self.domain.clear();
            self.domain.extend_from_slice(domain);
        }
        self.group
    }
}

/// The payload of the frame at `pos`, if a valid frame header and checksum are there.
fn checked_payload(bytes: &[u8], pos: usize) -> Option<&[u8]> {
    let head = bytes.get(pos..pos.checked_add(FRAME_HEADER)?)?;
    let word0 = le_u32(head, 0);
    let len = (word0 & LEN_MASK) as usize;
    if word0 >> 24 != MARKER || len == 0 || len > MAX_PAYLOAD {
        return None;
    }
    let payload = bytes.get(pos + FRAME_HEADER..pos + FRAME_HEADER + len)?;
    (le_u32(head, 4) == crc(word0.to_le_bytes(), payload)).then_some(payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::{CookieKey, CookieRecord, Record, SettingsRecord};
    use crate::store::storage::MemStorage;

    /// A log of `n` records of every common kind, as the store writes it.
    fn log_bytes(n: usize) -> Vec<u8> {
        let (mut store, _) = Store::open(
            Box::new(MemStorage::new()),
            Durability::Process,
            0,
            group,
            &mut |_| {},
        )
        .unwrap();
        for i in 0..n {
            let key = CookieKey {
                name: format!("c{}", i % 97),
                domain: format!("site{}.example", i % 13),
                path: "/".repeat(1 + i % 3),
                host_only: i % 2 == 0,
                partition: (i % 5 == 0).then(|| "top.example".to_owned()),
            };
            let record = match i % 11 {
                0 => Record::Delete(key),
                7 => Record::Settings(SettingsRecord {
                    enforcing: true,
                    profile: 1,
                    unclassified: 5,
                    gpc_since: None,
                }),
                _ => Record::Put(CookieRecord {
                    key,
                    value: "v".repeat(i % 200),
                    flags: (i % 64) as u16,
                    created_ms: i as i64,
                    expires_s: 1_000_000 + i as i64,
                    last_access_s: i as i64,
                }),
            };
            store.append(&record.as_ref()).unwrap();
        }
        let mut bytes = vec![0u8; store.storage.len() as usize];
        store.storage.read(0, &mut bytes).unwrap();
        bytes
    }

    /// A group function for the tests: any function of the domain will do.
    fn group(domain: &[u8]) -> u64 {
        domain
            .iter()
            .fold(7u64, |h, &b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
    }

    /// What a recovery saw, on this thread or with a second one: every frame, the report and
    /// the log end.
    fn run(bytes: &[u8], threaded: bool) -> (Vec<Scanned>, OpenReport, usize) {
        let storage = MemStorage::from_bytes(bytes.to_vec());
        let size = bytes.len();
        let zf = zeros_from(&storage, size).unwrap();
        let mut seen = Vec::new();
        let mut report = OpenReport::default();
        let mut visit = |s: Scanned| seen.push(s);
        let end = if threaded {
            pipelined(
                &storage,
                || Scanner::new(size, zf, group),
                &mut report,
                &mut visit,
            )
            .unwrap()
        } else {
            let (end, scan) = Scanner::new(size, zf, group)
                .run(&storage, &mut visit)
                .unwrap();
            report.merge(&scan);
            end
        };
        (seen, report, end)
    }

    /// The frames of an intact log, read the plain way: every frame decoded in full, one after
    /// the other over the whole file.
    fn reference(bytes: &[u8]) -> Vec<Scanned> {
        let mut out = Vec::new();
        let mut pos = HEADER_LEN;
        while let Some(payload) = checked_payload(bytes, pos) {
            let size = (FRAME_HEADER + payload.len()) as u32;
            let offset = pos as u64;
            out.push(match codec::decode_view(payload).unwrap() {
                RecordView::Put(r) => Scanned::Cookie {
                    offset,
                    size,
                    put: true,
                    group: group(r.key.domain.as_bytes()),
                },
                RecordView::Delete(k) => Scanned::Cookie {
                    offset,
                    size,
                    put: false,
                    group: group(k.domain.as_bytes()),
                },
                RecordView::Settings(r) => Scanned::Record(Box::new(RecordView::Settings(r)), size),
                RecordView::Consent(r) => Scanned::Record(Box::new(RecordView::Consent(r)), size),
                RecordView::Rule(r) => Scanned::Record(Box::new(RecordView::Rule(r)), size),
            });
            pos += size as usize;
        }
        out
    }

    #[test]
    fn a_frame_checksum_is_the_crc32_of_its_first_word_and_payload() {
        let mut bytes: Vec<u8> = (0..300u32)
            .map(|i| (i.wrapping_mul(167) >> 3) as u8)
            .collect();
        bytes[7] = 0xff;
        for len in [0, 1, 3, 15, 16, 17, 63, 64, 65, 200, 290] {
            for at in [0, 1, 4] {
                let word0 = [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
                let payload = &bytes[at + 4..at + 4 + len];
                assert_eq!(
                    crc(word0, payload),
                    crc32fast::hash(&bytes[at..at + 4 + len]),
                    "{len} bytes from {at}"
                );
            }
        }
    }

    #[test]
    fn the_threaded_recovery_sees_exactly_what_the_plain_one_sees() {
        // Several batches, an intact log first, then damage of every kind: flipped bits in
        // the middle, a frame cut short at the end.
        let mut bytes = log_bytes(5 * PIPELINE_BATCH + 17);
        // Several windows' worth, so frames straddle window ends.
        assert!(bytes.len() > 2 * WINDOW);
        let plain = run(&bytes, false);
        assert_eq!(plain.0.len(), 5 * PIPELINE_BATCH + 17);
        assert_eq!(plain.0, reference(&bytes));
        assert_eq!(plain, run(&bytes, true));

        let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..40 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let at = HEADER_LEN + (rng as usize) % (bytes.len() - HEADER_LEN);
            bytes[at] ^= 1 << (rng >> 61);
        }
        let end = plain.2;
        bytes[end - 3..].fill(0);
        let plain = run(&bytes, false);
        assert!(plain.1.dropped_frames > 0 && plain.0.len() > 4 * PIPELINE_BATCH);
        assert_eq!(plain, run(&bytes, true));
    }

    #[test]
    fn a_log_too_small_for_a_thread_is_recovered_on_this_one() {
        let bytes = log_bytes(50);
        let storage = MemStorage::from_bytes(bytes.clone());
        assert!(zeros_from(&storage, bytes.len()).unwrap() - HEADER_LEN < PIPELINE_MIN_BYTES);
        let mut report = OpenReport::default();
        let mut n = 0;
        let end = recover(
            &storage,
            bytes.len() as u64,
            group,
            &mut report,
            &mut |_| n += 1,
        )
        .unwrap();
        assert_eq!(
            (n, report.records, end as usize),
            (50, 50, run(&bytes, false).2)
        );
    }
}
