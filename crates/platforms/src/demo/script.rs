//! What the demo crowd says: customers, products, and message templates for each kind of
//! conversation (order problems, complaints, sales questions, praise, DMs, follow-ups),
//! some in other languages. `{product}`, `{order}` and `{name}` are filled in per message.

/// A simulated customer: display name, handle stem and language.
pub struct Customer {
    pub name: &'static str,
    pub handle: &'static str,
    pub lang: &'static str,
}

pub const CUSTOMERS: &[Customer] = &[
    Customer {
        name: "Ana Souza",
        handle: "anasouza",
        lang: "en",
    },
    Customer {
        name: "Ben Okafor",
        handle: "benok",
        lang: "en",
    },
    Customer {
        name: "Chloé Martin",
        handle: "chloe_m",
        lang: "fr",
    },
    Customer {
        name: "Dmitri Volkov",
        handle: "dvolkov",
        lang: "en",
    },
    Customer {
        name: "Emma Larsen",
        handle: "emmal",
        lang: "en",
    },
    Customer {
        name: "Farah Haddad",
        handle: "farahh",
        lang: "en",
    },
    Customer {
        name: "Gustavo Ríos",
        handle: "gusrios",
        lang: "es",
    },
    Customer {
        name: "Hannah Becker",
        handle: "hbecker",
        lang: "de",
    },
    Customer {
        name: "Isaac Thompson",
        handle: "ithompson",
        lang: "en",
    },
    Customer {
        name: "Jun Watanabe",
        handle: "junw",
        lang: "en",
    },
    Customer {
        name: "Kavya Iyer",
        handle: "kavya",
        lang: "en",
    },
    Customer {
        name: "Lukas Schmidt",
        handle: "lukass",
        lang: "de",
    },
    Customer {
        name: "María José Pérez",
        handle: "mjperez",
        lang: "es",
    },
    Customer {
        name: "Noah Williams",
        handle: "noahw",
        lang: "en",
    },
    Customer {
        name: "Olivia Chen",
        handle: "oliviac",
        lang: "en",
    },
    Customer {
        name: "Priya Nair",
        handle: "priyan",
        lang: "en",
    },
    Customer {
        name: "Quentin Dubois",
        handle: "qdubois",
        lang: "fr",
    },
    Customer {
        name: "Rosa Lima",
        handle: "rosalima",
        lang: "en",
    },
    Customer {
        name: "Sam O'Neill",
        handle: "samoneill",
        lang: "en",
    },
    Customer {
        name: "Tomás García",
        handle: "tomasg",
        lang: "es",
    },
    Customer {
        name: "Uma Patel",
        handle: "umap",
        lang: "en",
    },
    Customer {
        name: "Zoë 🌱 Green",
        handle: "zoegreen",
        lang: "en",
    },
];

pub const PRODUCTS: &[&str] = &[
    "Yirgacheffe beans",
    "cold brew kit",
    "Huehuetenango roast",
    "monthly subscription box",
    "burr grinder",
    "decaf Colombia",
    "oat milk starter pack",
    "travel mug",
];

/// The situations the crowd writes about. Each has templates per language; English is
/// the fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    OrderProblem,
    Complaint,
    SalesQuestion,
    Praise,
    General,
}

pub fn templates(topic: Topic, lang: &str) -> &'static [&'static str] {
    match (topic, lang) {
        (Topic::OrderProblem, "de") => &[
            "Meine Bestellung {order} ist immer noch nicht da. Könnt ihr nachsehen?",
            "Die {product} kamen kaputt an – Bestellung {order}. Was nun?",
        ],
        (Topic::OrderProblem, "es") => &[
            "Mi pedido {order} no ha llegado todavía. ¿Me ayudan?",
            "Recibí el {product} dañado, pedido {order}. ¿Reembolso?",
        ],
        (Topic::OrderProblem, "fr") => &[
            "Ma commande {order} n'est toujours pas arrivée. Vous pouvez vérifier ?",
            "Le {product} est arrivé cassé (commande {order}). Remboursement possible ?",
        ],
        (Topic::OrderProblem, _) => &[
            "My order {order} still hasn't arrived and tracking hasn't moved in 4 days. Help?",
            "The {product} arrived damaged — lid cracked, beans everywhere. Order {order}.",
            "I was charged twice for order {order}. Can someone look at this please?",
            "Got the wrong item in order {order}: asked for {product}, got decaf 😩",
            "Can I cancel order {order}? I ordered the {product} by mistake.",
        ],
        (Topic::Complaint, "de") => &["Der {product} schmeckt diesmal ganz anders. Neue Röstung?"],
        (Topic::Complaint, "es") => &["El {product} ya no sabe igual. ¿Cambiaron algo?"],
        (Topic::Complaint, "fr") => {
            &["Le {product} n'a plus le même goût, problème de torréfaction ?"]
        }
        (Topic::Complaint, _) => &[
            "Third time the subscription box shows up late. This is getting old.",
            "Your app keeps logging me out when I try to reorder. Fix it please.",
            "The {product} tastes burnt this batch. Anyone else?",
            "Waited 25 minutes on hold this morning. Is anyone answering the phone?",
        ],
        (Topic::SalesQuestion, "de") => {
            &["Gibt es Mengenrabatt für Büros? Wir bräuchten 10 kg im Monat. Preis?"]
        }
        (Topic::SalesQuestion, "es") => {
            &["¿Tienen precio mayorista para cafeterías? Buscamos {product}."]
        }
        (Topic::SalesQuestion, "fr") => {
            &["Quel est le prix pour 20 kg de {product} par mois ? Tarif pro ?"]
        }
        (Topic::SalesQuestion, _) => &[
            "Do you do wholesale pricing? We're opening a café in Leeds and love the {product}.",
            "What's the price for an office subscription, ~40 people?",
            "Is there a discount if I buy the {product} in bulk for our team?",
            "Do you offer catering for events? 150 guests in March.",
            "Can I get a quote for 12 months of the monthly subscription box as gifts?",
        ],
        (Topic::Praise, "de") => &["Der {product} ist einfach lecker. Danke!"],
        (Topic::Praise, "es") => &["El {product} está delicioso, ¡gracias!"],
        (Topic::Praise, "fr") => &["Le {product} est génial, merci !"],
        (Topic::Praise, _) => &[
            "Honestly the best {product} I've had. Thanks, Northwind! ☕",
            "Love the new packaging — and it's compostable! 🌱",
            "Shoutout to the Camden shop team, amazing service today.",
            "Would love to feature your {product} on my channel — open to a collab?",
        ],
        (Topic::General, _) => &[
            "Are you open on Boxing Day?",
            "Does the {product} work with a French press?",
            "Which of your roasts is the least acidic?",
            "Any plans for a shop in Manchester?",
            "<script>alert('hi')</script> does your site sanitize input? asking for a friend",
        ],
    }
}

pub fn follow_up(lang: &str) -> &'static [&'static str] {
    match lang {
        "de" => &["Hallo? Noch jemand da?", "Gibt es schon Neuigkeiten?"],
        "es" => &["¿Hola? ¿Alguna novedad?", "Sigo esperando respuesta."],
        "fr" => &["Des nouvelles ?", "Toujours rien de votre côté ?"],
        _ => &[
            "Any update on this?",
            "Hello? Still waiting here.",
            "Following up — it's been a while.",
            "Thanks! Order number is {order}.",
            "OK, just sent you the photos.",
        ],
    }
}

pub const BRAND_REPLIES: &[&str] = &[
    "So sorry about that, {name}! Could you DM us your order number so we can sort it out?",
    "Thanks for reaching out, {name} — we've passed this to the team and will update you today.",
    "Hi {name}! Our wholesale team will email you a price list this afternoon.",
    "That's lovely to hear, {name} — thank you! ☕",
    "We've issued a refund for that order, {name}. It should show within 3–5 days.",
    "Good question! Yes, it works great with a French press — go for a coarse grind.",
];
