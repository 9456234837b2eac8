//! The console as installed on a work laptop: starting at login ([`startup`]), the crash
//! of the last run ([`crash`]) and signed updates ([`updates`]) — each through the desktop
//! shell's services ([`crate::DesktopShell`]) where the shell does the work. The settings
//! the organisation enforces are [`crate::managed`].

pub(crate) mod crash;
mod startup;
mod updates;
