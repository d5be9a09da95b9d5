import Crypto
import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing

/// `POST /hooks/git` of the real `meshc reconcile`: only the webhook secret
/// (`--webhook-secret-file`) starts a round, never the agents' token.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct WebhookTests {
    typealias R = ReconcileManifests
    typealias Gateway = ReconcileTests.Gateway

    /// `X-Hub-Signature-256` of `body` as GitHub sends it.
    static func signature(_ body: Data, secret: String) -> (String, String) {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return ("x-hub-signature-256", "sha256=" + code.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
    }

    /// Rounds the reconciler has finished (`/metrics`).
    static func rounds(_ reconciler: ReconcilerProcess) throws -> Int {
        let metrics = try HTTPConnection.get(port: reconciler.port, "/metrics").text
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("meshc_reconcile_round_duration_seconds_count") }
        return line.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }.map { Int($0) } ?? 0
    }

    @Test func aSignedPushStartsARoundAndNothingElseDoes() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let token = UUID().uuidString
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        var gateway = try Gateway("ingressgateway")
        try gateway.start(bed, token: token)
        let repo = try GitFixture(in: bed.folder)
        var files = R.scenario(foo: foo.port, bar: bar.port, pathRouting: false)
        files["mesh/proxies.yaml"] = gateway.manifest
        let first = try repo.commit("S1", files)

        // A long interval: after the first poll only the webhook brings a round.
        let reconciler = try bed.reconciler(repo: repo, token: token, interval: "60s")
        let secret = try #require(reconciler.webhookSecret)
        #expect(gateway.serves("/", "foo"), "\(reconciler.context)")
        #expect(try poll(seconds: 5) { try reconciler.state("ingressgateway") == "inSync" }, "\(reconciler.statusText)")
        // The round that made it inSync counts when it ends (after its pushes): wait until the count holds still.
        var rounds = try Self.rounds(reconciler)
        #expect(try poll(seconds: 5, every: 0.3) {
            let now = try Self.rounds(reconciler)
            defer { rounds = now }
            return now == rounds
        })

        let second = try repo.commit("S2", R.scenario(foo: foo.port, bar: bar.port, pathRouting: true))
        let push = Data(#"{"ref":"refs/heads/main","before":"\#(first)","after":"\#(second)"}"#.utf8)
        let json = ("content-type", "application/json"), event = ("x-github-event", "push")
        let rejected: [(String, [(String, String)], Data)] = [
            ("no header", [json, event], push),
            ("a signature with another secret", [json, event, Self.signature(push, secret: "not-the-secret")], push),
            ("a signature with the agents' token", [json, event, Self.signature(push, secret: token)], push),
            ("a signature of another body", [json, event, Self.signature(Data("{}".utf8), secret: secret)], push),
            ("a signature of the wrong length", [json, event, ("x-hub-signature-256", "sha256=757107ea")], push),
            ("the agents' token as bearer", [("authorization", "Bearer \(token)")], Data()),
            ("the agents' token as GitLab token", [("x-gitlab-token", token)], Data()),
        ]
        for (what, headers, body) in rejected {
            let response = try reconciler.hook(headers: headers, body: body)
            #expect(response.status == 401, "\(what): \(response.status) \(response.text)")
            let reason = try JSON.parse(response.body)["reason"]?.text ?? ""
            #expect(["X-Hub-Signature-256", "X-Gitlab-Token", "Authorization"].contains { reason.contains($0) }, "\(what): \(reason)")
            #expect(!response.text.contains(secret) && !response.text.contains(token), "\(what): \(response.text)")
        }
        let large = Data(repeating: 0x20, count: 300 * 1024)
        let tooLarge = try reconciler.hook(headers: [json, event, Self.signature(large, secret: secret)], body: large)
        #expect(tooLarge.status == 413, "\(tooLarge.status) \(tooLarge.text)")
        let ping = Data(#"{"zen":"Keep it logically awesome.","hook_id":1}"#.utf8)
        let pong = try reconciler.hook(headers: [json, ("x-github-event", "ping"), Self.signature(ping, secret: secret)], body: ping)
        #expect(pong.status == 200, "\(pong.status) \(pong.text)")

        // None of these started a round.
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try Self.rounds(reconciler) == rounds)
        #expect(try reconciler.status()["commit"]?.text == first)
        #expect(gateway.get("/bar") == "foo\n")

        let accepted = try reconciler.hook(headers: [json, event, Self.signature(push, secret: secret)], body: push)
        #expect(accepted.status == 202, "\(accepted.status) \(accepted.text)")
        #expect(gateway.serves("/bar", "bar", within: 5), "S2 after the signed push\n\(reconciler.context)")
        #expect(try reconciler.status()["commit"]?.text == second)
        #expect(try poll(seconds: 5) { try Self.rounds(reconciler) > rounds })

        // GitLab's token and the bearer work too, without a body.
        #expect(try reconciler.hook(headers: [("x-gitlab-token", secret), ("x-gitlab-event", "Push Hook")]).status == 202)
        #expect(try reconciler.hook().status == 202)
    }

    @Test func withoutASecretFileTheWebhookIsOff() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let token = UUID().uuidString
        let repo = try GitFixture(in: bed.folder)
        var files = R.scenario(foo: 1, bar: 2, pathRouting: false)
        files["mesh/proxies.yaml"] = try Gateway("ingressgateway").manifest // no agent: unreachable, that is all
        try repo.commit("S1", files)
        let reconciler = try bed.reconciler(repo: repo, token: token, interval: "60s", webhookSecret: nil)
        for headers in [[("authorization", "Bearer \(token)")], [], [Self.signature(Data(), secret: token)]] {
            let response = try reconciler.hook(headers: headers)
            #expect(response.status == 404, "\(response.status) \(response.text)")
            #expect(response.text.contains("--webhook-secret-file"), "\(response.text)")
        }
        #expect(try HTTPConnection.get(port: reconciler.port, "/healthz").status == 200)
    }

    @Test func aSecretFileThatCannotServeIsAStartUpError() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let repo = try GitFixture(in: bed.folder)
        try repo.commit("empty", ["README.md": "nothing\n"])
        let tokenFile = try bed.writeOwnerOnly("token", "agent-token-\(UUID().uuidString)\n")
        let arguments = ["reconcile", "--repo", repo.root, "--listen", "127.0.0.1:0", "--token-file", tokenFile]

        let same = try Tools.meshc(arguments + ["--webhook-secret-file", tokenFile], timeout: 20)
        #expect(same.status == 2, "\(same.stderr)")
        #expect(same.stderr.contains("--webhook-secret-file holds the agents' token"), "\(same.stderr)")

        let missing = bed.folder.appendingPathComponent("no-such-secret").path
        let unreadable = try Tools.meshc(arguments + ["--webhook-secret-file", missing], timeout: 20)
        #expect(unreadable.status == 2, "\(unreadable.stderr)")
        #expect(unreadable.stderr.contains("cannot read --webhook-secret-file \(missing)"), "\(unreadable.stderr)")

        let openFile = try bed.write("open-secret", "webhook-\(UUID().uuidString)\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: openFile)
        let open = try Tools.meshc(arguments + ["--webhook-secret-file", openFile], timeout: 20)
        #expect(open.status == 2, "\(open.stderr)")
        #expect(open.stderr.contains("--webhook-secret-file") && open.stderr.contains("chmod 600"), "\(open.stderr)")

        let empty = try Tools.meshc(arguments + ["--webhook-secret-file", try bed.writeOwnerOnly("empty-secret", "\n")], timeout: 20)
        #expect(empty.status == 2, "\(empty.stderr)")
        #expect(empty.stderr.contains("--webhook-secret-file"), "\(empty.stderr)")
    }
}
