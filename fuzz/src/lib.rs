//! Helpers shared by the fuzz targets.
//!
//! The one piece of machinery here is [`Volume`]: a tiny in-memory "file system" holding one
//! jar file. The library's `MemStorage` is not enough for the targets that reopen a jar: when
//! the jar compacts, it writes a fresh storage and installs it in place of the old one, and a
//! `MemStorage` has no path to rename over, so a handle kept by the test still shows the
//! pre-compaction bytes. A `Volume` gives compaction a real rename: the volume's one "path"
//! points at an inode, and installing a rewrite re-points it, so reopening the path always
//! sees what the jar last installed, as with a real file.

use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use cookiejar::store::storage::{MemStorage, Storage};

/// The bytes of one file; shared between the volume and the storages open on it.
type Inode = Arc<Mutex<MemStorage>>;

/// One path, pointing at the inode that holds the jar file.
#[derive(Clone, Default)]
pub struct Volume {
    path: Arc<Mutex<Inode>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic in a target aborts the process, so a poisoned mutex is never observed; take the
    // data anyway rather than add a second failure.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Volume {
    /// A volume whose file holds these bytes (an empty file for a new jar).
    pub fn with_bytes(bytes: Vec<u8>) -> Volume {
        Volume {
            path: Arc::new(Mutex::new(Arc::new(Mutex::new(MemStorage::from_bytes(
                bytes,
            ))))),
        }
    }

    /// Opens the file at the path, as `open(2)` would: the storage sees later renames only
    /// through a new `open`.
    pub fn open(&self) -> InodeStorage {
        InodeStorage {
            inode: lock(&self.path).clone(),
            volume: self.clone(),
        }
    }

    /// The bytes currently at the path, with the zeros past the last byte written cut off.
    pub fn bytes(&self) -> Vec<u8> {
        let inode = lock(&self.path).clone();
        let s = lock(&inode);
        let mut b = s.bytes().to_vec();
        let end = b.iter().rposition(|&x| x != 0).map_or(0, |i| i + 1);
        b.truncate(end);
        b
    }
}

/// A storage open on one inode of a [`Volume`].
pub struct InodeStorage {
    inode: Inode,
    volume: Volume,
}

impl Storage for InodeStorage {
    fn len(&self) -> u64 {
        lock(&self.inode).len()
    }

    fn read(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        lock(&self.inode).read(offset, buf)
    }

    fn write(&mut self, offset: u64, data: &[u8]) -> io::Result<()> {
        lock(&self.inode).write(offset, data)
    }

    fn grow(&mut self, new_len: u64) -> io::Result<()> {
        lock(&self.inode).grow(new_len)
    }

    fn sync_range(&mut self, _offset: u64, _len: u64) -> io::Result<()> {
        Ok(())
    }

    fn sync_all(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn start_rewrite(&self) -> io::Result<Box<dyn Storage>> {
        // A new, unlinked inode on the same volume (the `.compacting` file).
        Ok(Box::new(InodeStorage {
            inode: Arc::new(Mutex::new(MemStorage::new())),
            volume: self.volume.clone(),
        }))
    }

    fn replace(&mut self, _old: &dyn Storage) -> io::Result<()> {
        // The rename: the path now names this inode.
        *lock(&self.volume.path) = self.inode.clone();
        Ok(())
    }

    fn path(&self) -> Option<&Path> {
        None
    }
}

/// A 64-byte jar file header, as the library writes it for a new file (so the file loader's
/// log scanner, and not only its header checks, gets the fuzzer's bytes).
pub fn valid_header() -> Vec<u8> {
    let volume = Volume::default();
    let jar = cookiejar::Jar::open_storage_at(
        Box::new(volume.open()),
        cookiejar::JarOptions::default(),
        1_700_000_000_000,
    )
    .expect("a new jar opens");
    drop(jar);
    let mut b = volume.bytes();
    b.resize(64, 0);
    b
}

/// Frames `payload` as docs/file-format.md says (length and marker, CRC-32 of the first word
/// and the payload, then the payload); payloads longer than a frame allows are cut.
pub fn frame(payload: &[u8], out: &mut Vec<u8>) {
    let payload = &payload[..payload.len().min(1 << 14)];
    let word0 = ((0xA5u32 << 24) | payload.len() as u32).to_le_bytes();
    let mut h = crc32fast::Hasher::new();
    h.update(&word0);
    h.update(payload);
    out.extend_from_slice(&word0);
    out.extend_from_slice(&h.finalize().to_le_bytes());
    out.extend_from_slice(payload);
}
