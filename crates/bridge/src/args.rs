//! Command-line arguments of the bridge.

use std::path::PathBuf;

use anyhow::{bail, Context};

/// What the bridge was asked to do.
pub struct Args {
    /// The app data directory the engine uses (a throwaway one in tests).
    pub data_dir: PathBuf,
    /// The built UI to serve.
    pub ui_dir: PathBuf,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
}

impl Args {
    /// Parses `--data-dir DIR [--ui-dir DIR] [--port N]`.
    pub fn parse(mut args: impl Iterator<Item = String>) -> anyhow::Result<Args> {
        let mut data_dir = None;
        let mut ui_dir = PathBuf::from("ui/dist");
        let mut port = 0;
        while let Some(flag) = args.next() {
            let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--data-dir" => data_dir = Some(PathBuf::from(value()?)),
                "--ui-dir" => ui_dir = PathBuf::from(value()?),
                "--port" => port = value()?.parse().context("--port takes a number")?,
                other => bail!(
                    "unknown argument `{other}`; use --data-dir DIR [--ui-dir DIR] [--port N]"
                ),
            }
        }
        Ok(Args {
            data_dir: data_dir.context("--data-dir DIR is required (use a throwaway directory)")?,
            ui_dir,
            port,
        })
    }
}
