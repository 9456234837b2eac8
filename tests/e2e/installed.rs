//! The installed package: the binary a `.deb` put on the system (not the one cargo
//! built), started the way a person starts it, on a throwaway home directory. Ignored in
//! the normal test run; `scripts/test-package` installs the package and runs it with
//! `--run-ignored only` (nextest) / `--ignored` (cargo test).
//!
//! - `SWITCHBOARD_INSTALLED_APP`: the installed binary (default `/usr/bin/switchboard`).
//! - `SWITCHBOARD_INSTALLED_HOME`: the throwaway home (required); the app's data goes to
//!   its XDG directories, where the script checks it survives the package's removal.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;

use crate::desktop;
use crate::webdriver::Session;

#[test]
#[ignore = "needs the .deb installed: run by scripts/test-package"]
fn the_installed_app_opens_on_the_demo_workspace() {
    let app = std::env::var("SWITCHBOARD_INSTALLED_APP")
        .unwrap_or_else(|_| "/usr/bin/switchboard".into());
    assert!(
        Path::new(&app).is_file(),
        "{app} is not there: install the package first (scripts/test-package does)"
    );
    let home = PathBuf::from(
        std::env::var("SWITCHBOARD_INSTALLED_HOME")
            .expect("SWITCHBOARD_INSTALLED_HOME names the throwaway home directory"),
    );
    let xdg = [
        ("HOME", home.clone()),
        ("XDG_CONFIG_HOME", home.join(".config")),
        ("XDG_DATA_HOME", home.join(".local/share")),
        ("XDG_CACHE_HOME", home.join(".cache")),
        ("XDG_STATE_HOME", home.join(".local/state")),
    ];
    for (_, dir) in &xdg {
        std::fs::create_dir_all(dir).unwrap();
    }
    let envs: Vec<(&str, &Path)> = xdg.iter().map(|(k, v)| (*k, v.as_path())).collect();

    let (display, _xvfb) = desktop::display();
    let (_driver, url) = desktop::tauri_driver(&display, &envs, &[]);
    let session = Session::start(
        &url,
        json!({ "alwaysMatch": { "browserName": "wry", "tauri:options": { "application": app } } }),
    );
    let long = Duration::from_secs(60);
    let name = session.wait_for(
        "[data-testid=workspace-name]",
        long,
        "the workspace name",
        |s, e| !s.text(&e[0]).is_empty(),
    );
    assert_eq!(session.text(&name[0]), "Demo — Northwind Coffee");
    session.wait_for(
        "[data-testid=queue-count-support]",
        long,
        "the demo backlog in the Support queue",
        |s, e| s.text(&e[0]).trim().parse::<u32>().is_ok_and(|n| n > 0),
    );
    session.wait_for_paint();
    // The X framebuffer trails the webview's paint a little; this pause only makes the
    // screenshot show what the DOM already shows.
    std::thread::sleep(Duration::from_millis(500));
    desktop::screenshot(&display, &crate::artifacts().join("installed-package.png"));
    session.end();
}
