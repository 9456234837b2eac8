//! The crash of the last run, as the window tells it at the next start.
//!
//! Terms:
//! - a **crash report** is a text file `crash-<ms since the epoch>.txt` in the shell's
//!   crash folder (next to the logs), written by the desktop app's panic hook: a header of
//!   `key: value` lines (`time`, `time_ms`, `version`, `thread`, `message`, `location`),
//!   a blank line, then the backtrace. Secrets are redacted before it is written;
//! - the **notice** is the newest report not yet **dismissed**; dismissing remembers the
//!   report's time in `crash-dismissed.json` in the data directory (the report stays).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use switchboard_core::{ApiError, CrashNotice, ErrorCode, Timestamp};

use crate::Console;

/// How crash report files are named: this, the time in ms, then [`REPORT_SUFFIX`].
pub const REPORT_PREFIX: &str = "crash-";
/// How crash report files end.
pub const REPORT_SUFFIX: &str = ".txt";
/// The file, in the data directory, that remembers the dismissed crash.
const DISMISSED_FILE: &str = "crash-dismissed.json";
/// The longest summary shown, in characters.
const SUMMARY_CHARS: usize = 200;

/// The file name of a crash report written at `millis` (ms since the epoch).
pub fn report_file_name(millis: i64) -> String {
    format!("{REPORT_PREFIX}{millis}{REPORT_SUFFIX}")
}

/// What `crash-dismissed.json` holds.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Dismissed {
    /// Reports at or before this time (ms) are dismissed.
    through_ms: i64,
}

/// The newest report in `dir`: its time (from its name) and path.
fn newest_report(dir: &Path) -> Option<(i64, PathBuf)> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let millis = name
                .strip_prefix(REPORT_PREFIX)?
                .strip_suffix(REPORT_SUFFIX)?
                .parse::<i64>()
                .ok()?;
            Some((millis, entry.path()))
        })
        .max_by_key(|(millis, _)| *millis)
}

fn dismissed_through(data_dir: &Path) -> i64 {
    std::fs::read_to_string(data_dir.join(DISMISSED_FILE))
        .ok()
        .and_then(|text| serde_json::from_str::<Dismissed>(&text).ok())
        .map_or(i64::MIN, |d| d.through_ms)
}

/// The header value of `key` in a report's text.
fn header<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .take_while(|line| !line.is_empty())
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(": "))
}

/// The report's one-line summary: the panic message and where it happened.
fn summary(text: &str) -> String {
    let message = header(text, "message").unwrap_or("Switchboard stopped on an error.");
    let line = match header(text, "location") {
        Some(location) => format!("{message} ({location})"),
        None => message.to_owned(),
    };
    if line.chars().count() > SUMMARY_CHARS {
        let cut: String = line.chars().take(SUMMARY_CHARS).collect();
        format!("{cut}…")
    } else {
        line
    }
}

fn not_available() -> ApiError {
    ApiError::new(
        ErrorCode::NotAllowed,
        "The crash reports folder can only be opened in the desktop app.",
    )
}

impl Console {
    /// The folder with the crash reports, when running in the desktop app.
    fn crash_dir(&self) -> Option<PathBuf> {
        self.shell()?.crash_dir()
    }

    /// The crash of the last run, if it ended in one and the person has not dismissed it.
    pub async fn last_crash(&self) -> Result<Option<CrashNotice>, ApiError> {
        let Some(dir) = self.crash_dir() else {
            return Ok(None);
        };
        let Some((millis, path)) = newest_report(&dir) else {
            return Ok(None);
        };
        if millis <= dismissed_through(self.data_dir()) {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let at = header(&text, "time_ms")
            .and_then(|t| t.parse().ok())
            .unwrap_or(millis);
        Ok(Some(CrashNotice {
            at: Timestamp(at),
            folder: dir.display().to_string(),
            summary: summary(&text),
        }))
    }

    /// Forgets the last crash's notice (the report stays on disk).
    pub async fn dismiss_crash(&self) -> Result<(), ApiError> {
        let Some((millis, _)) = self.crash_dir().as_deref().and_then(newest_report) else {
            return Ok(());
        };
        let text = serde_json::to_string(&Dismissed { through_ms: millis })
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        super::startup::write_atomically(&self.data_dir().join(DISMISSED_FILE), text.as_bytes())
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::Storage,
                    format!("Could not remember that the crash notice was dismissed: {e}."),
                )
            })
    }

    /// Opens the folder with the crash reports.
    pub async fn open_crash_folder(&self) -> Result<(), ApiError> {
        let shell = self.shell().ok_or_else(not_available)?;
        let dir = shell.crash_dir().ok_or_else(not_available)?;
        std::fs::create_dir_all(&dir).map_err(|e| {
            ApiError::new(
                ErrorCode::Storage,
                format!(
                    "Could not create the crash reports folder {}: {e}.",
                    dir.display()
                ),
            )
        })?;
        shell.open_folder(&dir).map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("Could not open the folder {}: {e}.", dir.display()),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_message_and_location_from_the_header() {
        let text = "Switchboard crash report\ntime_ms: 5\nmessage: boom\nlocation: a.rs:1:2\n\nbacktrace:\nmessage: not this\n";
        assert_eq!(summary(text), "boom (a.rs:1:2)");
        assert_eq!(header(text, "time_ms"), Some("5"));
    }

    #[test]
    fn the_newest_report_is_found_by_its_name() {
        let dir = tempfile::tempdir().unwrap();
        for ms in [10, 300, 25] {
            std::fs::write(dir.path().join(report_file_name(ms)), "x").unwrap();
        }
        std::fs::write(dir.path().join("crash-notes.txt"), "x").unwrap();
        assert_eq!(newest_report(dir.path()).unwrap().0, 300);
    }
}
