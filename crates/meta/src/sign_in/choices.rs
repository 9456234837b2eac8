//! After the device login: what was granted, and the Pages and Instagram accounts the
//! person may add ([`BrandChoice`]).
//!
//! - `GET /me/permissions` answers `{"data":[{"permission":"pages_show_list","status":
//!   "granted"},…]}` (status `granted`, `declined` or `expired`)
//!   (<https://developers.facebook.com/docs/graph-api/reference/user/permissions/>).
//!   Without the Page permissions ([`PAGE_PERMISSIONS`]) nothing can be added:
//!   [`SignInError::MissingPermission`] names the ones not granted. Without the Instagram
//!   ones ([`INSTAGRAM_PERMISSIONS`]) the Pages can still be added and the Instagram
//!   accounts are left out, saying why ([`BrandChoices::left_out`]).
//! - `GET /me/accounts?fields=id,name,username,access_token,instagram_business_account{id,username,name}`
//!   lists every Page the person manages, page after page, with its Page token and its
//!   linked Instagram professional account
//!   (<https://developers.facebook.com/docs/graph-api/reference/user/accounts/>,
//!   <https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/get-started>).
//!   A Page listed without a token (the person has no task on it that allows one) is
//!   left out.
//!
//! **Signing out** ([`sign_out`]): Meta has no call that revokes one Page token. The one
//! revocation it documents, `DELETE /me/permissions` with the *user* token
//! (<https://developers.facebook.com/docs/facebook-login/guides/permissions/request-revoke>),
//! withdraws the person's whole authorization of the app — every Page token of every
//! laptop and workspace signed in through them with this app, colleagues' included — and
//! Switchboard does not keep the user token anyway. So removing an account forgets its
//! keychain entry and calls nothing at Meta; whoever wants the app's access gone removes it
//! at Facebook (Settings → Business integrations) or in Meta Business Suite.

use switchboard_core::Platform;
use switchboard_platforms::AccountIdentity;
use switchboard_vault::Sensitive;

use super::{plain, BrandChoice, SignInError, UserToken};
use crate::credential::Credential;
use crate::graph::{GraphClient, GraphError};

/// Without these nothing works: listing the Pages, reading their posts, comments and
/// visitor posts, answering comments, Messenger.
pub const PAGE_PERMISSIONS: &[&str] = &[
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_engagement",
    "pages_messaging",
];

/// Needed for the Instagram accounts: the account and its media, comments and mentions,
/// messages.
pub const INSTAGRAM_PERMISSIONS: &[&str] = &[
    "instagram_basic",
    "instagram_manage_comments",
    "instagram_manage_messages",
];

/// The fields asked of each Page.
const PAGE_FIELDS: &str =
    "id,name,username,access_token,instagram_business_account{id,username,name}";
/// Pages asked per page of `/me/accounts`.
const PAGE_LIMIT: &str = "100";
/// At most this many pages of `/me/accounts` (10 000 Pages).
const MAX_PAGES: usize = 100;

/// The Pages and Instagram accounts the person may add, and what was left out and why.
#[derive(Debug, Clone)]
pub struct BrandChoices {
    /// One per Page and per linked Instagram account, Pages first, each Page followed by
    /// its Instagram account.
    pub choices: Vec<BrandChoice>,
    /// Sentences saying what was left out and why (a permission not granted, a Page
    /// without a token).
    pub left_out: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Grant {
    permission: String,
    status: String,
}

#[derive(serde::Deserialize)]
struct PageRow {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    instagram_business_account: Option<InstagramRow>,
}

#[derive(serde::Deserialize)]
struct InstagramRow {
    id: String,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

/// `GET /me/accounts?fields=id,name,username,access_token,instagram_business_account{id,username,name}`:
/// every Page the person manages, and each linked Instagram account.
pub async fn list_brand_choices(user: &UserToken) -> Result<Vec<BrandChoice>, SignInError> {
    Ok(brand_choices(user).await?.choices)
}

/// [`list_brand_choices`], saying what was left out and why.
pub async fn brand_choices(user: &UserToken) -> Result<BrandChoices, SignInError> {
    let client = GraphClient::new(user.app.graph.clone(), user.token.clone(), user.app.http);
    let granted = granted_permissions(&client).await?;
    let missing: Vec<&str> = PAGE_PERMISSIONS
        .iter()
        .copied()
        .filter(|p| !granted.iter().any(|g| g == p))
        .collect();
    if !missing.is_empty() {
        tracing::warn!(?missing, "a Meta sign-in without the Page permissions");
        return Err(SignInError::MissingPermission(format!(
            "{} not granted; sign in again and allow {}",
            missing.join(", "),
            if missing.len() == 1 { "it" } else { "them" }
        )));
    }
    let instagram_missing: Vec<&str> = INSTAGRAM_PERMISSIONS
        .iter()
        .copied()
        .filter(|p| !granted.iter().any(|g| g == p))
        .collect();

    let pages = all_pages(&client).await?;
    if pages.is_empty() {
        return Err(SignInError::NoPages);
    }
    let mut choices = Vec::new();
    let mut left_out = Vec::new();
    let mut instagram_left_out = 0;
    for page in pages {
        let name = page.name.clone().unwrap_or_else(|| page.id.clone());
        let Some(token) = page.access_token.filter(|t| !t.is_empty()) else {
            tracing::info!(page = %page.id, "a Page listed without a Page token is left out");
            left_out.push(format!(
                "The Page “{name}” is left out: Meta gave no access to it for this person \
                 (they need a task on the Page that allows answering)."
            ));
            continue;
        };
        let credential = |platform, instagram_id| Credential {
            platform,
            graph: user.app.graph.clone(),
            page_id: page.id.clone(),
            instagram_id,
            page_token: Sensitive::new(token.clone()),
        };
        choices.push(BrandChoice {
            identity: AccountIdentity {
                platform: Platform::Facebook,
                account_id: page.id.clone(),
                handle: page.username.clone().unwrap_or_else(|| name.clone()),
                display_name: name.clone(),
            },
            linked_page: None,
            credential: credential(Platform::Facebook, None),
        });
        let Some(instagram) = page.instagram_business_account else {
            continue;
        };
        if !instagram_missing.is_empty() {
            instagram_left_out += 1;
            continue;
        }
        let handle = instagram
            .username
            .clone()
            .unwrap_or_else(|| instagram.id.clone());
        choices.push(BrandChoice {
            identity: AccountIdentity {
                platform: Platform::Instagram,
                account_id: instagram.id.clone(),
                display_name: instagram.name.clone().unwrap_or_else(|| handle.clone()),
                handle,
            },
            linked_page: Some(name.clone()),
            credential: credential(Platform::Instagram, Some(instagram.id)),
        });
    }
    if instagram_left_out > 0 {
        tracing::warn!(
            missing = ?instagram_missing,
            accounts = instagram_left_out,
            "Instagram accounts left out: permissions not granted"
        );
        left_out.push(format!(
            "{} left out: {} not granted.",
            if instagram_left_out == 1 {
                "The Instagram account linked to the Pages is".to_owned()
            } else {
                format!("{instagram_left_out} Instagram accounts linked to the Pages are")
            },
            instagram_missing.join(", ")
        ));
    }
    if choices.is_empty() {
        return Err(SignInError::NoPages);
    }
    Ok(BrandChoices { choices, left_out })
}

/// The permissions the person granted (`status` `granted`).
async fn granted_permissions(client: &GraphClient) -> Result<Vec<String>, SignInError> {
    let mut granted = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut query = vec![("limit", PAGE_LIMIT.to_owned())];
        if let Some(after) = after.take() {
            query.push(("after", after));
        }
        let page = client
            .get_page::<Grant>("me/permissions", &query)
            .await
            .map_err(listing_error)?;
        granted.extend(
            page.data
                .into_iter()
                .filter(|g| g.status == "granted")
                .map(|g| g.permission),
        );
        match page.after {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    Ok(granted)
}

/// Every Page of `/me/accounts`, following the paging cursors.
async fn all_pages(client: &GraphClient) -> Result<Vec<PageRow>, SignInError> {
    let mut pages = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut query = vec![
            ("fields", PAGE_FIELDS.to_owned()),
            ("limit", PAGE_LIMIT.to_owned()),
        ];
        if let Some(after) = after.take() {
            query.push(("after", after));
        }
        let page = client
            .get_page::<PageRow>("me/accounts", &query)
            .await
            .map_err(listing_error)?;
        pages.extend(page.data);
        match page.after {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    Ok(pages)
}

/// The sign-in error for a refused call made with the new user token.
fn listing_error(error: GraphError) -> SignInError {
    match error {
        GraphError::Permission(words) => SignInError::MissingPermission(words),
        GraphError::Malformed(detail) => SignInError::Malformed(detail),
        GraphError::TokenInvalid(words) => SignInError::Unreachable(format!(
            "Meta no longer accepts the new sign-in ({words}); start again"
        )),
        GraphError::Throttled { retry_after, .. } => SignInError::Unreachable(format!(
            "Meta asks the app to slow down; try again in {} min",
            retry_after.as_secs().div_ceil(60)
        )),
        error @ (GraphError::Timeout(_) | GraphError::Unavailable(_)) => {
            SignInError::Unreachable(error.to_string())
        }
        error => {
            SignInError::Unreachable(format!("Meta refused to list the Pages: {}", plain(&error)))
        }
    }
}

/// What removing a Meta account does at Meta: nothing — see the module documentation.
/// Kept as a call so that the engine's removal stays the same should Meta ever offer a
/// per-Page revocation.
pub async fn sign_out(credential: &Credential) -> Result<(), SignInError> {
    tracing::info!(
        platform = credential.platform.as_str(),
        page = %credential.page_id,
        "a Meta account is removed; Meta has no per-Page revocation, so only its keychain entry goes"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asks_for_every_permission_it_checks() {
        for permission in PAGE_PERMISSIONS.iter().chain(INSTAGRAM_PERMISSIONS) {
            assert!(super::super::SCOPES.contains(permission), "{permission}");
        }
    }

    #[test]
    fn refusals_of_the_listing_are_said_plainly() {
        assert_eq!(
            listing_error(GraphError::Permission(
                "pages_show_list was not granted or was removed".into()
            )),
            SignInError::MissingPermission("pages_show_list was not granted or was removed".into())
        );
        assert!(matches!(
            listing_error(GraphError::Timeout(std::time::Duration::from_secs(3))),
            SignInError::Unreachable(_)
        ));
    }
}
