//! Registering Switchboard as an OAuth app on an instance (`POST /api/v1/apps`).
//!
//! This is also where a wrong address shows: a server that answers this call with
//! anything but a Mastodon `Application` (404, an HTML page) is not a Mastodon server.

use serde::Deserialize;
use switchboard_vault::Sensitive;
use url::Url;

use super::{unreachable_error, SignInError, SignInOptions};
use crate::instance::InstanceUrl;

/// The scopes Switchboard asks for: read mentions and DMs, post replies.
pub(crate) const SCOPES: &str = "read write";

/// A registered app.
pub(crate) struct RegisteredApp {
    pub client_id: Sensitive<String>,
    pub client_secret: Sensitive<String>,
}

#[derive(Deserialize)]
struct Application {
    client_id: String,
    client_secret: String,
}

/// Registers the app with `redirect_uri`.
pub(crate) async fn register_app(
    client: &reqwest::Client,
    instance: &InstanceUrl,
    redirect_uri: &Url,
    options: &SignInOptions,
) -> Result<RegisteredApp, SignInError> {
    let host = instance.host();
    let mut form = vec![
        ("client_name", options.client_name.clone()),
        ("redirect_uris", redirect_uri.to_string()),
        ("scopes", SCOPES.to_owned()),
    ];
    if let Some(website) = &options.website {
        form.push(("website", website.clone()));
    }
    let response = client
        .post(instance.endpoint("api/v1/apps"))
        .form(&form)
        .send()
        .await
        .map_err(|e| unreachable_error(&host, e))?;
    let status = response.status();
    if status.is_server_error() {
        return Err(SignInError::ServerError {
            host,
            detail: format!("error {}", status.as_u16()),
        });
    }
    if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(SignInError::ServerError {
            host,
            detail: "too many sign-in attempts; wait a few minutes".into(),
        });
    }
    let body = response
        .bytes()
        .await
        .map_err(|e| unreachable_error(&host, e))?;
    if !status.is_success() {
        return Err(SignInError::NotMastodon { host });
    }
    let app: Application = serde_json::from_slice(&body)
        .map_err(|_| SignInError::NotMastodon { host: host.clone() })?;
    if app.client_id.is_empty() {
        return Err(SignInError::NotMastodon { host });
    }
    tracing::info!(%host, "registered Switchboard as an app on a Mastodon instance");
    Ok(RegisteredApp {
        client_id: Sensitive::new(app.client_id),
        client_secret: Sensitive::new(app.client_secret),
    })
}
