//! The console as installed on a work laptop: managed settings, starting at login,
//! updates and the last crash. (Contract stub: the issue-19 work fills it in.)

pub(crate) mod crash;
mod startup;
mod updates;
