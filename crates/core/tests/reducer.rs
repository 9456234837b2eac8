//! The reducer: every event, out-of-order arrivals, and what actions do to the clock.

use switchboard_core::{
    Author, ConversationState, DoneReason, Event, EventKind, Item, ItemKind, Platform, QueueId,
    ReduceError, ThreadKey, Timestamp,
};

fn thread() -> ThreadKey {
    ThreadKey::new(Platform::Mastodon, "brand", "root")
}

fn facts(at: i64, who: &str) -> Item {
    Item {
        platform: Platform::Mastodon,
        account: "brand".into(),
        native_id: format!("{who}-{at}"),
        thread: thread(),
        from_brand: who == "brand",
        lang: None,
        kind: if who == "brand" {
            ItemKind::Reply
        } else {
            ItemKind::Mention
        },
        author: Author {
            handle: format!("@{who}"),
            display_name: who.to_owned(),
        },
        text: format!("{who} at {at}"),
        created_at: Timestamp(at),
    }
}

fn customer(at: i64) -> Event {
    Event {
        thread: thread(),
        at: Timestamp(1_000_000 + at),
        by: None,
        kind: EventKind::ItemIngested {
            item: facts(at, "ana"),
            queue: QueueId::from("support"),
        },
    }
}

fn brand(at: i64) -> Event {
    Event {
        thread: thread(),
        at: Timestamp(1_000_000 + at),
        by: None,
        kind: EventKind::BrandReplyObserved {
            item: facts(at, "brand"),
            queue: QueueId::from("triage"),
        },
    }
}

fn action(at: i64, kind: EventKind) -> Event {
    Event {
        thread: thread(),
        at: Timestamp(at),
        by: Some("maya".into()),
        kind,
    }
}

fn run(events: &[Event]) -> ConversationState {
    events
        .iter()
        .try_fold(None, |state, e| {
            ConversationState::apply(state, e).map(Some)
        })
        .expect("events apply")
        .expect("a conversation")
}

#[test]
fn a_customer_item_starts_a_waiting_conversation_in_the_routed_queue() {
    let s = run(&[customer(100)]);
    assert_eq!(s.queue, QueueId::from("support"));
    assert_eq!(s.waiting_since(), Some(Timestamp(100)));
    assert!(!s.answered_before(), "first-response clock");
    assert_eq!(s.kind, Some(ItemKind::Mention));
    assert_eq!(s.customer.as_ref().unwrap().display_name, "ana");
    assert_eq!(s.item_count, 1);
}

#[test]
fn follow_ups_keep_the_clock_from_the_first_unanswered_item() {
    let s = run(&[customer(100), customer(200)]);
    assert_eq!(s.waiting_since(), Some(Timestamp(100)));
    assert_eq!(
        s.preview, "ana at 200",
        "preview follows the latest customer item"
    );
}

#[test]
fn a_brand_reply_from_anywhere_answers_and_a_new_item_reopens_with_next_response() {
    let s = run(&[customer(100), brand(150)]);
    assert_eq!(s.waiting_since(), None, "answered");
    let s = run(&[customer(100), brand(150), customer(300)]);
    assert_eq!(
        s.waiting_since(),
        Some(Timestamp(300)),
        "next-response clock starts"
    );
    assert!(s.answered_before());
}

#[test]
fn a_brand_reply_fetched_before_the_item_it_answers() {
    let in_order = run(&[customer(100), brand(150)]);
    let reversed = run(&[brand(150), customer(100)]);
    assert_eq!(reversed.waiting_since(), None);
    assert_eq!(
        reversed.queue,
        QueueId::from("triage"),
        "the first event created it"
    );
    assert_eq!(reversed.customer, in_order.customer);
    assert_eq!(reversed.item_count, 2);
}

#[test]
fn a_late_brand_reply_in_the_middle_of_a_run_restarts_the_clock_after_it() {
    let s = run(&[customer(100), customer(300), brand(200)]);
    assert_eq!(s.waiting_since(), Some(Timestamp(300)));
}

#[test]
fn any_arrival_order_of_items_gives_the_same_state() {
    let events = [
        customer(100),
        brand(150),
        customer(200),
        customer(250),
        brand(120),
    ];
    let reference = run(&events);
    let mut order = [0usize, 1, 2, 3, 4];
    let mut seen = 0;
    permutations(&mut order, 0, &mut |perm| {
        let shuffled: Vec<Event> = perm.iter().map(|&i| events[i].clone()).collect();
        let mut s = run(&shuffled);
        s.queue = reference.queue.clone(); // the first arrival decides the queue
        s.platform = reference.platform;
        assert_eq!(s, reference, "order {perm:?}");
        seen += 1;
    });
    assert_eq!(seen, 120);
}

fn permutations(items: &mut [usize; 5], k: usize, visit: &mut impl FnMut(&[usize; 5])) {
    if k == items.len() {
        visit(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, visit);
        items.swap(k, i);
    }
}

#[test]
fn claim_and_release() {
    let s = run(&[customer(100), action(110, EventKind::Claimed)]);
    assert_eq!(s.claimed_by.as_deref(), Some("maya"));
    let s = run(&[
        customer(100),
        action(110, EventKind::Claimed),
        action(120, EventKind::Released),
    ]);
    assert_eq!(s.claimed_by, None);
}

#[test]
fn hand_off_moves_queue_releases_and_keeps_the_note_first() {
    let s = run(&[
        customer(100),
        action(110, EventKind::Claimed),
        action(
            120,
            EventKind::HandedOff {
                to: QueueId::from("sales"),
                note: "Wants 40 kg a month for an office".into(),
                to_member: None,
            },
        ),
    ]);
    assert_eq!(s.queue, QueueId::from("sales"));
    assert_eq!(s.claimed_by, None, "the next person claims it");
    let note = s.handoff_note.clone().unwrap();
    assert_eq!(note.text, "Wants 40 kg a month for an office");
    assert_eq!(note.by.as_deref(), Some("maya"));
    assert_eq!(
        s.waiting_since(),
        Some(Timestamp(100)),
        "a hand-off does not reset the clock"
    );
}

#[test]
fn a_removed_queue_moves_the_conversation_and_keeps_its_claim_and_note() {
    let s = run(&[
        customer(100),
        action(
            105,
            EventKind::HandedOff {
                to: QueueId::from("billing"),
                note: "Refund question".into(),
                to_member: None,
            },
        ),
        action(110, EventKind::Claimed),
        action(
            120,
            EventKind::QueueRemoved {
                from: QueueId::from("billing"),
                to: QueueId::triage(),
            },
        ),
    ]);
    assert_eq!(s.queue, QueueId::triage());
    assert_eq!(
        s.claimed_by.as_deref(),
        Some("maya"),
        "whoever had it keeps it"
    );
    assert_eq!(s.handoff_note.as_ref().unwrap().text, "Refund question");
    assert_eq!(s.waiting_since(), Some(Timestamp(100)), "the clock runs on");

    // A conversation already elsewhere stays where it is.
    let elsewhere = run(&[
        customer(100),
        action(
            120,
            EventKind::QueueRemoved {
                from: QueueId::from("billing"),
                to: QueueId::triage(),
            },
        ),
    ]);
    assert_eq!(elsewhere.queue, QueueId::from("support"));
}

#[test]
fn notes_are_counted() {
    let s = run(&[
        customer(100),
        action(110, EventKind::NoteAdded { note: "VIP".into() }),
        action(
            111,
            EventKind::NoteAdded {
                note: "called".into(),
            },
        ),
    ]);
    assert_eq!(s.note_count, 2);
}

#[test]
fn done_removes_until_the_customer_writes_again_and_reopen_brings_it_back() {
    let done = action(
        1_000_500,
        EventKind::MarkedDone {
            reason: DoneReason::NoReplyNeeded,
        },
    );
    let s = run(&[customer(100), done.clone()]);
    assert_eq!(s.waiting_since(), None, "done: out of the queue");
    assert_eq!(s.done.as_ref().unwrap().reason, DoneReason::NoReplyNeeded);

    let s = run(&[customer(100), done.clone(), customer(1_000_600)]);
    assert_eq!(s.done, None, "the customer wrote again");
    assert_eq!(
        s.waiting_since(),
        Some(Timestamp(100)),
        "still unanswered since the first item"
    );

    let s = run(&[customer(100), done, action(1_000_700, EventKind::Reopened)]);
    assert_eq!(s.done, None);
    assert_eq!(s.waiting_since(), Some(Timestamp(100)));
}

#[test]
fn snooze_pauses_until_its_end_or_the_customer_writing() {
    let snooze = action(
        150,
        EventKind::Snoozed {
            until: Timestamp(900),
        },
    );
    let s = run(&[customer(100), snooze.clone()]);
    assert_eq!(s.pauses, vec![(Timestamp(150), Timestamp(900))]);
    assert_eq!(s.snoozed_until(Timestamp(500)), Some(Timestamp(900)));
    assert_eq!(s.snoozed_until(Timestamp(900)), None, "over at its end");

    let s = run(&[customer(100), snooze.clone(), customer(400)]);
    assert_eq!(
        s.pauses,
        vec![(Timestamp(150), Timestamp(400))],
        "the customer ended it"
    );

    let s = run(&[customer(100), snooze, brand(500)]);
    assert_eq!(s.waiting_since(), None);
    assert!(
        s.pauses.is_empty(),
        "answered: the run and its pauses are over"
    );
}

#[test]
fn a_snooze_into_the_past_is_refused() {
    let state = run(&[customer(100)]);
    let err = ConversationState::apply(
        Some(state),
        &action(
            500,
            EventKind::Snoozed {
                until: Timestamp(400),
            },
        ),
    )
    .unwrap_err();
    assert_eq!(err, ReduceError::SnoozeInPast);
}

#[test]
fn actions_need_a_conversation() {
    let err = ConversationState::apply(None, &action(1, EventKind::Claimed)).unwrap_err();
    assert!(matches!(err, ReduceError::NoConversation(_)));
}

#[test]
fn events_round_trip_through_json() {
    for e in [
        customer(1),
        brand(2),
        action(
            3,
            EventKind::MarkedDone {
                reason: DoneReason::Spam,
            },
        ),
        action(
            4,
            EventKind::HandedOff {
                to: QueueId::from("sales"),
                note: "n".into(),
                to_member: None,
            },
        ),
    ] {
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e, "{json}");
    }
}
