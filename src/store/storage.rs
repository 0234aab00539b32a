//! The bytes under a jar file: a small trait with a memory-mapped implementation, an in-memory
//! one, and a fault-injecting wrapper for crash and failure tests.
//!
//! The map is the only `unsafe` in the store. Its soundness argument is written beside it in
//! [`MmapStorage`]. Nothing outside this file ever sees a reference into the map: bytes are copied
//! in by [`Storage::write`] and copied out by [`Storage::read`], and everything read is validated
//! by the caller as untrusted input.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use memmap2::MmapMut;

/// Random access to the bytes of one jar file.
///
/// Offsets and lengths are in bytes. Every method checks its bounds and returns an error rather
/// than panicking.
pub trait Storage: Send + Sync {
    /// The current length.
    fn len(&self) -> u64;

    /// Whether the storage holds no byte.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Copies `buf.len()` bytes starting at `offset` into `buf`.
    fn read(&self, offset: u64, buf: &mut [u8]) -> io::Result<()>;

    /// Copies `data` into the storage at `offset`; the range must lie inside [`Storage::len`].
    fn write(&mut self, offset: u64, data: &[u8]) -> io::Result<()>;

    /// Grows the storage to `new_len` bytes (new bytes read as zero), reserving the space so
    /// that later writes cannot fail for want of it.
    fn grow(&mut self, new_len: u64) -> io::Result<()>;

    /// Makes `len` bytes at `offset` durable (msync).
    fn sync_range(&mut self, offset: u64, len: u64) -> io::Result<()>;

    /// Makes everything durable, metadata included (msync + fsync).
    fn sync_all(&mut self) -> io::Result<()>;

    /// A new, empty storage that will replace this one (compaction writes into it).
    fn start_rewrite(&self) -> io::Result<Box<dyn Storage>>;

    /// Makes `self`, a storage returned by [`Storage::start_rewrite`] on `old` and already
    /// synced, take the place of `old` atomically (rename over it, fsync the directory).
    fn replace(&mut self, old: &dyn Storage) -> io::Result<()>;

    /// The file behind the storage, if any.
    fn path(&self) -> Option<&Path>;
}

fn out_of_bounds(offset: u64, len: usize, size: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("range {offset}+{len} is outside the storage ({size} bytes)"),
    )
}

/// The byte range `offset..offset+len` as `usize` indices, if it lies inside `size`.
fn range(offset: u64, len: usize, size: u64) -> io::Result<std::ops::Range<usize>> {
    let end = offset
        .checked_add(len as u64)
        .filter(|&e| e <= size)
        .ok_or_else(|| out_of_bounds(offset, len, size))?;
    let start = usize::try_from(offset).map_err(|_| out_of_bounds(offset, len, size))?;
    let end = usize::try_from(end).map_err(|_| out_of_bounds(offset, len, size))?;
    Ok(start..end)
}

// ----- in memory -----------------------------------------------------------------------------

/// Storage in a `Vec<u8>`: for tests, and for measuring the store without a disk.
///
/// Growth is lazy: bytes past the ones written read as zero without being allocated, as in a
/// sparse file.
#[derive(Debug, Default, Clone)]
pub struct MemStorage {
    bytes: Vec<u8>,
    len: u64,
}

impl MemStorage {
    /// An empty storage.
    pub fn new() -> Self {
        MemStorage::default()
    }

    /// A storage holding these bytes (say, a damaged file under test).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        let len = bytes.len() as u64;
        MemStorage { bytes, len }
    }

    /// The bytes held, up to the last one written (the rest are zero).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl Storage for MemStorage {
    fn len(&self) -> u64 {
        self.len
    }

    fn read(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let r = range(offset, buf.len(), self.len)?;
        let held = self.bytes.len();
        let (start, end) = (r.start.min(held), r.end.min(held));
        buf[..end - start].copy_from_slice(&self.bytes[start..end]);
        buf[end - start..].fill(0);
        Ok(())
    }

    fn write(&mut self, offset: u64, data: &[u8]) -> io::Result<()> {
        let r = range(offset, data.len(), self.len)?;
        if self.bytes.len() < r.end {
            self.bytes.resize(r.end, 0);
        }
        self.bytes[r].copy_from_slice(data);
        Ok(())
    }

    fn grow(&mut self, new_len: u64) -> io::Result<()> {
        usize::try_from(new_len).map_err(|_| out_of_bounds(new_len, 0, self.len))?;
        self.len = self.len.max(new_len);
        Ok(())
    }

    fn sync_range(&mut self, _offset: u64, _len: u64) -> io::Result<()> {
        Ok(())
    }

    fn sync_all(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn start_rewrite(&self) -> io::Result<Box<dyn Storage>> {
        Ok(Box::new(MemStorage::new()))
    }

    fn replace(&mut self, _old: &dyn Storage) -> io::Result<()> {
        Ok(())
    }

    fn path(&self) -> Option<&Path> {
        None
    }
}

// ----- fault injection -----------------------------------------------------------------------

/// Which operation a [`FaultyStorage`] fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `write`.
    Write,
    /// `grow`.
    Grow,
    /// `sync_range` and `sync_all`.
    Sync,
    /// `start_rewrite` and `replace` (compaction).
    Rewrite,
}

/// A storage that forwards to another and fails chosen operations on demand: the fault
/// injection behind the failure tests. Clones share one switchboard, so a test keeps a clone to
/// arm faults in a storage the jar owns.
#[derive(Clone)]
pub struct FaultyStorage {
    inner: Arc<parking_lot::Mutex<Box<dyn Storage>>>,
    /// Per fault kind: how many more calls succeed before every call fails (`u64::MAX`: never).
    budget: Arc<[AtomicU64; 4]>,
}

impl FaultyStorage {
    /// Wraps `inner`; nothing fails until [`FaultyStorage::fail_after`] is called.
    pub fn new(inner: impl Storage + 'static) -> Self {
        FaultyStorage {
            inner: Arc::new(parking_lot::Mutex::new(Box::new(inner))),
            budget: Arc::new([
                AtomicU64::new(u64::MAX),
                AtomicU64::new(u64::MAX),
                AtomicU64::new(u64::MAX),
                AtomicU64::new(u64::MAX),
            ]),
        }
    }

    /// After `n` more successful calls of that kind, every call of it fails.
    pub fn fail_after(&self, fault: Fault, n: u64) {
        self.budget[fault as usize].store(n, Ordering::SeqCst);
    }

    /// Stops injecting faults.
    pub fn heal(&self) {
        for b in self.budget.iter() {
            b.store(u64::MAX, Ordering::SeqCst);
        }
    }

    /// A copy of the bytes currently held (for a `MemStorage` inside; empty otherwise).
    pub fn snapshot(&self) -> Vec<u8> {
        let inner = self.inner.lock();
        let mut buf = vec![0; usize::try_from(inner.len()).unwrap_or(0)];
        if inner.read(0, &mut buf).is_err() {
            buf.clear();
        }
        buf
    }

    fn check(&self, fault: Fault) -> io::Result<()> {
        let b = &self.budget[fault as usize];
        let left = b.load(Ordering::SeqCst);
        if left == u64::MAX {
            return Ok(());
        }
        if left == 0 {
            return Err(io::Error::other(format!("injected {fault:?} failure")));
        }
        b.store(left - 1, Ordering::SeqCst);
        Ok(())
    }
}

impl Storage for FaultyStorage {
    fn len(&self) -> u64 {
        self.inner.lock().len()
    }

    fn read(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.inner.lock().read(offset, buf)
    }

    fn write(&mut self, offset: u64, data: &[u8]) -> io::Result<()> {
        self.check(Fault::Write)?;
        self.inner.lock().write(offset, data)
    }

    fn grow(&mut self, new_len: u64) -> io::Result<()> {
        self.check(Fault::Grow)?;
        self.inner.lock().grow(new_len)
    }

    fn sync_range(&mut self, offset: u64, len: u64) -> io::Result<()> {
        self.check(Fault::Sync)?;
        self.inner.lock().sync_range(offset, len)
    }

    fn sync_all(&mut self) -> io::Result<()> {
        self.check(Fault::Sync)?;
        self.inner.lock().sync_all()
    }

    fn start_rewrite(&self) -> io::Result<Box<dyn Storage>> {
        self.check(Fault::Rewrite)?;
        let fresh = self.inner.lock().start_rewrite()?;
        // The replacement answers to the same switchboard, so armed faults stay armed.
        Ok(Box::new(FaultyStorage {
            inner: Arc::new(parking_lot::Mutex::new(fresh)),
            budget: self.budget.clone(),
        }))
    }

    fn replace(&mut self, old: &dyn Storage) -> io::Result<()> {
        self.check(Fault::Rewrite)?;
        self.inner.lock().replace(old)
    }

    fn path(&self) -> Option<&Path> {
        None
    }
}

// ----- memory-mapped file ----------------------------------------------------------------------

/// How a [`MmapStorage`] failed to open.
#[derive(Debug)]
pub enum OpenFileError {
    /// Another process holds the file's lock.
    Locked,
    /// The path names something other than a regular file (or a symlink, which is not followed).
    NotAFile,
    /// An I/O error.
    Io(io::Error),
}

/// A jar file, memory-mapped read-write, locked against other processes.
///
/// # Soundness of the map
///
/// `memmap2::MmapMut::map_mut` is `unsafe` because the mapped bytes can change underneath the
/// program if anything else writes the file, which would break the guarantees Rust gives for a
/// `&[u8]`/`&mut [u8]`. This is how that is contained here:
///
/// 1. The file is opened without following symlinks, and the process holds an exclusive
///    advisory lock on it (`flock`) for as long as it is mapped; a second cooperating opener is
///    refused. The compaction file is created with `O_EXCL` and locked before it is mapped.
/// 2. No reference into the map leaves this type. [`Storage::read`] copies bytes out and
///    [`Storage::write`] copies bytes in, each inside one short borrow of `&mut self` or `&self`;
///    callers are `Sync` only through the jar's lock, which serialises writers against readers.
/// 3. Every byte copied out is treated as untrusted by the reader (checksums, bounds, decoding
///    limits), so even bytes changed by an uncooperative process cannot violate a memory-safety
///    invariant of ours; what remains is the data race itself, which the lock rules out for
///    cooperating processes and which we document, rather than claim to prevent, for others.
/// 4. The map is replaced (not resized in place) when the file grows: the old map is dropped
///    before any new access, and all offsets are checked against the current length.
/// 5. Growth reserves disk blocks with `posix_fallocate` and writes them with zeros before
///    remapping, so writing into the map cannot meet a hole the file system cannot fill (which
///    would raise SIGBUS). A process that truncates the file behind our back can still cause
///    SIGBUS; that is outside the contract (see `docs/file-format.md`).
pub struct MmapStorage {
    file: File,
    path: PathBuf,
    map: Option<MmapMut>,
    len: u64,
}

impl std::fmt::Debug for MmapStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MmapStorage")
            .field("path", &self.path)
            .field("len", &self.len)
            .finish()
    }
}

impl MmapStorage {
    /// Opens (creating with mode 0600 if missing) and locks the file at `path`, and maps it.
    pub fn open(path: &Path) -> Result<Self, OpenFileError> {
        // Between our open and our lock, a compaction in another process may rename a new file
        // over the path; then the inode we locked is no longer the jar. Check and retry.
        for _ in 0..16 {
            let file = open_nofollow(path, false)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => return Err(OpenFileError::Locked),
                Err(fs::TryLockError::Error(e)) => return Err(OpenFileError::Io(e)),
            }
            let ours = file.metadata().map_err(OpenFileError::Io)?;
            match fs::symlink_metadata(path) {
                Ok(m) if m.dev() == ours.dev() && m.ino() == ours.ino() => {}
                _ => continue,
            }
            if !ours.is_file() {
                return Err(OpenFileError::NotAFile);
            }
            return Self::map(file, path.to_owned()).map_err(OpenFileError::Io);
        }
        Err(OpenFileError::Io(io::Error::other(
            "the jar file keeps being replaced while opening it",
        )))
    }

    fn map(file: File, path: PathBuf) -> io::Result<Self> {
        let len = file.metadata()?.len();
        let mut s = MmapStorage {
            file,
            path,
            map: None,
            len,
        };
        s.remap()?;
        Ok(s)
    }

    fn remap(&mut self) -> io::Result<()> {
        self.map = None;
        if self.len == 0 {
            return Ok(());
        }
        // SAFETY: see the type's documentation: the file is locked, and the map is only
        // accessed through bounds-checked copies in this type.
        let map = unsafe { MmapMut::map_mut(&self.file)? };
        if (map.len() as u64) < self.len {
            return Err(io::Error::other("the file shrank while being mapped"));
        }
        self.map = Some(map);
        Ok(())
    }

    fn bytes(&self) -> &[u8] {
        self.map.as_deref().unwrap_or(&[])
    }
}

/// A block of zeros to write new file space with (see [`MmapStorage`]'s `grow`).
static ZEROS: [u8; 1 << 16] = [0; 1 << 16];

/// Opens `path` read-write without following a symlink; with `exclusive`, creates it and fails
/// if it exists. New files get mode 0600: cookies are credentials.
fn open_nofollow(path: &Path, exclusive: bool) -> Result<File, OpenFileError> {
    let mut o = OpenOptions::new();
    o.read(true)
        .write(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    if exclusive {
        o.create_new(true);
    } else {
        o.create(true);
    }
    o.open(path).map_err(|e| {
        // O_NOFOLLOW on a symlink fails with ELOOP; opening a directory for writing, EISDIR.
        if matches!(e.raw_os_error(), Some(libc::ELOOP | libc::EISDIR)) {
            OpenFileError::NotAFile
        } else {
            OpenFileError::Io(e)
        }
    })
}

/// The companion file compaction writes before renaming it over the jar.
pub fn compaction_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".compacting");
    path.with_file_name(name)
}

fn fsync_dir(path: &Path) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir)?.sync_all()
}

impl Storage for MmapStorage {
    fn len(&self) -> u64 {
        self.len
    }

    fn read(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let r = range(offset, buf.len(), self.len)?;
        buf.copy_from_slice(&self.bytes()[r]);
        Ok(())
    }

    fn write(&mut self, offset: u64, data: &[u8]) -> io::Result<()> {
        let r = range(offset, data.len(), self.len)?;
        let map = self
            .map
            .as_mut()
            .ok_or_else(|| out_of_bounds(offset, data.len(), 0))?;
        map[r].copy_from_slice(data);
        Ok(())
    }

    fn grow(&mut self, new_len: u64) -> io::Result<()> {
        if new_len <= self.len {
            return Ok(());
        }
        let want = libc::off_t::try_from(new_len)
            .map_err(|_| io::Error::other("the jar file would exceed the largest file size"))?;
        // Reserve the blocks, so that a full disk is an error here and not a SIGBUS later.
        // SAFETY: a plain system call on a file descriptor we own.
        let rc = unsafe { libc::posix_fallocate(self.file.as_raw_fd(), 0, want) };
        match rc {
            0 => {}
            libc::EOPNOTSUPP | libc::EINVAL => self.file.set_len(new_len)?,
            e => return Err(io::Error::from_raw_os_error(e)),
        }
        // Write the new space's zeros through the page cache now. Reserved but never written
        // blocks are "unwritten": the first store into each page of the map would then fault
        // alone, read the hole, and ask the file system to map the block. Written once here,
        // the pages are already cached (in large folios where the file system uses them), and
        // appends fault a fraction as often: on ext4, 2,971 faults instead of 16,358 for a
        // million headers, and about a third of the kernel time. The price is writing back
        // the zeros of the chunk's unused part.
        let mut at = self.len;
        while at < new_len {
            let n = usize::try_from(new_len - at).map_or(ZEROS.len(), |n| n.min(ZEROS.len()));
            self.file.write_all_at(&ZEROS[..n], at)?;
            at += n as u64;
        }
        self.len = new_len;
        self.remap()
    }

    fn sync_range(&mut self, offset: u64, len: u64) -> io::Result<()> {
        let len = usize::try_from(len).map_err(|_| out_of_bounds(offset, 0, self.len))?;
        let r = range(offset, len, self.len)?;
        match &self.map {
            Some(m) => m.flush_range(r.start, r.len()),
            None => Ok(()),
        }
    }

    fn sync_all(&mut self) -> io::Result<()> {
        if let Some(m) = &self.map {
            m.flush()?;
        }
        self.file.sync_all()
    }

    fn start_rewrite(&self) -> io::Result<Box<dyn Storage>> {
        let tmp = compaction_path(&self.path);
        // A leftover from a crash during an earlier compaction is ours to remove: we hold the
        // jar's lock.
        match fs::remove_file(&tmp) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let file = open_nofollow(&tmp, true).map_err(|e| match e {
            OpenFileError::Io(e) => e,
            OpenFileError::Locked | OpenFileError::NotAFile => {
                io::Error::other("cannot create the compaction file")
            }
        })?;
        file.try_lock().map_err(|e| match e {
            fs::TryLockError::WouldBlock => io::Error::other("the compaction file is locked"),
            fs::TryLockError::Error(e) => e,
        })?;
        Ok(Box::new(MmapStorage::map(file, tmp)?))
    }

    fn replace(&mut self, old: &dyn Storage) -> io::Result<()> {
        let target = old
            .path()
            .ok_or_else(|| io::Error::other("cannot replace a storage without a file"))?
            .to_owned();
        fs::rename(&self.path, &target)?;
        self.path = target;
        fsync_dir(&self.path)
    }

    fn path(&self) -> Option<&Path> {
        Some(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_storage_checks_bounds() {
        let mut s = MemStorage::new();
        s.grow(16).unwrap();
        s.write(8, &[1, 2, 3]).unwrap();
        let mut b = [0; 3];
        s.read(8, &mut b).unwrap();
        assert_eq!(b, [1, 2, 3]);
        assert!(s.write(15, &[1, 2]).is_err());
        assert!(s.read(u64::MAX, &mut b).is_err());
    }

    #[test]
    fn faults_fire_after_their_budget() {
        let mut s = FaultyStorage::new(MemStorage::new());
        s.grow(8).unwrap();
        s.fail_after(Fault::Write, 1);
        s.write(0, &[1]).unwrap();
        assert!(s.write(0, &[1]).is_err());
        s.heal();
        s.write(0, &[1]).unwrap();
    }

    #[test]
    fn files_are_created_private_locked_and_mapped() {
        let dir = std::env::temp_dir().join(format!("cj-storage-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("jar");
        let _ = fs::remove_file(&path);
        let mut s = MmapStorage::open(&path).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        assert!(matches!(
            MmapStorage::open(&path),
            Err(OpenFileError::Locked)
        ));
        s.grow(4096).unwrap();
        s.write(100, b"hello").unwrap();
        s.sync_all().unwrap();
        drop(s);
        assert_eq!(&fs::read(&path).unwrap()[100..105], b"hello");
        fs::remove_dir_all(&dir).unwrap();
    }
}
