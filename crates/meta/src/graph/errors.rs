//! Graph error bodies and what they mean for Switchboard.
//!
//! A refused Graph call answers `{"error":{"message":…,"type":…,"code":…,"error_subcode":…,
//! "is_transient":…,"fbtrace_id":…}}`. Meta documents what each code means:
//!
//! - Graph API, *Handling Errors*:
//!   <https://developers.facebook.com/docs/graph-api/guides/error-handling> — 1 (API Unknown)
//!   and 2 (API Service): temporary, retry; 4 (app), 17 (user) and 341: throttled; 10 and
//!   200–299: a permission not granted or removed; 102 and 190: the token expired, was
//!   revoked or is invalid, with the authentication subcodes 458 (app not installed), 459
//!   (user checkpointed), 460 (password changed), 463 (expired), 464 (unconfirmed user), 467
//!   (invalid token); 368: temporarily blocked for policy violations.
//! - *Rate Limits*: <https://developers.facebook.com/docs/graph-api/overview/rate-limiting/>
//!   — 4, 17, 32 (Page), 613 (custom rate limit) and the business use case codes 80001
//!   (Pages), 80002 (Instagram), 80006 (Messenger) … up to 80014.
//! - Messenger Platform, *Common Error Codes*:
//!   <https://developers.facebook.com/docs/messenger-platform/error-codes> — code 10 subcode
//!   2018278 "This message is sent outside of allowed window"; Instagram messaging answers
//!   the same words as code 10 subcode 2534022 (an `IGApiException`); 551 (subcode 1545041)
//!   "This person isn't available right now" — the person blocked the Page or cannot
//!   receive messages, which is *not* the window.
//! - Code 100 is "invalid parameter": subcode 33 is an object that does not exist or cannot
//!   be seen; on a request with a paging cursor it is the cursor that is no longer valid;
//!   "Tried accessing nonexisting field (x) on node type (Y)" is a field the pinned version
//!   does not have. Code 2642 "Invalid cursors values" is the answer to a paging cursor
//!   that is no longer valid too (seen from the Graph API, e.g.
//!   facebook/facebook-java-business-sdk#292).
//! - Code 104: no access token was sent.

use std::time::Duration;

use serde::Deserialize;

use super::usage::Usage;
use super::GraphError;

/// How long to wait when Meta throttles without saying for how long.
pub(crate) const DEFAULT_THROTTLE_WAIT: Duration = Duration::from_secs(60);

/// The `error` object of a refused Graph call.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct GraphErrorBody {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub code: i64,
    #[serde(default)]
    pub error_subcode: Option<i64>,
    #[serde(default)]
    pub error_user_title: Option<String>,
    #[serde(default)]
    pub error_user_msg: Option<String>,
    #[serde(default)]
    pub is_transient: Option<bool>,
}

#[derive(Deserialize)]
struct Envelope {
    error: GraphErrorBody,
}

impl GraphErrorBody {
    /// The `error` object of a response body, if it has one.
    pub fn parse(body: &[u8]) -> Option<GraphErrorBody> {
        serde_json::from_slice::<Envelope>(body)
            .ok()
            .map(|envelope| envelope.error)
    }
}

/// What the refused request was, as far as the meaning of its error depends on it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RequestShape {
    /// The request carried a paging cursor (`after` / `before`).
    pub had_cursor: bool,
}

/// Whether `code` is one of Meta's throttling codes.
pub(crate) fn is_throttling(code: i64) -> bool {
    matches!(code, 4 | 17 | 32 | 341 | 613 | 80001..=80014)
}

/// Whether the error says the messaging window is closed.
fn is_window_closed(error: &GraphErrorBody) -> bool {
    matches!(error.error_subcode, Some(2_018_278 | 2_534_022))
        || error
            .message
            .to_ascii_lowercase()
            .contains("outside of allowed window")
}

/// The [`GraphError`] for a refused call: HTTP `status`, the error object (if the body had
/// one) and the usage headers of the response.
pub(crate) fn classify(
    status: u16,
    error: Option<&GraphErrorBody>,
    usage: Option<&Usage>,
    shape: RequestShape,
) -> GraphError {
    let Some(error) = error else {
        return match status {
            404 => GraphError::NotFound("Meta has no such object".into()),
            429 => throttled(0, usage),
            500..=599 => GraphError::Unavailable(format!("server error {status}")),
            _ => GraphError::Refused(format!("HTTP status {status} without an explanation")),
        };
    };
    let said = said(error);
    let code = error.code;
    match code {
        c if is_throttling(c) => throttled(c, usage),
        102 | 190 => GraphError::TokenInvalid(token_words(error.error_subcode)),
        10 | 200..=299 if is_window_closed(error) => GraphError::WindowClosed(said),
        10 | 200..=299 => GraphError::Permission(match permission_named(&error.message) {
            Some(permission) => format!("{permission} was not granted or was removed"),
            None => said,
        }),
        _ if is_window_closed(error) => GraphError::WindowClosed(said),
        100 if error.error_subcode == Some(33) => GraphError::NotFound(said),
        100 if mentions_cursor(&error.message) => GraphError::CursorExpired,
        100 if nonexisting_field(&error.message).is_some() => {
            let (field, node) = nonexisting_field(&error.message).unwrap_or_default();
            GraphError::Refused(format!(
                "the Graph API ({}) has no field “{field}” on {node}",
                super::GRAPH_VERSION
            ))
        }
        100 if shape.had_cursor => GraphError::CursorExpired,
        2642 => GraphError::CursorExpired,
        _ if shape.had_cursor && mentions_cursor(&error.message) => GraphError::CursorExpired,
        104 => GraphError::TokenInvalid("no sign-in was sent with the request".into()),
        551 => GraphError::Refused(format!(
            "this person cannot receive messages from the Page right now \
             (they may have blocked it or left): {said}"
        )),
        368 => GraphError::Refused(format!(
            "Meta has temporarily blocked the account from doing this for a policy \
             reason: {said}"
        )),
        1 | 2 => GraphError::Unavailable(format!("temporary failure (error {code}): {said}")),
        _ if error.is_transient == Some(true) => {
            GraphError::Unavailable(format!("temporary failure (error {code}): {said}"))
        }
        _ if status == 404 => GraphError::NotFound(said),
        _ if status >= 500 => GraphError::Unavailable(format!("server error {status}: {said}")),
        _ => GraphError::Refused(format!("{said} (error {code})")),
    }
}

/// Throttled, waiting as long as the usage headers say, else [`DEFAULT_THROTTLE_WAIT`].
fn throttled(code: i64, usage: Option<&Usage>) -> GraphError {
    let retry_after = usage
        .and_then(|usage| usage.regain_access_in)
        .unwrap_or(DEFAULT_THROTTLE_WAIT)
        .max(Duration::from_secs(1));
    GraphError::Throttled { code, retry_after }
}

/// The token error's subcode in plain words.
fn token_words(subcode: Option<i64>) -> String {
    match subcode {
        Some(458) => "the app was removed from the Facebook account".into(),
        Some(459) => {
            "Facebook asks the person to log in at facebook.com to secure the account".into()
        }
        Some(460) => "the Facebook password was changed".into(),
        Some(463) => "the sign-in expired".into(),
        Some(464) => "the Facebook account is not confirmed".into(),
        Some(467) => "the sign-in is no longer valid (logged out or revoked)".into(),
        Some(492) => "the person's role on the Page changed".into(),
        Some(other) => format!("the sign-in is no longer valid (subcode {other})"),
        None => "the sign-in is no longer valid".into(),
    }
}

/// What Meta said, short: the message meant for people when there is one, else the
/// developer message, at most 300 characters.
fn said(error: &GraphErrorBody) -> String {
    let text = error
        .error_user_msg
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or(&error.message)
        .trim();
    let text = if text.is_empty() {
        "no explanation"
    } else {
        text
    };
    let mut short: String = text.chars().take(300).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

/// The permission an error message names ("(#200) Requires pages_read_engagement
/// permission …", "… needs the instagram_manage_comments permission").
pub(crate) fn permission_named(message: &str) -> Option<String> {
    const PREFIXES: &[&str] = &[
        "pages_",
        "instagram_",
        "business_management",
        "read_insights",
        "public_profile",
    ];
    message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|word| PREFIXES.iter().any(|p| word.starts_with(p)) && word.len() > 6)
        .map(str::to_owned)
}

fn mentions_cursor(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    message.contains("cursor") || message.contains("pagination")
}

/// `(field, node type)` of "Tried accessing nonexisting field (x) on node type (Y)".
fn nonexisting_field(message: &str) -> Option<(String, String)> {
    let rest = message.split("nonexisting field (").nth(1)?;
    let (field, rest) = rest.split_once(')')?;
    let node = rest
        .split("node type (")
        .nth(1)
        .and_then(|r| r.split_once(')'))
        .map_or("this object", |(node, _)| node);
    Some((field.to_owned(), format!("a {node}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: i64, subcode: Option<i64>, message: &str) -> GraphErrorBody {
        GraphErrorBody {
            message: message.into(),
            code,
            error_subcode: subcode,
            ..GraphErrorBody::default()
        }
    }

    fn classify_one(code: i64, subcode: Option<i64>, message: &str) -> GraphError {
        classify(
            400,
            Some(&error(code, subcode, message)),
            None,
            RequestShape::default(),
        )
    }

    #[test]
    fn throttling_codes_wait_as_long_as_the_usage_header_says() {
        let usage = Usage {
            regain_access_in: Some(Duration::from_secs(19 * 60)),
            ..Usage::default()
        };
        for code in [4, 17, 32, 613, 80001, 80002, 80006, 80014] {
            let error = classify(
                400,
                Some(&error(code, None, "Application request limit reached")),
                Some(&usage),
                RequestShape::default(),
            );
            assert_eq!(
                error,
                GraphError::Throttled {
                    code,
                    retry_after: Duration::from_secs(19 * 60)
                }
            );
        }
        // Without a time in the headers: a minute.
        assert_eq!(
            classify_one(4, None, "Application request limit reached"),
            GraphError::Throttled {
                code: 4,
                retry_after: DEFAULT_THROTTLE_WAIT
            }
        );
    }

    #[test]
    fn token_errors_say_why_in_plain_words() {
        let words = |subcode| match classify_one(190, subcode, "Error validating access token") {
            GraphError::TokenInvalid(words) => words,
            other => panic!("{other:?}"),
        };
        assert!(words(Some(463)).contains("expired"));
        assert!(words(Some(460)).contains("password was changed"));
        assert!(words(Some(458)).contains("app was removed"));
        assert!(words(Some(467)).contains("no longer valid"));
        assert!(matches!(
            classify_one(102, None, "Session key invalid"),
            GraphError::TokenInvalid(_)
        ));
    }

    #[test]
    fn permission_errors_name_the_permission() {
        assert_eq!(
            classify_one(
                200,
                None,
                "(#200) Requires pages_read_engagement permission to manage the object"
            ),
            GraphError::Permission("pages_read_engagement was not granted or was removed".into())
        );
        assert_eq!(
            classify_one(
                10,
                None,
                "(#10) Application does not have permission for this action"
            ),
            GraphError::Permission(
                "(#10) Application does not have permission for this action".into()
            )
        );
    }

    #[test]
    fn the_closed_messaging_window_is_not_a_missing_permission() {
        let messenger = classify_one(
            10,
            Some(2_018_278),
            "(#10) This message is sent outside of allowed window.",
        );
        assert!(
            matches!(messenger, GraphError::WindowClosed(_)),
            "{messenger:?}"
        );
        let instagram = classify_one(
            10,
            Some(2_534_022),
            "This message is sent outside of allowed window.",
        );
        assert!(
            matches!(instagram, GraphError::WindowClosed(_)),
            "{instagram:?}"
        );
        let blocked = classify_one(
            551,
            Some(1_545_041),
            "This person isn't available right now.",
        );
        assert!(matches!(blocked, GraphError::Refused(ref w) if w.contains("cannot receive")));
    }

    #[test]
    fn code_100_is_a_missing_object_an_expired_cursor_or_an_unknown_field() {
        assert!(matches!(
            classify_one(
                100,
                Some(33),
                "Unsupported get request. Object with ID '123' does not exist"
            ),
            GraphError::NotFound(_)
        ));
        let on_cursor = classify(
            400,
            Some(&error(100, None, "Invalid parameter")),
            None,
            RequestShape { had_cursor: true },
        );
        assert_eq!(on_cursor, GraphError::CursorExpired);
        assert_eq!(
            classify_one(100, None, "The after cursor is not valid anymore"),
            GraphError::CursorExpired
        );
        assert_eq!(
            classify_one(2642, None, "(#2642) Invalid cursors values"),
            GraphError::CursorExpired
        );
        assert_eq!(
            classify(
                400,
                Some(&error(
                    100,
                    None,
                    "(#100) Tried accessing nonexisting field (vistor_posts) on node type (Page)"
                )),
                None,
                RequestShape { had_cursor: true },
            ),
            GraphError::Refused(
                "the Graph API (v23.0) has no field “vistor_posts” on a Page".into()
            )
        );
    }

    #[test]
    fn temporary_failures_and_bodies_without_an_error() {
        assert!(matches!(
            classify_one(
                2,
                None,
                "An unexpected error has occurred. Please retry your request later."
            ),
            GraphError::Unavailable(_)
        ));
        assert!(matches!(
            classify_one(1, Some(99), "An unknown error occurred"),
            GraphError::Unavailable(_)
        ));
        assert!(matches!(
            classify(502, None, None, RequestShape::default()),
            GraphError::Unavailable(_)
        ));
        assert!(matches!(
            classify(404, None, None, RequestShape::default()),
            GraphError::NotFound(_)
        ));
        assert!(matches!(
            classify_one(506, None, "Duplicate status message"),
            GraphError::Refused(ref w) if w.contains("Duplicate")
        ));
    }
}
