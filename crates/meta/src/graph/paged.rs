//! [`Paged`]: one page of a Graph edge, with the cursor of the next page only when Graph
//! says there is one.

/// One page of a Graph edge: `{ "data": [...], "paging": { "cursors": {...}, "next": ... } }`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Paged<T> {
    /// The objects.
    pub data: Vec<T>,
    /// Where the next page starts (`paging.cursors.after`) when there is a next page.
    #[serde(skip)]
    pub after: Option<String>,
}

/// An edge's answer as Graph sends it.
#[derive(serde::Deserialize)]
pub(super) struct RawPage<T> {
    data: Vec<T>,
    #[serde(default)]
    paging: Option<Paging>,
}

#[derive(serde::Deserialize)]
struct Paging {
    #[serde(default)]
    cursors: Option<Cursors>,
    #[serde(default)]
    next: Option<String>,
}

#[derive(serde::Deserialize)]
struct Cursors {
    #[serde(default)]
    after: Option<String>,
}

impl<T> From<RawPage<T>> for Paged<T> {
    fn from(raw: RawPage<T>) -> Self {
        let after = raw.paging.and_then(|paging| {
            paging.next.as_ref()?;
            paging.cursors?.after.filter(|after| !after.is_empty())
        });
        Paged {
            data: raw.data,
            after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_after_cursor_counts_only_when_there_is_a_next_page() {
        let more: RawPage<u32> = serde_json::from_str(
            r#"{"data":[1,2],"paging":{"cursors":{"before":"QVFIUmx","after":"QVFIUkp"},"next":"https://graph.facebook.com/v23.0/1/feed?after=QVFIUkp"}}"#,
        )
        .unwrap();
        let more = Paged::from(more);
        assert_eq!(more.data, vec![1, 2]);
        assert_eq!(more.after.as_deref(), Some("QVFIUkp"));
        // The last page still has cursors, but no `next`.
        let last: RawPage<u32> = serde_json::from_str(
            r#"{"data":[3],"paging":{"cursors":{"before":"QVFIUmx","after":"QVFIUkp"}}}"#,
        )
        .unwrap();
        assert_eq!(Paged::from(last).after, None);
        let bare: RawPage<u32> = serde_json::from_str(r#"{"data":[]}"#).unwrap();
        assert_eq!(Paged::from(bare).after, None);
    }
}
