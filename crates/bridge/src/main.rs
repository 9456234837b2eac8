//! `switchboard-bridge`: a development and test-only HTTP front for the engine.
//!
//! It serves the built UI and the engine's API on 127.0.0.1 (never another address) with
//! a random bearer token, so the same UI can be driven in a browser (Playwright, a
//! developer's Chromium) against the real backend. It is a separate package and binary:
//! release builds of the app do not contain it.
//!
//! ```text
//! switchboard-bridge --data-dir DIR [--ui-dir ui/dist] [--port 0]
//! ```
//! It prints one line, `SWITCHBOARD_BRIDGE <page url with bridge and token>`, then serves
//! until interrupted.

mod args;
mod routes;
mod static_files;

use std::sync::Arc;

use anyhow::Context;
use switchboard_engine::{ChangeListener, Console, ConsoleHooks, EngineConfig, SystemClock};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SWITCHBOARD_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = args::Args::parse(std::env::args().skip(1))?;

    let listener: ChangeListener = Arc::new(|_| {});
    let hooks = ConsoleHooks {
        listener,
        switched: Arc::new(|_| {}),
        alerts: None, // no desktop notifications from a dev bridge
        open_url: Some(Arc::new(|url: &str| {
            // A dev bridge has no window: print the sign-in page for the developer.
            tracing::info!(%url, "open this URL to finish signing in");
            Ok(())
        })),
        shell: None,
    };
    let console = Console::open(
        EngineConfig::from_env(args.data_dir.clone()),
        Arc::new(SystemClock),
        hooks,
    )
    .await
    .context("starting the engine")?;
    let console = Arc::new(console);
    let token = random_token()?;

    let socket = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .context("binding 127.0.0.1")?;
    let base = format!("http://{}", socket.local_addr()?);
    let app = routes::router(Arc::clone(&console), token.clone(), args.ui_dir);
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "SWITCHBOARD_BRIDGE {base}/?bridge={base}&token={token}"
        )?;
        out.flush()?;
    }
    axum::serve(socket, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    console.shutdown().await;
    Ok(())
}

/// 32 random bytes from the OS, hex-encoded.
fn random_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
