//! Crashes lose nothing and say what happened.
//!
//! - A worker process (`crash_worker`) claims a conversation, notes it and starts a reply,
//!   then panics a moment later (from right away to well after the reply was queued);
//!   the console opened again on the same data posts the reply at most once — exactly
//!   once when it was queued — and the claim and the note are there.
//! - The console with a desktop shell: the newest crash report not dismissed is the
//!   notice, dismissing it is remembered, the crash folder opens through the shell; start
//!   at login is asked once and set through the shell.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use switchboard_core::UpdateView;
use switchboard_engine::{
    report_file_name, Console, ConsoleHooks, DesktopShell, EngineConfig, ShellFuture, SystemClock,
};

/// Runs the worker in `mode` on `data`; its stdout and whether it ended well.
fn worker(data: &Path, mode: &str, envs: &[(&str, String)]) -> (String, bool) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_crash_worker"));
    command
        .env("CRASH_DATA_DIR", data)
        .env("CRASH_MODE", mode)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    for (key, value) in envs {
        command.env(key, value);
    }
    let output = command.output().expect("the crash worker runs");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        output.status.success(),
    )
}

#[test]
fn a_panic_mid_reply_loses_nothing_and_posts_it_once() {
    // From "before the reply is queued" to "long after": 0 µs … 300 ms.
    for after_us in [0u64, 300, 2_000, 10_000, 50_000, 300_000] {
        let data = tempfile::tempdir().unwrap();
        let (out, ok) = worker(
            data.path(),
            "crash",
            &[("CRASH_AFTER_US", after_us.to_string())],
        );
        assert!(!ok, "the worker panics ({after_us} µs)");
        let conversation = out
            .lines()
            .next()
            .expect("the worker names the conversation");
        let (out, ok) = worker(
            data.path(),
            "check",
            &[("CRASH_CONVERSATION", conversation.to_owned())],
        );
        assert!(
            ok,
            "the console opens again after the crash ({after_us} µs)"
        );
        let result: Value = serde_json::from_str(out.trim()).expect("the check's JSON");
        let posted = result["posted"].as_u64().unwrap();
        assert!(posted <= 1, "posted at most once: {result} ({after_us} µs)");
        assert_eq!(result["still_sending"], 0, "{result} ({after_us} µs)");
        assert_eq!(result["reply_sent"].as_u64().unwrap(), posted, "{result}");
        assert_eq!(
            result["notes"], 1,
            "the note survives: {result} ({after_us} µs)"
        );
        assert_eq!(result["claimed_by"], "maya", "the claim survives: {result}");
        if after_us >= 300_000 {
            assert_eq!(
                posted, 1,
                "a queued reply is posted after the crash: {result}"
            );
        }
    }
}

/// A desktop shell that remembers what it was asked.
#[derive(Default)]
struct FakeShell {
    crash_dir: PathBuf,
    start_at_login: Mutex<bool>,
    opened: Mutex<Vec<PathBuf>>,
}

impl DesktopShell for FakeShell {
    fn start_at_login(&self) -> Result<bool, String> {
        Ok(*self.start_at_login.lock().unwrap())
    }
    fn set_start_at_login(&self, enabled: bool) -> Result<(), String> {
        *self.start_at_login.lock().unwrap() = enabled;
        Ok(())
    }
    fn open_folder(&self, folder: &Path) -> Result<(), String> {
        self.opened.lock().unwrap().push(folder.to_owned());
        Ok(())
    }
    fn crash_dir(&self) -> Option<PathBuf> {
        Some(self.crash_dir.clone())
    }
    fn check_for_update<'a>(
        &'a self,
        _: &'a str,
        _: Option<&'a str>,
    ) -> ShellFuture<'a, UpdateView> {
        unreachable!("not used here")
    }
    fn install_update<'a>(&'a self, _: &'a str, _: Option<&'a str>) -> ShellFuture<'a, UpdateView> {
        unreachable!("not used here")
    }
}

async fn open_with_shell(data: &Path, shell: Arc<FakeShell>) -> Console {
    let hooks = ConsoleHooks {
        listener: Arc::new(|_| {}),
        switched: Arc::new(|_| {}),
        alerts: None,
        open_url: None,
        shell: Some(shell),
    };
    let config = EngineConfig {
        data_dir: data.to_owned(),
        demo_seed: 1,
        demo_speed: 0.0,
        me: "maya".into(),
        keychain_namespace: format!("app.switchboard.test.crashnotice.{}", std::process::id()),
        poll_interval: None,
    };
    Console::open(config, Arc::new(SystemClock), hooks)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_last_crash_is_told_until_dismissed() {
    let data = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let crashes = logs.path().join("crashes");
    let shell = Arc::new(FakeShell {
        crash_dir: crashes.clone(),
        ..FakeShell::default()
    });
    let console = open_with_shell(data.path(), Arc::clone(&shell)).await;
    assert_eq!(
        console.last_crash().await.unwrap(),
        None,
        "no crash, no notice"
    );

    std::fs::create_dir_all(&crashes).unwrap();
    let report = |ms: i64, message: &str| {
        std::fs::write(
            crashes.join(report_file_name(ms)),
            format!("Switchboard crash report\ntime_ms: {ms}\nmessage: {message}\nlocation: src/x.rs:1:1\n\nbacktrace:\n"),
        )
        .unwrap();
    };
    report(1_000, "older");
    report(2_000, "the database went away");
    let notice = console.last_crash().await.unwrap().expect("a notice");
    assert_eq!(notice.at.millis(), 2_000);
    assert_eq!(notice.summary, "the database went away (src/x.rs:1:1)");
    assert_eq!(notice.folder, crashes.display().to_string());

    console.open_crash_folder().await.unwrap();
    assert_eq!(*shell.opened.lock().unwrap(), vec![crashes.clone()]);

    console.dismiss_crash().await.unwrap();
    assert_eq!(console.last_crash().await.unwrap(), None);
    console.shutdown().await;
    // Remembered across starts; a newer crash is told again.
    let console = open_with_shell(data.path(), Arc::clone(&shell)).await;
    assert_eq!(console.last_crash().await.unwrap(), None);
    report(3_000, "again");
    assert!(console.last_crash().await.unwrap().is_some());
    console.shutdown().await;
}

#[tokio::test]
async fn start_at_login_is_asked_once_and_set_through_the_shell() {
    let data = tempfile::tempdir().unwrap();
    let shell = Arc::new(FakeShell::default());
    let console = open_with_shell(data.path(), Arc::clone(&shell)).await;
    let view = console.startup_settings().await.unwrap();
    assert!(
        view.available && !view.asked && !view.start_at_login,
        "{view:?}"
    );
    let view = console.set_start_at_login(true).await.unwrap();
    assert!(view.asked && view.start_at_login, "{view:?}");
    assert!(*shell.start_at_login.lock().unwrap());
    let view = console.set_start_at_login(false).await.unwrap();
    assert!(view.asked && !view.start_at_login, "{view:?}");
    console.shutdown().await;
    let console = open_with_shell(data.path(), Arc::clone(&shell)).await;
    assert!(
        console.startup_settings().await.unwrap().asked,
        "asked once only"
    );
    console.shutdown().await;
}

#[tokio::test]
async fn a_data_folder_that_cannot_be_created_does_not_stop_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "a file where the data folder's parent should be").unwrap();
    let shell = Arc::new(FakeShell::default());
    let console = open_with_shell(&file.join("data"), shell).await;
    let workspaces = console.workspaces().await;
    assert_eq!(workspaces.len(), 1, "{workspaces:?}");
    assert!(
        workspaces[0].open_error.is_some(),
        "the demo workspace says why it cannot be opened: {workspaces:?}"
    );
    assert!(console.try_engine().await.is_none());
    console.shutdown().await;
}
