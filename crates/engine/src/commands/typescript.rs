//! `ui/src/lib/commands.ts`: the command list as TypeScript, so the window's two backends
//! call only commands that exist, with the arguments they take. A test compares the file
//! with a fresh rendering; `UPDATE_BINDINGS=1 cargo test -p switchboard-engine --lib
//! commands` rewrites it.

use std::collections::BTreeSet;

use super::{specs, CommandSpec};

/// The contents of `ui/src/lib/commands.ts`.
pub fn typescript_commands() -> String {
    let specs = specs();
    let mut imports = BTreeSet::new();
    let mut body = String::new();
    for spec in &specs {
        body.push_str(&entry(spec, &mut imports));
    }
    let mut out = String::from(
        "// Generated from crates/engine/src/commands/list.rs by `typescript_commands()`.\n\
         // Do not edit: run `UPDATE_BINDINGS=1 cargo test -p switchboard-engine --lib commands`.\n",
    );
    if !imports.is_empty() {
        let names: Vec<_> = imports.into_iter().collect();
        out.push_str(&format!(
            "import type {{ {} }} from './bindings';\n",
            names.join(", ")
        ));
    }
    out.push_str(
        "\n/** Every command of the shell: the arguments the window sends (camelCase) and the answer. */\n\
         export interface Commands {\n",
    );
    out.push_str(&body);
    out.push_str("}\n\nexport type CommandName = keyof Commands;\n\n");
    out.push_str("/** Each command's arguments by name, as the window sends them. */\nexport const COMMAND_ARGS: Readonly<Record<CommandName, readonly string[]>> = {\n");
    for spec in &specs {
        let mut names = Vec::new();
        if spec.names_workspace {
            names.push("'workspace'".to_owned());
        }
        names.extend(
            spec.args
                .iter()
                .map(|(name, _)| format!("'{}'", camel_case(name))),
        );
        out.push_str(&format!("  {}: [{}],\n", spec.name, names.join(", ")));
    }
    out.push_str(
        "};\n\n/** Every command's name, in the list's order. */\n\
         export const COMMAND_NAMES: readonly CommandName[] = Object.keys(COMMAND_ARGS) as CommandName[];\n\n\
         /** The commands that name their workspace (a `workspace` argument). */\n\
         export const WORKSPACE_COMMANDS: readonly CommandName[] = COMMAND_NAMES.filter((name) =>\n  \
         COMMAND_ARGS[name].includes('workspace'),\n);\n",
    );
    out
}

fn entry(spec: &CommandSpec, imports: &mut BTreeSet<String>) -> String {
    let mut args = Vec::new();
    if spec.names_workspace {
        args.push("workspace: string".to_owned());
    }
    for (name, ty) in &spec.args {
        args.push(format!("{}: {}", camel_case(name), ts_type(ty, imports)));
    }
    let args = if args.is_empty() {
        "Record<string, never>".to_owned()
    } else {
        format!("{{ {} }}", args.join("; "))
    };
    format!(
        "  /** {} */\n  {}: {{ args: {}; returns: {} }};\n",
        spec.doc,
        spec.name,
        args,
        ts_type(spec.returns, imports)
    )
}

/// `conversation_id` → `conversationId` (what Tauri and the bridge expect).
fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The TypeScript type of a Rust type as the list spells it (`Vec < Thread >`).
fn ts_type(rust: &str, imports: &mut BTreeSet<String>) -> String {
    let rust: String = rust.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(inner) = generic(&rust, "Vec") {
        return format!("{}[]", ts_type(inner, imports));
    }
    if let Some(inner) = generic(&rust, "Option") {
        return format!("{} | null", ts_type(inner, imports));
    }
    match rust.as_str() {
        "i64" | "u32" | "u64" | "i32" => "number".to_owned(),
        "String" | "&str" => "string".to_owned(),
        "bool" => "boolean".to_owned(),
        "()" => "null".to_owned(),
        named => {
            imports.insert(named.to_owned());
            named.to_owned()
        }
    }
}

fn generic<'a>(rust: &'a str, outer: &str) -> Option<&'a str> {
    rust.strip_prefix(outer)?
        .strip_prefix('<')?
        .strip_suffix('>')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_ts_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/lib/commands.ts");
        let fresh = typescript_commands();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(path, &fresh).expect("write commands.ts");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/lib/commands.ts is out of date with crates/engine/src/commands/list.rs: \
             run `UPDATE_BINDINGS=1 cargo test -p switchboard-engine --lib commands`"
        );
    }

    #[test]
    fn rust_types_become_typescript_types() {
        let mut imports = BTreeSet::new();
        assert_eq!(ts_type("Vec < Thread >", &mut imports), "Thread[]");
        assert_eq!(
            ts_type("Option<AccountView>", &mut imports),
            "AccountView | null"
        );
        assert_eq!(ts_type("i64", &mut imports), "number");
        assert_eq!(ts_type("Option<String>", &mut imports), "string | null");
        assert_eq!(ts_type("()", &mut imports), "null");
        assert_eq!(
            imports.into_iter().collect::<Vec<_>>(),
            ["AccountView", "Thread"]
        );
        assert_eq!(camel_case("conversation_id"), "conversationId");
    }

    #[test]
    fn every_conversation_command_names_its_workspace() {
        for spec in specs() {
            if spec.args.iter().any(|(name, _)| *name == "conversation_id") {
                assert!(
                    spec.names_workspace,
                    "{} must name its workspace",
                    spec.name
                );
            }
        }
    }
}
