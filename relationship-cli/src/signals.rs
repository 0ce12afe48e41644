//! Removing temporary output files when the process is ended by SIGINT, SIGTERM or SIGHUP.
//!
//! [`install`] starts a thread that waits for these signals; on one it removes every
//! temporary file [`register`]ed and not yet [`unregister`]ed, then ends the process as the
//! signal would have (so the shell sees the signal). Nothing is renamed into place after a
//! signal: the previous output, if any, stays as it was.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The temporary files of outputs not yet committed.
static TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The temporary files, whatever a thread that panicked holding them left.
fn temps() -> MutexGuard<'static, Vec<PathBuf>> {
    TEMPS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Registers a temporary file to remove if a signal ends the process.
pub(crate) fn register(path: &Path) {
    temps().push(path.to_path_buf());
}

/// Forgets a temporary file (renamed into place or removed).
pub(crate) fn unregister(path: &Path) {
    temps().retain(|p| p != path);
}

/// Starts the thread that cleans up on SIGINT, SIGTERM and SIGHUP. Without it (or where
/// signals cannot be watched) a signal leaves the temporary files behind, never a partial
/// output.
#[cfg(unix)]
pub(crate) fn install() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                // Holding the lock until the process ends keeps a commit from renaming a file
                // that is being removed.
                let held = temps();
                for p in held.iter() {
                    let _ = std::fs::remove_file(p);
                }
                let _ = signal_hook::low_level::emulate_default_handler(sig);
                std::process::exit(128 + sig);
            }
        });
    drop(spawned);
}

/// Starts the thread that cleans up on signals (nothing to do on this platform).
#[cfg(not(unix))]
pub(crate) fn install() {}
