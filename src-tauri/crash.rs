//! Crash reports: a panic hook, installed first thing at launch, writes a **crash report**
//! (time, version, thread, the panic message and where it happened, a backtrace) into the
//! **crash folder** (`<log dir>/crashes`), then lets the panic go on as before. The next
//! start's console finds the newest report and the window says "Switchboard closed
//! unexpectedly" (see `crates/engine/src/installed/crash.rs`, which also names the files).
//!
//! **Redacted**: secrets never reach a report. Sign-ins are held as
//! `switchboard_vault::Sensitive`, which prints `<redacted>`; on top of that the panic
//! message is scrubbed of anything token-like ([`redact`]): bearer tokens, `key=value`
//! pairs whose key names a secret, passwords in URLs, and long letter-and-digit runs.

use std::backtrace::Backtrace;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use switchboard_core::Timestamp;

/// Where reports go once the log folder is known (a panic before that is not reported).
static CRASH_DIR: OnceLock<PathBuf> = OnceLock::new();

/// What stands in for a secret in a report.
const REDACTED: &str = "<redacted>";
/// Shortest letter-and-digit run taken for a token.
const TOKEN_CHARS: usize = 24;
/// Keys whose values are secrets (matched inside the key, any case).
const SECRET_KEYS: &[&str] = &[
    "token", "secret", "password", "passwd", "pwd", "auth", "cookie", "code", "key", "sig",
];

/// The crash folder for logs in `log_dir`.
pub fn crash_dir(log_dir: &Path) -> PathBuf {
    log_dir.join("crashes")
}

/// Installs the panic hook (first thing at launch); reports are written once
/// [`report_to`] names the folder.
pub fn install() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if let Some(dir) = CRASH_DIR.get() {
            let thread = std::thread::current();
            let report = Report {
                at: Timestamp::now_from_system(),
                version: env!("CARGO_PKG_VERSION"),
                thread: thread.name().unwrap_or("unnamed"),
                message: panic_message(info.payload()),
                location: info.location().map(|l| l.to_string()),
                backtrace: Backtrace::force_capture().to_string(),
            };
            match report.write(dir) {
                Ok(path) => eprintln!("Switchboard crash report: {}", path.display()),
                Err(e) => eprintln!("could not write a crash report in {}: {e}", dir.display()),
            }
        }
        previous(info);
    }));
}

/// Sends crash reports to `dir` from now on.
pub fn report_to(dir: PathBuf) {
    let _ = CRASH_DIR.set(dir);
}

/// The text a panic was raised with.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// One crash report.
pub struct Report<'a> {
    /// When.
    pub at: Timestamp,
    /// The app's version.
    pub version: &'a str,
    /// The thread that panicked.
    pub thread: &'a str,
    /// The panic message, as raised (redacted when written).
    pub message: String,
    /// Where in the source.
    pub location: Option<String>,
    /// The backtrace.
    pub backtrace: String,
}

impl Report<'_> {
    /// The report's text: the header lines the console reads, a blank line, the backtrace.
    pub fn text(&self) -> String {
        let message = redact(&self.message).replace(['\r', '\n'], " ");
        let mut text = format!(
            "Switchboard crash report\ntime: {}\ntime_ms: {}\nversion: {}\nthread: {}\nmessage: {}\n",
            self.at.to_rfc3339(),
            self.at.millis(),
            self.version,
            self.thread,
            message,
        );
        if let Some(location) = &self.location {
            text.push_str(&format!("location: {location}\n"));
        }
        text.push_str("\nbacktrace:\n");
        text.push_str(&redact(&self.backtrace));
        text.push('\n');
        text
    }

    /// Writes the report into `dir` (created if need be); returns the file.
    pub fn write(&self, dir: &Path) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(switchboard_engine::report_file_name(self.at.millis()));
        std::fs::write(&path, self.text())?;
        Ok(path)
    }
}

/// `text` with anything that looks like a secret replaced by `<redacted>`.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_bearer = false;
    let mut after_secret_key = false;
    let mut after_url_user = false;
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.find(|c: char| !is_separator(c)).unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        // `key=value` and `key: value` with a secret key: the value goes.
        let separator = &rest[..start];
        let joins_key_and_value = separator.contains(['=', ':']) || separator.trim().is_empty();
        if !joins_key_and_value {
            after_secret_key = false;
        }
        rest = &rest[start..];
        let end = rest.find(is_separator).unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        if word.is_empty() {
            continue;
        }
        let scheme = word.eq_ignore_ascii_case("bearer") || word.eq_ignore_ascii_case("basic");
        let secret = !scheme && (after_bearer || after_secret_key || looks_like_token(word));
        after_bearer = scheme;
        let lower = word.to_ascii_lowercase();
        let names_secret = SECRET_KEYS.iter().any(|k| lower.contains(k));
        if secret {
            out.push_str(REDACTED);
            after_secret_key = false;
        } else if after_url_user && word.contains('@') {
            // `//user:password@host`: split at `:`, the password arrives as `password@host`.
            out.push_str(REDACTED);
            out.push_str(&word[word.find('@').unwrap_or(0)..]);
        } else {
            out.push_str(word);
            after_secret_key = !scheme && names_secret && rest.starts_with(['=', ':']);
        }
        after_url_user = word.starts_with("//") && rest.starts_with(':');
    }
    out
}

/// Where a word ends: white space, quotes, brackets, commas and the `=`/`:` of `key=value`.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\''
                | '`'
                | ','
                | ';'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '<'
                | '>'
                | '='
                | '&'
        )
        || c == ':'
}

/// A long run of letters and digits (with `-_.~+/`), holding both: an access token, a
/// join code, a key.
fn looks_like_token(word: &str) -> bool {
    word.len() >= TOKEN_CHARS
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '+' | '/'))
        && word.chars().any(|c| c.is_ascii_digit())
        && word.chars().any(|c| c.is_ascii_alphabetic())
        && !word.contains('/') // a source path (`crates/engine/src/…`) is not a secret
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "ya29a0AfB_byC9xK2mQ7vL4nR8sT1uW3yZ6";

    #[test]
    fn a_report_is_written_with_no_secret_in_it() {
        let dir = tempfile::tempdir().unwrap();
        let report = Report {
            at: Timestamp(1_765_000_000_000),
            version: "1.2.3",
            thread: "tokio-runtime-worker",
            message: format!(
                "request failed: Authorization: Bearer {TOKEN} (access_token={TOKEN}, \
                 password: hunter2, url postgres://sb:hunter3@db.example:5432/team, token {TOKEN})"
            ),
            location: Some("crates/engine/src/outbox.rs:42:7".into()),
            backtrace: "   0: switchboard_engine::outbox::post\n".into(),
        };
        let path = report.write(dir.path()).unwrap();
        assert_eq!(path.file_name().unwrap(), "crash-1765000000000.txt");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!text.contains("hunter3"), "{text}");
        assert!(
            text.contains("message: request failed: Authorization: Bearer <redacted>"),
            "{text}"
        );
        assert!(text.contains("time_ms: 1765000000000\n"), "{text}");
        assert!(text.contains("version: 1.2.3\n"), "{text}");
        assert!(text.contains("thread: tokio-runtime-worker\n"), "{text}");
        assert!(
            text.contains("location: crates/engine/src/outbox.rs:42:7\n"),
            "{text}"
        );
        assert!(text.contains("switchboard_engine::outbox::post"), "{text}");
    }

    #[test]
    fn ordinary_words_are_kept() {
        let text = "called `Option::unwrap()` on a `None` value at conversation 42";
        assert_eq!(redact(text), text);
    }
}
