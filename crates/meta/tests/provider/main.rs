//! The Meta provider against the fake Graph API: what arrives (Facebook comments, visitor
//! posts, Messenger; Instagram comments, replies, mentions, messages), answers made
//! elsewhere, replies posted once (Instagram mentions too), the messaging window, hiding
//! comments, comments on older posts and media, Meta's faults, and retries while Meta's
//! listings lag.

mod cursors;
mod facebook;
mod faults;
mod hiding;
mod instagram;
mod mentions;
mod messages;
mod older;
mod replies;
mod settling;
mod support;
