import Testing

extension Tag {
    /// Needs Envoy (`.venv/bin/envoy`) or starts long-lived servers (agents,
    /// `meshc echo`, `meshc reconcile`); `make test-unit` skips these.
    @Tag package static var e2e: Self
}
