//! Propagation: 200 hand-offs with a note on laptop A, each to the Sales queue that the
//! member on laptop B works. Each appears in B's Sales queue with its note and raises a
//! notification on B (recorded by B's alert sink); p50/p99 of both are printed.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use switchboard_core::{AlertAction, QueueId};
use switchboard_engine::AlertSink;
use switchboard_team::admin::NewMember;
use switchboard_team::testing;

use crate::laptops::{eventually, Feeder, Laptop};

const HANDOFFS: usize = 200;

/// Records when each notification was shown, by key.
#[derive(Default)]
struct Shown(Mutex<Vec<(String, String, Instant)>>);

impl AlertSink for Shown {
    fn deliver(&self, actions: Vec<AlertAction>) {
        let now = Instant::now();
        let mut shown = self.0.lock().unwrap();
        for action in actions {
            if let AlertAction::Show(n) = action {
                shown.push((n.title, n.body, now));
            }
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hand_offs_reach_the_sales_laptop_with_their_note_and_a_notification() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let ana_code = db.member(team, "ana").await;
    let priya_code = db
        .admin
        .add_member(
            team,
            &NewMember {
                name: "priya".into(),
                email: "priya@example.com".into(),
                queues: vec!["sales".into()],
                lead: false,
                trainee: false,
            },
            None,
        )
        .await
        .unwrap();
    let shown = Arc::new(Shown::default());
    let ana = Laptop::open("ana", &ana_code, None).await;
    let priya = Laptop::open(
        "priya",
        &priya_code,
        Some(shown.clone() as Arc<dyn AlertSink>),
    )
    .await;
    let mut feeder = Feeder::start(&db.member(team, "poller").await).await;

    let mut to_queue = Vec::new();
    let mut to_notification = Vec::new();
    for n in 0..HANDOFFS {
        let thread = feeder.mention("support").await;
        eventually(
            Duration::from_secs(10),
            "the mention reaches both",
            || async {
                ana.conversation(&thread).await.is_some()
                    && priya.conversation(&thread).await.is_some()
            },
        )
        .await;
        let on_ana = ana.conversation(&thread).await.unwrap();
        let on_priya = priya.conversation(&thread).await.unwrap();
        let note = format!("Order question {n}: please check the invoice");
        let started = Instant::now();
        ana.engine
            .hand_off(on_ana, QueueId("sales".into()), note.clone())
            .await
            .unwrap();
        let mut in_queue = None;
        let mut notified = None;
        let deadline = started + Duration::from_secs(10);
        while in_queue.is_none() || notified.is_none() {
            assert!(
                Instant::now() < deadline,
                "hand-off {n} did not reach priya within 10 s"
            );
            if in_queue.is_none() {
                let summary = priya
                    .engine
                    .get_thread(on_priya)
                    .await
                    .unwrap()
                    .conversation;
                if summary.queue == QueueId("sales".into())
                    && summary
                        .handoff_note
                        .as_ref()
                        .is_some_and(|h| h.text == note)
                {
                    in_queue = Some(started.elapsed());
                }
            }
            if notified.is_none() {
                notified = shown
                    .0
                    .lock()
                    .unwrap()
                    .iter()
                    .find(|(title, body, _)| {
                        *body == note && title.contains("handed a conversation to Sales")
                    })
                    .map(|(_, _, at)| at.duration_since(started));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        to_queue.push(in_queue.unwrap());
        to_notification.push(notified.unwrap());
    }
    // Ana's own hand-offs never notify Ana (she has no sink here), and priya was told of
    // each one exactly once.
    assert_eq!(
        shown.0.lock().unwrap().len(),
        HANDOFFS,
        "one notification per hand-off"
    );
    to_queue.sort();
    to_notification.sort();
    println!(
        "hand-off to B's queue: p50 {:?} p99 {:?}; to B's notification: p50 {:?} p99 {:?} (goal p99 <= 1 s)",
        percentile(&to_queue, 0.5),
        percentile(&to_queue, 0.99),
        percentile(&to_notification, 0.5),
        percentile(&to_notification, 0.99)
    );
    ana.engine.shutdown().await;
    priya.engine.shutdown().await;
}
