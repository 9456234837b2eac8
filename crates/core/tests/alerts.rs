//! The desktop alert planner: thresholds, one notification per conversation, clearing,
//! grouping, cool-down, quiet hours, pause, escalation to leads, sleep, wake-ups.

use jiff::civil::Time;
use switchboard_core::{
    human_duration, AlertAction, AlertPlanner, AlertSettings, BusinessCalendar, Deadlines,
    Decision, Notification, QueueId, QuietHours, QuietHoursError, SlaState, Timestamp, Urgency,
    WatchedConversation, Watchlist, SUMMARY_KEY,
};

const SEC: i64 = 1_000;
const MIN: i64 = 60 * SEC;
const HOUR: i64 = 60 * MIN;

/// 2025-01-06 (a Monday) 00:00 UTC.
const DAY0: i64 = 1_736_121_600_000;

const SAM: &str = "sam@example.com";
const LEE: &str = "lee@example.com";

/// Minutes after 09:00 UTC on DAY0 (negative for before).
fn t(minutes: i64) -> Timestamp {
    Timestamp(DAY0 + 9 * HOUR + minutes * MIN)
}

/// `hours:minutes` UTC counted from DAY0 00:00 (hours may pass 24).
fn utc(hours: i64, minutes: i64) -> Timestamp {
    Timestamp(DAY0 + hours * HOUR + minutes * MIN)
}

/// An RFC 3339 instant.
fn ts(text: &str) -> Timestamp {
    Timestamp(text.parse::<jiff::Timestamp>().unwrap().as_millisecond())
}

fn customer(id: i64) -> String {
    match id {
        1 => "Ana Souza".into(),
        2 => "Ben Okafor".into(),
        3 => "Chloé Martin".into(),
        4 => "Dev Patel".into(),
        5 => "Eva Lind".into(),
        _ => format!("Customer {id}"),
    }
}

/// A waiting, unclaimed conversation with explicit deadlines. Support is led by
/// `Lee@Example.com` (so [`LEE`] matches case-insensitively), sales by someone else.
fn conv(
    id: i64,
    queue: &str,
    since: Timestamp,
    at_risk: Timestamp,
    breached: Timestamp,
    escalated: Timestamp,
) -> WatchedConversation {
    let (label, leads) = match queue {
        "support" => ("Support", vec!["Lee@Example.com ".to_owned()]),
        "sales" => ("Sales", vec!["sal@example.com".to_owned()]),
        "marketing" => ("Marketing", vec![]),
        other => (other, vec![]),
    };
    WatchedConversation {
        id,
        queue: QueueId::from(queue),
        queue_label: label.to_owned(),
        customer: customer(id),
        preview: format!("first line {id}\nsecond line"),
        waiting_since: since,
        deadlines: Deadlines {
            at_risk_at: at_risk,
            breached_at: breached,
            escalated_at: escalated,
        },
        claimed: false,
        snoozed_until: None,
        leads,
    }
}

/// Waiting since `t(since)` with a target of `target` minutes: at risk at 75 %, breached
/// at 100 %, escalated at 200 %.
fn conv_t(id: i64, queue: &str, since: i64, target: i64) -> WatchedConversation {
    conv(
        id,
        queue,
        t(since),
        Timestamp(t(since).0 + target * MIN * 3 / 4),
        t(since + target),
        t(since + 2 * target),
    )
}

fn settings(person: &str, queues: &[&str]) -> AlertSettings {
    let mut s = AlertSettings::new(person);
    s.queues = queues.iter().map(|q| QueueId::from(*q)).collect();
    s
}

fn planner(person: &str, queues: &[&str]) -> AlertPlanner {
    AlertPlanner::new(settings(person, queues))
}

fn quiet(start: (i8, i8), end: (i8, i8), tz: &str) -> QuietHours {
    QuietHours::new(
        Time::constant(start.0, start.1, 0, 0),
        Time::constant(end.0, end.1, 0, 0),
        tz,
    )
    .unwrap()
}

/// The actions in short: `show KEY | TITLE`, `update KEY | TITLE`, `close KEY`.
fn said(d: &Decision) -> Vec<String> {
    d.actions
        .iter()
        .map(|a| match a {
            AlertAction::Show(n) => format!("show {} | {}", n.key, n.title),
            AlertAction::Update(n) => format!("update {} | {}", n.key, n.title),
            AlertAction::Close { key } => format!("close {key}"),
        })
        .collect()
}

fn shown(d: &Decision) -> Vec<&Notification> {
    d.actions
        .iter()
        .filter_map(|a| match a {
            AlertAction::Show(n) => Some(n),
            _ => None,
        })
        .collect()
}

fn updated(d: &Decision) -> Vec<&Notification> {
    d.actions
        .iter()
        .filter_map(|a| match a {
            AlertAction::Update(n) => Some(n),
            _ => None,
        })
        .collect()
}

fn nothing(d: &Decision) -> bool {
    d.actions.is_empty()
}

// ---------------------------------------------------------------------------------------
// Thresholds and levels

#[test]
fn nothing_before_at_risk_then_at_risk_exactly_then_breached_exactly() {
    let mut p = planner(SAM, &[]);
    let c = [conv_t(1, "support", 0, 20)]; // at risk t(15), due t(20), escalated t(40)

    let d = p.decide(t(0), &c);
    assert!(nothing(&d));
    assert_eq!(d.wake_at, Some(t(15)));

    let d = p.decide(Timestamp(t(15).0 - 1), &c);
    assert!(nothing(&d));
    assert_eq!(d.wake_at, Some(t(15)));

    let d = p.decide(t(15), &c);
    assert_eq!(
        said(&d),
        ["show conv:1 | Support · Ana Souza — at risk: due in 5 m"]
    );
    let n = shown(&d)[0];
    assert_eq!(n.body, "first line 1");
    assert_eq!(n.urgency, Urgency::Normal);
    assert_eq!(n.level, SlaState::AtRisk);
    assert_eq!(n.conversation, Some(1));
    assert_eq!(n.conversations, [1]);
    assert_eq!(n.queue, Some(QueueId::from("support")));
    assert_eq!(d.wake_at, Some(t(20)));

    let d = p.decide(Timestamp(t(20).0 - 1), &c);
    assert!(nothing(&d));
    assert_eq!(d.wake_at, Some(t(20)));

    let d = p.decide(t(20), &c);
    assert_eq!(
        said(&d),
        ["show conv:1 | Support · Ana Souza — overdue < 1 m"]
    );
    assert_eq!(shown(&d)[0].urgency, Urgency::Critical);
    assert_eq!(shown(&d)[0].level, SlaState::Breached);
    // Sam is not a lead: escalation is not his, so nothing more will come.
    assert_eq!(d.wake_at, None);

    let d = p.decide(t(45), &c);
    assert!(nothing(&d));
    assert_eq!(d.wake_at, None);
}

#[test]
fn one_notification_per_conversation_replaced_in_place_up_to_escalated() {
    let mut p = planner(LEE, &["support"]);
    let c = [conv_t(1, "support", 0, 20)];
    let mut keys = Vec::new();
    for (at, title) in [
        (t(15), "Support · Ana Souza — at risk: due in 5 m"),
        (t(22), "Support · Ana Souza — overdue 2 m"),
        (t(40), "Escalated · Support · Ana Souza — overdue 20 m"),
    ] {
        let d = p.decide(at, &c);
        assert_eq!(d.actions.len(), 1, "{:?}", said(&d));
        assert_eq!(shown(&d)[0].title, title);
        keys.push(shown(&d)[0].key.clone());
    }
    assert_eq!(keys, ["conv:1", "conv:1", "conv:1"]);
    assert_eq!(p.open_keys(), ["conv:1"]);
    let d = p.decide(t(90), &c);
    assert!(nothing(&d));
    assert_eq!(d.wake_at, None);
}

#[test]
fn never_downgrades_when_deadlines_move_later() {
    let mut p = planner(LEE, &["support"]);
    let d = p.decide(t(20), &[conv_t(1, "support", 0, 20)]);
    assert_eq!(
        said(&d),
        ["show conv:1 | Support · Ana Souza — overdue < 1 m"]
    );
    assert_eq!(d.wake_at, Some(t(40)));

    // The policy doubles the target: the conversation is back on track, then at risk.
    let longer = [conv_t(1, "support", 0, 40)]; // at risk t(30), due t(40), escalated t(80)
    for at in [t(21), t(30), t(40), t(79)] {
        let d = p.decide(at, &longer);
        assert!(nothing(&d), "at {at:?}: {:?}", said(&d));
        assert_eq!(d.wake_at, Some(t(80)));
    }
    let d = p.decide(t(80), &longer);
    assert_eq!(
        said(&d),
        ["show conv:1 | Escalated · Support · Ana Souza — overdue 40 m"]
    );
}

// ---------------------------------------------------------------------------------------
// Clearing

#[test]
fn claim_closes_and_release_does_not_fire_again_for_the_same_run() {
    let mut p = planner(SAM, &[]);
    let mut c = conv_t(1, "support", 0, 20);
    assert_eq!(p.decide(t(20), &[c.clone()]).actions.len(), 1);

    c.claimed = true;
    let d = p.decide(t(25), &[c.clone()]);
    assert_eq!(said(&d), ["close conv:1"]);
    assert_eq!(d.wake_at, None);

    c.claimed = false; // released
    let d = p.decide(t(30), &[c.clone()]);
    assert!(nothing(&d));
    assert_eq!(d.wake_at, None);
    assert!(p.open_keys().is_empty());
}

#[test]
fn a_lead_hears_again_when_a_released_conversation_escalates() {
    let mut p = planner(LEE, &["support"]);
    let mut c = conv_t(1, "support", 0, 20);
    p.decide(t(20), &[c.clone()]);
    c.claimed = true;
    assert_eq!(said(&p.decide(t(25), &[c.clone()])), ["close conv:1"]);
    // Claimed conversations do not wake anyone.
    assert_eq!(p.decide(t(26), &[c.clone()]).wake_at, None);
    c.claimed = false;
    let d = p.decide(t(30), &[c.clone()]);
    assert!(nothing(&d));
    assert_eq!(d.wake_at, Some(t(40)));
    assert_eq!(
        said(&p.decide(t(40), &[c])),
        ["show conv:1 | Escalated · Support · Ana Souza — overdue 20 m"]
    );
}

#[test]
fn answered_closes_and_a_new_waiting_run_alerts_again() {
    let mut p = planner(SAM, &[]);
    p.decide(t(15), &[conv_t(1, "support", 0, 20)]);

    // Answered (from anywhere): the conversation is no longer in the waiting list.
    let d = p.decide(t(17), &[]);
    assert_eq!(said(&d), ["close conv:1"]);
    assert_eq!(d.wake_at, None);

    // The customer writes again at t(30): a new run, with its own clock.
    let again = [conv_t(1, "support", 30, 20)]; // at risk t(45)
    let d = p.decide(t(30), &again);
    assert!(nothing(&d));
    assert_eq!(d.wake_at, Some(t(45)));
    assert_eq!(
        said(&p.decide(t(45), &again)),
        ["show conv:1 | Support · Ana Souza — at risk: due in 5 m"]
    );
}

#[test]
fn a_new_run_seen_without_a_gap_clears_the_old_notification() {
    let mut p = planner(SAM, &[]);
    p.decide(t(15), &[conv_t(1, "support", 0, 20)]);
    // Answered and written to again between two calls: the old alert is stale.
    let d = p.decide(t(31), &[conv_t(1, "support", 30, 20)]);
    assert_eq!(said(&d), ["close conv:1"]);
    assert_eq!(d.wake_at, Some(t(45)));
}

#[test]
fn done_then_reopened_in_the_same_run_alerts_only_when_it_worsens() {
    let mut p = planner(SAM, &[]);
    let c = [conv_t(1, "support", 0, 20)];
    p.decide(t(15), &c);
    assert_eq!(said(&p.decide(t(16), &[])), ["close conv:1"]); // marked done
    let d = p.decide(t(18), &c); // reopened, same run, still at risk
    assert!(nothing(&d));
    assert_eq!(d.wake_at, Some(t(20)));
    assert_eq!(
        said(&p.decide(t(20), &c)),
        ["show conv:1 | Support · Ana Souza — overdue < 1 m"]
    );
}

#[test]
fn snooze_closes_and_the_clock_resumes_after_it() {
    let mut p = planner(SAM, &[]);
    p.decide(t(15), &[conv_t(1, "support", 0, 20)]);

    // Snoozed at t(16) until t(60): the engine re-plans the deadlines around the pause.
    let mut c = conv(1, "support", t(0), t(15), t(64), t(84));
    c.snoozed_until = Some(t(60));
    let d = p.decide(t(16), &[c.clone()]);
    assert_eq!(said(&d), ["close conv:1"]);
    assert_eq!(d.wake_at, Some(t(64)));

    // The snooze is over: still at risk, already said.
    let d = p.decide(t(60), &[c.clone()]);
    assert!(nothing(&d));
    assert_eq!(
        said(&p.decide(t(64), &[c])),
        ["show conv:1 | Support · Ana Souza — overdue < 1 m"]
    );
}

#[test]
fn a_conversation_snoozed_before_it_was_shown_alerts_when_the_snooze_ends() {
    let mut p = planner(SAM, &[]);
    let mut c = conv(1, "support", t(0), t(4), t(30), t(60));
    c.snoozed_until = Some(t(5));
    let d = p.decide(t(0), &[c.clone()]);
    assert!(nothing(&d));
    assert_eq!(d.wake_at, Some(t(5)));
    assert!(nothing(&p.decide(t(4), &[c.clone()])));
    assert_eq!(
        said(&p.decide(t(5), &[c])),
        ["show conv:1 | Support · Ana Souza — at risk: due in 25 m"]
    );
}

#[test]
fn moved_out_of_the_persons_queues_closes() {
    let mut p = planner(SAM, &["support"]);
    let mut c = conv_t(1, "support", 0, 20);
    p.decide(t(15), &[c.clone()]);
    c.queue = QueueId::from("sales");
    c.queue_label = "Sales".into();
    let d = p.decide(t(16), &[c.clone()]);
    assert_eq!(said(&d), ["close conv:1"]);
    assert_eq!(d.wake_at, None);
    // Moved back in the same run: not again at the same level.
    let back = conv_t(1, "support", 0, 20);
    assert!(nothing(&p.decide(t(17), &[back])));
}

// ---------------------------------------------------------------------------------------
// Grouping

#[test]
fn several_at_once_are_grouped_per_queue_and_level() {
    let mut p = planner(SAM, &[]);
    let c = [
        conv(1, "support", t(0), t(30), t(40), t(60)),
        conv(2, "support", t(5), t(30), t(40), t(60)),
        conv(3, "support", t(-70), t(30), t(40), t(60)),
        conv(4, "sales", t(10), t(30), t(40), t(60)),
    ];
    let d = p.decide(t(30), &c);
    assert_eq!(
        said(&d),
        [
            "show conv:4 | Sales · Dev Patel — at risk: due in 10 m",
            "show group:support:at_risk | 3 Support conversations at risk",
        ]
    );
    let group = shown(&d)[1];
    assert_eq!(
        group.body,
        "Oldest: Chloé Martin, 1 h 40 m — “first line 3”"
    );
    assert_eq!(group.conversations, [3, 1, 2]);
    assert_eq!(group.conversation, None);
    assert_eq!(group.queue, Some(QueueId::from("support")));
    assert_eq!(group.urgency, Urgency::Normal);

    // All worsen together: the breached group replaces the at-risk one.
    let d = p.decide(t(40), &c);
    assert_eq!(
        said(&d),
        [
            "close group:support:at_risk",
            "show conv:4 | Sales · Dev Patel — overdue < 1 m",
            "show group:support:breached | 3 Support conversations overdue",
        ]
    );
    assert_eq!(shown(&d)[1].urgency, Urgency::Critical);
    assert_eq!(
        shown(&d)[1].body,
        "Oldest: Chloé Martin, 1 h 50 m — “first line 3”"
    );
}

#[test]
fn a_group_shrinks_quietly_and_its_worsening_members_move_out() {
    let mut p = planner(SAM, &[]);
    let mut c = vec![
        conv(1, "support", t(0), t(30), t(40), t(90)),
        conv(2, "support", t(5), t(30), t(35), t(90)),
        conv(3, "support", t(8), t(30), t(40), t(90)),
    ];
    assert_eq!(
        said(&p.decide(t(30), &c)),
        ["show group:support:at_risk | 3 Support conversations at risk"]
    );

    c[0].claimed = true;
    let d = p.decide(t(32), &c);
    assert_eq!(
        said(&d),
        ["update group:support:at_risk | 2 Support conversations at risk"]
    );
    assert_eq!(
        updated(&d)[0].body,
        "Oldest: Ben Okafor, 27 m — “first line 2”"
    );

    // Ben's conversation is breached alone: it leaves the group for its own notification;
    // the group, down to one, reads like a single one.
    let d = p.decide(t(35), &c);
    assert_eq!(
        said(&d),
        [
            "update group:support:at_risk | Support · Chloé Martin — at risk: due in 5 m",
            "show conv:2 | Support · Ben Okafor — overdue < 1 m",
        ]
    );
    assert_eq!(updated(&d)[0].conversation, Some(3));

    c.remove(2); // answered
    assert_eq!(said(&p.decide(t(36), &c)), ["close group:support:at_risk"]);
}

#[test]
fn group_body_quotes_a_shortened_first_line() {
    let mut p = planner(SAM, &[]);
    let mut a = conv(1, "support", t(0), t(30), t(40), t(60));
    a.preview = format!("  {}\nrest", "x".repeat(100));
    let b = conv(2, "support", t(1), t(30), t(40), t(60));
    let d = p.decide(t(30), &[a, b]);
    assert_eq!(
        shown(&d)[0].body,
        format!("Oldest: Ana Souza, 30 m — “{}…”", "x".repeat(59))
    );
}

#[test]
fn escalations_are_grouped_too() {
    let mut p = planner(LEE, &["sales"]); // leads support, works in sales
    let c = [
        conv(1, "support", t(0), t(10), t(20), t(40)),
        conv(2, "support", t(2), t(10), t(20), t(40)),
    ];
    let d = p.decide(t(40), &c);
    assert_eq!(
        said(&d),
        ["show group:support:escalated | Escalated · 2 Support conversations overdue"]
    );
    assert_eq!(shown(&d)[0].level, SlaState::Escalated);
}

// ---------------------------------------------------------------------------------------
// Cool-down

#[test]
fn cool_down_holds_new_alerts_then_delivers_them_grouped() {
    let mut p = planner(SAM, &[]);
    let mut c = vec![
        conv(1, "support", t(0), t(10), t(30), t(60)),
        conv(
            2,
            "support",
            t(0),
            t(10).plus_millis(20 * SEC),
            t(30),
            t(60),
        ),
        conv(
            3,
            "support",
            t(0),
            t(10).plus_millis(40 * SEC),
            t(30),
            t(60),
        ),
    ];
    let d = p.decide(t(10), &c);
    assert_eq!(
        said(&d),
        ["show conv:1 | Support · Ana Souza — at risk: due in 20 m"]
    );
    // Conversation 2 turns at risk inside the cool-down: it will be shown at its end.
    assert_eq!(d.wake_at, Some(t(11)));

    let d = p.decide(t(10).plus_millis(20 * SEC), &c);
    assert!(nothing(&d));
    assert_eq!(d.held, 1);
    assert_eq!(d.wake_at, Some(t(11)));

    let d = p.decide(t(10).plus_millis(40 * SEC), &c);
    assert!(nothing(&d));
    assert_eq!(d.held, 2);
    assert_eq!(d.wake_at, Some(t(11)));

    // Conversation 1, shown alone at the same queue and level, joins them.
    let d = p.decide(t(11), &c);
    assert_eq!(
        said(&d),
        [
            "close conv:1",
            "show group:support:at_risk | 3 Support conversations at risk"
        ]
    );
    assert_eq!(d.held, 0);
    assert_eq!(d.wake_at, Some(t(30)));

    // Everything breaches at once: one group replaces the at-risk one.
    let d = p.decide(t(30), &c);
    assert_eq!(
        said(&d),
        [
            "close group:support:at_risk",
            "show group:support:breached | 3 Support conversations overdue",
        ]
    );

    // A held alert that is cleared during the cool-down is never shown.
    c.push(conv(
        4,
        "support",
        t(0),
        t(30).plus_millis(10 * SEC),
        t(50),
        t(90),
    ));
    let d = p.decide(t(30).plus_millis(10 * SEC), &c);
    assert_eq!(d.held, 1);
    c.pop();
    let d = p.decide(t(30).plus_millis(20 * SEC), &c);
    assert!(nothing(&d));
    assert_eq!(d.held, 0);
    assert_eq!(d.wake_at, None);
}

#[test]
fn a_single_held_alert_joins_the_one_shown_alone_at_its_queue_and_level() {
    let mut p = planner(SAM, &[]);
    let mut c = vec![
        conv(1, "support", t(0), t(10), t(30), t(60)),
        conv(
            2,
            "support",
            t(0),
            t(10).plus_millis(20 * SEC),
            t(30),
            t(60),
        ),
        conv(
            3,
            "support",
            t(0),
            t(10).plus_millis(40 * SEC),
            t(30),
            t(60),
        ),
    ];
    p.decide(t(10), &c);
    p.decide(t(10).plus_millis(40 * SEC), &c);
    c[1].claimed = true;
    assert_eq!(
        said(&p.decide(t(11), &c)),
        [
            "close conv:1",
            "show group:support:at_risk | 2 Support conversations at risk"
        ]
    );

    // In another queue it is shown alone.
    let mut p = planner(SAM, &[]);
    let c = [
        conv(1, "support", t(0), t(10), t(30), t(60)),
        conv(3, "sales", t(0), t(10).plus_millis(40 * SEC), t(30), t(60)),
    ];
    p.decide(t(10), &c);
    assert_eq!(
        said(&p.decide(t(11), &c)),
        ["show conv:3 | Sales · Chloé Martin — at risk: due in 19 m"]
    );
}

#[test]
fn escalations_bypass_the_cool_down_and_restart_it() {
    let mut p = planner(LEE, &["support"]);
    let c = [
        conv(1, "support", t(-30), t(0), t(30), t(60)),
        conv(
            2,
            "support",
            t(-30),
            t(-20),
            t(-10),
            t(0).plus_millis(30 * SEC),
        ),
        conv(
            3,
            "support",
            t(-30),
            t(0).plus_millis(30 * SEC),
            t(30),
            t(60),
        ),
    ];
    let d = p.decide(t(0), &c);
    assert_eq!(
        said(&d),
        [
            "show conv:1 | Support · Ana Souza — at risk: due in 30 m",
            "show conv:2 | Support · Ben Okafor — overdue 10 m",
        ]
    );
    assert_eq!(d.wake_at, Some(t(0).plus_millis(30 * SEC)));

    let d = p.decide(t(0).plus_millis(30 * SEC), &c);
    assert_eq!(
        said(&d),
        ["show conv:2 | Escalated · Support · Ben Okafor — overdue 10 m"]
    );
    // Conversation 3's at-risk alert waits for the cool-down the escalation started.
    assert_eq!(d.held, 1);
    assert_eq!(d.wake_at, Some(t(1).plus_millis(30 * SEC)));
}

#[test]
fn cool_down_is_configurable() {
    let mut s = settings(SAM, &[]);
    s.cooldown_millis = 5 * MIN;
    let mut p = AlertPlanner::new(s);
    let c = [
        conv(1, "support", t(0), t(10), t(30), t(60)),
        conv(2, "support", t(0), t(11), t(30), t(60)),
    ];
    p.decide(t(10), &c);
    assert_eq!(p.decide(t(11), &c).wake_at, Some(t(15)));

    let mut s = settings(SAM, &[]);
    s.cooldown_millis = 0;
    let mut p = AlertPlanner::new(s);
    p.decide(t(10), &c);
    assert_eq!(
        said(&p.decide(t(11), &c)),
        [
            "close conv:1",
            "show group:support:at_risk | 2 Support conversations at risk"
        ],
        "no cool-down: delivered at once, joining the one shown alone"
    );
}

/// Runs the planner as the notifier does — at every `wake_at` — from `from` until
/// nothing more is due (at most `max_calls` calls), and returns what is on screen: key →
/// title.
fn run_until_quiet(
    p: &mut AlertPlanner,
    c: &[WatchedConversation],
    from: Timestamp,
    max_calls: usize,
) -> std::collections::BTreeMap<String, String> {
    let mut screen = std::collections::BTreeMap::new();
    let mut now = Some(from);
    let mut calls = 0;
    while let Some(at) = now {
        calls += 1;
        assert!(calls <= max_calls, "still deciding after {max_calls} calls");
        let d = p.decide(at, c);
        for a in &d.actions {
            match a {
                AlertAction::Show(n) | AlertAction::Update(n) => {
                    screen.insert(n.key.clone(), n.title.clone());
                }
                AlertAction::Close { key } => {
                    screen.remove(key);
                }
            }
        }
        now = d.wake_at;
    }
    screen
}

#[test]
fn a_burst_of_deadlines_milliseconds_apart_ends_as_one_notification_per_queue() {
    // 300 conversations, 46 of them in Support, whose deadlines fall 10 ms apart — as
    // after an outage, when a backlog arrived within seconds. Lee works in Support and
    // leads it: escalations pass the cool-down one by one, yet they end up in one
    // notification, not 46 bubbles.
    let burst: Vec<WatchedConversation> = (0..300)
        .map(|i| {
            let queue = if i < 46 * 6 && i % 6 == 0 {
                "support"
            } else {
                "sales"
            };
            let at = |minutes: i64| t(minutes).plus_millis(i * 10);
            conv(i, queue, t(0), at(10), at(30), at(60))
        })
        .collect();
    assert_eq!(burst.iter().filter(|c| c.queue.0 == "support").count(), 46);

    let mut p = planner(LEE, &["support"]);
    let screen = run_until_quiet(&mut p, &burst, t(0), 1_000);
    assert_eq!(
        screen.into_iter().collect::<Vec<_>>(),
        [(
            "group:support:escalated".to_owned(),
            "Escalated · 46 Support conversations overdue".to_owned()
        )],
        "one notification for the queue"
    );

    // Sam works in every queue: one overdue notification per queue.
    let mut p = planner(SAM, &[]);
    let screen = run_until_quiet(&mut p, &burst, t(0), 1_000);
    assert_eq!(
        screen.keys().map(String::as_str).collect::<Vec<_>>(),
        ["group:sales:breached", "group:support:breached"]
    );
    assert_eq!(
        screen["group:support:breached"],
        "46 Support conversations overdue"
    );
}

// ---------------------------------------------------------------------------------------
// Quiet hours, pause

#[test]
fn quiet_hours_hold_alerts_then_one_summary_without_the_cleared_ones() {
    let mut s = settings(SAM, &[]);
    s.quiet_hours = Some(quiet((18, 0), (8, 0), "UTC"));
    let mut p = AlertPlanner::new(s);
    let one = conv(1, "support", utc(18, 0), utc(19, 0), utc(20, 0), utc(22, 0));
    let mut two = conv(2, "support", utc(20, 0), utc(21, 0), utc(22, 0), utc(26, 0));
    let three = conv(3, "sales", utc(30, 0), utc(31, 0), utc(33, 0), utc(36, 0));

    let d = p.decide(utc(17, 59), std::slice::from_ref(&one));
    assert!(nothing(&d));
    assert_eq!(d.wake_at, Some(utc(32, 0)), "the end of quiet hours");

    let d = p.decide(utc(19, 0), std::slice::from_ref(&one));
    assert!(nothing(&d));
    assert_eq!((d.held, d.wake_at), (1, Some(utc(32, 0))));
    let d = p.decide(utc(21, 0), &[one.clone(), two.clone()]);
    assert!(nothing(&d));
    assert_eq!(d.held, 2);
    two.claimed = true;
    let d = p.decide(utc(23, 0), &[one.clone(), two.clone()]);
    assert_eq!(d.held, 1);

    let all = [one.clone(), two.clone(), three.clone()];
    let d = p.decide(utc(32, 0), &all);
    assert_eq!(said(&d), ["show summary | While you were away"]);
    let n = shown(&d)[0];
    assert_eq!(n.key, SUMMARY_KEY);
    assert_eq!(
        n.body,
        "Support: 1 overdue\nSales: 1 at risk\nOldest: Ana Souza, 14 h — “first line 1”"
    );
    assert_eq!(n.level, SlaState::Breached);
    assert_eq!(n.urgency, Urgency::Critical);
    assert_eq!(n.conversations, [1, 3]);
    assert_eq!(n.conversation, None);
    assert_eq!(n.queue, None);
    assert_eq!(d.wake_at, Some(utc(33, 0)));

    // Later, one of them worsens: it leaves the summary for its own notification.
    let d = p.decide(utc(33, 0), &all);
    assert_eq!(
        said(&d),
        [
            "update summary | While you were away",
            "show conv:3 | Sales · Chloé Martin — overdue < 1 m",
        ]
    );
    assert_eq!(
        updated(&d)[0].body,
        "Support: 1 overdue\nOldest: Ana Souza, 15 h — “first line 1”"
    );
    assert_eq!(updated(&d)[0].conversation, Some(1));
}

#[test]
fn quiet_hours_spanning_midnight() {
    let q = quiet((22, 0), (6, 0), "UTC");
    assert!(!q.contains(utc(21, 59)));
    assert!(q.contains(utc(22, 0)));
    assert!(q.contains(utc(23, 30)));
    assert!(q.contains(utc(27, 0)));
    assert!(!q.contains(utc(30, 0)));
    assert_eq!(q.window_at(utc(27, 0)), Some((utc(22, 0), utc(30, 0))));
    assert_eq!(q.window_at(utc(12, 0)), None);
    assert_eq!(q.next_start_after(utc(30, 0)), Some(utc(46, 0)));
    assert_eq!(q.next_start_after(utc(12, 0)), Some(utc(22, 0)));

    let mut s = settings(SAM, &[]);
    s.quiet_hours = Some(q);
    let mut p = AlertPlanner::new(s);
    let c = [conv(
        1,
        "support",
        utc(23, 0),
        utc(23, 30),
        utc(31, 0),
        utc(40, 0),
    )];
    let d = p.decide(utc(23, 30), &c);
    assert!(nothing(&d));
    assert_eq!(d.wake_at, Some(utc(30, 0)));
    let d = p.decide(utc(30, 0), &c);
    assert_eq!(said(&d), ["show summary | While you were away"]);
    assert_eq!(
        shown(&d)[0].body,
        "Support: 1 at risk\nOldest: Ana Souza, 7 h — “first line 1”"
    );
    assert_eq!(shown(&d)[0].conversation, Some(1));
}

#[test]
fn quiet_hours_in_a_named_time_zone_across_dst() {
    // Berlin in winter is UTC+1.
    let berlin = quiet((18, 0), (8, 0), "Europe/Berlin");
    assert_eq!(
        berlin.window_at(ts("2025-01-06T20:00:00Z")),
        Some((ts("2025-01-06T17:00:00Z"), ts("2025-01-07T07:00:00Z")))
    );

    let ny = quiet((22, 0), (7, 0), "America/New_York");
    assert_eq!(ny.time_zone(), "America/New_York");
    // Fall back (2025-11-02 02:00 EDT → 01:00 EST): a 10-hour night.
    assert_eq!(
        ny.window_at(ts("2025-11-02T06:00:00Z")),
        Some((ts("2025-11-02T02:00:00Z"), ts("2025-11-02T12:00:00Z")))
    );
    // Spring forward (2025-03-09 02:00 EST → 03:00 EDT): an 8-hour night.
    assert_eq!(
        ny.window_at(ts("2025-03-09T06:00:00Z")),
        Some((ts("2025-03-09T03:00:00Z"), ts("2025-03-09T11:00:00Z")))
    );
    // A start in the spring-forward gap begins at the change (03:00 EDT).
    let gap = quiet((2, 30), (7, 0), "America/New_York");
    assert_eq!(
        gap.window_at(ts("2025-03-09T08:00:00Z")),
        Some((ts("2025-03-09T07:00:00Z"), ts("2025-03-09T11:00:00Z")))
    );

    let mut s = settings(SAM, &[]);
    s.quiet_hours = Some(ny);
    let mut p = AlertPlanner::new(s);
    let c = [conv(
        1,
        "support",
        ts("2025-11-02T04:00:00Z"),
        ts("2025-11-02T05:00:00Z"),
        ts("2025-11-02T13:00:00Z"),
        ts("2025-11-02T20:00:00Z"),
    )];
    let d = p.decide(ts("2025-11-02T05:00:00Z"), &c);
    assert!(nothing(&d));
    assert_eq!(d.wake_at, Some(ts("2025-11-02T12:00:00Z")));
    let d = p.decide(ts("2025-11-02T12:00:00Z"), &c);
    assert_eq!(said(&d), ["show summary | While you were away"]);
}

#[test]
fn escalations_pierce_quiet_hours_only_when_the_flag_is_on() {
    let one = [conv(
        1,
        "support",
        utc(18, 0),
        utc(19, 0),
        utc(20, 0),
        utc(22, 0),
    )];

    let mut s = settings(LEE, &["support"]);
    s.quiet_hours = Some(quiet((18, 0), (8, 0), "UTC"));
    s.escalations_pierce_quiet_hours = true;
    let mut p = AlertPlanner::new(s.clone());
    let d = p.decide(utc(19, 0), &one);
    assert!(nothing(&d));
    assert_eq!(d.wake_at, Some(utc(22, 0)), "the escalation pierces");
    let d = p.decide(utc(22, 0), &one);
    assert_eq!(
        said(&d),
        ["show conv:1 | Escalated · Support · Ana Souza — overdue 2 h"]
    );
    let d = p.decide(utc(32, 0), &one);
    assert!(nothing(&d), "nothing left for the morning");
    assert_eq!(d.wake_at, None);

    s.escalations_pierce_quiet_hours = false;
    let mut p = AlertPlanner::new(s);
    assert_eq!(p.decide(utc(19, 0), &one).wake_at, Some(utc(32, 0)));
    let d = p.decide(utc(22, 0), &one);
    assert!(nothing(&d));
    assert_eq!(d.held, 1);
    let d = p.decide(utc(32, 0), &one);
    assert_eq!(said(&d), ["show summary | While you were away"]);
    assert_eq!(
        shown(&d)[0].body,
        "Support: 1 escalated\nOldest: Ana Souza, 14 h — “first line 1”"
    );
    assert_eq!(shown(&d)[0].level, SlaState::Escalated);
}

#[test]
fn pause_shows_nothing_then_summarizes() {
    let mut s = settings(LEE, &["support"]);
    s.paused_until = Some(t(60));
    s.escalations_pierce_quiet_hours = true; // a pause holds escalations anyway
    let mut p = AlertPlanner::new(s);
    let c = vec![conv_t(1, "support", 0, 20)]; // at risk t(15), due t(20), escalated t(40)

    assert_eq!(p.decide(t(0), &c).wake_at, Some(t(60)));
    for at in [t(15), t(20), t(40), t(59)] {
        let d = p.decide(at, &c);
        assert!(nothing(&d));
        assert_eq!((d.held, d.wake_at), (1, Some(t(60))));
    }
    let d = p.decide(t(60), &c);
    assert_eq!(said(&d), ["show summary | While you were away"]);
    assert_eq!(
        shown(&d)[0].body,
        "Support: 1 escalated\nOldest: Ana Souza, 1 h — “first line 1”"
    );

    // After the pause, alerts are ordinary again.
    let mut c = c;
    c.push(conv_t(2, "support", 60, 20)); // at risk t(75)
    assert_eq!(
        said(&p.decide(t(75), &c)),
        ["show conv:2 | Support · Ben Okafor — at risk: due in 5 m"]
    );
}

#[test]
fn pausing_later_via_settings() {
    let mut p = planner(SAM, &[]);
    let c = [conv_t(1, "support", 0, 20)];
    assert_eq!(p.decide(t(0), &c).wake_at, Some(t(15)));
    let mut s = p.settings().clone();
    s.paused_until = Some(t(10));
    p.set_settings(s);
    assert_eq!(
        p.decide(t(5), &c).wake_at,
        Some(t(15)),
        "the pause ends first"
    );
    let mut s = p.settings().clone();
    s.paused_until = Some(t(65));
    p.set_settings(s);
    assert_eq!(p.decide(t(5), &c).wake_at, Some(t(65)));
    assert_eq!(
        said(&p.decide(t(65), &c)),
        ["show summary | While you were away"]
    );
}

// ---------------------------------------------------------------------------------------
// Who hears what

#[test]
fn escalations_go_to_leads_only() {
    let c = [conv_t(1, "support", 0, 20)];

    // Sam works in support but is no lead: at risk and breached, never escalated.
    let mut sam = planner(SAM, &["support"]);
    assert_eq!(sam.decide(t(15), &c).actions.len(), 1);
    let d = sam.decide(t(20), &c);
    assert_eq!(
        said(&d),
        ["show conv:1 | Support · Ana Souza — overdue < 1 m"]
    );
    assert_eq!(d.wake_at, None);
    assert!(nothing(&sam.decide(t(40), &c)));

    // Lee leads support but works in sales: only the escalation, matched
    // case-insensitively ("Lee@Example.com ").
    let mut lee = planner(LEE, &["sales"]);
    let d = lee.decide(t(0), &c);
    assert_eq!(d.wake_at, Some(t(40)));
    assert!(nothing(&lee.decide(t(15), &c)));
    assert!(nothing(&lee.decide(t(20), &c)));
    let d = lee.decide(t(40), &c);
    assert_eq!(
        said(&d),
        ["show conv:1 | Escalated · Support · Ana Souza — overdue 20 m"]
    );
    assert_eq!(shown(&d)[0].urgency, Urgency::Critical);

    // Moved to a queue Lee neither works in nor leads: cleared.
    let mut moved = c[0].clone();
    moved.queue = QueueId::from("marketing");
    moved.leads = vec![];
    assert_eq!(said(&lee.decide(t(41), &[moved])), ["close conv:1"]);
}

#[test]
fn a_person_only_hears_about_their_queues() {
    let c = [conv_t(1, "support", 0, 20), conv_t(4, "sales", 0, 20)];
    let mut p = planner(SAM, &["sales"]);
    let d = p.decide(t(15), &c);
    assert_eq!(
        said(&d),
        ["show conv:4 | Sales · Dev Patel — at risk: due in 5 m"]
    );

    // Sam switches to support: sales closes, support's pending alert comes.
    p.set_settings(settings(SAM, &["support"]));
    let d = p.decide(t(17), &c);
    assert_eq!(
        said(&d),
        [
            "close conv:4",
            "show conv:1 | Support · Ana Souza — at risk: due in 3 m",
        ]
    );

    // An empty list means every queue.
    let mut all = planner(SAM, &[]);
    assert_eq!(all.decide(t(15), &c).actions.len(), 2); // groups are per queue
    assert_eq!(all.open_keys(), ["conv:1", "conv:4"]);
}

// ---------------------------------------------------------------------------------------
// Sleep and wake-ups

#[test]
fn after_sleep_a_passed_deadline_fires_once_at_the_current_level() {
    let mut p = planner(SAM, &[]);
    let c = [conv(1, "support", t(0), t(10), t(20), t(40))];
    assert_eq!(p.decide(t(0), &c).wake_at, Some(t(10)));
    // The laptop slept from t(0) to t(300).
    let d = p.decide(t(300), &c);
    assert_eq!(
        said(&d),
        ["show conv:1 | Support · Ana Souza — overdue 4 h 40 m"]
    );
    assert!(nothing(&p.decide(t(301), &c)));

    let mut lead = planner(LEE, &[]);
    lead.decide(t(0), &c);
    assert_eq!(
        said(&lead.decide(t(300), &c)),
        ["show conv:1 | Escalated · Support · Ana Souza — overdue 4 h 40 m"]
    );

    let mut two = planner(SAM, &[]);
    let c2 = [
        conv(1, "support", t(0), t(10), t(20), t(40)),
        conv(2, "support", t(1), t(11), t(21), t(41)),
    ];
    two.decide(t(0), &c2);
    assert_eq!(
        said(&two.decide(t(300), &c2)),
        ["show group:support:breached | 2 Support conversations overdue"]
    );
}

#[test]
fn wake_at_is_the_next_instant_that_shows_something() {
    let mut p = planner(SAM, &["support"]);
    let mut claimed = conv(4, "support", t(-10), t(2), t(20), t(40));
    claimed.claimed = true;
    let mut snoozed = conv(5, "support", t(-10), t(4), t(20), t(40));
    snoozed.snoozed_until = Some(t(5));
    let mut c = vec![
        conv(
            1,
            "support",
            t(-10),
            t(7).plus_millis(30 * SEC),
            t(20),
            t(40),
        ),
        conv(2, "support", t(-10), t(7), t(20), t(40)),
        conv(3, "sales", t(-10), t(3), t(20), t(40)), // not Sam's queue
        claimed,
        snoozed,
    ];
    // Conversation 5 turned at risk while snoozed: it counts when the snooze ends.
    assert_eq!(p.decide(t(0), &c).wake_at, Some(t(5)));
    assert_eq!(said(&p.decide(t(5), &c)).len(), 1);

    // Then conversation 2 at t(7), after the cool-down (which ended at t(6)).
    c.remove(4);
    assert_eq!(p.decide(t(5).plus_millis(1), &c).wake_at, Some(t(7)));
    assert_eq!(said(&p.decide(t(7), &c)).len(), 1);
    // Conversation 1 turns at risk at t(7)+30 s, inside the cool-down: the cool-down's end
    // is the next instant that matters, not the deadline.
    assert_eq!(p.decide(t(7).plus_millis(1), &c).wake_at, Some(t(8)));
    assert_eq!(
        said(&p.decide(t(8), &c)),
        [
            "close conv:2",
            "show group:support:at_risk | 2 Support conversations at risk"
        ]
    );
    assert_eq!(p.decide(t(8), &c).wake_at, Some(t(20)));

    // Deadlines too far away to matter never wake anyone.
    let never = BusinessCalendar::NEVER;
    let mut q = planner(SAM, &[]);
    let d = q.decide(t(0), &[conv(9, "support", t(0), never, never, never)]);
    assert_eq!(d.wake_at, None);
}

// ---------------------------------------------------------------------------------------
// Settings, persistence, text

#[test]
fn quiet_hours_are_validated() {
    let nine = Time::constant(9, 0, 0, 0);
    assert_eq!(
        QuietHours::new(Time::constant(18, 0, 0, 0), nine, "Mars/Olympus"),
        Err(QuietHoursError::UnknownTimeZone("Mars/Olympus".into()))
    );
    assert_eq!(
        QuietHours::new(nine, nine, "UTC"),
        Err(QuietHoursError::StartEqualsEnd)
    );
    assert_eq!(
        QuietHours::parse("18:00", "08:00", "UTC"),
        Ok(quiet((18, 0), (8, 0), "UTC"))
    );
    assert_eq!(
        QuietHours::parse("18h", "08:00", "UTC"),
        Err(QuietHoursError::BadTime("18h".into()))
    );
    assert_eq!(
        QuietHours::parse("22:00", "24:00", "UTC").unwrap().end(),
        Time::midnight()
    );
    let q: QuietHours =
        serde_json::from_str(r#"{"start": "18:00", "end": "08:00", "time_zone": "Europe/Berlin"}"#)
            .unwrap();
    assert_eq!(q, quiet((18, 0), (8, 0), "Europe/Berlin"));
    assert_eq!(
        serde_json::to_string(&q).unwrap(),
        r#"{"start":"18:00","end":"08:00","time_zone":"Europe/Berlin"}"#
    );
    assert!(serde_json::from_str::<QuietHours>(
        r#"{"start": "18:00", "end": "08:00", "time_zone": "Nowhere"}"#
    )
    .is_err());
    assert!(serde_json::from_str::<QuietHours>(
        r#"{"start": "6pm", "end": "08:00", "time_zone": "UTC"}"#
    )
    .is_err());
}

#[test]
fn the_planner_survives_a_restart_through_serde() {
    let mut s = settings(SAM, &[]);
    s.quiet_hours = Some(quiet((18, 0), (8, 0), "UTC"));
    let mut p = AlertPlanner::new(s);
    let c = [conv_t(1, "support", 0, 20)];
    p.decide(t(15), &c);
    let saved = serde_json::to_string(&p).unwrap();
    let mut restored: AlertPlanner = serde_json::from_str(&saved).unwrap();
    assert_eq!(restored, p);
    assert!(
        nothing(&restored.decide(t(16), &c)),
        "no re-alert after a restart"
    );
    assert_eq!(
        said(&restored.decide(t(20), &c)),
        ["show conv:1 | Support · Ana Souza — overdue < 1 m"]
    );
}

#[test]
fn human_durations() {
    assert_eq!(human_duration(-5), "< 1 m");
    assert_eq!(human_duration(59 * SEC), "< 1 m");
    assert_eq!(human_duration(45 * MIN + 59 * SEC), "45 m");
    assert_eq!(human_duration(2 * HOUR), "2 h");
    assert_eq!(human_duration(2 * HOUR + 10 * MIN), "2 h 10 m");
    assert_eq!(human_duration(72 * HOUR), "3 d");
    assert_eq!(human_duration(76 * HOUR + 5 * MIN), "3 d 4 h");
}

#[test]
fn customer_text_is_one_clean_line() {
    let mut p = planner(SAM, &[]);
    let mut c = conv_t(1, "support", 0, 20);
    c.customer = "  Ana\u{7}  ".into();
    c.preview = "\n\n  <b>hi</b>\tthere \r\nsecond".into();
    let d = p.decide(t(15), &[c]);
    assert_eq!(shown(&d)[0].title, "Support · Ana — at risk: due in 5 m");
    // Markup is left as text: the notifier escapes it for servers that render markup.
    assert_eq!(shown(&d)[0].body, "<b>hi</b>there");
}

#[test]
fn names_are_shown_as_in_the_window_and_overlong_clusters_are_cut() {
    // The store reads the customer through `Author`'s deserializer, as the window does:
    // a name of zero-width characters only is the handle there and here.
    let author: switchboard_core::Author = serde_json::from_str(
        r#"{"handle":"@ana@mastodon.social","display_name":"\u200b\u200c\u200d\u2060\ufeff"}"#,
    )
    .unwrap();
    let mut p = planner(SAM, &[]);
    let mut c = conv_t(1, "support", 0, 20);
    c.customer = author.display_name;
    let d = p.decide(t(15), &[c]);
    assert_eq!(
        shown(&d)[0].title,
        "Support · @ana@mastodon.social — at risk: due in 5 m"
    );

    // A name on two lines keeps both words; a preview of stacked marks is cut.
    let mut p = planner(SAM, &[]);
    let mut c = conv_t(1, "support", 0, 20);
    c.customer = "Ana\nSouza".into();
    c.preview = format!("Z{}!", "\u{0301}".repeat(300));
    let d = p.decide(t(15), &[c]);
    assert_eq!(
        shown(&d)[0].title,
        "Support · Ana Souza — at risk: due in 5 m"
    );
    assert_eq!(
        shown(&d)[0].body,
        format!(
            "Z{}!",
            "\u{0301}".repeat(switchboard_core::MAX_COMBINING_MARKS)
        )
    );
}

// ---------------------------------------------------------------------------------------
// Properties over random scenarios

mod properties {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Step {
        /// Advance the clock by this many seconds and decide.
        Wait(i64),
        /// Toggle the claim on conversation `i`.
        Claim(usize),
        /// Take conversation `i` out of (or back into) the waiting list.
        Toggle(usize),
        /// Conversation `i` starts a new waiting run now with this target in minutes.
        NewRun(usize, i64),
        /// Snooze conversation `i` for this many minutes (its deadlines move later).
        Snooze(usize, i64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            4 => (0i64..4 * 3600).prop_map(Step::Wait),
            1 => (0usize..4).prop_map(Step::Claim),
            1 => (0usize..4).prop_map(Step::Toggle),
            1 => ((0usize..4), (1i64..90)).prop_map(|(i, m)| Step::NewRun(i, m)),
            1 => ((0usize..4), (1i64..120)).prop_map(|(i, m)| Step::Snooze(i, m)),
        ]
    }

    fn fresh(id: i64, queue: &str, since: Timestamp, target_min: i64) -> WatchedConversation {
        let at = |share: i64| Timestamp(since.0 + target_min * MIN * share / 4);
        conv(id, queue, since, at(3), at(4), at(8))
    }

    fn alertable(s: &AlertSettings, c: &WatchedConversation, now: Timestamp) -> bool {
        !c.claimed
            && c.snoozed_until.is_none_or(|u| u <= now)
            && (s.watches(&c.queue) || s.is_lead(&c.leads))
    }

    fn check(
        p: &mut AlertPlanner,
        now: Timestamp,
        convs: &[(WatchedConversation, bool)],
        screen: &mut BTreeMap<String, Notification>,
        best: &mut BTreeMap<(i64, Timestamp), SlaState>,
    ) -> Result<(), TestCaseError> {
        let waiting: Vec<WatchedConversation> = convs
            .iter()
            .filter(|(_, on)| *on)
            .map(|(c, _)| c.clone())
            .collect();
        let d = p.decide(now, &waiting);
        for a in &d.actions {
            match a {
                AlertAction::Show(n) => {
                    screen.insert(n.key.clone(), n.clone());
                }
                AlertAction::Update(n) => {
                    prop_assert!(screen.contains_key(&n.key), "update of a closed {}", n.key);
                    screen.insert(n.key.clone(), n.clone());
                }
                AlertAction::Close { key } => {
                    prop_assert!(screen.remove(key).is_some(), "close of a closed {key}");
                }
            }
        }
        // One notification per conversation, and only alertable ones on screen.
        let mut seen = BTreeMap::new();
        for n in screen.values() {
            prop_assert!(!n.conversations.is_empty());
            for id in &n.conversations {
                prop_assert!(seen.insert(*id, n.key.clone()).is_none(), "{id} twice");
                let c = waiting.iter().find(|c| c.id == *id);
                prop_assert!(c.is_some_and(|c| alertable(p.settings(), c, now)));
            }
        }
        prop_assert_eq!(
            p.open_keys(),
            screen.keys().map(String::as_str).collect::<Vec<_>>()
        );
        // Never downgraded: a single notification's level only rises within a run.
        for n in shown(&d) {
            if let Some(id) = n.conversation {
                let c = waiting.iter().find(|c| c.id == id).unwrap();
                let top = best
                    .entry((id, c.waiting_since))
                    .or_insert(SlaState::OnTrack);
                prop_assert!(n.level > *top || n.key == SUMMARY_KEY || n.key.starts_with("group:"));
                *top = (*top).max(n.level);
            }
        }
        // Idempotent.
        prop_assert!(p.clone().decide(now, &waiting).actions.is_empty());
        // wake_at is exact: nothing before it, something at it.
        match d.wake_at {
            Some(wake) => {
                prop_assert!(wake > now);
                let mid = Timestamp(now.0 + (wake.0 - now.0) / 2);
                if mid > now {
                    prop_assert!(shown(&p.clone().decide(mid, &waiting)).is_empty());
                }
                let before = Timestamp(wake.0 - 1);
                if before > now {
                    prop_assert!(shown(&p.clone().decide(before, &waiting)).is_empty());
                }
                prop_assert!(!shown(&p.clone().decide(wake, &waiting)).is_empty());
            }
            None => {
                let later = Timestamp(now.0 + 40 * 24 * HOUR);
                prop_assert!(shown(&p.clone().decide(later, &waiting)).is_empty());
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn planner_invariants(
            lead in any::<bool>(),
            queues in prop::sample::select(vec![vec![], vec!["support"], vec!["sales"]]),
            quiet_on in any::<bool>(),
            quiet_start in 0i8..24,
            quiet_len in 1i8..23,
            pause_min in prop::option::of(0i64..600),
            pierce in any::<bool>(),
            cooldown_s in prop::sample::select(vec![0i64, 30, 60, 600]),
            specs in prop::collection::vec(((0usize..2), (-60i64..120), (1i64..90)), 1..5),
            steps in prop::collection::vec(step(), 1..25),
        ) {
            let mut s = settings(if lead { LEE } else { SAM }, &queues);
            s.cooldown_millis = cooldown_s * SEC;
            s.escalations_pierce_quiet_hours = pierce;
            s.paused_until = pause_min.map(t);
            if quiet_on {
                let end = (quiet_start + quiet_len) % 24;
                s.quiet_hours = Some(quiet((quiet_start, 0), (end, 0), "Europe/London"));
            }
            let mut p = AlertPlanner::new(s);
            let mut convs: Vec<(WatchedConversation, bool)> = specs
                .iter()
                .enumerate()
                .map(|(i, (q, since, target))| {
                    let queue = ["support", "sales"][*q];
                    (fresh(i as i64 + 1, queue, t(*since), *target), true)
                })
                .collect();
            let mut now = t(0);
            let mut screen = BTreeMap::new();
            let mut best = BTreeMap::new();
            check(&mut p, now, &convs, &mut screen, &mut best)?;
            for st in steps {
                let n = convs.len();
                match st {
                    Step::Wait(secs) => now = now.plus_millis(secs * SEC),
                    Step::Claim(i) => convs[i % n].0.claimed ^= true,
                    Step::Toggle(i) => convs[i % n].1 ^= true,
                    Step::NewRun(i, target) => {
                        let (c, on) = &mut convs[i % n];
                        let queue = c.queue.0.clone();
                        *c = fresh(c.id, &queue, now, target);
                        *on = true;
                    }
                    Step::Snooze(i, minutes) => {
                        let c = &mut convs[i % n].0;
                        let until = now.plus_millis(minutes * MIN);
                        c.snoozed_until = Some(until);
                        // The clock stands still while snoozed: unreached deadlines move.
                        for d in [
                            &mut c.deadlines.at_risk_at,
                            &mut c.deadlines.breached_at,
                            &mut c.deadlines.escalated_at,
                        ] {
                            if *d > now {
                                *d = d.plus_millis(minutes * MIN);
                            }
                        }
                    }
                }
                check(&mut p, now, &convs, &mut screen, &mut best)?;
            }
        }

        /// The notifier keeps a `Watchlist` and tells it only what changed: its decisions
        /// are those of a planner that is given the whole list on every call.
        #[test]
        fn incremental_calls_decide_as_full_calls(
            lead in any::<bool>(),
            queues in prop::sample::select(vec![vec![], vec!["support"], vec!["sales"]]),
            quiet_on in any::<bool>(),
            quiet_start in 0i8..24,
            pause_min in prop::option::of(0i64..600),
            cooldown_s in prop::sample::select(vec![0i64, 30, 600]),
            specs in prop::collection::vec(((0usize..2), (-60i64..120), (1i64..90)), 1..7),
            steps in prop::collection::vec(step(), 1..30),
            // At this step the person changes their settings (a full call follows).
            change_at in 0usize..40,
        ) {
            let mut s = settings(if lead { LEE } else { SAM }, &queues);
            s.cooldown_millis = cooldown_s * SEC;
            s.paused_until = pause_min.map(t);
            if quiet_on {
                s.quiet_hours = Some(quiet((quiet_start, 0), ((quiet_start + 7) % 24, 0), "Europe/London"));
            }
            let mut full = AlertPlanner::new(s.clone());
            let mut incremental = AlertPlanner::new(s);
            let mut list = Watchlist::new();
            let mut convs: Vec<(WatchedConversation, bool)> = specs
                .iter()
                .enumerate()
                .map(|(i, (q, since, target))| {
                    let queue = ["support", "sales"][*q];
                    (fresh(i as i64 + 1, queue, t(*since), *target), true)
                })
                .collect();
            let mut now = t(0);
            let mut told: BTreeMap<i64, WatchedConversation> = BTreeMap::new();
            for (k, st) in std::iter::once(Step::Wait(0)).chain(steps).enumerate() {
                if k == change_at {
                    let mut changed = full.settings().clone();
                    changed.cooldown_millis = if changed.cooldown_millis == 0 { 60 * SEC } else { 0 };
                    changed.queues = if changed.queues.is_empty() {
                        vec![QueueId::from("support")]
                    } else {
                        Vec::new()
                    };
                    full.set_settings(changed.clone());
                    incremental.set_settings(changed);
                }
                let n = convs.len();
                match st {
                    Step::Wait(secs) => now = now.plus_millis(secs * SEC),
                    Step::Claim(i) => convs[i % n].0.claimed ^= true,
                    Step::Toggle(i) => convs[i % n].1 ^= true,
                    Step::NewRun(i, target) => {
                        let (c, on) = &mut convs[i % n];
                        let queue = c.queue.0.clone();
                        *c = fresh(c.id, &queue, now, target);
                        *on = true;
                    }
                    Step::Snooze(i, minutes) => {
                        let c = &mut convs[i % n].0;
                        c.snoozed_until = Some(now.plus_millis(minutes * MIN));
                    }
                }
                let waiting: Vec<WatchedConversation> = convs
                    .iter()
                    .filter(|(_, on)| *on)
                    .map(|(c, _)| c.clone())
                    .collect();
                // Tell the list only what changed.
                for c in &waiting {
                    if told.get(&c.id) != Some(c) {
                        list.upsert(c.clone());
                        told.insert(c.id, c.clone());
                    }
                }
                let gone: Vec<i64> = told
                    .keys()
                    .filter(|id| !waiting.iter().any(|c| c.id == **id))
                    .copied()
                    .collect();
                for id in gone {
                    list.remove(id);
                    told.remove(&id);
                }
                let expected = full.decide(now, &waiting);
                let got = incremental.decide_watchlist(now, &mut list);
                prop_assert_eq!(&got, &expected, "at {:?}", now);
            }
        }
    }
}
