//! Reads what `dbus-monitor` printed about `org.freedesktop.Notifications`: each `Notify`
//! call's summary, `replaces_id` and conversation hint, and the ids the server returned.

/// One `Notify` call as seen on the bus.
#[derive(Debug, Clone)]
pub struct NotifyCall {
    /// The caller's unique bus name.
    pub sender: String,
    /// The call's serial (with the sender, matches the server's reply).
    pub serial: u64,
    /// The id of the notification it replaces (0: a new one).
    pub replaces_id: u32,
    /// The title.
    pub summary: String,
    /// The text under the title.
    pub body: String,
    /// The `x-switchboard-conversation` hint, when the alert is about one conversation.
    pub conversation: Option<i64>,
    /// The `x-switchboard-conversations` hint: every conversation the alert covers.
    pub conversations: Vec<i64>,
    /// The id the server gave it, from the method return.
    pub id: Option<u32>,
}

/// The string value of the hint `name` in a `Notify` call's lines.
fn hint(block: &[String], name: &str) -> Option<String> {
    let key = format!("string \"{name}\"");
    block
        .iter()
        .position(|l| l.trim() == key)
        .and_then(|i| block.get(i + 1))
        .and_then(|l| l.trim().strip_prefix("variant"))
        .map(|v| unquote(v.trim().trim_start_matches("string").trim()))
}

/// Every `Notify` call in `log`, in order, with the ids from the server's replies.
pub fn notify_calls(log: &str) -> Vec<NotifyCall> {
    let blocks = split_messages(log);
    let mut calls: Vec<NotifyCall> = blocks
        .iter()
        .filter(|b| b[0].starts_with("method call") && b[0].contains("member=Notify"))
        .map(|b| {
            let top: Vec<&str> = b[1..]
                .iter()
                .filter(|l| l.starts_with("   ") && !l.starts_with("    "))
                .map(|l| l.trim())
                .collect();
            let strings: Vec<String> = top
                .iter()
                .filter_map(|l| l.strip_prefix("string "))
                .map(unquote)
                .collect();
            let replaces_id = top
                .iter()
                .find_map(|l| l.strip_prefix("uint32 "))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let conversation = hint(b, "x-switchboard-conversation").and_then(|v| v.parse().ok());
            let conversations = hint(b, "x-switchboard-conversations")
                .map(|v| v.split(',').filter_map(|id| id.parse().ok()).collect())
                .unwrap_or_default();
            NotifyCall {
                sender: text_field(&b[0], "sender="),
                serial: field(&b[0], "serial="),
                replaces_id,
                summary: strings.get(2).cloned().unwrap_or_default(),
                body: strings.get(3).cloned().unwrap_or_default(),
                conversation,
                conversations,
                id: None,
            }
        })
        .collect();
    for b in blocks.iter().filter(|b| b[0].starts_with("method return")) {
        let reply_to = field(&b[0], "reply_serial=");
        let destination = text_field(&b[0], "destination=");
        if let Some(call) = calls
            .iter_mut()
            .find(|c| c.serial == reply_to && c.sender == destination)
        {
            call.id = b
                .get(1)
                .and_then(|l| l.trim().strip_prefix("uint32 "))
                .and_then(|v| v.parse().ok());
        }
    }
    calls
}

fn split_messages(log: &str) -> Vec<Vec<String>> {
    let mut blocks: Vec<Vec<String>> = Vec::new();
    for line in log.lines() {
        let starts = ["method call", "method return", "signal", "error"]
            .iter()
            .any(|p| line.starts_with(p));
        if starts {
            blocks.push(vec![line.to_owned()]);
        } else if let Some(block) = blocks.last_mut() {
            block.push(line.to_owned());
        }
    }
    blocks
}

fn field(header: &str, name: &str) -> u64 {
    header
        .split_whitespace()
        .find_map(|part| part.strip_prefix(name))
        .and_then(|v| v.trim_end_matches(';').parse().ok())
        .unwrap_or(0)
}

fn text_field(header: &str, name: &str) -> String {
    header
        .split_whitespace()
        .find_map(|part| part.strip_prefix(name))
        .unwrap_or_default()
        .trim_end_matches(';')
        .to_owned()
}

fn unquote(value: &str) -> String {
    value.trim().trim_matches('"').to_owned()
}

#[test]
fn reads_a_notify_call_and_its_reply() {
    let log = r#"method call time=1.0 sender=:1.7 -> destination=org.freedesktop.Notifications serial=9 path=/org/freedesktop/Notifications; interface=org.freedesktop.Notifications; member=Notify
   string "Switchboard"
   uint32 0
   string ""
   string "Support · Ana — at risk: due in 5 m"
   string "Where is my order?"
   array [
      string "default"
      string "Open"
   ]
   array [
      dict entry(
         string "x-switchboard-conversation"
         variant             string "42"
      )
   ]
   int32 -1
method return time=1.1 sender=:1.3 -> destination=:1.7 serial=5 reply_serial=9
   uint32 17
"#;
    let calls = notify_calls(log);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].summary, "Support · Ana — at risk: due in 5 m");
    assert_eq!(calls[0].body, "Where is my order?");
    assert_eq!(calls[0].replaces_id, 0);
    assert_eq!(calls[0].conversation, Some(42));
    assert_eq!(calls[0].id, Some(17));
}
