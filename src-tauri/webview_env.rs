//! How the webview renders, decided before any window (or thread) exists.
//!
//! On Linux, WebKitGTK composites the page with OpenGL by default. Where no GPU driver is
//! loaded (virtual displays, many VMs and remote desktops) that means Mesa's software
//! rasteriser, whose LLVM code generator and per-layer textures cost the app and WebKit's
//! web process about 100 MiB together, for a window of lists and text that draws just as
//! well without compositing (measured with `scripts/bench-memory`; see
//! docs/ARCHITECTURE.md, "Memory"). Switchboard therefore turns WebKit's compositing mode
//! off unless the person chose otherwise: `WEBKIT_DISABLE_COMPOSITING_MODE` set to
//! anything is left as it is, and `SWITCHBOARD_WEBVIEW_COMPOSITING=1` keeps WebKit's
//! default (GPU compositing).

/// WebKitGTK's switch for its compositing mode.
#[cfg(target_os = "linux")]
const WEBKIT_SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// Switchboard's way back to WebKit's default.
#[cfg(target_os = "linux")]
const KEEP_COMPOSITING: &str = "SWITCHBOARD_WEBVIEW_COMPOSITING";

/// Turns WebKitGTK's compositing mode off unless the environment says otherwise. Called
/// first thing in `main`, while the process has a single thread.
pub fn prefer_lean_rendering() {
    #[cfg(target_os = "linux")]
    if turn_compositing_off(
        std::env::var(KEEP_COMPOSITING).ok().as_deref(),
        std::env::var_os(WEBKIT_SWITCH).is_some(),
    ) {
        std::env::set_var(WEBKIT_SWITCH, "1");
    }
}

/// Whether to switch compositing off, given `SWITCHBOARD_WEBVIEW_COMPOSITING` and whether
/// WebKit's own switch is already set.
#[cfg(any(target_os = "linux", test))]
fn turn_compositing_off(keep_compositing: Option<&str>, webkit_switch_set: bool) -> bool {
    let keep = keep_compositing.is_some_and(|value| {
        matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "on" | "yes"
        )
    });
    !keep && !webkit_switch_set
}

#[cfg(test)]
mod tests {
    use super::turn_compositing_off;

    #[test]
    fn compositing_is_off_unless_the_person_chose_otherwise() {
        assert!(turn_compositing_off(None, false));
        assert!(turn_compositing_off(Some("0"), false));
        assert!(turn_compositing_off(Some("off"), false));
        assert!(!turn_compositing_off(Some("1"), false));
        assert!(!turn_compositing_off(Some(" On "), false));
        // WebKit's own switch, whatever its value, is the person's choice: left alone.
        assert!(!turn_compositing_off(None, true));
    }
}
