//! Test helper, not part of the app: one laptop of a team in its own process, for the
//! team failover tests (`crates/engine/tests/team/failover.rs`), which stop it with
//! SIGSTOP (a laptop asleep), wake it with SIGCONT, or kill it with SIGKILL.
//!
//! It opens the team workspace `TEAM_WORKER_WORKSPACE` on `TEAM_WORKER_DATA_DIR` (whose
//! database already lists the brand account) with an in-memory keychain holding the join
//! code `TEAM_WORKER_JOIN_CODE` and, for the account `TEAM_WORKER_ACCOUNT`, the sign-in
//! `TEAM_WORKER_ACCOUNT_SECRET`; it polls every 200 ms. On its standard output it says
//! `open` once the workspace is open, `sync error: <why>` whenever an account's sync
//! error changes, and `poll lease lost` when a commit of what it read was refused because
//! its poll lease had been taken over. Asked `check <file>` on its standard
//! input (a file of thread keys, one a line) it answers
//! `checked <missing> <not once>`: how many of those threads have no conversation here,
//! and how many have a conversation whose customer items are not exactly one.

use std::io::{BufRead, Write};
use std::sync::Arc;
use std::time::Duration;

use switchboard_engine::{
    Engine, EngineConfig, EngineHooks, MemoryVault, SecretVault, SystemClock, WorkspaceSpec,
};
use switchboard_vault::Sensitive;

fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("team_worker is started by the team tests with {name} set"))
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let workspace = env("TEAM_WORKER_WORKSPACE");
    let vault = Arc::new(MemoryVault::default());
    let keep = |account: &str, secret: String| {
        vault
            .store(&workspace, account, &Sensitive::new(secret))
            .expect("the memory keychain keeps it");
    };
    keep("team:join-code", env("TEAM_WORKER_JOIN_CODE"));
    keep(
        &env("TEAM_WORKER_ACCOUNT"),
        env("TEAM_WORKER_ACCOUNT_SECRET"),
    );
    let config = EngineConfig {
        data_dir: env("TEAM_WORKER_DATA_DIR").into(),
        demo_seed: 1,
        demo_speed: 0.0,
        me: "worker".into(),
        keychain_namespace: "app.switchboard.test.team-worker".into(),
        poll_interval: Some(Duration::from_millis(200)),
    };
    let spec = WorkspaceSpec {
        id: workspace.clone(),
        name: "Acme team".into(),
        is_demo: false,
        is_team: true,
    };
    let hooks = EngineHooks {
        listener: Arc::new(|_| {}),
        alerts: None,
        version: Arc::default(),
        open_url: None,
    };
    let engine = Engine::open_with_vault(config, &spec, Arc::new(SystemClock), hooks, vault)
        .await
        .expect("the team workspace opens");
    let engine = Arc::new(engine);
    say("open");

    // Questions from the test, read off the async threads.
    let (ask, mut questions) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if ask.send(line).is_err() {
                break;
            }
        }
    });

    let mut last_error: Option<String> = None;
    let mut leases_lost = 0;
    loop {
        let lost = engine.team_status().map_or(0, |status| status.leases_lost);
        if lost > leases_lost {
            say("poll lease lost");
            leases_lost = lost;
        }
        let error = engine
            .list_accounts()
            .await
            .into_iter()
            .find_map(|account| account.sync.error);
        if error != last_error {
            if let Some(why) = &error {
                say(&format!("sync error: {why}"));
            }
            last_error = error;
        }
        while let Ok(question) = questions.try_recv() {
            if let Some(file) = question.strip_prefix("check ") {
                let (missing, not_once) = check(&engine, file).await;
                say(&format!("checked {missing} {not_once}"));
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How many threads listed in `file` have no conversation here, and how many have a
/// conversation whose customer items are not exactly one.
async fn check(engine: &Engine, file: &str) -> (usize, usize) {
    let threads = std::fs::read_to_string(file).unwrap_or_default();
    let (mut missing, mut not_once) = (0, 0);
    for thread in threads.lines().filter(|l| !l.is_empty()) {
        let Ok(Some(id)) = engine.conversation_of_thread(thread).await else {
            missing += 1;
            continue;
        };
        match engine.get_thread(id).await {
            Ok(t) if t.items.iter().filter(|i| !i.from_brand).count() == 1 => {}
            _ => not_once += 1,
        }
    }
    (missing, not_once)
}
