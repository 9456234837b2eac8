//! `switchboard-team`: sets up and administers a team's PostgreSQL database. Run by
//! whoever administers the database; nothing of ours runs on a server.
//!
//! The administrator's connection comes from `SWITCHBOARD_TEAM_DATABASE_URL` (kept out
//! of the command line, where other users of the machine could read it).
#![allow(clippy::print_stdout)]

use std::process::ExitCode;

use switchboard_team::admin::{Admin, NewMember};
use uuid::Uuid;

const USAGE: &str = "\
usage: switchboard-team <command> [options]
  init --team NAME                   create or update the schema and the team
  add-member --team ID --name NAME --email EMAIL [--queue Q]... [--lead] [--trainee]
                                     [--public-url URL]
                                     create the member's login and print their join code
  remove-member --team ID --member LOGIN_ROLE
                                     revoke the member's login at once
  status                             show teams, members, log and leases

The database: SWITCHBOARD_TEAM_DATABASE_URL=postgres://admin:…@host/db?sslmode=verify-full
(plain connections are accepted only to this machine).";

struct Args {
    command: String,
    options: Vec<(String, Option<String>)>,
}

impl Args {
    fn parse() -> Result<Self, String> {
        let mut raw = std::env::args().skip(1);
        let command = raw.next().ok_or_else(|| USAGE.to_owned())?;
        let mut options = Vec::new();
        let rest: Vec<String> = raw.collect();
        let mut i = 0;
        while i < rest.len() {
            let key = rest[i]
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {}\n\n{USAGE}", rest[i]))?;
            if key == "lead" || key == "trainee" {
                options.push((key.to_owned(), None));
                i += 1;
            } else {
                let value = rest
                    .get(i + 1)
                    .ok_or_else(|| format!("--{key} needs a value\n\n{USAGE}"))?;
                options.push((key.to_owned(), Some(value.clone())));
                i += 2;
            }
        }
        Ok(Args { command, options })
    }

    fn all(&self, key: &str) -> Vec<String> {
        self.options
            .iter()
            .filter(|(k, _)| k == key)
            .filter_map(|(_, v)| v.clone())
            .collect()
    }

    fn one(&self, key: &str) -> Result<String, String> {
        self.all(key)
            .into_iter()
            .next()
            .ok_or_else(|| format!("--{key} is required\n\n{USAGE}"))
    }

    fn flag(&self, key: &str) -> bool {
        self.options.iter().any(|(k, _)| k == key)
    }
}

async fn run(args: Args) -> Result<(), String> {
    if !["init", "add-member", "remove-member", "status"].contains(&args.command.as_str()) {
        return Err(format!("unknown command {}\n\n{USAGE}", args.command));
    }
    let url = std::env::var("SWITCHBOARD_TEAM_DATABASE_URL").map_err(|_| {
        format!(
            "set SWITCHBOARD_TEAM_DATABASE_URL to the administrator's database address\n\n{USAGE}"
        )
    })?;
    let team = |args: &Args| -> Result<Uuid, String> {
        let id = args.one("team")?;
        Uuid::parse_str(&id).map_err(|_| format!("--team {id} is not a team id (see `status`)"))
    };
    let admin = Admin::connect(&url).await.map_err(|e| e.to_string())?;
    match args.command.as_str() {
        "init" => {
            let name = args.one("team")?;
            let id = admin.init(&name).await.map_err(|e| e.to_string())?;
            println!("Team {name} is ready: {id}");
        }
        "add-member" => {
            let team = team(&args)?;
            let member = NewMember {
                name: args.one("name")?,
                email: args.one("email")?,
                queues: args.all("queue"),
                lead: args.flag("lead"),
                trainee: args.flag("trainee"),
            };
            let public_url = args.all("public-url").into_iter().next();
            let code = admin
                .add_member(team, &member, public_url.as_deref())
                .await
                .map_err(|e| e.to_string())?;
            println!("Added {} as {}.", member.name, code.member);
            println!("Hand this join code to them once, privately (it is their password):");
            println!("{}", code.encode().expose());
        }
        "remove-member" => {
            let team = team(&args)?;
            let member = args.one("member")?;
            admin
                .remove_member(team, &member)
                .await
                .map_err(|e| e.to_string())?;
            println!("Removed {member}: the login is revoked and its sessions are closed.");
        }
        "status" => {
            let status = admin.status().await.map_err(|e| e.to_string())?;
            print!("{status}");
        }
        other => return Err(format!("unknown command {other}\n\n{USAGE}")),
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let result = match Args::parse() {
        Ok(args) => run(args).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("switchboard-team: {message}");
            ExitCode::FAILURE
        }
    }
}
