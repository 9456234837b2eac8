//! Logging: `tracing` to a daily rolling file in the log directory through a non-blocking
//! writer (and to stderr in debug builds). The level is the organisation's when the
//! managed settings fix one (`log_level`), else `SWITCHBOARD_LOG` (e.g. `debug`, or
//! `info,switchboard_engine=trace`); the default is `info`.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Keeps the log writer flushing; dropped at exit.
pub struct LogGuard(#[allow(dead_code)] WorkerGuard);

/// Starts logging into `dir/switchboard.log.YYYY-MM-DD`, at `managed_level` when the
/// organisation fixes one.
pub fn init(dir: &Path, managed_level: Option<&str>) -> anyhow::Result<LogGuard> {
    std::fs::create_dir_all(dir)?;
    let file = tracing_appender::rolling::daily(dir, "switchboard.log");
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = match managed_level {
        Some(level) => EnvFilter::new(level),
        None => {
            EnvFilter::try_from_env("SWITCHBOARD_LOG").unwrap_or_else(|_| EnvFilter::new("info"))
        }
    };
    let file_layer = fmt::layer().with_writer(writer).with_ansi(false);
    let stderr_layer = cfg!(debug_assertions).then(|| fmt::layer().with_writer(std::io::stderr));
    tracing_subscriber::registry()
        .with(file_layer.with_filter(filter))
        .with(stderr_layer.with_filter(tracing_subscriber::filter::LevelFilter::WARN))
        .try_init()?;
    Ok(LogGuard(guard))
}
