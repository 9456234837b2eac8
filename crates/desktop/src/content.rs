//! What a [`DesktopAlert`] looks like as a notification: summary, body, urgency, expiry,
//! actions and hints, built with `notify-rust`'s builder for every platform.

use notify_rust::{Notification, Timeout};

use crate::{DesktopAlert, ACTION_OPEN, ACTION_SNOOZE};

/// Vendor hint carrying the conversation id of a single-conversation alert.
pub const CONVERSATION_HINT: &str = "x-switchboard-conversation";
/// Vendor hint naming every conversation a notification covers, e.g. `12,7,31`.
pub const CONVERSATIONS_HINT: &str = "x-switchboard-conversations";

/// The value of [`CONVERSATIONS_HINT`] for `alert`, when it covers any conversation.
pub(crate) fn conversations_hint(alert: &DesktopAlert) -> Option<String> {
    (!alert.conversations.is_empty()).then(|| {
        alert
            .conversations
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// Category hint: "a received instant message notification" in the freedesktop spec.
#[cfg(all(unix, not(target_os = "macos")))]
pub(crate) const CATEGORY: &str = "im.received";

/// Desktop-entry hint: lets servers find Switchboard's icon and name from
/// `switchboard.desktop`.
#[cfg(all(unix, not(target_os = "macos")))]
pub(crate) const DESKTOP_ENTRY: &str = "switchboard";

/// What the notification server can do, as far as building content is concerned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ServerSupport {
    /// The server advertises `actions`.
    pub(crate) actions: bool,
    /// The server advertises `body-markup`: it interprets a subset of HTML in bodies.
    pub(crate) body_markup: bool,
}

#[cfg(all(unix, not(target_os = "macos")))]
impl ServerSupport {
    pub(crate) fn from_capabilities(capabilities: &[String]) -> Self {
        Self {
            actions: capabilities.iter().any(|c| c == "actions"),
            body_markup: capabilities.iter().any(|c| c == "body-markup"),
        }
    }
}

/// Escapes `&`, `<` and `>` so that a server that renders markup in bodies shows `text`
/// exactly as written: customer text can neither format the notification nor inject
/// links or images.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The notification for `alert`. The server id to replace is not part of it: the caller
/// passes it with the `Notify` call.
pub(crate) fn notification(
    alert: &DesktopAlert,
    app_name: &str,
    support: ServerSupport,
) -> Notification {
    // The freedesktop spec: without `body-markup`, markup "will show through as regular
    // text", so escaping there would show `&amp;` to the user.
    let body = if support.body_markup {
        escape_markup(&alert.body)
    } else {
        alert.body.clone()
    };
    let mut n = Notification::new();
    n.appname(app_name)
        .summary(&alert.title)
        .body(&body)
        .timeout(if alert.critical {
            Timeout::Never
        } else {
            Timeout::Default
        });
    #[cfg(any(target_os = "windows", all(unix, not(target_os = "macos"))))]
    n.urgency(if alert.critical {
        notify_rust::Urgency::Critical
    } else {
        notify_rust::Urgency::Normal
    });
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        n.hint(notify_rust::Hint::Category(CATEGORY.to_owned()));
        n.hint(notify_rust::Hint::DesktopEntry(DESKTOP_ENTRY.to_owned()));
        if let Some(conversation) = alert.conversation {
            // Vendor hint: which conversation it is about (for tools and tests).
            n.hint(notify_rust::Hint::Custom(
                CONVERSATION_HINT.to_owned(),
                conversation.to_string(),
            ));
        }
        if let Some(conversations) = conversations_hint(alert) {
            n.hint(notify_rust::Hint::Custom(
                CONVERSATIONS_HINT.to_owned(),
                conversations,
            ));
        }
    }
    if alert.conversation.is_some() && support.actions {
        n.action(ACTION_OPEN, "Open");
        n.action(ACTION_SNOOZE, "Snooze 15 m");
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(critical: bool, conversation: Option<i64>) -> DesktopAlert {
        DesktopAlert {
            key: "sla:7".into(),
            title: "Reply due".into(),
            body: "Ana: <b>where</b> is my order? Q&A".into(),
            critical,
            conversation,
            conversations: conversation.into_iter().collect(),
        }
    }

    const ALL: ServerSupport = ServerSupport {
        actions: true,
        body_markup: true,
    };

    #[test]
    fn escapes_the_three_markup_characters_and_nothing_else() {
        assert_eq!(
            escape_markup("<a href=\"x\">Q&A</a> 'é' 😀"),
            "&lt;a href=\"x\"&gt;Q&amp;A&lt;/a&gt; 'é' 😀"
        );
        assert_eq!(
            escape_markup("&amp;"),
            "&amp;amp;",
            "already-escaped text stays literal"
        );
    }

    #[test]
    fn body_is_escaped_only_for_servers_that_render_markup() {
        let n = notification(&alert(false, None), "Switchboard", ALL);
        assert_eq!(n.body, "Ana: &lt;b&gt;where&lt;/b&gt; is my order? Q&amp;A");
        let plain = notification(
            &alert(false, None),
            "Switchboard",
            ServerSupport {
                body_markup: false,
                ..ALL
            },
        );
        assert_eq!(
            plain.body, "Ana: <b>where</b> is my order? Q&A",
            "a server without body-markup shows text literally, so it is sent as written"
        );
        assert_eq!(n.summary, "Reply due");
        assert_eq!(n.appname, "Switchboard");
    }

    #[test]
    fn actions_only_with_a_conversation_and_a_server_that_supports_them() {
        let with = notification(&alert(false, Some(7)), "Switchboard", ALL);
        assert_eq!(
            with.actions,
            ["default", "Open", "snooze-15", "Snooze 15 m"]
        );
        let no_conversation = notification(&alert(false, None), "Switchboard", ALL);
        assert!(no_conversation.actions.is_empty());
        let no_support = notification(
            &alert(false, Some(7)),
            "Switchboard",
            ServerSupport {
                actions: false,
                ..ALL
            },
        );
        assert!(
            no_support.actions.is_empty(),
            "no actions to a server without them"
        );
    }

    #[test]
    fn critical_alerts_never_expire_and_others_use_the_server_default() {
        let critical = notification(&alert(true, None), "Switchboard", ALL);
        assert_eq!(i32::from(critical.timeout), 0, "0 = never expires");
        let normal = notification(&alert(false, None), "Switchboard", ALL);
        assert_eq!(i32::from(normal.timeout), -1, "-1 = the server's default");
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn hints_carry_urgency_category_and_desktop_entry() {
        use notify_rust::{Hint, Urgency};
        let critical = notification(&alert(true, None), "Switchboard", ALL);
        assert!(critical.hints.contains(&Hint::Urgency(Urgency::Critical)));
        assert!(critical
            .hints
            .contains(&Hint::Category("im.received".into())));
        assert!(critical
            .hints
            .contains(&Hint::DesktopEntry("switchboard".into())));
        let normal = notification(&alert(false, None), "Switchboard", ALL);
        assert!(normal.hints.contains(&Hint::Urgency(Urgency::Normal)));
    }
}
