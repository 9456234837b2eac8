//! The personal-free rule: only the workspace's brand accounts may be signed in to.
//!
//! The policy's `[[brand_account]]` entries name accounts by handle or stable id. After a
//! sign-in the platform says who signed in; an account on the list is **allowed**; with no
//! list yet the person must **confirm** it as a brand account; otherwise it is **refused**.
//!
//! A Mastodon account's **stable id** is its number on its server, qualified by the
//! server: `109…@example.social` (the number is `id` in
//! `https://<server>/api/v1/accounts/lookup?acct=<name>`). A Mastodon server's web
//! address may differ from the domain of its handles (`mastodon.example.social` serving
//! `@brand@example.social`), so the id or the user name qualified by either one names the
//! account.
//!
//! A Facebook Page is named by its Page id or its username (`platform = "facebook"`), an
//! Instagram professional account by its user id or username (`platform = "instagram"`);
//! an entry names an account on its own platform only.

use switchboard_core::{AllowedAccount, Platform, Policy};
use switchboard_platforms::AccountIdentity;

use crate::managed::{account_key, Managed};

/// What the allowlist says of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Allowed,
    NeedsConfirmation,
    Refused(String),
}

/// `@Brand@Social.Example` and `brand@social.example` name the same account.
fn normalise(name: &str) -> String {
    name.trim().trim_start_matches('@').to_lowercase()
}

/// Whether `entry` names the Mastodon account `who` by its id or user name, qualified by
/// the handle domain or the web host (`account_id` is `<id>@<web host>`).
fn same_mastodon_account(entry: &str, who: &AccountIdentity) -> bool {
    if who.platform != Platform::Mastodon {
        return false;
    }
    let entry = normalise(entry);
    let handle = normalise(&who.handle);
    let account_id = who.account_id.to_lowercase();
    let (Some((name, domain)), Some((user, handle_domain)), Some((id, web_host))) = (
        entry.split_once('@'),
        handle.split_once('@'),
        account_id.split_once('@'),
    ) else {
        return false;
    };
    (name == id || name == user) && (domain == handle_domain || domain == web_host)
}

/// Whether `entry` names `who` (by id or handle; see the module doc).
fn names(entry: &AllowedAccount, who: &AccountIdentity) -> bool {
    entry.platform == who.platform
        && (entry.account == who.account_id
            || normalise(&entry.account) == who_handle(who)
            || same_mastodon_account(&entry.account, who))
}

fn who_handle(who: &AccountIdentity) -> String {
    normalise(&who.handle)
}

/// The verdict with the organisation's managed list first: an account not on it is
/// refused whatever the workspace policy says (and everything is refused when the
/// managed settings are locked down); one on it is then checked against the workspace
/// policy, without asking for confirmation (the organisation's list says it is a brand
/// account).
pub(crate) fn verdict_managed(
    managed: &Managed,
    policy: &Policy,
    who: &AccountIdentity,
) -> Verdict {
    let source = managed.source().unwrap_or("your organisation");
    if let Some(why) = managed.problem() {
        return Verdict::Refused(format!(
            "{} cannot be added: your organisation's managed settings ({source}) could not be \
             used ({why}), so no new brand account is admitted until IT fixes them. Nothing \
             was saved and the sign-in was revoked.",
            who.handle
        ));
    }
    let Some(list) = managed.allowed_accounts() else {
        return verdict(policy, who);
    };
    if !list.iter().any(|entry| names(entry, who)) {
        let listed: Vec<String> = list.iter().map(account_key).collect();
        let listed = if listed.is_empty() {
            "it lists none".to_owned()
        } else {
            format!("it lists {}", listed.join(", "))
        };
        return Verdict::Refused(format!(
            "{} is not on your organisation's list of brand accounts (managed by {source}; \
             {listed}). Switchboard is for the company's brand accounts only, never personal \
             ones, so nothing was saved and the sign-in was revoked. If this is a brand \
             account, ask your IT department to add it to the managed list.",
            who.handle
        ));
    }
    match verdict(policy, who) {
        Verdict::NeedsConfirmation => Verdict::Allowed,
        other => other,
    }
}

/// Why an account already in the workspace is paused by the organisation's managed list
/// (`None`: it may go on). Locked-down settings refuse new accounts only.
pub(crate) fn paused_by_managed(managed: &Managed, who: &AccountIdentity) -> Option<String> {
    if managed.problem().is_some() {
        return None;
    }
    let list = managed.allowed_accounts()?;
    if list.iter().any(|entry| names(entry, who)) {
        return None;
    }
    Some(format!(
        "Paused: {} is not on your organisation's list of brand accounts (managed by {}). \
         Remove it, or ask your IT department to add it to the managed list.",
        who.handle,
        managed.source().unwrap_or("your organisation")
    ))
}

pub(crate) fn verdict(policy: &Policy, who: &AccountIdentity) -> Verdict {
    if policy.allowlist.is_empty() {
        return Verdict::NeedsConfirmation;
    }
    let allowed = policy.allowlist.iter().any(|entry| names(entry, who));
    if allowed {
        return Verdict::Allowed;
    }
    let listed: Vec<&str> = policy
        .allowlist
        .iter()
        .filter(|e| e.platform == who.platform)
        .map(|e| e.account.as_str())
        .collect();
    let listed = if listed.is_empty() {
        format!("it lists no {} accounts", who.platform.as_str())
    } else {
        format!("it lists only {}", listed.join(", "))
    };
    Verdict::Refused(format!(
        "{} is not one of this workspace's brand accounts ({listed}). Switchboard is for the \
         company's brand accounts only, never personal ones, so nothing was saved and the \
         sign-in was revoked. If this is a brand account, ask whoever maintains the workspace \
         policy to add it under [[brand_account]].",
        who.handle
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::Platform;

    fn who(handle: &str, id: &str) -> AccountIdentity {
        AccountIdentity {
            platform: Platform::Mastodon,
            account_id: id.into(),
            handle: handle.into(),
            display_name: "Someone".into(),
        }
    }

    fn policy(list: &str) -> Policy {
        let text =
            format!("[[queue]]\nid = \"triage\"\nlabel = \"Triage\"\ncolor = \"#888888\"\n{list}");
        Policy::parse("p.toml", &text).unwrap()
    }

    #[test]
    fn listed_by_handle_or_id_is_allowed_in_any_case_with_or_without_at() {
        let p = policy(
            "[[brand_account]]\nplatform = \"mastodon\"\naccount = \"brand@Social.Example\"\n\
             [[brand_account]]\nplatform = \"mastodon\"\naccount = \"10923@social.example\"\n",
        );
        assert_eq!(
            verdict(&p, &who("@Brand@social.example", "1@x")),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(&p, &who("@other@x", "10923@social.example")),
            Verdict::Allowed
        );
    }

    #[test]
    fn a_mastodon_id_or_name_works_with_the_handle_domain_or_the_web_host() {
        // A server at mastodon.example.social whose handles end in @example.social.
        let brand = who("@brand@example.social", "10923@mastodon.example.social");
        for listed in [
            "10923@example.social",
            "10923@Mastodon.Example.Social",
            "@brand@mastodon.example.social",
        ] {
            let p = policy(&format!(
                "[[brand_account]]\nplatform = \"mastodon\"\naccount = \"{listed}\"\n"
            ));
            assert_eq!(verdict(&p, &brand), Verdict::Allowed, "{listed}");
        }
        for other in [
            "10924@example.social",
            "brand@other.example",
            "109@example.social",
        ] {
            let p = policy(&format!(
                "[[brand_account]]\nplatform = \"mastodon\"\naccount = \"{other}\"\n"
            ));
            assert!(
                matches!(verdict(&p, &brand), Verdict::Refused(_)),
                "{other}"
            );
        }
    }

    #[test]
    fn an_unlisted_account_is_refused_with_its_name_and_why() {
        let p = policy(
            "[[brand_account]]\nplatform = \"mastodon\"\naccount = \"brand@social.example\"\n",
        );
        let Verdict::Refused(message) =
            verdict(&p, &who("@me@personal.example", "7@personal.example"))
        else {
            panic!("refused expected");
        };
        assert!(message.contains("@me@personal.example"), "{message}");
        assert!(message.contains("brand@social.example"), "{message}");
        assert!(message.contains("nothing was saved"), "{message}");
    }

    fn meta(platform: Platform, id: &str, handle: &str) -> AccountIdentity {
        AccountIdentity {
            platform,
            account_id: id.into(),
            handle: handle.into(),
            display_name: "Acme Support".into(),
        }
    }

    #[test]
    fn a_page_and_an_instagram_account_are_named_by_id_or_username_on_their_platform() {
        let p = policy(
            "[[brand_account]]\nplatform = \"facebook\"\naccount = \"AcmeSupport\"\n\
             [[brand_account]]\nplatform = \"instagram\"\naccount = \"17841400000000001\"\n",
        );
        let page = meta(Platform::Facebook, "100000000000001", "acmesupport");
        assert_eq!(verdict(&p, &page), Verdict::Allowed);
        let instagram = meta(Platform::Instagram, "17841400000000001", "acme.support");
        assert_eq!(verdict(&p, &instagram), Verdict::Allowed);
        // The Page's username does not admit an Instagram account of the same name, nor
        // the Instagram id a Page.
        let same_name = meta(Platform::Instagram, "17841400000000002", "acmesupport");
        assert!(matches!(verdict(&p, &same_name), Verdict::Refused(_)));
        let page_by_ig_id = meta(Platform::Facebook, "17841400000000001", "careers");
        let Verdict::Refused(message) = verdict(&p, &page_by_ig_id) else {
            panic!("refused expected");
        };
        assert!(message.contains("AcmeSupport"), "{message}");
        let by_id =
            policy("[[brand_account]]\nplatform = \"facebook\"\naccount = \"100000000000001\"\n");
        assert_eq!(verdict(&by_id, &page), Verdict::Allowed);
    }

    #[test]
    fn no_list_asks_for_confirmation() {
        assert_eq!(
            verdict(&policy(""), &who("@a@b", "1@b")),
            Verdict::NeedsConfirmation
        );
    }
}
