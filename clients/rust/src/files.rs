//! Durable file writes as Waterfall's Java file kernel makes them: temp file in the same folder,
//! fsync, rename, fsync of the folder; folders 0700 and files 0600 when created.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::lock::O_NOFOLLOW;

pub fn ensure_folder(folder: &Path) -> io::Result<()> {
    if folder.as_os_str().is_empty() || folder.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new().recursive(true).mode(0o700).create(folder)
}

pub fn fsync_folder(folder: &Path) -> io::Result<()> {
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    File::open(folder)?.sync_all()
}

/// The file's bytes, or None when it does not exist.
pub fn read(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Replaces `path` with `content` atomically and durably, keeping the file's mode (0600 when new).
pub fn replace_durably(path: &Path, content: &[u8]) -> io::Result<()> {
    let folder = path.parent().unwrap_or_else(|| Path::new(""));
    ensure_folder(folder)?;
    let mode = fs::metadata(path).map(|m| m.permissions().mode() & 0o7777).unwrap_or(0o600);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let name = format!(".{}.{}-{}.tmp", path.file_name().unwrap().to_string_lossy(), std::process::id(), nanos);
    let tmp = folder.join(name);
    let result = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).custom_flags(O_NOFOLLOW).open(&tmp)?;
        file.write_all(content)?;
        file.set_permissions(fs::Permissions::from_mode(mode))?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    fsync_folder(folder)
}

/// Appends with one write to a file opened O_APPEND (created 0600).
pub fn append(path: &Path, content: &[u8], sync: bool) -> io::Result<()> {
    let mut file = OpenOptions::new().append(true).create(true).mode(0o600).custom_flags(O_NOFOLLOW).open(path)?;
    file.write_all(content)?;
    if sync {
        file.sync_all()?;
    }
    Ok(())
}

/// Cuts off a last line without its newline (a writer died mid-append).
pub fn drop_torn_tail(path: &Path) -> io::Result<()> {
    let bytes = match read(path)? {
        Some(b) => b,
        None => return Ok(()),
    };
    if bytes.is_empty() || bytes.ends_with(b"\n") {
        return Ok(());
    }
    let cut = bytes.iter().rposition(|b| *b == b'\n').map(|i| i + 1).unwrap_or(0);
    OpenOptions::new().write(true).open(path)?.set_len(cut as u64)
}

/// Now as Java's Instant.toString() writes it: UTC, milliseconds, 'Z'.
pub fn now() -> String {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    format_instant(since.as_secs() as i64, since.subsec_millis())
}

pub fn format_instant(seconds: i64, millis: u32) -> String {
    let days = seconds.div_euclid(86400);
    let rest = seconds.rem_euclid(86400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", y, m, d, rest / 3600, rest % 3600 / 60, rest % 60, millis)
}

#[cfg(test)]
mod tests {
    #[test]
    fn instants_print_like_java() {
        assert_eq!(super::format_instant(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(super::format_instant(1_796_000_000, 123), "2026-11-30T00:53:20.123Z");
    }
}
