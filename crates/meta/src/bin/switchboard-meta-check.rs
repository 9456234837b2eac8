//! `switchboard-meta-check`: a read-only look at what Switchboard would pull from the real
//! Graph API, for someone with a real Meta app and real Pages.
//!
//! ```text
//! switchboard-meta-check --app-id <id> --client-token <token> [--graph-url <url>]
//! ```
//!
//! It signs in exactly as the app does (Facebook Login for Devices: a code to enter at
//! facebook.com/device), lists the Pages and Instagram accounts the person may add, and
//! for each one reads through the same provider the app uses what Switchboard would pull —
//! customer items and the account's own replies: counts, kinds and first lines — and the
//! usage headers Meta returned. It never posts, hides or deletes anything, and never prints
//! a token. The client token may come from `SWITCHBOARD_META_CLIENT_TOKEN` instead of the
//! command line (keeping it out of the shell's history).

// This command's whole job is to print to the terminal.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::process::ExitCode;

use switchboard_core::{Item, Timestamp};
use switchboard_meta::{
    brand_choices, start_device_login, BrandChoice, GraphClient, GraphUrl, HttpOptions, MetaApp,
    MetaProvider, ProviderOptions, Usage,
};
use switchboard_platforms::Provider;

/// Items shown per list.
const SHOWN: usize = 5;

const USAGE: &str =
    "usage: switchboard-meta-check --app-id <id> --client-token <token> [--graph-url <url>]

Signs in with Facebook Login for Devices and prints, per Page and Instagram account, what
Switchboard would pull (read-only). The client token may also come from
SWITCHBOARD_META_CLIENT_TOKEN.";

struct Args {
    app_id: String,
    client_token: String,
    graph: GraphUrl,
}

fn parse_args() -> Result<Args, String> {
    let mut app_id = None;
    let mut client_token = std::env::var("SWITCHBOARD_META_CLIENT_TOKEN").ok();
    let mut graph = GraphUrl::from_env();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "--app-id" => app_id = Some(value()?),
            "--client-token" => client_token = Some(value()?),
            "--graph-url" => {
                let text = value()?;
                let url = url::Url::parse(&text)
                    .map_err(|e| format!("--graph-url {text} is not an address ({e})"))?;
                graph = GraphUrl(url);
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args {
        app_id: app_id.ok_or("--app-id is required")?,
        client_token: client_token
            .ok_or("--client-token (or SWITCHBOARD_META_CLIENT_TOKEN) is required")?,
        graph,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(problem) => {
            if !problem.is_empty() {
                eprintln!("{problem}\n");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("\n{problem}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let app = MetaApp {
        app_id: args.app_id,
        client_token: args.client_token.into(),
        graph: args.graph,
        http: HttpOptions::default(),
    };
    println!("Graph API: {}", app.graph.endpoint("").as_str());
    let login = start_device_login(&app).await.map_err(|e| e.to_string())?;
    println!(
        "\nOpen {} and enter the code  {}  (valid for {} minutes).\nWaiting for the approval…",
        login.verification_uri,
        login.user_code,
        login.expires_in.as_secs().div_ceil(60)
    );
    let user = login.wait().await.map_err(|e| e.to_string())?;
    println!("Signed in.");
    let listed = brand_choices(&user).await.map_err(|e| e.to_string())?;
    println!(
        "\n{} account(s) Switchboard could add:",
        listed.choices.len()
    );
    for choice in &listed.choices {
        println!("  - {}", describe(choice));
    }
    for sentence in &listed.left_out {
        println!("  (left out) {sentence}");
    }
    for choice in &listed.choices {
        check(choice).await;
    }
    println!("\nNothing was posted, hidden or deleted.");
    Ok(())
}

fn describe(choice: &BrandChoice) -> String {
    let identity = &choice.identity;
    match &choice.linked_page {
        Some(page) => format!(
            "{} @{} (id {}, linked to the Page “{page}”)",
            identity.platform.as_str(),
            identity.handle,
            identity.account_id
        ),
        None => format!(
            "{} “{}” (@{}, id {})",
            identity.platform.as_str(),
            identity.display_name,
            identity.handle,
            identity.account_id
        ),
    }
}

/// Reads one account through the provider, as the app would, and prints what came back.
async fn check(choice: &BrandChoice) {
    println!("\n== {}", describe(choice));
    let provider = match MetaProvider::new(
        choice.credential.clone(),
        choice.identity.clone(),
        ProviderOptions::default(),
    ) {
        Ok(provider) => provider,
        Err(error) => {
            println!("   cannot read it: {error}");
            return;
        }
    };
    let now = Timestamp::now_from_system();
    match provider.fetch_since(None, now).await {
        Ok(page) => show("customer items", &page.items),
        Err(error) => println!("   customer items: failed — {error}"),
    }
    match provider.fetch_brand_replies_since(None, now).await {
        Ok(page) => show("the account's own replies", &page.items),
        Err(error) => println!("   the account's own replies: failed — {error}"),
    }
    // One small read of the account itself, for the usage headers Meta sends now (they
    // count every call above too).
    let client = GraphClient::new(
        choice.credential.graph.clone(),
        choice.credential.page_token.clone(),
        HttpOptions::default(),
    );
    let (id, fields) = match &choice.credential.instagram_id {
        Some(instagram) => (instagram.as_str(), "id,username"),
        None => (choice.credential.page_id.as_str(), "id,name"),
    };
    match client
        .get::<serde_json::Value>(id, &[("fields", fields.to_owned())])
        .await
    {
        Ok(_) => println!("   usage: {}", usage_words(client.usage())),
        Err(error) => println!("   usage: the check read failed — {error}"),
    }
}

fn show(what: &str, items: &[Item]) {
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for item in items {
        *kinds.entry(item.kind.as_str()).or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    println!(
        "   {what}: {}{}",
        items.len(),
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" ({})", kinds.join(", "))
        }
    );
    for item in items.iter().take(SHOWN) {
        println!(
            "     {} {} @{}: {}",
            item.created_at.to_rfc3339(),
            item.kind.as_str(),
            item.author.handle,
            item.first_line(80)
        );
    }
    if items.len() > SHOWN {
        println!("     … and {} more", items.len() - SHOWN);
    }
}

fn usage_words(usage: Option<Usage>) -> String {
    let Some(usage) = usage else {
        return "Meta sent no usage headers (it does once an app has made enough calls)".into();
    };
    let percent = |p: Option<u32>| p.map_or_else(|| "not reported".into(), |p| format!("{p} %"));
    let mut words = format!(
        "app {} (X-App-Usage), Page {} (X-Business-Use-Case-Usage)",
        percent(usage.app_percent),
        percent(usage.business_percent)
    );
    if let Some(regain) = usage.regain_access_in {
        words.push_str(&format!(
            "; throttled, access returns in {} min",
            regain.as_secs().div_ceil(60)
        ));
    }
    words
}
