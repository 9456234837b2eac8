//! Starting a provider on the fake and syncing it as the engine does (the page and its
//! cursor kept together).

use std::time::Duration;

use switchboard_core::{Item, Platform, Timestamp};
use switchboard_meta::testing::{Customer, FakeGraph};
use switchboard_meta::{Credential, HttpOptions, MetaProvider, ProviderOptions};
use switchboard_platforms::{AccountIdentity, Provider, ProviderError};

/// Short timeouts so a hung connection ends a test quickly.
pub fn http() -> HttpOptions {
    HttpOptions {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(3),
        retries: 3,
    }
}

/// The seeded Page's provider.
pub fn facebook(fake: &FakeGraph, options: ProviderOptions) -> MetaProvider {
    let seed = fake.seed();
    let credential = Credential {
        platform: Platform::Facebook,
        graph: fake.graph_url(),
        page_id: seed.page_id.clone(),
        instagram_id: None,
        page_token: fake.page_token(&seed.page_id).to_owned().into(),
    };
    let identity = AccountIdentity {
        platform: Platform::Facebook,
        account_id: seed.page_id.clone(),
        handle: seed.page_username.clone(),
        display_name: seed.page_name.clone(),
    };
    MetaProvider::new(credential, identity, options).expect("the provider")
}

/// The seeded Instagram account's provider.
pub fn instagram(fake: &FakeGraph, options: ProviderOptions) -> MetaProvider {
    let seed = fake.seed();
    let credential = Credential {
        platform: Platform::Instagram,
        graph: fake.graph_url(),
        page_id: seed.page_id.clone(),
        instagram_id: Some(seed.instagram_id.clone()),
        page_token: fake.page_token(&seed.page_id).to_owned().into(),
    };
    let identity = AccountIdentity {
        platform: Platform::Instagram,
        account_id: seed.instagram_id.clone(),
        handle: format!("@{}", seed.instagram_username),
        display_name: seed.instagram_username.clone(),
    };
    MetaProvider::new(credential, identity, options).expect("the provider")
}

/// Default options with short timeouts.
pub fn options() -> ProviderOptions {
    ProviderOptions {
        http: http(),
        human_agent_tag: false,
    }
}

/// Now, by the system clock (the fake dates things by it too).
pub fn now() -> Timestamp {
    Timestamp::now_from_system()
}

/// A customer.
pub fn customer(id: &str, name: &str) -> Customer {
    Customer {
        id: id.into(),
        name: name.into(),
    }
}

/// One stream as the engine keeps it: its cursor, stored only with a page.
#[derive(Default)]
pub struct Stream {
    /// The stored cursor.
    pub cursor: Option<String>,
    /// Whether this is the brand stream.
    pub brand: bool,
}

impl Stream {
    /// The brand stream.
    pub fn brand() -> Self {
        Stream {
            cursor: None,
            brand: true,
        }
    }

    /// One fetch; the cursor moves only when it succeeds.
    pub async fn fetch(&mut self, provider: &MetaProvider) -> Result<Vec<Item>, ProviderError> {
        let page = if self.brand {
            provider
                .fetch_brand_replies_since(self.cursor.as_deref(), now())
                .await?
        } else {
            provider.fetch_since(self.cursor.as_deref(), now()).await?
        };
        self.cursor = Some(page.next_cursor);
        Ok(page.items)
    }

    /// Fetches until a fetch returns nothing new (at most 10), all items together.
    pub async fn drain(&mut self, provider: &MetaProvider) -> Vec<Item> {
        let mut all = Vec::new();
        for _ in 0..10 {
            let items = self.fetch(provider).await.expect("a fetch");
            if items.is_empty() {
                break;
            }
            all.extend(items);
        }
        all
    }
}

/// The item with `native_id` in `items`.
pub fn find<'a>(items: &'a [Item], native_id: &str) -> Option<&'a Item> {
    items.iter().find(|i| i.native_id == native_id)
}

/// Calls the fake's control `name` (for the ones `FakeGraph` has no method for) and
/// returns the new object's id.
pub async fn control(fake: &FakeGraph, name: &str, body: serde_json::Value) -> String {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}_fake/{name}", fake.url()))
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("the fake's control {name} failed: {e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("the fake's control {name} answered no JSON: {e}"));
    answer["id"]
        .as_str()
        .unwrap_or_else(|| panic!("the fake's control {name} answered {answer}"))
        .to_owned()
}

/// A post of the Page itself, `age` old. Returns its id.
pub async fn page_post(fake: &FakeGraph, text: &str, age: Duration) -> String {
    let body = serde_json::json!({"text": text, "back_dated_secs": age.as_secs()});
    control(fake, "page_post", body).await
}

/// A media of the Instagram account itself, `age` old. Returns its id.
pub async fn page_media(fake: &FakeGraph, caption: &str, age: Duration) -> String {
    let body = serde_json::json!({"caption": caption, "back_dated_secs": age.as_secs()});
    control(fake, "page_media", body).await
}
