//! A minimal W3C WebDriver client over plain HTTP: just the calls these tests use.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The W3C key under which an element reference arrives.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One WebDriver session.
pub struct Session {
    agent: ureq::Agent,
    base: String,
    id: String,
}

/// A reference to an element of the page.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Session {
    /// Starts a session on the driver at `driver_url` with these capabilities.
    pub fn start(driver_url: &str, capabilities: Value) -> Session {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let mut session = Session {
            agent,
            base: driver_url.trim_end_matches('/').to_owned(),
            id: String::new(),
        };
        let value = session.call(
            "POST",
            "/session",
            Some(json!({ "capabilities": capabilities })),
        );
        session.id = value["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {value}"))
            .to_owned();
        session
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = if path == "/session" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.id)
        };
        let mut response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self
                .agent
                .post(&url)
                .send_json(body.unwrap_or_else(|| json!({}))),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        let body: Value = response
            .body_mut()
            .read_json()
            .unwrap_or_else(|e| panic!("{method} {path}: unreadable answer: {e}"));
        assert!(status < 400, "{method} {path} failed with {status}: {body}");
        body["value"].clone()
    }

    /// All elements matching `css` now (maybe none).
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let value = self.call(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        );
        value
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits (up to `timeout`) until `css` matches at least one element and `accept`
    /// approves the list; panics with `what` otherwise.
    pub fn wait_for(
        &self,
        css: &str,
        timeout: Duration,
        what: &str,
        accept: impl Fn(&Session, &[Element]) -> bool,
    ) -> Vec<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self.find_all(css);
            if !found.is_empty() && accept(self, &found) {
                return found;
            }
            if Instant::now() >= deadline {
                let page =
                    self.execute("return document.body ? document.body.innerText : '(no body)'");
                let page: String = page
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .take(800)
                    .collect();
                panic!("timed out waiting for {what} ({css}); the page shows:\n{page}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The rendered text of `element` (its `innerText`). Read through a script because
    /// WebKitWebDriver's "Get Element Text" answers "" when no window manager runs.
    pub fn text(&self, element: &Element) -> String {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({
                "script": "return arguments[0].innerText",
                "args": [{ ELEMENT_KEY: element.0 }],
            })),
        )
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// The value of attribute `name` of `element`.
    pub fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        self.call(
            "GET",
            &format!("/element/{}/attribute/{name}", element.0),
            None,
        )
        .as_str()
        .map(str::to_owned)
    }

    /// Clicks `element`.
    pub fn click(&self, element: &Element) {
        self.call(
            "POST",
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        );
    }

    /// Types `text` into `element` (an input or textarea), as keystrokes.
    pub fn type_into(&self, element: &Element, text: &str) {
        self.call(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": text })),
        );
    }

    /// Runs `script` in the page and returns its result.
    pub fn execute(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Runs `script` in the page with `elements` as its `arguments`; returns its result.
    pub fn execute_with(&self, script: &str, elements: &[&Element]) -> Value {
        let args: Vec<Value> = elements
            .iter()
            .map(|e| json!({ ELEMENT_KEY: e.0 }))
            .collect();
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs an asynchronous `script` (it calls its last argument with the result) and
    /// returns the result.
    pub fn execute_async(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Waits until the page has painted its current DOM twice (two animation frames), so
    /// a screenshot of the display shows it.
    pub fn wait_for_paint(&self) {
        self.call(
            "POST",
            "/execute/async",
            Some(json!({
                "script": "const done = arguments[arguments.length - 1]; \
                           requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                "args": [],
            })),
        );
    }

    /// Moves and resizes the app's window (in X pixels; no window manager runs, so the
    /// app places itself).
    pub fn set_window_rect(&self, x: i32, y: i32, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({ "x": x, "y": y, "width": width, "height": height })),
        );
    }

    /// Ends the session (closing the app).
    pub fn end(self) {
        self.call("DELETE", "", None);
    }
}
