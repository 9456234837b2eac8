//! A console whose workspace "Acme" signs in to the fake Graph API
//! (`switchboard_meta::testing::FakeGraph`) with Facebook Login for Devices, for the
//! engine's Meta tests. Sign-ins are kept in memory ([`MemoryVault`]).
//!
//! The Graph address reaches the engine through `SWITCHBOARD_META_GRAPH_URL`, read when a
//! sign-in starts (each account's keychain credential then carries it); sign-ins of tests
//! running in one process take turns ([`sign_in`]).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_core::{
    ConversationSummary, MetaAccountChoice, MetaChoices, MetaDeviceCode, QueueId, SignInOutcome,
};
use switchboard_engine::{
    Console, ConsoleHooks, Engine, EngineConfig, MemoryVault, SecretVault, SystemClock,
};
use switchboard_meta::testing::{Customer, FakeGraph};

/// The workspace's name.
pub const WORKSPACE: &str = "Acme";

/// One console on a fake Graph API.
pub struct Desk {
    pub fake: FakeGraph,
    pub data: tempfile::TempDir,
    pub vault: Arc<MemoryVault>,
    pub console: Console,
    pub engine: Arc<Engine>,
    /// The links the engine asked the browser to open.
    pub opened: Arc<Mutex<Vec<String>>>,
}

/// What the test policy says about Meta, beyond the new-workspace template.
pub struct Setup {
    /// Write `[meta]` with the fake's app.
    pub app_in_policy: bool,
    /// `human_agent_tag` under `[meta]`.
    pub human_agent_tag: bool,
    /// Put the Page (by username) and the Instagram account (by id) on the allowlist.
    pub allowlist: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            app_in_policy: true,
            human_agent_tag: false,
            allowlist: true,
        }
    }
}

/// Opens a console on `data` with `vault`, polling every 200 ms, recording opened links.
pub async fn open(
    data: &tempfile::TempDir,
    vault: Arc<MemoryVault>,
    opened: Arc<Mutex<Vec<String>>>,
) -> Console {
    let hooks = ConsoleHooks {
        listener: Arc::new(|_| {}),
        switched: Arc::new(|_| {}),
        alerts: None,
        open_url: Some(Arc::new(move |url: &str| {
            opened.lock().unwrap().push(url.to_owned());
            Ok(())
        })),
        shell: None,
    };
    let config = EngineConfig {
        data_dir: data.path().to_path_buf(),
        demo_seed: 1,
        demo_speed: 0.0,
        me: "rosa".into(),
        keychain_namespace: format!("app.switchboard.test.meta.{}", std::process::id()),
        poll_interval: Some(Duration::from_millis(200)),
    };
    let vault: Arc<dyn SecretVault> = vault;
    Console::open_with_vault(config, Arc::new(SystemClock), hooks, vault)
        .await
        .unwrap()
}

/// Starts a fake Graph API and a console with workspace "Acme" (open) whose policy is the
/// new-workspace template plus what `setup` says and a rule sending Instagram comments
/// that ask about prices to Sales.
pub async fn desk(setup: Setup) -> Desk {
    let fake = FakeGraph::start().await;
    let data = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemoryVault::default());
    let opened = Arc::new(Mutex::new(Vec::new()));
    let console = open(&data, Arc::clone(&vault), Arc::clone(&opened)).await;
    console.create_workspace(WORKSPACE).await.unwrap();
    let engine = console.engine().await.unwrap();
    let seed = fake.seed().clone();
    let policy_path = engine.workspace_info().policy_path;
    let mut policy = std::fs::read_to_string(&policy_path).unwrap();
    if setup.app_in_policy {
        policy.push_str(&format!(
            "\n[meta]\napp_id = \"{}\"\nclient_token = \"{}\"\nhuman_agent_tag = {}\n",
            seed.app_id, seed.client_token, setup.human_agent_tag
        ));
    }
    if setup.allowlist {
        policy.push_str(&format!(
            "\n[[brand_account]]\nplatform = \"facebook\"\naccount = \"{}\"\n\
             \n[[brand_account]]\nplatform = \"instagram\"\naccount = \"{}\"\n",
            seed.page_username, seed.instagram_id
        ));
    }
    policy.push_str("\n[[rule]]\nqueue = \"sales\"\nplatforms = [\"instagram\"]\nkinds = [\"comment\"]\nkeywords = [\"price\"]\n");
    std::fs::write(&policy_path, policy).unwrap();
    engine.reload_policy().await.unwrap();
    assert_eq!(
        engine.workspace_info().policy_error,
        None,
        "the test policy is valid"
    );
    Desk {
        fake,
        data,
        vault,
        console,
        engine,
        opened,
    }
}

/// Sign-ins of this process take turns: the Graph address is an environment variable.
static SIGN_IN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// This process's turn to sign in to `desk`'s fake (the Graph address set for it).
pub async fn graph_turn(desk: &Desk) -> tokio::sync::MutexGuard<'static, ()> {
    let turn = SIGN_IN.lock().await;
    std::env::set_var("SWITCHBOARD_META_GRAPH_URL", desk.fake.url());
    turn
}

/// Signs in through the device flow (with `app` typed when the policy has none): start,
/// the person approves the code at the fake, finish. Returns the code and the choices.
pub async fn sign_in(
    desk: &Desk,
    app: Option<(String, String)>,
) -> (MetaDeviceCode, Vec<MetaAccountChoice>) {
    let (code, listed) = sign_in_without(desk, app, &[]).await;
    (code, listed.choices)
}

/// [`sign_in`], the person approving without the permissions `missing`; returns all that
/// `finish_meta_sign_in` answered (the choices and what was left out).
pub async fn sign_in_without(
    desk: &Desk,
    app: Option<(String, String)>,
    missing: &[&str],
) -> (MetaDeviceCode, MetaChoices) {
    let _turn = graph_turn(desk).await;
    let (app_id, token) = match app {
        Some((id, token)) => (Some(id), Some(token)),
        None => (None, None),
    };
    let code = desk
        .engine
        .start_meta_sign_in(app_id, token)
        .await
        .expect("the device login starts");
    let engine = Arc::clone(&desk.engine);
    let finish = tokio::spawn(async move { engine.finish_meta_sign_in().await });
    desk.fake
        .approve_device_login(&code.user_code, missing)
        .await;
    let listed = tokio::time::timeout(Duration::from_secs(60), finish)
        .await
        .expect("the sign-in finishes once approved")
        .unwrap()
        .expect("the choices are listed");
    (code, listed)
}

/// The choice for `account_id`.
pub fn choice<'a>(choices: &'a [MetaAccountChoice], account_id: &str) -> &'a MetaAccountChoice {
    choices
        .iter()
        .find(|c| c.account_id == account_id)
        .unwrap_or_else(|| panic!("no choice for {account_id}: {choices:?}"))
}

/// Whether every fault armed at `fake` was used up.
pub async fn faults_spent(fake: &FakeGraph) -> bool {
    let state = fake.state().await;
    let faults = state["faults"].as_array().cloned().unwrap_or_default();
    faults.iter().all(|f| f["remaining"].as_u64() == Some(0))
}

/// A Facebook customer.
pub fn customer(id: &str, name: &str) -> Customer {
    Customer {
        id: id.into(),
        name: name.into(),
    }
}

/// Polls `check` for up to 60 s.
pub async fn wait_until<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    crate::common::wait_until(Duration::from_secs(60), what, check).await
}

/// The conversation of `queue` whose preview contains `text`, once it is there.
pub async fn conversation_in(engine: &Arc<Engine>, queue: &str, text: &str) -> ConversationSummary {
    let found = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            let rows = engine
                .list_conversations(QueueId(queue.into()))
                .await
                .unwrap();
            if let Some(row) = rows.into_iter().find(|c| c.preview.contains(text)) {
                return row;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("no conversation saying {text:?} in {queue}"))
}

/// Adds the Page (and the Instagram account when `instagram`) after a device sign-in.
pub async fn add_page(desk: &Desk, instagram: bool) {
    let seed = desk.fake.seed().clone();
    let (_, choices) = sign_in(desk, None).await;
    let mut chosen = vec![choice(&choices, &seed.page_id).choice.clone()];
    if instagram {
        chosen.push(choice(&choices, &seed.instagram_id).choice.clone());
    }
    let outcomes = desk.engine.add_meta_accounts(chosen).await.unwrap();
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, SignInOutcome::Added { .. })),
        "{outcomes:?}"
    );
}

/// Waits until conversation `id` has no reply on its way and is answered.
pub async fn wait_sent(engine: &Arc<Engine>, id: i64) {
    wait_until("the reply sent and the conversation answered", || {
        let engine = Arc::clone(engine);
        async move {
            let thread = engine.get_thread(id).await.unwrap();
            thread.outgoing.is_empty() && thread.conversation.waiting_since.is_none()
        }
    })
    .await;
}
