//! Updates from the console's side (issue 19): the address and channel come from the
//! managed settings and go to the desktop shell, which does the checking and installing
//! (its signature checks are tested in the app: src-tauri/updates/tests.rs). With no
//! address the shell is never asked: no network call.

#[allow(dead_code)] // this file uses only some of the helpers
mod common;

use std::sync::{Arc, Mutex};

use switchboard_core::UpdateView;
use switchboard_engine::managed::{Managed, ManagedSettings};
use switchboard_engine::{Console, ConsoleHooks, DesktopShell, ShellFuture, SystemClock};

/// A shell that answers every update question with `answer` and records what it was
/// asked: ("check" or "install", url, channel).
#[derive(Default)]
struct FakeShell {
    asked: Mutex<Vec<(&'static str, String, Option<String>)>>,
}

impl FakeShell {
    fn answer(&self, what: &'static str, url: &str, channel: Option<&str>) -> UpdateView {
        self.asked
            .lock()
            .unwrap()
            .push((what, url.to_string(), channel.map(str::to_string)));
        UpdateView {
            configured: false, // the console says it is configured
            channel: None,
            available: Some("0.2.0".into()),
            message: Some(format!("{what}ed")),
        }
    }
}

impl DesktopShell for FakeShell {
    fn start_at_login(&self) -> Result<bool, String> {
        Ok(false)
    }
    fn set_start_at_login(&self, _enabled: bool) -> Result<(), String> {
        Ok(())
    }
    fn open_folder(&self, _folder: &std::path::Path) -> Result<(), String> {
        Ok(())
    }
    fn crash_dir(&self) -> Option<std::path::PathBuf> {
        None
    }
    fn check_for_update<'a>(
        &'a self,
        url: &'a str,
        channel: Option<&'a str>,
    ) -> ShellFuture<'a, UpdateView> {
        let view = self.answer("check", url, channel);
        Box::pin(async move { view })
    }
    fn install_update<'a>(
        &'a self,
        url: &'a str,
        channel: Option<&'a str>,
    ) -> ShellFuture<'a, UpdateView> {
        let view = self.answer("install", url, channel);
        Box::pin(async move { view })
    }
}

async fn open(dir: &tempfile::TempDir, managed: Managed, shell: Arc<FakeShell>) -> Console {
    let hooks = ConsoleHooks {
        listener: Arc::new(|_| {}),
        switched: Arc::new(|_| {}),
        alerts: None,
        open_url: None,
        shell: Some(shell),
    };
    let config = common::backlog_config(dir, 5, "updates");
    Console::open_managed(config, Arc::new(SystemClock), hooks, managed)
        .await
        .expect("the console opens")
}

fn managed(url: Option<&str>, channel: Option<&str>) -> Managed {
    Managed::InForce {
        source: "/etc/switchboard/managed.toml".into(),
        settings: ManagedSettings {
            update_url: url.map(str::to_string),
            update_channel: channel.map(str::to_string),
            ..ManagedSettings::default()
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_address_the_shell_is_never_asked() {
    for managed in [Managed::NotManaged, managed(None, Some("beta"))] {
        let dir = tempfile::tempdir().unwrap();
        let shell = Arc::new(FakeShell::default());
        let console = open(&dir, managed, shell.clone()).await;

        for view in [
            console.check_for_update().await.unwrap(),
            console.install_update().await.unwrap(),
        ] {
            assert!(!view.configured);
            assert_eq!(view.available, None);
            assert_eq!(
                view.message.as_deref(),
                Some("No update address is configured.")
            );
        }
        assert!(shell.asked.lock().unwrap().is_empty(), "no network call");
        console.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_managed_address_and_channel_go_to_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let shell = Arc::new(FakeShell::default());
    let url = "https://updates.acme.example/switchboard/{{channel}}.json";
    let console = open(&dir, managed(Some(url), Some("beta")), shell.clone()).await;

    let checked = console.check_for_update().await.unwrap();
    assert!(checked.configured);
    assert_eq!(checked.channel.as_deref(), Some("beta"));
    assert_eq!(checked.available.as_deref(), Some("0.2.0"));
    assert_eq!(checked.message.as_deref(), Some("checked"));
    let installed = console.install_update().await.unwrap();
    assert_eq!(installed.message.as_deref(), Some("installed"));

    let beta = Some("beta".to_string());
    assert_eq!(
        *shell.asked.lock().unwrap(),
        vec![
            ("check", url.to_string(), beta.clone()),
            ("install", url.to_string(), beta)
        ]
    );
    console.shutdown().await;
}
