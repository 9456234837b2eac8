//! `sslmode=verify-full` against a server with a real certificate chain (the cluster's
//! test CA, a certificate for `localhost`): it connects over TLS when the chain and the
//! name check out, and refuses otherwise.

use sqlx::{Connection, PgConnection};
use switchboard_team::connect::connect_options;

use crate::support::{cluster, database};

async fn connect(url: &str) -> Result<PgConnection, sqlx::Error> {
    PgConnection::connect_with(&connect_options(url).unwrap()).await
}

#[tokio::test]
async fn verify_full_checks_the_chain_and_the_name() {
    let db = database().await;
    let cluster = cluster();

    let mut conn = connect(&cluster.tls_url("localhost", &db.name, true))
        .await
        .expect("verify-full with the issuing CA and the certificate's name connects");
    let encrypted: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(encrypted, "the connection is TLS");

    let wrong_name = connect(&cluster.tls_url("127.0.0.1", &db.name, true)).await;
    let reason = wrong_name.expect_err("a certificate for localhost is refused for 127.0.0.1");
    assert!(
        reason.to_string().contains("not valid for name"),
        "{reason}"
    );
    let unknown_ca = connect(&cluster.tls_url("localhost", &db.name, false)).await;
    let reason = unknown_ca.expect_err("a chain to no trusted root is refused");
    assert!(reason.to_string().contains("UnknownIssuer"), "{reason}");
}
