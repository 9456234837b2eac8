//! The **handle domain**: the domain a server puts in its accounts' handles
//! (`@brand@example.social`). It can differ from the host of the server's web address
//! (Mastodon's `LOCAL_DOMAIN` ≠ `WEB_DOMAIN`: the site at `mastodon.example.social`, the
//! handles `@…@example.social`), so a handle is never built from the web address.
//!
//! It is read from `GET /api/v2/instance` (`account_domain` where the server has one, as
//! GoToSocial does, else `domain`, which Mastodon sets to `LOCAL_DOMAIN`), else from
//! `GET /api/v1/instance` (`account_domain` or `uri`), and only when neither says is the
//! web host used. Local accounts' `acct` (`brand`) is qualified with it.

use serde::Deserialize;
use switchboard_platforms::ProviderError;

use crate::api_client::{ApiClient, VERIFY_CREDENTIALS};
use crate::entities::Account;
use crate::items::BrandAccount;

/// The parts of `Instance` (v2) and `V1::Instance` that name the domain.
#[derive(Debug, Default, Deserialize)]
struct InstanceDomain {
    #[serde(default)]
    account_domain: Option<String>,
    /// v2.
    #[serde(default)]
    domain: Option<String>,
    /// v1: the domain, or on some servers an origin (`https://example.social`).
    #[serde(default)]
    uri: Option<String>,
}

impl InstanceDomain {
    fn domain(&self) -> Option<String> {
        [&self.account_domain, &self.domain, &self.uri]
            .into_iter()
            .flatten()
            .find_map(|d| clean_domain(d))
    }
}

/// `example.social` from `example.social`, `https://Example.Social/`; `None` for
/// anything that is not a plain domain (with an optional port).
fn clean_domain(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .unwrap_or(text)
        .trim_end_matches('/');
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'));
    plain.then(|| text.to_ascii_lowercase())
}

/// The handle domain of the server `api` talks to.
pub(crate) async fn handle_domain(api: &ApiClient) -> Result<String, ProviderError> {
    for path in ["api/v2/instance", "api/v1/instance"] {
        match api.get_optional::<InstanceDomain>(path, &[]).await {
            Ok(Some(answer)) => {
                if let Some(domain) = answer.body.domain() {
                    return Ok(domain);
                }
            }
            Ok(None) | Err(ProviderError::Malformed(_) | ProviderError::Refused(_)) => {}
            Err(other) => return Err(other),
        }
    }
    let host = api.instance().host();
    tracing::info!(%host, "the server does not name its handle domain; using its web host");
    Ok(host)
}

/// Who the token belongs to (`verify_credentials`), with the server's handles; `None`
/// when the server has no such call (it is not a Mastodon-API server).
pub(crate) async fn brand_account(api: &ApiClient) -> Result<Option<BrandAccount>, ProviderError> {
    let Some(account) = api.get_optional::<Account>(VERIFY_CREDENTIALS, &[]).await? else {
        return Ok(None);
    };
    let domain = handle_domain(api).await?;
    Ok(Some(BrandAccount::new(
        &account.body,
        &api.instance().host(),
        &domain,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_domain_wins_and_origins_become_domains() {
        let split = InstanceDomain {
            account_domain: Some("Example.Social".into()),
            domain: Some("gts.example.social".into()),
            uri: None,
        };
        assert_eq!(split.domain().as_deref(), Some("example.social"));
        let v1 = InstanceDomain {
            uri: Some("https://pleroma.example/".into()),
            ..InstanceDomain::default()
        };
        assert_eq!(v1.domain().as_deref(), Some("pleroma.example"));
        let odd = InstanceDomain {
            domain: Some("not a domain/".into()),
            ..InstanceDomain::default()
        };
        assert_eq!(odd.domain(), None);
    }
}
