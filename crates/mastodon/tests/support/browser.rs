//! Plays the person's browser: opens the authorize URL, picks an account on the mock's
//! consent page (a form that posts back the chosen username) and follows the redirect
//! to the loopback listener.

use std::time::Duration;

use url::Url;

/// What the browser saw.
pub struct BrowserVisit {
    /// Where the instance sent the browser after consent.
    pub redirected_to: Url,
    /// The page the loopback listener answered with.
    pub final_page: String,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn query_value(url: &Url, name: &str) -> String {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Approves as `username`.
pub async fn approve(authorize_url: Url, username: &str) -> BrowserVisit {
    let browser = client();
    let page = browser
        .get(authorize_url.clone())
        .send()
        .await
        .expect("the consent page loads")
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("value=\"{username}\"")),
        "the consent page offers {username}: {page}"
    );
    let mut form_action = authorize_url.clone();
    form_action.set_query(None);
    let answer = browser
        .post(form_action)
        .form(&[
            ("username", username.to_owned()),
            ("redirect_uri", query_value(&authorize_url, "redirect_uri")),
            ("client_id", query_value(&authorize_url, "client_id")),
            ("scope", query_value(&authorize_url, "scope")),
            ("state", query_value(&authorize_url, "state")),
        ])
        .send()
        .await
        .expect("consent is accepted");
    assert_eq!(answer.status(), 302, "the instance redirects after consent");
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    let redirected_to = Url::parse(&location).unwrap();
    let final_page = visit(redirected_to.clone()).await;
    BrowserVisit {
        redirected_to,
        final_page,
    }
}

/// Loads `url` and returns the page.
pub async fn visit(url: Url) -> String {
    client()
        .get(url)
        .send()
        .await
        .expect("the page loads")
        .text()
        .await
        .unwrap()
}
