//! Questions to the notification server: what it supports and who it is.

use tracing::info;
use zbus::blocking::Connection;

use super::errors::call_error;
use super::{BUS_NAME, INTERFACE, PATH};
use crate::NotifyError;

/// The server's capabilities and its unique bus name.
pub(super) fn query_capabilities(
    conn: &Connection,
) -> Result<(Vec<String>, Option<String>), NotifyError> {
    let reply = conn
        .call_method(
            Some(BUS_NAME),
            PATH,
            Some(INTERFACE),
            "GetCapabilities",
            &(),
        )
        .map_err(call_error)?;
    let capabilities: Vec<String> =
        reply
            .body()
            .deserialize()
            .map_err(|e| NotifyError::Refused {
                detail: format!("unexpected answer to GetCapabilities: {e}"),
            })?;
    let server = reply.header().sender().map(|s| s.to_string());
    Ok((capabilities, server))
}

pub(super) fn log_server_information(conn: &Connection, capabilities: &[String]) {
    let info = conn
        .call_method(
            Some(BUS_NAME),
            PATH,
            Some(INTERFACE),
            "GetServerInformation",
            &(),
        )
        .and_then(|reply| {
            reply
                .body()
                .deserialize::<(String, String, String, String)>()
        });
    match info {
        Ok((name, vendor, version, spec)) => {
            info!(%name, %vendor, %version, %spec, ?capabilities, "desktop notification server")
        }
        Err(e) => info!(error = %e, ?capabilities, "desktop notification server (no information)"),
    }
}
