//! Removing temporary output files when the process is ended by SIGINT, SIGTERM or SIGHUP.
//!
//! [`install`] starts a thread that waits for these signals; on one it removes every
//! temporary file [`register`]ed and not yet [`unregister`]ed, then ends the process as the
//! signal would have (so the shell sees the signal). Nothing is renamed into place after a
//! signal: the previous output, if any, stays as it was.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// The temporary files of outputs not yet committed.
static TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Registers a temporary file to remove if a signal ends the process.
pub(crate) fn register(path: &Path) {
    TEMPS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(path.to_path_buf());
}

/// Forgets a temporary file (renamed into place or removed).
pub(crate) fn unregister(path: &Path) {
    let mut temps = TEMPS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(i) = temps.iter().position(|p| p == path) {
        temps.swap_remove(i);
    }
}

/// Removes every registered temporary file. Holding the lock until the process ends keeps a
/// commit from renaming a file that is being removed.
fn remove_all() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    let temps = TEMPS.lock().unwrap_or_else(PoisonError::into_inner);
    for p in temps.iter() {
        let _ = std::fs::remove_file(p);
    }
    temps
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
                let _held = remove_all();
                let _ = signal_hook::low_level::emulate_default_handler(sig);
                std::process::exit(128 + sig);
            }
        });
    drop(spawned);
}

/// Starts the thread that cleans up on signals (nothing to do on this platform).
#[cfg(not(unix))]
pub(crate) fn install() {}
