//! A [`Sensitive`] never shows its secret and cannot be serialized.

use switchboard_vault::Sensitive;

static_assertions::assert_not_impl_any!(Sensitive<String>: serde::Serialize);
static_assertions::assert_not_impl_any!(Sensitive<String>: serde::de::DeserializeOwned);

#[test]
fn debug_and_display_redact() {
    let token = Sensitive::from("tok-1234567890");
    assert_eq!(format!("{token}"), "<redacted>");
    assert_eq!(format!("{token:?}"), "<redacted>");
    assert_eq!(format!("{:?}", Some(&token)), "Some(<redacted>)");
    assert_eq!(token.expose(), "tok-1234567890");
}
