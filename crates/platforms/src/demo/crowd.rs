//! The simulated crowd: a deterministic sequence of items from a seed.
//!
//! Item *n* depends only on the seed and the items before it, never on the clock: the
//! caller stamps each item with the time it is emitted. So the same seed always plays the
//! same conversations, and a restarted workspace continues where it stopped.

use switchboard_core::{Author, Item, ItemKind, Platform, ThreadKey, Timestamp};

use super::rng::SplitMix64;
use super::script::{self, Customer, Topic, CUSTOMERS, PRODUCTS};

/// The brand account every demo item belongs to.
pub const DEMO_ACCOUNT: &str = "northwind";

/// Threads remembered for follow-ups and brand replies.
const REMEMBERED_THREADS: usize = 40;

#[derive(Debug, Clone)]
struct OpenThread {
    root: String,
    platform: Platform,
    customer: usize,
    direct: bool,
    waiting: bool,
}

/// What happens next in the crowd.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    NewPublic,
    NewDirect,
    FollowUp,
    BrandReply,
}

/// The crowd's state after some number of items.
#[derive(Debug, Clone)]
pub struct Crowd {
    rng: SplitMix64,
    generated: u64,
    threads: Vec<OpenThread>,
}

impl Crowd {
    /// A crowd that has said nothing yet.
    pub fn new(seed: u64) -> Self {
        Crowd {
            rng: SplitMix64::new(seed),
            generated: 0,
            threads: Vec::new(),
        }
    }

    /// How many items this crowd has produced.
    pub fn generated(&self) -> u64 {
        self.generated
    }

    /// The next item, stamped `at`.
    pub fn next_item(&mut self, at: Timestamp) -> Item {
        let waiting: Vec<usize> = (0..self.threads.len())
            .filter(|&i| self.threads[i].waiting)
            .collect();
        let moves = [
            Move::NewPublic,
            Move::NewDirect,
            Move::FollowUp,
            Move::BrandReply,
        ];
        let weights = if waiting.is_empty() {
            [60, 20, 0, 0]
        } else {
            [45, 15, 12, 28]
        };
        let item = match moves[self.rng.weighted(&weights)] {
            Move::NewPublic => self.new_conversation(false, at),
            Move::NewDirect => self.new_conversation(true, at),
            Move::FollowUp => {
                let thread = waiting[self.rng.below(waiting.len())];
                self.follow_up(thread, at)
            }
            Move::BrandReply => {
                // Brands answer the longest-waiting threads more often than the newest.
                let thread = waiting[self.rng.below(waiting.len().div_ceil(2))];
                self.brand_reply(thread, at)
            }
        };
        self.generated += 1;
        item
    }

    fn new_conversation(&mut self, direct: bool, at: Timestamp) -> Item {
        let customer = self.rng.below(CUSTOMERS.len());
        let platform = *self.rng.pick(&[
            Platform::Mastodon,
            Platform::Mastodon,
            Platform::Bluesky,
            Platform::Bluesky,
            Platform::X,
            Platform::Facebook,
            Platform::Instagram,
        ]);
        let topics = [
            Topic::OrderProblem,
            Topic::Complaint,
            Topic::SalesQuestion,
            Topic::Praise,
            Topic::General,
        ];
        let topic = topics[self.rng.weighted(if direct {
            &[45, 15, 30, 0, 10]
        } else {
            &[28, 14, 18, 24, 16]
        })];
        let kind = if direct {
            ItemKind::DirectMessage
        } else {
            match platform {
                Platform::Facebook | Platform::Instagram | Platform::YouTube => ItemKind::Comment,
                _ if topic == Topic::Praise && self.rng.below(3) == 0 => ItemKind::Quote,
                _ => ItemKind::Mention,
            }
        };
        let lang = CUSTOMERS[customer].lang;
        let text = self.fill(script::templates(topic, lang), customer);
        let root = if direct {
            format!("dm-{}", CUSTOMERS[customer].handle)
        } else {
            self.native_id()
        };
        // A second DM from the same customer continues their DM conversation.
        match self
            .threads
            .iter()
            .position(|t| t.root == root && t.platform == platform)
        {
            Some(existing) => self.threads[existing].waiting = true,
            None => {
                if self.threads.len() == REMEMBERED_THREADS {
                    self.threads.remove(0);
                }
                self.threads.push(OpenThread {
                    root: root.clone(),
                    platform,
                    customer,
                    direct,
                    waiting: true,
                });
            }
        }
        self.customer_item(platform, &root, kind, customer, text, at)
    }

    fn follow_up(&mut self, thread: usize, at: Timestamp) -> Item {
        let t = self.threads[thread].clone();
        let text = self.fill(script::follow_up(CUSTOMERS[t.customer].lang), t.customer);
        let kind = if t.direct {
            ItemKind::DirectMessage
        } else {
            ItemKind::Reply
        };
        self.customer_item(t.platform, &t.root, kind, t.customer, text, at)
    }

    fn brand_reply(&mut self, thread: usize, at: Timestamp) -> Item {
        self.threads[thread].waiting = false;
        let t = self.threads[thread].clone();
        let text = self.fill(script::BRAND_REPLIES, t.customer);
        Item {
            platform: t.platform,
            account: DEMO_ACCOUNT.into(),
            native_id: self.native_id(),
            thread: ThreadKey::new(t.platform, DEMO_ACCOUNT, &t.root),
            kind: if t.direct {
                ItemKind::DirectMessage
            } else {
                ItemKind::Reply
            },
            author: Author {
                handle: handle_on(t.platform, "northwindcoffee"),
                display_name: "Northwind Coffee".into(),
            },
            from_brand: true,
            text,
            lang: Some("en".into()),
            created_at: at,
        }
    }

    fn customer_item(
        &self,
        platform: Platform,
        root: &str,
        kind: ItemKind,
        customer: usize,
        text: String,
        at: Timestamp,
    ) -> Item {
        let who: &Customer = &CUSTOMERS[customer];
        Item {
            platform,
            account: DEMO_ACCOUNT.into(),
            native_id: self.native_id(),
            thread: ThreadKey::new(platform, DEMO_ACCOUNT, root),
            kind,
            author: Author {
                handle: handle_on(platform, who.handle),
                display_name: who.name.into(),
            },
            from_brand: false,
            text,
            lang: Some(who.lang.into()),
            created_at: at,
        }
    }

    fn native_id(&self) -> String {
        format!("demo-{}", self.generated)
    }

    fn fill(&mut self, templates: &[&str], customer: usize) -> String {
        let template = *self.rng.pick(templates);
        let product = *self.rng.pick(PRODUCTS);
        let order = format!("#NW-{}", 10_000 + self.rng.between(0, 89_999));
        let first_name = CUSTOMERS[customer]
            .name
            .split(' ')
            .next()
            .unwrap_or_default();
        template
            .replace("{product}", product)
            .replace("{order}", &order)
            .replace("{name}", first_name)
    }
}

/// The brand's reply `text` in `thread`, as a demo item with id `native_id`.
pub fn brand_item(thread: &ThreadKey, native_id: String, text: &str, at: Timestamp) -> Item {
    let platform = thread
        .0
        .split(':')
        .next()
        .and_then(Platform::parse)
        .unwrap_or(Platform::Mastodon);
    let direct = thread.0.contains(":dm-");
    Item {
        platform,
        account: DEMO_ACCOUNT.into(),
        native_id,
        thread: thread.clone(),
        kind: if direct {
            ItemKind::DirectMessage
        } else {
            ItemKind::Reply
        },
        author: Author {
            handle: handle_on(platform, "northwindcoffee"),
            display_name: "Northwind Coffee".into(),
        },
        from_brand: true,
        text: text.to_owned(),
        lang: None,
        created_at: at,
    }
}

/// How a handle looks on each platform.
pub(super) fn handle_on(platform: Platform, stem: &str) -> String {
    match platform {
        Platform::Mastodon => format!("@{stem}@mastodon.example"),
        Platform::Bluesky => format!("{stem}.bsky.social"),
        Platform::Facebook => format!("facebook.com/{stem}"),
        Platform::LinkedIn => format!("linkedin.com/in/{stem}"),
        Platform::YouTube => format!("youtube.com/@{stem}"),
        Platform::X | Platform::Instagram => format!("@{stem}"),
    }
}
