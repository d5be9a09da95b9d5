import Foundation
import MeshTestSupport
import Testing

/// `meshc route --from` end to end: the real command compiles
/// samples/s8-authz through the pipeline and explains calls to
/// http-echo's sidecar on its inbound listener (workload port 18083),
/// where the sample's ALLOW (frontend, GET/HEAD) and DENY (/admin/*)
/// policies apply.
@Suite
struct RouteCommandTests {
    /// `meshc route --proxy http-echo-v1-sidecar <arguments> samples/s8-authz` in the package root: exit status and standard output.
    static func route(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let run = try Tools.meshc(["route", "--proxy", "http-echo-v1-sidecar"] + arguments + ["samples/s8-authz"])
        return (run.status, run.stdout)
    }

    @Test func theFrontendMayReadHTTPEcho() throws {
        let run = try Self.route(["--from", "frontend-sidecar", "GET", "http://http-echo.default.svc.cluster.local:18083/hello"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("listener 127.0.0.1_18088\n"))
        #expect(run.output.contains("caller spiffe://cluster.local/ns/default/sa/frontend (proxy frontend-sidecar), source 127.0.0.1\n"))
        #expect(run.output.contains("authorization: allowed by ns[default]-policy[http-echo-readers]-rule[0] (samples/s8-authz/authorizationpolicy.yaml:"))
    }

    @Test func deniedCallsExitOne() throws {
        let admin = try Self.route(["--from", "frontend-sidecar", "GET", "http://http-echo:18083/admin/users"])
        #expect(admin.status == 1)
        #expect(admin.output.contains("authorization: denied (403 RBAC: access denied) by DENY rule ns[default]-policy[http-echo-no-admin]-rule[0]"))
        let post = try Self.route(["--from", "frontend-sidecar", "POST", "http://http-echo:18083/hello"])
        #expect(post.status == 1)
        #expect(post.output.contains("no ALLOW rule matches (ns[default]-policy[http-echo-readers]-rule[0])"))
        let stranger = try Self.route(["--principal", "cluster.local/ns/other/sa/x", "--format", "json", "GET", "http://http-echo:18083/"])
        #expect(stranger.status == 1)
        #expect(stranger.output.contains("\"reason\": \"no_allow_rule\""))
    }

    @Test func withoutACallerTheSidecarStillExplainsOutboundCalls() throws {
        let run = try Self.route(["GET", "http://http-echo.default.svc.cluster.local/"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("listener 127.0.0.1_18091\n"))
        #expect(!run.output.contains("authorization:"))
    }
}
