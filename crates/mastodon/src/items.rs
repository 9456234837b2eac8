//! Statuses to [`Item`]s.
//!
//! The **brand account** is known by its instance-local id and its stable key
//! `<id>@<instance host>` (the host of the server's web address). An author's **handle**
//! is `@user@domain` (Mastodon's `acct` is just `user` for accounts on the same
//! instance, so the server's handle domain is added: see [`crate::handle_domain`]). An item's
//! **kind**: a DM when the status is `direct`; a quote when it quotes a brand status (or
//! came as a `quote` notification); a reply when it answers another status; a mention
//! otherwise.

use switchboard_core::{Author, Item, ItemKind, Platform, ThreadKey, Timestamp};
use switchboard_platforms::{AccountIdentity, ProviderError};

use crate::entities::{Account, Status};
use crate::html_text::html_to_text;

/// The brand account a provider works for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BrandAccount {
    /// The instance's id of the account.
    pub id: String,
    /// The instance host.
    pub host: String,
    /// The domain of the server's handles (`example.social`).
    pub handle_domain: String,
    /// `<id>@<host>`.
    pub key: String,
    /// `@user@host`.
    pub handle: String,
    /// The name it shows.
    pub display_name: String,
}

impl BrandAccount {
    pub fn new(account: &Account, host: &str, handle_domain: &str) -> Self {
        BrandAccount {
            id: account.id.clone(),
            host: host.to_owned(),
            handle_domain: handle_domain.to_owned(),
            key: format!("{}@{host}", account.id),
            handle: handle(&account.acct, handle_domain),
            display_name: display_name(account),
        }
    }

    /// The brand account from an identity stored after sign-in; `None` when the identity
    /// is not an account of `host`. The handle domain is the stored handle's.
    pub fn from_identity(identity: &AccountIdentity, host: &str) -> Option<Self> {
        let (id, identity_host) = identity.account_id.split_once('@')?;
        if identity.platform != Platform::Mastodon || identity_host != host || id.is_empty() {
            return None;
        }
        let handle_domain = match identity.handle.trim_start_matches('@').split_once('@') {
            Some((_, domain)) if !domain.is_empty() => domain.to_owned(),
            _ => host.to_owned(),
        };
        Some(BrandAccount {
            id: id.to_owned(),
            host: host.to_owned(),
            handle_domain,
            key: identity.account_id.clone(),
            handle: identity.handle.clone(),
            display_name: identity.display_name.clone(),
        })
    }

    pub fn identity(&self) -> AccountIdentity {
        AccountIdentity {
            platform: Platform::Mastodon,
            account_id: self.key.clone(),
            handle: self.handle.clone(),
            display_name: self.display_name.clone(),
        }
    }

    /// The key of thread (or DM conversation) `root` of this account.
    pub fn thread(&self, root: &str) -> ThreadKey {
        ThreadKey::new(Platform::Mastodon, &self.key, root)
    }

    pub fn wrote(&self, status: &Status) -> bool {
        status.account.id == self.id
    }
}

/// `@user@domain` for an `acct` as a server whose handle domain is `domain` reports it.
pub(crate) fn handle(acct: &str, domain: &str) -> String {
    let acct = acct.trim_start_matches('@');
    if acct.contains('@') {
        format!("@{acct}")
    } else {
        format!("@{acct}@{domain}")
    }
}

fn display_name(account: &Account) -> String {
    match account.display_name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => html_to_text(name),
        _ => account.username.clone(),
    }
}

/// The kind of a status seen by `brand`, with `notification_type` when it came as a
/// notification.
pub(crate) fn kind_of(
    status: &Status,
    brand: &BrandAccount,
    notification_type: Option<&str>,
) -> ItemKind {
    let quotes_brand = status
        .quote
        .as_ref()
        .and_then(|q| q.quoted_status.as_ref())
        .is_some_and(|quoted| brand.wrote(quoted));
    if status.is_direct() {
        ItemKind::DirectMessage
    } else if quotes_brand || notification_type == Some("quote") {
        ItemKind::Quote
    } else if status.in_reply_to_id.is_some() {
        ItemKind::Reply
    } else {
        ItemKind::Mention
    }
}

/// The item for `status` in `thread`.
pub(crate) fn status_item(
    status: &Status,
    brand: &BrandAccount,
    thread: ThreadKey,
    kind: ItemKind,
) -> Result<Item, ProviderError> {
    let created_at = Timestamp::parse_rfc3339(&status.created_at).ok_or_else(|| {
        ProviderError::Malformed(format!(
            "status {} has no readable creation time",
            status.id
        ))
    })?;
    let body = html_to_text(&status.content);
    let text = match status.spoiler_text.as_deref().map(str::trim) {
        Some(warning) if !warning.is_empty() => {
            format!("CW: {}\n\n{body}", html_to_text(warning))
        }
        _ => body,
    };
    Ok(Item {
        platform: Platform::Mastodon,
        account: brand.key.clone(),
        native_id: status.id.clone(),
        thread,
        kind,
        author: Author {
            handle: handle(&status.account.acct, &brand.handle_domain),
            display_name: display_name(&status.account),
        },
        from_brand: brand.wrote(status),
        text,
        lang: status.language.clone().filter(|l| !l.is_empty()),
        created_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_qualified_by_host() {
        assert_eq!(handle("ana", "m.example"), "@ana@m.example");
        assert_eq!(
            handle("ana@other.example", "m.example"),
            "@ana@other.example"
        );
    }

    #[test]
    fn identities_only_fit_their_instance() {
        let identity = AccountIdentity {
            platform: Platform::Mastodon,
            account_id: "42@m.example".into(),
            handle: "@brand@example".into(),
            display_name: "Brand".into(),
        };
        let brand = BrandAccount::from_identity(&identity, "m.example").unwrap();
        assert_eq!(brand.id, "42");
        assert_eq!(brand.handle_domain, "example");
        assert_eq!(brand.identity(), identity);
        assert!(BrandAccount::from_identity(&identity, "other.example").is_none());
    }
}
