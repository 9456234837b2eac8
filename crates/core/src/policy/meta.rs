//! The policy's `[meta]` table: the company's Meta app (Facebook Pages and Instagram) and
//! whether people may answer messages late with Meta's human-agent tag.
//!
//! ```toml
//! [meta]
//! app_id = "123456789012345"      # the Meta app's App ID (digits)
//! client_token = "0a1b2c…"        # App Dashboard → Settings → Advanced
//! human_agent_tag = false         # true once Meta approved the Human Agent feature
//! ```
//!
//! - **App ID**: names the company's own Meta app; the laptop signs in through it.
//! - **client token**: Meta documents it as embeddable in desktop apps (not a secret), but
//!   Switchboard still never logs it nor sends it to the window; its `Debug` is redacted.
//! - **human-agent tag**: Messenger and Instagram messages may be answered within 24 hours
//!   of the customer's latest one; with the tag, which Meta grants on request, until 7 days.
//!
//! Every key is optional; without `app_id` the add-account form asks for the app (kept
//! on the laptop for the workspace). A `client_token` without an `app_id` is a mistake.

use serde::Deserialize;
use toml::Spanned;

use super::spans::Ctx;
use super::PolicyError;

/// `[meta]` as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMeta {
    app_id: Option<Spanned<String>>,
    client_token: Option<Spanned<String>>,
    human_agent_tag: Option<Spanned<bool>>,
}

/// What the policy says about Meta (Facebook Pages and Instagram).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct MetaPolicy {
    /// The Meta app's App ID (digits), when the policy names one.
    pub app_id: Option<String>,
    /// The app's client token, when the policy gives one (never logged: see the module doc).
    pub client_token: Option<String>,
    /// Whether people may answer a message 24 hours to 7 days after the customer's latest
    /// one with Meta's `HUMAN_AGENT` tag (default false).
    pub human_agent_tag: bool,
}

impl std::fmt::Debug for MetaPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetaPolicy")
            .field("app_id", &self.app_id)
            .field(
                "client_token",
                &self.client_token.as_ref().map(|_| "<redacted>"),
            )
            .field("human_agent_tag", &self.human_agent_tag)
            .finish()
    }
}

impl Ctx<'_> {
    /// Checks and builds the `[meta]` table (absent: no app, no human-agent tag).
    pub(super) fn meta(&self, raw: Option<Spanned<RawMeta>>) -> Result<MetaPolicy, PolicyError> {
        let Some(raw) = raw else {
            return Ok(MetaPolicy::default());
        };
        let table = raw.span();
        let raw = raw.into_inner();
        let app_id = match &raw.app_id {
            Some(id) => {
                let text = id.get_ref().trim();
                if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
                    return Err(self.error(
                        id.span(),
                        format!(
                            "app_id = \"{text}\" is not a Meta App ID: it is the number shown in \
                             the App Dashboard (Settings → Basic), e.g. app_id = \"123456789012345\""
                        ),
                    ));
                }
                Some(text.to_owned())
            }
            None => None,
        };
        let client_token = match &raw.client_token {
            Some(token) => {
                let text = token.get_ref().trim();
                if text.is_empty() || text.chars().any(|c| c.is_whitespace() || c == '|') {
                    return Err(self.error(
                        token.span(),
                        "client_token is not a Meta client token: copy it from the App \
                         Dashboard (Settings → Advanced → Security → Client token), without \
                         the App ID or spaces",
                    ));
                }
                if app_id.is_none() {
                    return Err(self.error(
                        table,
                        "[meta] has a client_token but no app_id: add the App ID it belongs \
                         to, e.g. app_id = \"123456789012345\"",
                    ));
                }
                Some(text.to_owned())
            }
            None => None,
        };
        Ok(MetaPolicy {
            app_id,
            client_token,
            human_agent_tag: raw.human_agent_tag.is_some_and(|tag| *tag.get_ref()),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::Policy;

    const QUEUE: &str = "[[queue]]\nid = \"triage\"\nlabel = \"Triage\"\ncolor = \"#888888\"\n";

    fn parse(meta: &str) -> Result<Policy, crate::PolicyError> {
        Policy::parse("p.toml", &format!("{QUEUE}{meta}"))
    }

    #[test]
    fn absent_means_no_app_and_no_human_agent_tag() {
        let policy = parse("").unwrap();
        assert_eq!(policy.meta, super::MetaPolicy::default());
        assert!(!policy.meta.human_agent_tag);
    }

    #[test]
    fn the_app_and_the_tag_are_read() {
        let policy = parse(
            "[meta]\napp_id = \" 123456789012345 \"\nclient_token = \"0a1b2c3d\"\nhuman_agent_tag = true\n",
        )
        .unwrap();
        assert_eq!(policy.meta.app_id.as_deref(), Some("123456789012345"));
        assert_eq!(policy.meta.client_token.as_deref(), Some("0a1b2c3d"));
        assert!(policy.meta.human_agent_tag);
        let shown = format!("{:?}", policy.meta);
        assert!(!shown.contains("0a1b2c3d"), "{shown}");
    }

    #[test]
    fn mistakes_say_where_and_what() {
        let error = parse("[meta]\napp_id = \"acme\"\n").unwrap_err();
        assert_eq!((error.line, error.column), (6, 10), "{error}");
        assert!(error.message.contains("not a Meta App ID"), "{error}");

        let error = parse("[meta]\napp_id = \"1\"\nclient_token = \"1|abc\"\n").unwrap_err();
        assert_eq!(error.line, 7, "{error}");
        assert!(error.message.contains("client token"), "{error}");
        assert!(
            !error.message.contains("abc"),
            "the token is not repeated: {error}"
        );

        let error = parse("[meta]\nclient_token = \"abc\"\n").unwrap_err();
        assert!(error.message.contains("no app_id"), "{error}");

        let error = parse("[meta]\nhuman_agent_tag = \"yes\"\n").unwrap_err();
        assert_eq!(error.line, 6, "{error}");

        let error = parse("[meta]\napp_secret = \"s\"\n").unwrap_err();
        assert_eq!(error.line, 6, "{error}");
        assert!(error.message.contains("app_secret"), "{error}");
    }
}
