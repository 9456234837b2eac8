//! Turning logged events into the plain words of a conversation's history.

use switchboard_core::{DoneReason, Event, EventKind, PREVIEW_CHARS};

/// What the event in `payload` did, in words; unreadable payloads say so rather than fail.
pub(crate) fn describe(payload: &str) -> String {
    let Ok(event) = serde_json::from_str::<Event>(payload) else {
        return "(an event this version cannot read)".into();
    };
    match event.kind {
        EventKind::ItemIngested { item, .. } => {
            format!(
                "{} wrote: {}",
                item.author.display_name,
                item.first_line(PREVIEW_CHARS)
            )
        }
        EventKind::BrandReplyObserved { item, .. } => {
            format!("The brand replied: {}", item.first_line(PREVIEW_CHARS))
        }
        EventKind::Claimed => "Claimed".into(),
        EventKind::Released => "Released".into(),
        EventKind::HandedOff {
            to,
            note,
            to_member: None,
        } => format!("Handed off to {}: {note}", to.0),
        EventKind::HandedOff {
            to,
            note,
            to_member: Some(member),
        } => format!("Handed off to {} — {member}: {note}", to.0),
        EventKind::NoteAdded { note } => format!("Note: {note}"),
        EventKind::MarkedDone { reason } => format!(
            "Marked done: {}",
            match reason {
                DoneReason::AnsweredElsewhere => "answered elsewhere",
                DoneReason::NoReplyNeeded => "no reply needed",
                DoneReason::Spam => "spam",
            }
        ),
        EventKind::Reopened => "Reopened".into(),
        EventKind::Snoozed { until } => {
            let minutes = ((until.millis() - event.at.millis()).max(0) as u64).div_ceil(60_000);
            format!("Snoozed for {minutes} min")
        }
        EventKind::ReplyQueued {
            text,
            sent_anyway,
            guardrail_overrides,
            trainee_overrides,
            ..
        } => {
            let mut told = told(sent_anyway, &guardrail_overrides);
            if !trainee_overrides.is_empty() {
                let trainee = format!(
                    "the trainee confirmed guardrail warnings: {}",
                    trainee_overrides.join(", ")
                );
                told = Some(match told {
                    Some(told) => format!("{told}; {trainee}"),
                    None => trainee,
                });
            }
            match told {
                None => format!("Reply written: {text}"),
                Some(told) => format!("Reply written ({told}): {text}"),
            }
        }
        EventKind::ReplyAwaitingApproval {
            text,
            sent_anyway,
            guardrail_overrides,
            ..
        } => match told(sent_anyway, &guardrail_overrides) {
            None => format!("Reply written, awaiting a lead's approval: {text}"),
            Some(told) => format!("Reply written ({told}), awaiting a lead's approval: {text}"),
        },
        EventKind::ReplyApproved { text, .. } => format!("Reply approved: {text}"),
        EventKind::ReplyRejected { reason, .. } => format!("Reply rejected: {reason}"),
        EventKind::ReplySent { .. } => "Reply sent to the platform".into(),
        EventKind::ReplyFailed { error, .. } => format!("Reply failed: {error}"),
        EventKind::ItemHidden {
            hidden: true,
            reason,
            ..
        } => format!("Hidden from the public: {reason}"),
        EventKind::ItemHidden { reason, .. } if reason.trim().is_empty() => {
            "Shown again to the public".into()
        }
        EventKind::ItemHidden { reason, .. } => format!("Shown again to the public: {reason}"),
        EventKind::QueueRemoved { from, to } => format!(
            "Moved to {}: the queue {} is no longer in the workspace policy",
            to.0, from.0
        ),
    }
}

/// What the writer was told and went ahead anyway: a collision ("Ana replied 2 min ago —
/// sent anyway") and the guardrail warnings they confirmed ("guardrail warnings
/// confirmed: phone_number, blame").
fn told(sent_anyway: Option<String>, guardrail_overrides: &[String]) -> Option<String> {
    let mut told = Vec::new();
    if let Some(warning) = sent_anyway {
        told.push(format!("{warning} — sent anyway"));
    }
    if !guardrail_overrides.is_empty() {
        told.push(format!(
            "guardrail warnings confirmed: {}",
            guardrail_overrides.join(", ")
        ));
    }
    (!told.is_empty()).then(|| told.join("; "))
}
