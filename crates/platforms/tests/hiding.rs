//! Hiding from the public is refused by providers that cannot hide (the trait's default),
//! here the demo network, with a plain reason.

use switchboard_core::{Platform, ThreadKey};
use switchboard_platforms::demo::DemoNetwork;
use switchboard_platforms::{Provider, ProviderError};

#[tokio::test]
async fn the_demo_network_refuses_to_hide_in_plain_words() {
    let network = DemoNetwork::new(1, 0.0);
    let thread = ThreadKey::new(Platform::Mastodon, "demo", "1");
    let refused = network.set_hidden(&thread, "1", true).await.unwrap_err();
    assert_eq!(refused, ProviderError::Unsupported("hiding comments"));
    assert_eq!(
        refused.to_string(),
        "hiding comments is not supported for this account"
    );
}
