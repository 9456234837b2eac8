//! The fields registry: every `fields=` list the provider asks Graph for, in one place.
//!
//! A **field** is named on a Graph **node type** as Meta's published specs name them
//! (`api_specs/specs/<Node>.json` of facebook/facebook-business-sdk-codegen): `Comment`,
//! `PagePost`, `UnifiedThread`, `IGMedia`, `IGComment`, … with the type the provider
//! expects there (`string`, `datetime`, `int`, `Object`, or another node type). A field
//! may be **expanded** (`from{id,name}`): its inner fields are checked against the node
//! type it names (`IGCommentFromUser`), or not at all when the spec types it only as
//! `Object`. An **edge** expanded as a field (`replies{…}` on `IGComment`) is typed
//! `edge:<Node>` and checked against the spec's `GET` endpoints.
//!
//! `tests/spec_fields.rs` reads the vendored specs (`tests/peers/meta/specs`) and fails
//! when a field here is missing there or has another type, so a typo or a field Meta
//! removed fails CI instead of failing at a customer's Page.

/// One requested field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Its name.
    pub name: &'static str,
    /// The type the provider expects in the spec: a scalar (`string`, `datetime`, `int`,
    /// `unsigned int`), `Object`, another node type, or `edge:<Node>` for an edge.
    pub kind: &'static str,
    /// Its expansion (`from{id,name}`), empty when not expanded.
    pub expand: &'static [Field],
    /// The node type the expansion's fields are checked against; `None` when the spec
    /// types the field as `Object` only (nothing more to check).
    pub expand_node: Option<&'static str>,
    /// Modifiers of an edge read as a field (`.filter(stream).limit(50)`), empty if none.
    pub modifiers: &'static str,
}

/// A list of fields requested on one node type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldList {
    /// Names this list (for tests and logs).
    pub name: &'static str,
    /// The node type they are requested on.
    pub node: &'static str,
    /// The fields.
    pub fields: &'static [Field],
}

impl FieldList {
    /// The `fields=` value: `id,message,from{id,name}`.
    pub fn query(&self) -> String {
        render(self.fields)
    }
}

fn render(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| {
            if f.expand.is_empty() {
                format!("{}{}", f.name, f.modifiers)
            } else {
                format!("{}{}{{{}}}", f.name, f.modifiers, render(f.expand))
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

const fn plain(name: &'static str, kind: &'static str) -> Field {
    Field {
        name,
        kind,
        expand: &[],
        expand_node: None,
        modifiers: "",
    }
}

const fn expanded(
    name: &'static str,
    kind: &'static str,
    expand_node: Option<&'static str>,
    expand: &'static [Field],
) -> Field {
    Field {
        name,
        kind,
        expand,
        expand_node,
        modifiers: "",
    }
}

/// `from{id,name}` of Facebook objects: typed `Object` in the specs.
const FB_FROM: Field = expanded(
    "from",
    "Object",
    None,
    &[plain("id", "string"), plain("name", "string")],
);

/// The fields of a Page post.
const PAGE_POST_FIELDS: &[Field] = &[
    plain("id", "string"),
    plain("message", "string"),
    plain("created_time", "datetime"),
    plain("updated_time", "datetime"),
    FB_FROM,
];

/// A Page post (`GET /{post}`), visitor posts included.
pub const PAGE_POST: FieldList = FieldList {
    name: "page post",
    node: "PagePost",
    fields: PAGE_POST_FIELDS,
};

/// The fields of one Facebook comment or reply.
const COMMENT_FIELDS: &[Field] = &[
    plain("id", "string"),
    plain("message", "string"),
    plain("created_time", "datetime"),
    FB_FROM,
    expanded(
        "parent",
        "Comment",
        Some("Comment"),
        &[plain("id", "string")],
    ),
];

/// How many comments of each post the feed listing carries.
pub const FEED_COMMENTS: u32 = 25;

/// The Page's feed (`GET /{page}/feed`, visitor posts included) with each post's newest
/// comments and replies (`filter(stream)`), so that one call shows which posts have new
/// comments.
pub const FEED_POST: FieldList = FieldList {
    name: "feed post",
    node: "PagePost",
    fields: &[
        plain("id", "string"),
        plain("message", "string"),
        plain("created_time", "datetime"),
        plain("updated_time", "datetime"),
        FB_FROM,
        Field {
            name: "comments",
            kind: "edge:Comment",
            expand: COMMENT_FIELDS,
            expand_node: Some("Comment"),
            modifiers: ".filter(stream).order(reverse_chronological).limit(25)",
        },
    ],
};

/// Comments and replies on a Page's posts (`GET /{post}/comments?filter=stream`).
pub const COMMENT: FieldList = FieldList {
    name: "comment",
    node: "Comment",
    fields: COMMENT_FIELDS,
};

/// Messenger and Instagram conversations (`GET /{page}/conversations`).
pub const CONVERSATION: FieldList = FieldList {
    name: "conversation",
    node: "UnifiedThread",
    fields: &[
        plain("id", "string"),
        plain("updated_time", "datetime"),
        plain("message_count", "int"),
        plain("participants", "Object"),
    ],
};

/// The node type of one message of a conversation (`GET /{conversation}/messages`).
///
/// The `messages` edge returns `UnifiedMessage`, which has no spec file at Meta; its
/// fields are those of Meta's Message reference, vendored as `Message`.
pub const MESSAGE_NODE: &str = "Message";

/// Messages of a conversation.
pub const MESSAGE: FieldList = FieldList {
    name: "message",
    node: MESSAGE_NODE,
    fields: MESSAGE_FIELDS,
};

/// The fields of one message.
const MESSAGE_FIELDS: &[Field] = &[
    plain("id", "string"),
    plain("message", "string"),
    plain("created_time", "datetime"),
    plain("from", "Object"),
    plain("to", "Object"),
];

/// How many messages of each conversation the inbox listing carries: Meta gives the
/// details of a conversation's 20 most recent messages only.
pub const INBOX_MESSAGES: u32 = 20;

/// An inbox (`GET /{page}/conversations?platform=…`) with each conversation's most recent
/// messages, so that one call reads every conversation that changed.
pub const INBOX_CONVERSATION: FieldList = FieldList {
    name: "inbox conversation",
    node: "UnifiedThread",
    fields: &[
        plain("id", "string"),
        plain("updated_time", "datetime"),
        plain("message_count", "int"),
        plain("participants", "Object"),
        Field {
            name: "messages",
            kind: "edge:UnifiedMessage",
            expand: MESSAGE_FIELDS,
            expand_node: Some(MESSAGE_NODE),
            modifiers: ".limit(20)",
        },
    ],
};

/// The Instagram account's media (`GET /{ig}/media`).
pub const IG_MEDIA: FieldList = FieldList {
    name: "instagram media",
    node: "IGMedia",
    fields: &[
        plain("id", "string"),
        plain("caption", "string"),
        plain("timestamp", "datetime"),
        plain("comments_count", "int"),
        plain("username", "string"),
    ],
};

/// Media of other accounts that mention the Instagram account (`GET /{ig}/tags`).
pub const IG_TAGGED: FieldList = FieldList {
    name: "instagram mention",
    node: "IGMedia",
    fields: &[
        plain("id", "string"),
        plain("caption", "string"),
        plain("timestamp", "datetime"),
        plain("username", "string"),
        plain("permalink", "string"),
        plain("comments_count", "int"),
    ],
};

/// The fields of a comment on a mentioning media, read back through `mentioned_media`.
const IG_MENTION_COMMENT_FIELDS: &[Field] = &[
    plain("id", "string"),
    plain("text", "string"),
    plain("timestamp", "datetime"),
    plain("username", "string"),
    IG_FROM,
];

/// The fields of a mentioning media read through `mentioned_media`, its comments included.
const MENTIONED_MEDIA_FIELDS: &[Field] = &[
    plain("id", "string"),
    plain("caption", "string"),
    plain("timestamp", "datetime"),
    plain("username", "string"),
    expanded(
        "comments",
        "edge:IGComment",
        Some("IGComment"),
        IG_MENTION_COMMENT_FIELDS,
    ),
];

/// Another account's media whose caption @mentions the Instagram account, with its
/// comments: `GET /{ig}?fields=mentioned_media.media_id(<id>){…}` (Meta's "Mentioned
/// Media" reference; the media cannot be read by its id with the account's token). The
/// `media_id` modifier and the comments' paging are added by [`mentioned_media_query`].
pub const IG_MENTIONED_MEDIA: FieldList = FieldList {
    name: "instagram mentioned media",
    node: "IGUser",
    fields: &[expanded(
        "mentioned_media",
        "IGMedia",
        Some("IGMedia"),
        MENTIONED_MEDIA_FIELDS,
    )],
};

/// The `fields=` value reading the mentioning media `media_id` through
/// [`IG_MENTIONED_MEDIA`], with `limit` of its comments after the paging cursor `after`.
pub fn mentioned_media_query(media_id: &str, limit: u32, after: Option<&str>) -> String {
    let inner = MENTIONED_MEDIA_FIELDS
        .iter()
        .map(|f| {
            if f.name == "comments" {
                let after = after.map(|a| format!(".after({a})")).unwrap_or_default();
                format!("comments.limit({limit}){after}{{{}}}", render(f.expand))
            } else {
                render(std::slice::from_ref(f))
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    format!("mentioned_media.media_id({media_id}){{{inner}}}")
}

/// `from{id,username}` of Instagram comments.
const IG_FROM: Field = expanded(
    "from",
    "IGCommentFromUser",
    Some("IGCommentFromUser"),
    &[plain("id", "string"), plain("username", "string")],
);

/// The fields of one Instagram comment or reply.
const IG_COMMENT_FIELDS: &[Field] = &[
    plain("id", "string"),
    plain("text", "string"),
    plain("timestamp", "datetime"),
    plain("username", "string"),
    IG_FROM,
    plain("parent_id", "string"),
];

/// Comments on the Instagram account's media with their replies (`GET /{media}/comments`,
/// `GET /{ig-comment}`).
pub const IG_COMMENT: FieldList = FieldList {
    name: "instagram comment",
    node: "IGComment",
    fields: &[
        plain("id", "string"),
        plain("text", "string"),
        plain("timestamp", "datetime"),
        plain("username", "string"),
        IG_FROM,
        plain("parent_id", "string"),
        expanded(
            "replies",
            "edge:IGComment",
            Some("IGComment"),
            IG_COMMENT_FIELDS,
        ),
    ],
};

/// Replies of one Instagram comment (`GET /{ig-comment}/replies`).
pub const IG_REPLY: FieldList = FieldList {
    name: "instagram reply",
    node: "IGComment",
    fields: IG_COMMENT_FIELDS,
};

/// Every list the provider requests.
pub const ALL: &[FieldList] = &[
    FEED_POST,
    PAGE_POST,
    COMMENT,
    CONVERSATION,
    INBOX_CONVERSATION,
    MESSAGE,
    IG_MEDIA,
    IG_TAGGED,
    IG_MENTIONED_MEDIA,
    IG_COMMENT,
    IG_REPLY,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_expansions() {
        assert!(INBOX_CONVERSATION.query().ends_with(&format!(
            "messages.limit({INBOX_MESSAGES}){{id,message,created_time,from,to}}"
        )));
        assert!(FEED_POST.query().contains(&format!(
            "comments.filter(stream).order(reverse_chronological).limit({FEED_COMMENTS}){{id,"
        )));
        assert_eq!(
            COMMENT.query(),
            "id,message,created_time,from{id,name},parent{id}"
        );
        assert_eq!(
            mentioned_media_query("17", 50, Some("QVF")),
            "mentioned_media.media_id(17){id,caption,timestamp,username,\
             comments.limit(50).after(QVF){id,text,timestamp,username,from{id,username}}}"
        );
        assert!(IG_MENTIONED_MEDIA
            .query()
            .starts_with("mentioned_media{id,caption,"));
        assert!(IG_COMMENT
            .query()
            .ends_with("replies{id,text,timestamp,username,from{id,username},parent_id}"));
    }
}
