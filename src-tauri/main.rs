//! Switchboard's desktop binary.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod webview_env;

fn main() {
    webview_env::prefer_lean_rendering();
    switchboard_app::run();
}
