//! Saved replies' text: variables, placeholders, escaping, unknown variables, length per
//! platform, search.

use switchboard_core::{
    fill, parse_template, placeholders, reply_length, search_saved_replies, FillContext, LimitUnit,
    PlaceholderAnswer, Platform, QueueId, ReplyLimit, SavedReply, Segment, TemplateError,
    Timestamp,
};

fn context() -> FillContext {
    FillContext {
        customer: "Maria López".into(),
        customer_handle: "@maria@example.social".into(),
        queue: "Support".into(),
        me: "Ana Pereira".into(),
        brand: "Acme Shop".into(),
    }
}

fn answer(name: &str, value: &str) -> PlaceholderAnswer {
    PlaceholderAnswer {
        name: name.into(),
        value: value.into(),
    }
}

#[test]
fn every_variable_is_filled_from_the_conversation_and_the_person() {
    let filled = fill(
        "Hi {customer} ({customer.handle}), {me.first_name} from {brand} {queue} here. — {me.name}",
        &context(),
        &[],
    )
    .unwrap();
    assert_eq!(
        filled.text,
        "Hi Maria López (@maria@example.social), Ana from Acme Shop Support here. — Ana Pereira"
    );
    assert!(filled.missing.is_empty());
}

#[test]
fn placeholders_are_asked_in_order_once_each_and_filled_from_answers() {
    let text = "Order {{order number}} ships {{ date }}; {{Order Number}} is on its way.";
    let segments = parse_template(text).unwrap();
    assert_eq!(placeholders(&segments), vec!["order number", "date"]);

    let none = fill(text, &context(), &[]).unwrap();
    assert_eq!(none.missing, vec!["order number", "date"]);
    assert_eq!(
        none.text,
        "Order {{order number}} ships {{date}}; {{Order Number}} is on its way."
    );

    let some = fill(
        text,
        &context(),
        &[answer("ORDER NUMBER ", "A-1042"), answer("date", "  ")],
    )
    .unwrap();
    assert_eq!(some.missing, vec!["date"], "a blank answer counts as none");
    assert_eq!(
        some.text,
        "Order A-1042 ships {{date}}; A-1042 is on its way."
    );

    let all = fill(
        text,
        &context(),
        &[answer("order number", "A-1042"), answer("date", "Monday")],
    )
    .unwrap();
    assert!(all.missing.is_empty());
    assert_eq!(all.text, "Order A-1042 ships Monday; A-1042 is on its way.");
}

#[test]
fn a_backslash_writes_a_brace_and_a_lone_closing_brace_stays() {
    let filled = fill(
        r"Use \{customer\} or \\ and :-} {customer}",
        &context(),
        &[],
    )
    .unwrap();
    assert_eq!(filled.text, r"Use {customer} or \ and :-} Maria López");
    assert_eq!(
        parse_template(r"a \{\{b\}\}").unwrap(),
        vec![Segment::Text("a {{b}}".into())]
    );
    // An answer's braces are plain text.
    let filled = fill("#{{tag}}", &context(), &[answer("tag", "{brand}")]).unwrap();
    assert_eq!(filled.text, "#{brand}");
}

#[test]
fn an_unknown_variable_is_an_error_that_names_it_and_suggests_the_closest() {
    let error = parse_template("Hi {custmer}!").unwrap_err();
    assert_eq!(
        error,
        TemplateError::UnknownVariable {
            name: "custmer".into(),
            suggestion: Some("customer"),
        }
    );
    let message = error.to_string();
    assert!(
        message.starts_with("`{custmer}` is not a variable: did you mean {customer}?"),
        "{message}"
    );
    assert!(
        message.contains("{queue}") && message.contains("{{like this}}"),
        "{message}"
    );

    let far = parse_template("{weather}").unwrap_err();
    assert!(matches!(
        far,
        TemplateError::UnknownVariable {
            suggestion: None,
            ..
        }
    ));
    assert!(far
        .to_string()
        .starts_with("`{weather}` is not a variable: use {customer}"));

    assert_eq!(
        parse_template("Hi {customer").unwrap_err(),
        TemplateError::Unclosed { at: 4 }
    );
    assert_eq!(
        parse_template("Order {{order").unwrap_err(),
        TemplateError::Unclosed { at: 7 }
    );
    assert_eq!(
        parse_template("x {{ }}").unwrap_err(),
        TemplateError::Empty { at: 3 }
    );
}

#[test]
fn length_is_counted_as_each_platform_counts() {
    let bluesky = ReplyLimit {
        max: 300,
        unit: LimitUnit::Graphemes,
    };
    // A family emoji and a flag are one grapheme each, many chars and UTF-16 units.
    let emoji = "👩‍👩‍👧‍👦🇩🇪é";
    assert_eq!(reply_length(emoji, LimitUnit::Graphemes), 3);
    let fits = format!("{}{}", "x".repeat(297), emoji);
    assert_eq!(bluesky.check(&fits), Ok(()));
    assert!(fits.chars().count() > 300, "chars would refuse it");
    assert_eq!(bluesky.check(&format!("{fits}!")), Err(1));

    // Mastodon: a link counts 23 whatever its length.
    let mastodon = ReplyLimit {
        max: 500,
        unit: LimitUnit::Characters,
    };
    let link = format!("See https://example.com/{} now", "a".repeat(200));
    assert_eq!(reply_length(&link, LimitUnit::Characters), 4 + 23 + 4);
    let text = format!("{} {}", "y".repeat(468), link);
    assert_eq!(mastodon.check(&text), Ok(()));
    assert_eq!(reply_length(&text, LimitUnit::Characters), 468 + 1 + 31);
    let small = ReplyLimit {
        max: 30,
        unit: LimitUnit::Characters,
    };
    assert_eq!(small.check(&link), Err(1));

    // A filled saved reply is checked after filling.
    let filled = fill(
        "{{order number}} {brand}",
        &context(),
        &[answer("order number", "A-1")],
    )
    .unwrap();
    assert_eq!(reply_length(&filled.text, LimitUnit::Graphemes), 13);
}

fn saved(
    id: &str,
    title: &str,
    category: &str,
    text: &str,
    queues: &[&str],
    platforms: &[Platform],
) -> SavedReply {
    SavedReply {
        id: id.into(),
        title: title.into(),
        text: text.into(),
        category: category.into(),
        queues: queues.iter().map(|q| QueueId((*q).into())).collect(),
        platforms: platforms.to_vec(),
        placeholders: Vec::new(),
        archived: false,
        updated_by: "ana".into(),
        updated_at: Timestamp(0),
    }
}

#[test]
fn search_ranks_title_over_category_over_text_then_fit_and_never_offers_archived() {
    let mut archived = saved("x", "Order delayed — old", "Orders", "old", &[], &[]);
    archived.archived = true;
    let replies = vec![
        saved(
            "text",
            "Refund sent",
            "Payments",
            "Your order refund is on its way",
            &[],
            &[],
        ),
        saved(
            "category",
            "Where is it",
            "Orders",
            "Tracking link follows",
            &[],
            &[],
        ),
        saved(
            "title-sales",
            "Order delayed — apology",
            "Apologies",
            "Sorry",
            &["sales"],
            &[],
        ),
        saved(
            "title-any",
            "Order delayed — short",
            "Apologies",
            "Sorry",
            &[],
            &[],
        ),
        saved(
            "title-fit",
            "Order delayed — support",
            "Apologies",
            "Sorry",
            &["support"],
            &[Platform::Bluesky],
        ),
        archived,
        saved("none", "Opening hours", "Info", "We open at nine", &[], &[]),
    ];
    let support = QueueId("support".into());
    let ids = |query: &str, platform| -> Vec<&str> {
        search_saved_replies(&replies, query, Some(&support), platform)
            .into_iter()
            .map(|r| r.id.as_str())
            .collect()
    };
    assert_eq!(
        ids("order", Some(Platform::Bluesky)),
        vec!["title-fit", "title-any", "title-sales", "category", "text"]
    );
    // Every word must match somewhere.
    assert_eq!(ids("order apology", None), vec!["title-sales"]);
    assert_eq!(
        ids("ORDER  DELAYED sorry", None),
        vec!["title-fit", "title-any", "title-sales"]
    );
    assert!(ids("whatsapp", None).is_empty());
    // No query: everything but the archived one, the best fits first.
    let all = ids("", Some(Platform::Bluesky));
    assert_eq!(all.len(), 6);
    assert_eq!(all[0], "title-fit");
    assert_eq!(
        *all.last().unwrap(),
        "title-sales",
        "made for another queue: last"
    );
    assert!(!all.contains(&"x"));
}
