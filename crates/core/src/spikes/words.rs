//! Words of customer items: a simple tokenizer (lowercase runs of letters and digits, at
//! least three characters, no numbers, no stop words of English, German, Spanish or French)
//! and the **top words** of a spike: the words much more frequent in the spike's window
//! than in the queue's background (everything older the detector has seen).

use std::collections::HashMap;
use std::sync::OnceLock;

/// Common words of the demo crowd's four languages that never say what a spike is about.
const STOP_WORDS: &[&str] = &[
    // English
    "the", "and", "for", "you", "your", "are", "was", "were", "this", "that", "with", "have", "has",
    "had", "not", "but", "can", "cant", "can't", "just", "from", "they", "them", "what", "when",
    "why", "how", "who", "all", "any", "our", "out", "get", "got", "again", "still", "please",
    "thanks", "thank", "hi", "hello", "hey", "any", "does", "did", "doesn", "don", "isn", "won",
    "will", "would", "there", "here", "been", "being", "its", "it's", "into", "about", "too",
    "very", "one", "now", "yet", "some", "more", "also", "today", "is", "it", "my", "me", "on",
    "in", "of", "to", "a", "an", "or", "at", "be", "do", "no", "so", "up", "we", "us", "am",
    "anyone", "else", "else's", "than", "then", "only", // German
    "der", "die", "das", "und", "ist", "nicht", "ich", "sie", "wir", "mit", "ein", "eine", "einen",
    "auf", "für", "den", "dem", "des", "bei", "noch", "auch", "mein", "meine", "meinen", "mir",
    "mich", "habe", "hat", "sind", "war", "wie", "was", "wann", "warum", "schon", "seit", "bitte",
    "danke", "hallo", "geht", "kann", "keine", "kein", "nur", "aber", "oder", "aus", "zum", "zur",
    "heute", "wieder", "jemand", "sonst", "euer", "eure", "eurer", "ihr", // Spanish
    "que", "los", "las", "del", "por", "para", "con", "una", "uno", "mis", "sus", "pero", "como",
    "más", "mas", "muy", "hay", "esta", "está", "este", "esto", "son", "fue", "sin", "hola",
    "gracias", "puedo", "nadie", "otra", "vez", "hoy", "todavía", "alguien", "más", "nada",
    "vuestra", "vuestro", // French
    "les", "des", "une", "est", "pas", "pour", "que", "qui", "dans", "sur", "avec", "mon", "mes",
    "vous", "nous", "mais", "plus", "sont", "ont", "bonjour", "merci", "encore", "toujours",
    "depuis", "aujourd", "hui", "quelqu", "autre", "votre", "vos", "elle",
];

fn stop_words() -> &'static std::collections::HashSet<&'static str> {
    static SET: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
}

/// Calls `each` with every word of `text` that can say what it is about.
pub fn for_each_word(text: &str, mut each: impl FnMut(&str)) {
    let mut word = String::new();
    let flush = |word: &mut String, each: &mut dyn FnMut(&str)| {
        if word.chars().count() >= 3
            && !word.chars().all(|c| c.is_ascii_digit())
            && !stop_words().contains(word.as_str())
        {
            each(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else {
            flush(&mut word, &mut each);
        }
    }
    flush(&mut word, &mut each);
}

/// The words of `text` (see [`for_each_word`]).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_owned()));
    out
}

/// Word counts: a window's or a background's.
#[derive(Debug, Default, Clone)]
pub(crate) struct WordCounts {
    pub(crate) counts: HashMap<Box<str>, u32>,
    pub(crate) total: u64,
}

/// Words kept in a background before the rarest are dropped.
const BACKGROUND_WORDS: usize = 20_000;

impl WordCounts {
    pub(crate) fn add(&mut self, word: &str, n: u32) {
        match self.counts.get_mut(word) {
            Some(c) => *c += n,
            None => {
                self.counts.insert(word.into(), n);
            }
        }
        self.total += u64::from(n);
    }

    pub(crate) fn remove(&mut self, word: &str, n: u32) {
        if let Some(c) = self.counts.get_mut(word) {
            *c = c.saturating_sub(n);
            if *c == 0 {
                self.counts.remove(word);
            }
        }
        self.total = self.total.saturating_sub(u64::from(n));
    }

    /// Adds `other` whole; keeps the background bounded by halving it when it grows past
    /// [`BACKGROUND_WORDS`] words (the rarest then vanish).
    pub(crate) fn absorb(&mut self, other: &HashMap<Box<str>, u32>) {
        for (word, &n) in other {
            self.add(word, n);
        }
        if self.counts.len() > BACKGROUND_WORDS {
            self.counts.retain(|_, c| {
                *c /= 2;
                *c > 0
            });
            self.total = self.counts.values().map(|&c| u64::from(c)).sum();
        }
    }

    /// Up to `n` words of `self` (a window) that stand out against `background`: seen at
    /// least twice, and far more often than the background makes usual; most striking
    /// first.
    pub(crate) fn top_against(&self, background: &WordCounts, n: usize) -> Vec<String> {
        if self.total == 0 {
            return Vec::new();
        }
        let vocabulary = background.counts.len() as f64 + 1.0;
        let mut scored: Vec<(f64, &str)> = self
            .counts
            .iter()
            .filter(|(_, &c)| c >= 2)
            .filter_map(|(word, &c)| {
                let here = f64::from(c) / self.total as f64;
                let bg = background.counts.get(word).copied().unwrap_or(0);
                let usual = (f64::from(bg) + 1.0) / (background.total as f64 + vocabulary);
                let lift = (here / usual).ln();
                (lift > 1.0).then_some((f64::from(c) * lift, &**word))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored
            .into_iter()
            .take(n)
            .map(|(_, w)| w.to_owned())
            .collect()
    }
}
