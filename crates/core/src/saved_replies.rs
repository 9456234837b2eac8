//! Saved replies' text: parsing, filling in, length and search.
//!
//! A saved reply's text is a **template**:
//! - a **variable** `{name}` is filled from the conversation and the person: `{customer}`
//!   (the customer's display name), `{customer.handle}`, `{queue}` (the queue's label),
//!   `{me.first_name}`, `{me.name}` and `{brand}` (the brand account's display name). Any
//!   other name is an error when the reply is saved ("`{custmer}` is not a variable…");
//! - a **placeholder** `{{name}}` is asked while inserting (`{{order number}}`): its
//!   **answer** replaces it; one left unanswered stays in the text as written and is
//!   listed as **missing**, in order of first appearance, once each;
//! - **escaping**: a backslash before a brace writes the brace itself (`\{` is `{`, `\}`
//!   is `}`), and `\\` writes one backslash. A `}` that closes nothing is kept as it is,
//!   as is a backslash before any other character.
//!
//! The filled text's **length** is counted as the platform counts it ([`reply_length`]);
//! **search** ([`search_saved_replies`]) ranks saved replies by how well their title,
//! category and text match the query, then by how well they fit the conversation's queue
//! and platform.

use unicode_segmentation::UnicodeSegmentation;

use crate::{FilledReply, LimitUnit, PlaceholderAnswer, Platform, QueueId, ReplyLimit, SavedReply};

/// The variables a saved reply may use, as written between braces.
pub const VARIABLES: [&str; 6] = [
    "customer",
    "customer.handle",
    "queue",
    "me.first_name",
    "me.name",
    "brand",
];

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Plain text (escapes already resolved).
    Text(String),
    /// A variable, by its name in [`VARIABLES`].
    Variable(&'static str),
    /// A placeholder, by its name (trimmed).
    Placeholder(String),
}

/// Why a template does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `{name}` with a name that is not a variable.
    #[error(
        "`{{{name}}}` is not a variable: {}use {{customer}}, {{customer.handle}}, {{queue}}, \
         {{me.first_name}}, {{me.name}} or {{brand}}; write {{{{like this}}}} for something \
         to ask while inserting, or \\{{ for a brace.",
        suggestion.map(|s| format!("did you mean {{{s}}}? ")).unwrap_or_default()
    )]
    UnknownVariable {
        /// The name as written.
        name: String,
        /// The closest variable, when one is close.
        suggestion: Option<&'static str>,
    },
    /// A `{` or `{{` that is never closed.
    #[error(
        "A `{{` at character {at} is never closed: close it with `}}` (or `}}}}` for \
         something to ask), or write \\{{ for a brace."
    )]
    Unclosed {
        /// Where it opens, counted in characters from 1.
        at: usize,
    },
    /// `{{}}` or `{}` with nothing inside.
    #[error("Empty braces at character {at}: name a variable like {{customer}}, or something to ask like {{{{order number}}}}.")]
    Empty {
        /// Where they open, counted in characters from 1.
        at: usize,
    },
}

/// What a saved reply is filled with, from the conversation and the person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FillContext {
    /// The customer's display name (`{customer}`).
    pub customer: String,
    /// The customer's handle (`{customer.handle}`).
    pub customer_handle: String,
    /// The queue's label (`{queue}`).
    pub queue: String,
    /// The person's name (`{me.name}`; its first word is `{me.first_name}`).
    pub me: String,
    /// The brand account's display name (`{brand}`).
    pub brand: String,
}

impl FillContext {
    /// The value of variable `name` (one of [`VARIABLES`]).
    pub fn value(&self, name: &str) -> &str {
        match name {
            "customer" => &self.customer,
            "customer.handle" => &self.customer_handle,
            "queue" => &self.queue,
            "me.first_name" => self.me.split_whitespace().next().unwrap_or(""),
            "me.name" => &self.me,
            "brand" => &self.brand,
            _ => "",
        }
    }
}

/// Parses `text` into segments (see the module docs); unknown variables, unclosed and
/// empty braces are errors.
pub fn parse_template(text: &str) -> Result<Vec<Segment>, TemplateError> {
    let chars: Vec<char> = text.chars().collect();
    let mut segments = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if matches!(chars.get(i + 1), Some('{' | '}' | '\\')) => {
                plain.push(chars[i + 1]);
                i += 2;
            }
            '{' => {
                let double = chars.get(i + 1) == Some(&'{');
                let open = if double { 2 } else { 1 };
                let close: &[char] = if double { &['}', '}'] } else { &['}'] };
                let start = i + open;
                let end = (start..chars.len())
                    .find(|&j| chars[j..].starts_with(close))
                    .ok_or(TemplateError::Unclosed { at: i + 1 })?;
                let inner: String = chars[start..end].iter().collect();
                let name = inner.trim();
                if name.is_empty() {
                    return Err(TemplateError::Empty { at: i + 1 });
                }
                if name.contains('{') {
                    return Err(TemplateError::Unclosed { at: i + 1 });
                }
                if !plain.is_empty() {
                    segments.push(Segment::Text(std::mem::take(&mut plain)));
                }
                if double {
                    segments.push(Segment::Placeholder(name.to_owned()));
                } else {
                    let variable = VARIABLES.iter().find(|v| **v == name).ok_or_else(|| {
                        TemplateError::UnknownVariable {
                            name: name.to_owned(),
                            suggestion: closest(name),
                        }
                    })?;
                    segments.push(Segment::Variable(variable));
                }
                i = end + close.len();
            }
            c => {
                plain.push(c);
                i += 1;
            }
        }
    }
    if !plain.is_empty() {
        segments.push(Segment::Text(plain));
    }
    Ok(segments)
}

/// The placeholders of `segments`, in order of first appearance, once each.
pub fn placeholders(segments: &[Segment]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for segment in segments {
        if let Segment::Placeholder(name) = segment {
            if !names.iter().any(|n| same_name(n, name)) {
                names.push(name.clone());
            }
        }
    }
    names
}

/// `text` filled in: variables from `context`, placeholders from `answers` (matched by
/// name, ignoring case and surrounding spaces; a blank answer counts as none).
/// Unanswered placeholders stay as `{{name}}` and are listed in `missing`.
pub fn fill(
    text: &str,
    context: &FillContext,
    answers: &[PlaceholderAnswer],
) -> Result<FilledReply, TemplateError> {
    let segments = parse_template(text)?;
    let mut filled = String::with_capacity(text.len());
    let mut missing: Vec<String> = Vec::new();
    for segment in &segments {
        match segment {
            Segment::Text(plain) => filled.push_str(plain),
            Segment::Variable(name) => filled.push_str(context.value(name)),
            Segment::Placeholder(name) => {
                let answer = answers
                    .iter()
                    .find(|a| same_name(&a.name, name) && !a.value.trim().is_empty());
                match answer {
                    Some(answer) => filled.push_str(answer.value.trim()),
                    None => {
                        filled.push_str(&format!("{{{{{name}}}}}"));
                        if !missing.iter().any(|n| same_name(n, name)) {
                            missing.push(name.clone());
                        }
                    }
                }
            }
        }
    }
    Ok(FilledReply {
        text: filled,
        missing,
    })
}

/// The length of `text` counted in `limit`'s unit: grapheme clusters, with a link
/// (`http://…`, `https://…`) counting 23 where the unit is Mastodon's characters.
pub fn reply_length(text: &str, unit: LimitUnit) -> u32 {
    let count = match unit {
        LimitUnit::Graphemes => text.graphemes(true).count(),
        LimitUnit::Characters => {
            let mut count = 0;
            let mut rest = text;
            while !rest.is_empty() {
                let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let (word, after) = rest.split_at(word_end);
                if word.starts_with("http://") || word.starts_with("https://") {
                    count += 23;
                } else {
                    count += word.graphemes(true).count();
                }
                let space_end = after
                    .find(|c: char| !c.is_whitespace())
                    .unwrap_or(after.len());
                count += after[..space_end].graphemes(true).count();
                rest = &after[space_end..];
            }
            count
        }
    };
    u32::try_from(count).unwrap_or(u32::MAX)
}

impl ReplyLimit {
    /// `Ok` when `text` fits; otherwise how many units too many.
    pub fn check(&self, text: &str) -> Result<(), u32> {
        let length = reply_length(text, self.unit);
        if length <= self.max {
            Ok(())
        } else {
            Err(length - self.max)
        }
    }
}

/// The saved replies worth offering for `query` in a conversation of `queue` on
/// `platform`, best first: archived ones never; with a query, only those where every
/// word of it is found in the title, category or text. Ranked by the best place a word
/// matched (title, then category, then text; a title starting with the query first),
/// then by fit (a reply made for this queue or platform before one for any, before one
/// for others), then by title.
pub fn search_saved_replies<'a>(
    replies: &'a [SavedReply],
    query: &str,
    queue: Option<&QueueId>,
    platform: Option<Platform>,
) -> Vec<&'a SavedReply> {
    let query = query.trim().to_lowercase();
    let words: Vec<&str> = query.split_whitespace().collect();
    let mut ranked: Vec<(u32, u32, String, &SavedReply)> = replies
        .iter()
        .filter(|r| !r.archived)
        .filter_map(|reply| {
            let matched = match_score(reply, &query, &words)?;
            Some((
                matched,
                fit_score(reply, queue, platform),
                reply.title.to_lowercase(),
                reply,
            ))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    ranked.into_iter().map(|(_, _, _, reply)| reply).collect()
}

/// How well `reply` matches: `None` when a word is found nowhere.
fn match_score(reply: &SavedReply, query: &str, words: &[&str]) -> Option<u32> {
    if words.is_empty() {
        return Some(0);
    }
    let title = reply.title.to_lowercase();
    let category = reply.category.to_lowercase();
    let text = reply.text.to_lowercase();
    let mut worst = u32::MAX;
    for word in words {
        let score = if title.contains(word) {
            3
        } else if category.contains(word) {
            2
        } else if text.contains(word) {
            1
        } else {
            return None;
        };
        worst = worst.min(score);
    }
    let starts = u32::from(title.starts_with(query));
    Some(worst * 2 + starts)
}

/// How well `reply` fits the conversation: 2 made for it, 1 for any (or when the
/// conversation's is unknown), 0 for others — for the queue and the platform, added.
fn fit_score(reply: &SavedReply, queue: Option<&QueueId>, platform: Option<Platform>) -> u32 {
    let queue_fit = match queue {
        None => 1,
        _ if reply.queues.is_empty() => 1,
        Some(queue) if reply.queues.contains(queue) => 2,
        _ => 0,
    };
    let platform_fit = match platform {
        None => 1,
        _ if reply.platforms.is_empty() => 1,
        Some(platform) if reply.platforms.contains(&platform) => 2,
        _ => 0,
    };
    queue_fit + platform_fit
}

fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The variable closest to `name` (at most 3 edits, or the same after its dot).
fn closest(name: &str) -> Option<&'static str> {
    let name = name.to_lowercase();
    VARIABLES
        .iter()
        .map(|v| (edit_distance(&name, v), *v))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, v)| v)
        .or(match name.as_str() {
            "first_name" | "firstname" | "me.firstname" | "agent" => Some("me.first_name"),
            "name" | "me" | "my_name" => Some("me.name"),
            "handle" => Some("customer.handle"),
            "company" | "brand_name" => Some("brand"),
            _ => None,
        })
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}
