//! **Signed updates** through Tauri's updater plugin, from the address the organisation's
//! managed settings give (`update_url`, `update_channel`); the address is never built
//! into the app, so an unmanaged Switchboard never looks for updates (no phoning home).
//!
//! Terms:
//! - the **manifest** is the JSON the update address answers with (the plugin's format:
//!   `version`, `notes`, and per platform a package `url` and its `signature`);
//! - the **package** is the file the manifest points at (an AppImage, `.app.tar.gz`, MSI
//!   or NSIS installer);
//! - the **key** is the minisign public key in `tauri.conf.json` (`plugins.updater.pubkey`):
//!   a package is **verified** when its signature was made with the matching private key
//!   (kept by whoever builds releases, never in the repo). An update that is not verified
//!   is neither offered nor installed; nothing is replaced.
//! - the **channel** goes into the address: at `{{channel}}` when the address has it,
//!   otherwise as the query parameter `channel=…`.
//!
//! Looking for an update downloads the package and verifies it, so the window offers
//! only an update that will install; installing downloads and verifies it again.

use std::time::Duration;

use switchboard_core::UpdateView;
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Error, Update, UpdaterBuilder, UpdaterExt};

/// How long one request to the update server may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// What the window says when a signature does not match.
pub(crate) const SIGNATURE_REFUSED: &str =
    "The update's signature does not match Switchboard's key: nothing was installed.";

/// The updater plugin, with the key from `tauri.conf.json`.
pub(crate) fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

/// Looks for an update at `url` on `channel` and verifies its package.
pub(crate) async fn check<R: Runtime>(
    app: &AppHandle<R>,
    url: &str,
    channel: Option<&str>,
) -> UpdateView {
    check_with(
        app.updater_builder(),
        &app.package_info().version.to_string(),
        url,
        channel,
    )
    .await
}

/// Downloads, verifies and installs the update at `url` on `channel`.
pub(crate) async fn install<R: Runtime>(
    app: &AppHandle<R>,
    url: &str,
    channel: Option<&str>,
) -> UpdateView {
    install_with(
        app.updater_builder(),
        &app.package_info().version.to_string(),
        url,
        channel,
    )
    .await
}

/// [`check`] with a prepared updater (the tests set their own key and install path).
pub(crate) async fn check_with(
    builder: UpdaterBuilder,
    current: &str,
    url: &str,
    channel: Option<&str>,
) -> UpdateView {
    match fetched(builder, current, url, channel).await {
        Ok((update, _)) => view(
            channel,
            Some(update.version.clone()),
            format!(
                "Switchboard {} is available (its signature checks out).",
                update.version
            ),
        ),
        Err(answer) => answer,
    }
}

/// [`install`] with a prepared updater.
pub(crate) async fn install_with(
    builder: UpdaterBuilder,
    current: &str,
    url: &str,
    channel: Option<&str>,
) -> UpdateView {
    let (update, bytes) = match fetched(builder, current, url, channel).await {
        Ok(fetched) => fetched,
        Err(answer) => return answer,
    };
    // `install` verifies the bytes once more before it replaces anything.
    match update.install(&bytes) {
        Ok(()) => {
            tracing::info!(version = %update.version, "update installed");
            view(
                channel,
                None,
                format!(
                    "Switchboard {} is installed: it starts the next time Switchboard opens.",
                    update.version
                ),
            )
        }
        Err(e) => {
            tracing::warn!(error = %e, version = %update.version, "update not installed");
            view(
                channel,
                Some(update.version.clone()),
                plain(&e, Step::Install),
            )
        }
    }
}

/// The update offered at `url` on `channel`, downloaded and its signature checked; or the
/// answer to give when there is none, or it does not check out.
async fn fetched(
    builder: UpdaterBuilder,
    current: &str,
    url: &str,
    channel: Option<&str>,
) -> Result<(Update, Vec<u8>), UpdateView> {
    let update = match find(builder, url, channel).await {
        Ok(Some(update)) => update,
        Ok(None) => return Err(view(channel, None, up_to_date(current))),
        Err(message) => return Err(view(channel, None, message)),
    };
    match update.download(|_, _| {}, || {}).await {
        Ok(bytes) => Ok((update, bytes)),
        Err(e) => Err(view(channel, None, plain(&e, Step::Download))),
    }
}

/// An answer for a configured update address.
fn view(channel: Option<&str>, available: Option<String>, message: String) -> UpdateView {
    UpdateView {
        configured: true,
        channel: channel.map(str::to_string),
        available,
        message: Some(message),
    }
}

/// The innermost cause ("Connection refused"), without the request's address.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

fn up_to_date(current: &str) -> String {
    format!("No update: Switchboard {current} is the newest.")
}

/// Asks the update address for its manifest.
async fn find(
    builder: UpdaterBuilder,
    url: &str,
    channel: Option<&str>,
) -> Result<Option<Update>, String> {
    let endpoint = endpoint(url, channel)?;
    let updater = builder
        .endpoints(vec![endpoint])
        .and_then(|b| b.timeout(TIMEOUT).build())
        .map_err(|e| plain(&e, Step::Check))?;
    updater.check().await.map_err(|e| {
        tracing::warn!(error = %e, "no update manifest");
        plain(&e, Step::Check)
    })
}

/// The address with the channel in it: at `{{channel}}`, or as `?channel=…`.
pub(crate) fn endpoint(url: &str, channel: Option<&str>) -> Result<url::Url, String> {
    let invalid = || format!("The update address is not a valid web address: {url}");
    let channel = channel.map(str::trim).filter(|c| !c.is_empty());
    if url.contains("{{channel}}") {
        let filled = url.replace("{{channel}}", channel.unwrap_or("stable"));
        return filled.parse().map_err(|_| invalid());
    }
    let mut parsed: url::Url = url.trim().parse().map_err(|_| invalid())?;
    if let Some(channel) = channel {
        parsed.query_pairs_mut().append_pair("channel", channel);
    }
    Ok(parsed)
}

/// Which step failed, for the words.
#[derive(Clone, Copy)]
enum Step {
    Check,
    Download,
    Install,
}

/// The plugin's error in plain words.
fn plain(error: &Error, step: Step) -> String {
    match error {
        Error::Minisign(_)
        | Error::Base64(_)
        | Error::SignatureUtf8(_)
        | Error::SignedVersionMismatch { .. }
        | Error::MissingSignedVersion => SIGNATURE_REFUSED.into(),
        Error::Reqwest(e) => format!("The update server could not be reached: {}.", root_cause(e)),
        Error::Network(e) => format!(
            "The update server could not be reached: {}",
            e.trim_matches('`')
        ),
        Error::ReleaseNotFound => {
            "The update server could not be reached: it did not answer with an update manifest."
                .into()
        }
        Error::Serialization(_) | Error::Semver(_) => {
            "The update server's answer is not a valid update manifest: nothing was installed."
                .into()
        }
        Error::TargetNotFound(_) | Error::TargetsNotFound(_) => {
            "The update has no package for this computer: nothing was installed.".into()
        }
        Error::InsecureTransportProtocol => {
            "The update address must start with https:// (nothing was downloaded).".into()
        }
        Error::UrlParse(_) => "The update address is not a valid web address.".into(),
        Error::InvalidUpdaterFormat | Error::BinaryNotFoundInArchive => {
            "The update package is not one Switchboard can install: nothing was replaced.".into()
        }
        other => match step {
            Step::Install => format!("The update could not be installed: {other}."),
            _ => format!("The update could not be checked: {other}."),
        },
    }
}

#[cfg(test)]
mod tests;
