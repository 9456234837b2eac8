//! The words of notifications: titles, bodies and human durations.

use std::collections::BTreeMap;

use crate::{QueueId, SlaState, Timestamp};

use super::WatchedConversation;

/// How many characters of a conversation's first line a single notification's body keeps.
const BODY_MAX_CHARS: usize = 200;
/// How many characters of the oldest conversation's first line a group or summary quotes.
const QUOTE_MAX_CHARS: usize = 60;

/// A duration for people, rounded down: `< 1 m` under a minute, then `45 m`, `2 h 10 m`
/// (`2 h` on the hour), `3 d 4 h` (`3 d` on the day). Negative durations read `< 1 m`.
pub fn human_duration(millis: i64) -> String {
    let minutes = millis.max(0) / 60_000;
    if minutes == 0 {
        return "< 1 m".to_owned();
    }
    if minutes < 60 {
        return format!("{minutes} m");
    }
    let (hours, minutes) = (minutes / 60, minutes % 60);
    if hours < 24 {
        return if minutes == 0 {
            format!("{hours} h")
        } else {
            format!("{hours} h {minutes} m")
        };
    }
    let (days, hours) = (hours / 24, hours % 24);
    if hours == 0 {
        format!("{days} d")
    } else {
        format!("{days} d {hours} h")
    }
}

/// One line of customer text made safe to show: the first non-empty line, control
/// characters dropped, trimmed, cut to `max` characters with `…`.
pub(super) fn clean_line(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let line: String = crate::cap_clusters(line)
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let line = line.trim();
    if line.chars().count() <= max {
        return line.to_owned();
    }
    let cut: String = line.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

fn customer(c: &WatchedConversation) -> String {
    // Normally shown already (the store reads it so); a name on several lines keeps its
    // words here too.
    let name = clean_line(&crate::shown_name(&c.customer, ""), 80);
    if name.is_empty() {
        "A customer".to_owned()
    } else {
        name
    }
}

fn label(text: &str) -> String {
    clean_line(text, 60)
}

/// Title and body of a notification about one conversation at `level`.
pub(super) fn single(c: &WatchedConversation, level: SlaState, now: Timestamp) -> (String, String) {
    let who = format!("{} · {}", label(&c.queue_label), customer(c));
    let due = c.deadlines.breached_at;
    let title = match level {
        SlaState::OnTrack => who,
        SlaState::AtRisk => {
            let left = due.0.saturating_sub(now.0);
            if left <= 0 {
                format!("{who} — at risk: due now")
            } else {
                format!("{who} — at risk: due in {}", human_duration(left))
            }
        }
        SlaState::Breached => format!(
            "{who} — overdue {}",
            human_duration(now.0.saturating_sub(due.0))
        ),
        SlaState::Escalated => format!(
            "Escalated · {who} — overdue {}",
            human_duration(now.0.saturating_sub(due.0))
        ),
    };
    (title, clean_line(&c.preview, BODY_MAX_CHARS))
}

/// Title and body of a group of `members` (oldest first, at least one) of one queue at
/// one level.
pub(super) fn group(
    queue_label: &str,
    level: SlaState,
    members: &[&WatchedConversation],
    now: Timestamp,
) -> (String, String) {
    let n = members.len();
    let noun = if n == 1 {
        "conversation"
    } else {
        "conversations"
    };
    let label = label(queue_label);
    let title = match level {
        SlaState::OnTrack => format!("{n} {label} {noun}"),
        SlaState::AtRisk => format!("{n} {label} {noun} at risk"),
        SlaState::Breached => format!("{n} {label} {noun} overdue"),
        SlaState::Escalated => format!("Escalated · {n} {label} {noun} overdue"),
    };
    let body = members.first().map(|c| oldest(c, now)).unwrap_or_default();
    (title, body)
}

/// Title and body of the "While you were away" summary of `members` (oldest first) with
/// their levels: one line per queue with counts per level (worst queue first), then the
/// oldest wait.
pub(super) fn summary(
    members: &[(&WatchedConversation, SlaState)],
    now: Timestamp,
) -> (String, String) {
    // queue → (label, counts of escalated/breached/at risk, oldest waiting_since, worst)
    struct Line {
        label: String,
        counts: [usize; 3],
        oldest: Timestamp,
        worst: SlaState,
    }
    let mut lines: BTreeMap<&QueueId, Line> = BTreeMap::new();
    for (c, level) in members {
        let line = lines.entry(&c.queue).or_insert_with(|| Line {
            label: label(&c.queue_label),
            counts: [0; 3],
            oldest: c.waiting_since,
            worst: *level,
        });
        let slot = match level {
            SlaState::Escalated => 0,
            SlaState::Breached => 1,
            _ => 2,
        };
        line.counts[slot] += 1;
        line.oldest = line.oldest.min(c.waiting_since);
        line.worst = line.worst.max(*level);
    }
    let mut ordered: Vec<(&QueueId, Line)> = lines.into_iter().collect();
    ordered.sort_by(|(qa, a), (qb, b)| {
        b.worst
            .cmp(&a.worst)
            .then(a.oldest.cmp(&b.oldest))
            .then(qa.cmp(qb))
    });
    let mut body: Vec<String> = ordered
        .iter()
        .map(|(_, line)| {
            let parts: Vec<String> = line
                .counts
                .iter()
                .zip(["escalated", "overdue", "at risk"])
                .filter(|(n, _)| **n > 0)
                .map(|(n, word)| format!("{n} {word}"))
                .collect();
            format!("{}: {}", line.label, parts.join(", "))
        })
        .collect();
    if let Some((c, _)) = members.first() {
        body.push(oldest(c, now));
    }
    ("While you were away".to_owned(), body.join("\n"))
}

/// `Oldest: Ana Souza, 2 h 10 m — “first line”`.
fn oldest(c: &WatchedConversation, now: Timestamp) -> String {
    let wait = human_duration(now.0.saturating_sub(c.waiting_since.0));
    let quote = clean_line(&c.preview, QUOTE_MAX_CHARS);
    if quote.is_empty() {
        format!("Oldest: {}, {wait}", customer(c))
    } else {
        format!("Oldest: {}, {wait} — “{quote}”", customer(c))
    }
}
