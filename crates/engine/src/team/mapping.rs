//! Between the team's shared log and the replica's core events.
//!
//! What the log holds, by `kind`:
//! - a core event's name (`handed_off`, `note_added`, …), payload `{"event": <Event>}`:
//!   pushed from a laptop's outbox;
//! - `item`: an item the poll-lease holder read, payload `{…, "item": {"event": <Event>}}`;
//! - `claimed` / `claim_taken_over`: written by the database when it granted a claim —
//!   the claim is the author's (the member's login role), at the database's time;
//! - `claim_released`, `policy_changed`: bookkeeping the replica does not fold (a release
//!   also comes as the pushed `released` or `handed_off` event; a policy version is read
//!   from the policy table);
//! - `saved_reply`: a change to one of the workspace's saved replies (created, edited,
//!   archived, restored), pushed from a laptop's outbox, payload `{"saved_reply": {…}}`
//!   (see `switchboard_store::SavedReplyEvent`). It names no conversation: it is folded
//!   into the saved-reply log and projection, not into a conversation's.
//!
//! Anything else, or a payload that does not read, is **set aside**: logged with the
//! reason, and the cursor moves past it, so one bad row cannot stop a team.

use serde_json::{json, Value};
use switchboard_core::{Event, EventKind, ThreadKey, Timestamp};
use switchboard_store::{SavedReplyEvent, SharedEvent, SAVED_REPLY_KIND};
use switchboard_team::TeamEvent;

/// What one event of the log means to the replica.
pub(crate) enum Mapped {
    /// A core event to fold in.
    Fold(Box<SharedEvent>),
    /// A change to a saved reply, to fold into the saved-reply log.
    SavedReply(Box<SavedReplyEvent>),
    /// A new version of the team's policy was published.
    PolicyChanged,
    /// Nothing to fold (bookkeeping).
    Skip,
    /// Not understood: kept out, with the reason.
    SetAside(String),
}

/// Maps one event of the log.
pub(crate) fn from_log(event: &TeamEvent) -> Mapped {
    let shared = |core: Event| {
        Mapped::Fold(Box::new(SharedEvent {
            event_id: event.event_id.to_string(),
            server_seq: event.server_seq,
            event: core,
        }))
    };
    match event.kind.as_str() {
        "claimed" | "claim_taken_over" => match event.payload.get("conversation") {
            Some(Value::String(thread)) => shared(Event {
                thread: ThreadKey(thread.clone()),
                at: Timestamp(event.recorded_at_ms),
                by: Some(event.author.clone()),
                kind: EventKind::Claimed,
            }),
            _ => Mapped::SetAside("a claim that names no conversation".into()),
        },
        "claim_released" => Mapped::Skip,
        SAVED_REPLY_KIND => match SavedReplyEvent::from_shared(
            event.event_id.to_string(),
            event.server_seq,
            event.author.clone(),
            &event.payload,
        ) {
            Ok(change) => Mapped::SavedReply(Box::new(change)),
            Err(why) => Mapped::SetAside(why),
        },
        "policy_changed" => Mapped::PolicyChanged,
        "item" => match event
            .payload
            .get("item")
            .and_then(|item| item.get("event"))
            .map(|core| serde_json::from_value::<Event>(core.clone()))
        {
            Some(Ok(core)) if is_item(&core.kind) => shared(core),
            Some(Ok(_)) => Mapped::SetAside("an item event that holds no item".into()),
            Some(Err(e)) => Mapped::SetAside(format!("an item that does not read: {e}")),
            None => Mapped::SetAside("an item event without its item".into()),
        },
        kind => match event
            .payload
            .get("event")
            .map(|core| serde_json::from_value::<Event>(core.clone()))
        {
            Some(Ok(core)) if core.kind.name() == kind && !is_item(&core.kind) => shared(core),
            Some(Ok(core)) => Mapped::SetAside(format!(
                "a `{kind}` event that holds a `{}` event",
                core.kind.name()
            )),
            Some(Err(e)) => Mapped::SetAside(format!("a `{kind}` event that does not read: {e}")),
            None => Mapped::SetAside(format!("an event of unknown kind `{kind}`")),
        },
    }
}

fn is_item(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::ItemIngested { .. } | EventKind::BrandReplyObserved { .. }
    )
}

/// The payload of a [`switchboard_team::TeamItem`] holding `event`.
pub(crate) fn item_payload(event: &Event) -> Value {
    json!({ "event": event })
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::{Author, Item, ItemKind, Platform, QueueId};
    use uuid::Uuid;

    fn logged(kind: &str, payload: Value) -> TeamEvent {
        TeamEvent {
            server_seq: 7,
            event_id: Uuid::now_v7(),
            author: "sb_ana".into(),
            device: "laptop-a".into(),
            device_seq: 1,
            kind: kind.into(),
            payload,
            recorded_at_ms: 1_000,
        }
    }

    fn item() -> Item {
        Item {
            platform: Platform::Mastodon,
            account: "brand".into(),
            native_id: "1".into(),
            thread: ThreadKey("mastodon:brand:1".into()),
            kind: ItemKind::Mention,
            author: Author {
                handle: "@c".into(),
                display_name: "C".into(),
            },
            from_brand: false,
            text: "hello".into(),
            lang: None,
            created_at: Timestamp(5),
        }
    }

    #[test]
    fn a_claim_granted_by_the_database_is_the_authors() {
        let Mapped::Fold(shared) = from_log(&logged(
            "claimed",
            json!({ "conversation": "t1", "fence": 3 }),
        )) else {
            panic!("a claim folds");
        };
        assert_eq!(shared.event.by.as_deref(), Some("sb_ana"));
        assert_eq!(shared.event.kind, EventKind::Claimed);
        assert_eq!(shared.event.at, Timestamp(1_000));
        assert_eq!(shared.server_seq, 7);
    }

    #[test]
    fn items_and_actions_round_trip() {
        let core = Event {
            thread: ThreadKey("mastodon:brand:1".into()),
            at: Timestamp(9),
            by: None,
            kind: EventKind::ItemIngested {
                item: item(),
                queue: QueueId("support".into()),
            },
        };
        let logged_item = logged("item", json!({ "item": item_payload(&core) }));
        assert!(matches!(from_log(&logged_item), Mapped::Fold(s) if s.event == core));
        let note = Event {
            thread: ThreadKey("t".into()),
            at: Timestamp(9),
            by: Some("sb_ana".into()),
            kind: EventKind::NoteAdded { note: "hi".into() },
        };
        let logged_note = logged("note_added", json!({ "event": note }));
        assert!(matches!(from_log(&logged_note), Mapped::Fold(s) if s.event == note));
        let hidden = Event {
            thread: ThreadKey("t".into()),
            at: Timestamp(10),
            by: Some("sb_rosa".into()),
            kind: EventKind::ItemHidden {
                item: "1_2".into(),
                hidden: true,
                reason: "spam".into(),
            },
        };
        let logged_hidden = logged("item_hidden", json!({ "event": hidden }));
        assert!(matches!(from_log(&logged_hidden), Mapped::Fold(s) if s.event == hidden));
    }

    #[test]
    fn a_saved_reply_change_folds_into_the_saved_replies_under_its_author() {
        let payload = json!({ "saved_reply": {
            "reply": "r1", "kind": "created", "at": 5,
            "body": { "title": "Delayed", "text": "Sorry {customer}", "category": "Orders",
                      "queues": ["support"], "platforms": ["bluesky"] },
        }});
        let Mapped::SavedReply(change) = from_log(&logged("saved_reply", payload)) else {
            panic!("a saved-reply change folds");
        };
        assert_eq!(change.reply_id, "r1");
        assert_eq!(change.author, "sb_ana");
        assert_eq!(change.server_seq, Some(7));
        assert_eq!(change.at, Timestamp(5));
        assert_eq!(change.change.name(), "created");
        let unreadable = json!({ "saved_reply": { "reply": "r1", "kind": "created", "at": 5 } });
        assert!(matches!(
            from_log(&logged("saved_reply", unreadable)),
            Mapped::SetAside(_)
        ));
    }

    #[test]
    fn what_does_not_read_is_set_aside_with_a_reason() {
        for (kind, payload) in [
            ("mystery", json!({})),
            ("note_added", json!({ "event": { "nonsense": true } })),
            ("claimed", json!({})),
            ("item", json!({ "item": {} })),
        ] {
            assert!(
                matches!(from_log(&logged(kind, payload)), Mapped::SetAside(_)),
                "{kind}"
            );
        }
        // A pushed event whose kind column disagrees with its payload.
        let note = Event {
            thread: ThreadKey("t".into()),
            at: Timestamp(9),
            by: None,
            kind: EventKind::Reopened,
        };
        assert!(matches!(
            from_log(&logged("claimed_by_magic", json!({ "event": note }))),
            Mapped::SetAside(_)
        ));
    }
}
