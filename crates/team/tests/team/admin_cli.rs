//! The administrator's command, `switchboard-team`, end to end.

use std::process::{Command, Output};

use switchboard_team::{JoinCode, TeamClient};

use crate::support::database;

fn run(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard-team"))
        .args(args)
        .env("SWITCHBOARD_TEAM_DATABASE_URL", url)
        .output()
        .expect("switchboard-team runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// init → add-member (prints a join code the member connects with) → status →
/// remove-member → status; running init again changes nothing.
#[tokio::test]
async fn init_add_status_remove() {
    let db = database().await;
    let out = stdout(&run(&db.url, &["init", "--team", "Support"]));
    let team = out.trim().rsplit(' ').next().unwrap().to_owned();
    let again = stdout(&run(&db.url, &["init", "--team", "Support"]));
    assert!(again.contains(&team), "init is idempotent: {again}");

    let out = stdout(&run(
        &db.url,
        &[
            "add-member",
            "--team",
            &team,
            "--name",
            "Ana",
            "--email",
            "ana@example.com",
            "--queue",
            "sales",
            "--queue",
            "support",
            "--lead",
        ],
    ));
    assert!(
        !out.contains("test-admin-password"),
        "the administrator's password leaked"
    );
    let code_line = out
        .lines()
        .find(|l| l.starts_with("sbjoin1."))
        .expect("a join code");
    let code = JoinCode::decode(code_line).unwrap();
    assert!(!code.url.contains("test-admin-password"));
    let ana = TeamClient::join(&code, "ana-laptop").await.unwrap();
    assert!(ana.events_after(0, 10).await.unwrap().is_empty());

    let status = stdout(&run(&db.url, &["status"]));
    assert!(status.contains("Team Support"), "{status}");
    assert!(
        status.contains(&format!(
            "member Ana <ana@example.com> as {}, lead; queues: sales, support",
            code.member
        )),
        "{status}"
    );

    stdout(&run(
        &db.url,
        &["remove-member", "--team", &team, "--member", &code.member],
    ));
    let status = stdout(&run(&db.url, &["status"]));
    assert!(status.contains("removed"), "{status}");
    assert!(TeamClient::join(&code, "ana-laptop").await.is_err());
}

/// Plain-words refusals: a plain connection to another machine, a missing address, an
/// unknown command.
#[test]
fn refusals_are_in_plain_words() {
    let out = run(
        "postgres://admin:pw@db.example.com/team?sslmode=require",
        &["status"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to connect") && err.contains("verify-full"),
        "{err}"
    );
    assert!(!err.contains("pw@"), "the password leaked: {err}");

    let out = Command::new(env!("CARGO_BIN_EXE_switchboard-team"))
        .arg("status")
        .env_remove("SWITCHBOARD_TEAM_DATABASE_URL")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("set SWITCHBOARD_TEAM_DATABASE_URL"));

    let out = run("postgres://admin:pw@127.0.0.1:1/x", &["frobnicate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown command frobnicate"));
}
