//! The HTTP `Link` header Mastodon pages lists with: `<…?max_id=1>; rel="next"` points
//! to older items, `<…?min_id=9>; rel="prev"` to newer ones.

use url::Url;

/// The page links of one response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageLinks {
    /// Older items.
    pub next: Option<Url>,
    /// Newer items.
    pub prev: Option<Url>,
}

impl PageLinks {
    /// Reads a `Link` header value; unknown relations and unreadable parts are skipped.
    pub fn parse(header: &str) -> Self {
        let mut links = PageLinks::default();
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(target) = pieces.next().map(str::trim) else {
                continue;
            };
            let Some(url) = target
                .strip_prefix('<')
                .and_then(|t| t.strip_suffix('>'))
                .and_then(|t| Url::parse(t).ok())
            else {
                continue;
            };
            for param in pieces {
                let Some((name, value)) = param.split_once('=') else {
                    continue;
                };
                if !name.trim().eq_ignore_ascii_case("rel") {
                    continue;
                }
                for rel in value.trim().trim_matches('"').split_whitespace() {
                    match rel {
                        "next" => links.next = Some(url.clone()),
                        "prev" | "previous" => links.prev = Some(url.clone()),
                        _ => {}
                    }
                }
            }
        }
        links
    }

    /// The `min_id` the newer page starts after.
    pub fn prev_min_id(&self) -> Option<String> {
        query_value(self.prev.as_ref()?, "min_id")
    }

    /// The `max_id` the older page ends before.
    pub fn next_max_id(&self) -> Option<String> {
        query_value(self.next.as_ref()?, "max_id")
    }
}

fn query_value(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_mastodons_links() {
        let links = PageLinks::parse(
            "<https://m.example/api/v1/notifications?max_id=104&limit=2>; rel=\"next\", \
             <https://m.example/api/v1/notifications?min_id=106&limit=2>; rel=\"prev\"",
        );
        assert_eq!(links.next_max_id().as_deref(), Some("104"));
        assert_eq!(links.prev_min_id().as_deref(), Some("106"));
        assert_eq!(PageLinks::parse("garbage; rel=next"), PageLinks::default());
        assert_eq!(PageLinks::parse(""), PageLinks::default());
    }
}
