//! What the desktop shell does for the console that the engine cannot do itself: start
//! Switchboard at login, look for and install signed updates, open a folder, and say
//! where crash reports are written. The Tauri app implements it with Tauri's plugins;
//! tests and the dev bridge may leave it out (`ConsoleHooks::shell` is `None`), and the
//! console then says these are not available here.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use switchboard_core::UpdateView;

/// A future the shell answers with.
pub type ShellFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The desktop shell's services.
pub trait DesktopShell: Send + Sync {
    /// Whether the OS starts Switchboard at login now (`Err`: it cannot tell, in words).
    fn start_at_login(&self) -> Result<bool, String>;
    /// Turns starting at login on or off.
    fn set_start_at_login(&self, enabled: bool) -> Result<(), String>;
    /// Opens `folder` in the OS file manager.
    fn open_folder(&self, folder: &std::path::Path) -> Result<(), String>;
    /// Where crash reports are written (next to the logs).
    fn crash_dir(&self) -> Option<PathBuf>;
    /// Looks for an update at `url` (a signed manifest) on `channel`; verifies it.
    fn check_for_update<'a>(
        &'a self,
        url: &'a str,
        channel: Option<&'a str>,
    ) -> ShellFuture<'a, UpdateView>;
    /// Downloads, verifies and installs the update found at `url`; nothing is replaced
    /// when its signature does not check out.
    fn install_update<'a>(
        &'a self,
        url: &'a str,
        channel: Option<&'a str>,
    ) -> ShellFuture<'a, UpdateView>;
}
