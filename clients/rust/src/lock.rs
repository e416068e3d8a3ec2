//! The lock protocol: an exclusive POSIX record lock (`fcntl(F_SETLKW)`, a write lock over the whole
//! file) on `<store>.lock`, never `flock()` (Linux keeps the two apart), plus a lock per path inside
//! this process, since a record lock belongs to the process and two threads would both hold it.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

#[cfg(any(target_os = "linux", target_os = "android"))]
mod sys {
    pub const F_SETLKW: i32 = 7;
    pub const F_WRLCK: i16 = 1;
    pub const O_NOFOLLOW: i32 = 0o400000;
    #[repr(C)]
    pub struct Flock {
        pub l_type: i16,
        pub l_whence: i16,
        pub l_start: i64,
        pub l_len: i64,
        pub l_pid: i32,
    }
    pub fn lock_all() -> Flock {
        Flock { l_type: F_WRLCK, l_whence: 0, l_start: 0, l_len: 0, l_pid: 0 }
    }
}

#[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd", target_os = "openbsd", target_os = "netbsd"))]
mod sys {
    #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
    pub const F_SETLKW: i32 = 9;
    #[cfg(any(target_os = "openbsd", target_os = "netbsd"))]
    pub const F_SETLKW: i32 = 9;
    pub const F_WRLCK: i16 = 3;
    #[cfg(any(target_os = "macos", target_os = "ios"))]
    pub const O_NOFOLLOW: i32 = 0x100;
    #[cfg(not(any(target_os = "macos", target_os = "ios")))]
    pub const O_NOFOLLOW: i32 = 0x100;
    #[repr(C)]
    pub struct Flock {
        pub l_start: i64,
        pub l_len: i64,
        pub l_pid: i32,
        pub l_type: i16,
        pub l_whence: i16,
    }
    pub fn lock_all() -> Flock {
        Flock { l_start: 0, l_len: 0, l_pid: 0, l_type: F_WRLCK, l_whence: 0 }
    }
}

pub use sys::O_NOFOLLOW;

extern "C" {
    fn fcntl(fd: i32, cmd: i32, ...) -> i32;
}

static PROCESS_LOCKS: Mutex<Vec<(PathBuf, Arc<Mutex<()>>)>> = Mutex::new(Vec::new());

fn process_lock(path: &Path) -> Arc<Mutex<()>> {
    let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut locks = PROCESS_LOCKS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, lock)) = locks.iter().find(|(p, _)| *p == key) {
        return lock.clone();
    }
    let lock = Arc::new(Mutex::new(()));
    locks.push((key, lock.clone()));
    lock
}

/// The store's lock, held until dropped (closing the lock file releases the record lock).
pub struct StoreLock {
    _file: File,
    _guard: MutexGuard<'static, ()>,
    _owner: Arc<Mutex<()>>,
}

/// Takes the exclusive lock of the store at `data` (its `<data>.lock`), waiting as long as it takes.
pub fn lock(data: &Path) -> io::Result<StoreLock> {
    if let Some(parent) = data.parent() {
        crate::files::ensure_folder(parent)?;
    }
    let owner = process_lock(data);
    // The guard borrows the Arc's mutex; the Arc is kept in the same struct, so the 'static borrow
    // never outlives it.
    let guard: MutexGuard<'static, ()> = unsafe {
        let mutex: &'static Mutex<()> = &*(Arc::as_ptr(&owner));
        mutex.lock().unwrap_or_else(|e| e.into_inner())
    };
    let mut name = data.as_os_str().to_owned();
    name.push(".lock");
    let file = OpenOptions::new().read(true).write(true).create(true).mode(0o600).custom_flags(O_NOFOLLOW).open(PathBuf::from(name))?;
    let mut request = sys::lock_all();
    loop {
        let result = unsafe { fcntl(file.as_raw_fd(), sys::F_SETLKW, &mut request as *mut sys::Flock) };
        if result == 0 {
            break;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    Ok(StoreLock { _file: file, _guard: guard, _owner: owner })
}
