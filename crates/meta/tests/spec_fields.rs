//! Every field the Meta provider requests exists in Meta's published specs with the type
//! the provider expects.
//!
//! The specs are `api_specs/specs/<Node>.json` of facebook/facebook-business-sdk-codegen,
//! vendored byte for byte in `tests/peers/meta/specs` (and, for the message node that has
//! no spec file at Meta, `specs/from-docs/Message.json`, written from Meta's Message
//! reference). A field renamed, removed or mistyped in [`switchboard_meta::fields`] fails
//! here.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;
use switchboard_meta::fields::{self, Field, FieldList};

/// One node type's spec: field name → type, GET edge → returned node type.
struct Spec {
    fields: HashMap<String, String>,
    edges: HashMap<String, String>,
}

fn specs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers/meta/specs")
}

fn spec(node: &str) -> Result<Spec, String> {
    let dir = specs_dir();
    let path = [
        dir.join(format!("{node}.json")),
        dir.join("from-docs").join(format!("{node}.json")),
    ]
    .into_iter()
    .find(|p| p.exists())
    .ok_or_else(|| format!("no vendored spec for node type {node} in {}", dir.display()))?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let raw: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let pairs = |list: &str, key: &str, value: &str, only_get: bool| -> HashMap<String, String> {
        raw.get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|entry| !only_get || entry.get("method").and_then(Value::as_str) == Some("GET"))
            .filter_map(|entry| {
                Some((
                    entry.get(key)?.as_str()?.to_owned(),
                    entry.get(value)?.as_str()?.to_owned(),
                ))
            })
            .collect()
    };
    Ok(Spec {
        fields: pairs("fields", "name", "type", false),
        edges: pairs("apis", "endpoint", "return", true),
    })
}

/// The problems of `fields` requested on `node` (empty: all there with their types).
fn problems(node: &str, fields: &[Field], path: &str) -> Vec<String> {
    let spec = match spec(node) {
        Ok(spec) => spec,
        Err(why) => return vec![why],
    };
    let mut out = Vec::new();
    for field in fields {
        let at = format!("{path}.{}", field.name);
        match field.kind.strip_prefix("edge:") {
            Some(returns) => match spec.edges.get(field.name) {
                Some(actual) if actual == returns => {}
                Some(actual) => out.push(format!(
                    "{at}: the edge returns {actual} in the spec, the client expects {returns}"
                )),
                None => out.push(format!("{at}: {node} has no GET edge `{}`", field.name)),
            },
            None => match spec.fields.get(field.name) {
                Some(actual) if actual == field.kind => {}
                Some(actual) => out.push(format!(
                    "{at}: typed {actual} in the spec, the client expects {}",
                    field.kind
                )),
                None => out.push(format!("{at}: {node} has no field `{}`", field.name)),
            },
        }
        if let Some(inner) = field.expand_node {
            out.extend(problems(inner, field.expand, &at));
        }
    }
    out
}

fn check(list: &FieldList) -> Vec<String> {
    problems(
        list.node,
        list.fields,
        &format!("{} ({})", list.name, list.node),
    )
}

#[test]
fn every_requested_field_is_in_metas_specs_with_the_expected_type() {
    let all: Vec<String> = fields::ALL.iter().flat_map(check).collect();
    assert!(
        all.is_empty(),
        "fields the specs do not have:\n{}",
        all.join("\n")
    );
}

#[test]
fn a_typo_or_a_wrong_type_is_caught() {
    const TYPO: FieldList = FieldList {
        name: "typo",
        node: "Comment",
        fields: &[
            Field {
                name: "mesage",
                kind: "string",
                expand: &[],
                expand_node: None,
                modifiers: "",
            },
            Field {
                name: "created_time",
                kind: "string",
                expand: &[],
                expand_node: None,
                modifiers: "",
            },
            Field {
                name: "replies",
                kind: "edge:Comment",
                expand: &[],
                expand_node: None,
                modifiers: "",
            },
        ],
    };
    let found = check(&TYPO);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].contains("no field `mesage`"), "{found:?}");
    assert!(found[1].contains("typed datetime"), "{found:?}");
    assert!(found[2].contains("no GET edge `replies`"), "{found:?}");
}

#[test]
fn the_vendored_specs_are_metas() {
    // Spot checks against the published files: fields every request leans on.
    let comment = spec("Comment").unwrap();
    assert_eq!(comment.fields["created_time"], "datetime");
    assert_eq!(comment.fields["parent"], "Comment");
    let thread = spec("UnifiedThread").unwrap();
    assert_eq!(thread.edges["messages"], "UnifiedMessage");
    let ig = spec("IGComment").unwrap();
    assert_eq!(ig.edges["replies"], "IGComment");
}
