//! The authorization code flow with PKCE, through the `oauth2` crate.

use std::time::Duration;

use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, TokenResponse, TokenUrl,
};
use switchboard_vault::Sensitive;
use url::Url;

use super::app_registration::{register_app, RegisteredApp, SCOPES};
use super::loopback::LoopbackListener;
use super::{find_instance, verify_credentials, SignInError, SignInOptions, SignedIn};
use crate::api_client::{http_client, plain_reqwest_error};
use crate::credential::Credential;
use crate::instance::InstanceUrl;

/// A sign-in waiting for the person to approve in the browser.
pub struct PendingSignIn {
    instance: InstanceUrl,
    app: RegisteredApp,
    listener: LoopbackListener,
    authorize_url: Url,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
    options: SignInOptions,
}

impl std::fmt::Debug for PendingSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingSignIn")
            .field("instance", &self.instance.url().as_str())
            .field("redirect_uri", &self.listener.redirect_uri().as_str())
            .finish_non_exhaustive()
    }
}

/// Signs in to the instance the person typed (`mastodon.social`,
/// `https://mastodon.example`): opens the loopback listener, registers the app, calls
/// `open_browser` with the authorize URL (the caller opens it in the system browser),
/// waits up to `options.timeout` for the answer, exchanges the code and verifies the
/// account.
#[tracing::instrument(skip(options, open_browser), err)]
pub async fn sign_in(
    instance: &str,
    options: &SignInOptions,
    open_browser: impl FnOnce(&Url),
) -> Result<SignedIn, SignInError> {
    let pending = start_sign_in(instance, options).await?;
    open_browser(pending.authorize_url());
    pending.finish().await
}

/// The first half of [`sign_in`]: listener, app registration and the authorize URL.
#[tracing::instrument(skip(options), err)]
pub async fn start_sign_in(
    instance: &str,
    options: &SignInOptions,
) -> Result<PendingSignIn, SignInError> {
    let instance = find_instance(instance, &options.http).await?;
    let listener = LoopbackListener::bind().await?;
    let client = http_client(&options.http);
    let app = register_app(&client, &instance, listener.redirect_uri(), options).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let oauth = oauth_client(&instance, &app, listener.redirect_uri())?;
    let mut request = oauth.authorize_url(CsrfToken::new_random);
    for scope in SCOPES.split(' ') {
        request = request.add_scope(Scope::new(scope.to_owned()));
    }
    let (authorize_url, state) = request.set_pkce_challenge(challenge).url();
    Ok(PendingSignIn {
        instance,
        app,
        listener,
        authorize_url,
        state,
        verifier,
        options: options.clone(),
    })
}

impl PendingSignIn {
    /// The URL to open in the system browser.
    pub fn authorize_url(&self) -> &Url {
        &self.authorize_url
    }

    /// The loopback address the browser will be sent back to.
    pub fn redirect_uri(&self) -> &Url {
        self.listener.redirect_uri()
    }

    /// Waits for the browser's answer, exchanges the code for a token and verifies the
    /// account.
    #[tracing::instrument(skip_all, fields(instance = %self.instance), err)]
    pub async fn finish(self) -> Result<SignedIn, SignInError> {
        let PendingSignIn {
            instance,
            app,
            listener,
            state,
            verifier,
            options,
            ..
        } = self;
        let redirect_uri = listener.redirect_uri().clone();
        let code = listener
            .wait_for_code(state.secret(), options.timeout)
            .await?;
        let oauth = oauth_client(&instance, &app, &redirect_uri)?;
        let host = instance.host();
        let token = oauth
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(verifier)
            .request_async(&http_client(&options.http))
            .await
            .map_err(|error| token_error(&host, error, options.http.request_timeout))?;
        let credential = Credential::new(
            instance,
            app.client_id,
            app.client_secret,
            Sensitive::new(token.access_token().secret().clone()),
        );
        let identity = verify_credentials(&credential, &options.http).await?;
        tracing::info!(%host, account = %identity.account_id, "signed in to Mastodon");
        Ok(SignedIn {
            credential,
            identity,
        })
    }
}

type ConfiguredClient = oauth2::Client<
    oauth2::basic::BasicErrorResponse,
    oauth2::basic::BasicTokenResponse,
    oauth2::basic::BasicTokenIntrospectionResponse,
    oauth2::StandardRevocableToken,
    oauth2::basic::BasicRevocationErrorResponse,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

fn oauth_client(
    instance: &InstanceUrl,
    app: &RegisteredApp,
    redirect_uri: &Url,
) -> Result<ConfiguredClient, SignInError> {
    let invalid = |e: url::ParseError| SignInError::Loopback(e.to_string());
    Ok(
        BasicClient::new(ClientId::new(app.client_id.expose().clone()))
            .set_client_secret(ClientSecret::new(app.client_secret.expose().clone()))
            .set_auth_uri(AuthUrl::from_url(instance.endpoint("oauth/authorize")))
            .set_token_uri(TokenUrl::from_url(instance.endpoint("oauth/token")))
            .set_redirect_uri(RedirectUrl::new(redirect_uri.to_string()).map_err(invalid)?)
            // Mastodon reads the client id from the form (it accepts Basic auth too).
            .set_auth_type(AuthType::RequestBody),
    )
}

fn token_error(
    host: &str,
    error: RequestTokenError<
        oauth2::HttpClientError<reqwest::Error>,
        oauth2::StandardErrorResponse<BasicErrorResponseType>,
    >,
    limit: Duration,
) -> SignInError {
    match error {
        RequestTokenError::ServerResponse(response) => SignInError::CodeRejected(
            response
                .error_description()
                .cloned()
                .unwrap_or_else(|| response.error().to_string()),
        ),
        RequestTokenError::Request(oauth2::HttpClientError::Reqwest(error)) => {
            if error.is_timeout() {
                SignInError::Unreachable {
                    host: host.to_owned(),
                    detail: format!("no answer within {} s", limit.as_secs()),
                }
            } else {
                SignInError::Unreachable {
                    host: host.to_owned(),
                    detail: plain_reqwest_error(*error),
                }
            }
        }
        RequestTokenError::Request(other) => SignInError::Unreachable {
            host: host.to_owned(),
            detail: other.to_string(),
        },
        RequestTokenError::Parse(error, _) => SignInError::Malformed {
            host: host.to_owned(),
            detail: error.to_string(),
        },
        RequestTokenError::Other(detail) => SignInError::Malformed {
            host: host.to_owned(),
            detail,
        },
    }
}
