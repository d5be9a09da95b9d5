import Foundation
import MeshTestSupport
import Testing

/// `meshc lint` as users and CI see it: output shapes and exit codes.
@Suite struct LintCommandTests {
    @Test func cleanManifestsPassWithoutAWord() throws {
        let scratch = try Scratch()
        try scratch.write("mesh/service.yaml", Manifests.service)
        try scratch.write("mesh/workload.yml", Manifests.workload)
        let run = try Tools.meshc(["lint", scratch.path + "/mesh"])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty && run.stderr.isEmpty)
    }

    @Test func textFindingsNameFileLineAndColumn() throws {
        let scratch = try Scratch()
        let file = try scratch.write("vs.yaml", Manifests.routeToMissingHost)
        let run = try Tools.meshc(["lint", file])
        #expect(run.status == 1)
        #expect(run.stdout.contains("\(file):12:"))
        #expect(run.stdout.contains(": error IST0101 ReferencedResourceNotFound: "))
        #expect(run.stderr.contains("1 error"))
    }

    @Test(arguments: ["text", "json", "sarif"])
    func exitCodesAreTheSameInEveryFormat(format: String) throws {
        let scratch = try Scratch()
        let bad = try scratch.write("bad.yaml", Manifests.routeToMissingHost)
        let good = try scratch.write("good.yaml", Manifests.service)
        #expect(try Tools.meshc(["lint", "--format", format, bad]).status == 1)
        #expect(try Tools.meshc(["lint", "--format", format, good]).status == 0)
        #expect(try Tools.meshc(["lint", "--format", format, scratch.path + "/missing.yaml"]).status == 2)
        #expect(try Tools.meshc(["lint", "--format", format, "--fail-on", "bogus", good]).status == 2)
    }

    @Test func failOnThresholds() throws {
        let scratch = try Scratch()
        // A port name without a protocol prefix is an info (IST0118).
        let file = try scratch.write("svc.yaml", Manifests.service.replacingOccurrences(of: "name: http", with: "name: web"))
        #expect(try Tools.meshc(["lint", file]).status == 0)
        #expect(try Tools.meshc(["lint", "--fail-on", "warning", file]).status == 0)
        #expect(try Tools.meshc(["lint", "--fail-on", "info", file]).status == 1)
        #expect(try Tools.meshc(["lint", "--fail-on", "none", scratch.write("x.yaml", Manifests.routeToMissingHost)]).status == 0)
    }

    @Test func jsonOutputHasTheDocumentedShape() throws {
        let scratch = try Scratch()
        let file = try scratch.write("vs.yaml", Manifests.routeToMissingHost)
        let run = try Tools.meshc(["lint", "--format", "json", file])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        let first = try #require(diagnostics.first)
        #expect(first["code"] as? String == "IST0101")
        #expect(first["name"] as? String == "ReferencedResourceNotFound")
        #expect(first["severity"] as? String == "error")
        #expect(first["file"] as? String == file)
        #expect(first["line"] as? Int == 12)
        #expect(first["path"] as? String == "spec.http[0].route[0].destination.host")
        let resource = try #require(first["resource"] as? [String: Any])
        #expect(resource["kind"] as? String == "VirtualService" && resource["name"] as? String == "web" && resource["namespace"] as? String == "default")
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 1 && summary["files"] as? Int == 1 && summary["resources"] as? Int == 1)
    }

    @Test func sarifIsVersion210WithRules() throws {
        let scratch = try Scratch()
        let file = try scratch.write("vs.yaml", Manifests.routeToMissingHost)
        let run = try Tools.meshc(["lint", "--format", "sarif", file])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? String == "2.1.0")
        let runs = try #require(object["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        #expect(results.first?["ruleId"] as? String == "IST0101")
        #expect(results.first?["level"] as? String == "error")
        let rules = try #require(((runs.first?["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        // Every built-in code is a rule (code scanning shows the catalogue); the result points at its own.
        #expect(rules.count >= 30 && rules.contains { $0["id"] as? String == "IST0101" })
        let index = try #require(results.first?["ruleIndex"] as? Int)
        #expect(rules[index]["id"] as? String == "IST0101")
    }

    @Test func aFileNamedTwiceIsLintedOnce() throws {
        let scratch = try Scratch()
        let file = try scratch.write("mesh/team/vs.yaml", Manifests.routeToMissingHost)
        try scratch.write("mesh/service.yaml", Manifests.service)
        // The folder, the file inside it under another spelling, a sub-folder with a trailing slash.
        let run = try Tools.meshc(["lint", "mesh", "./mesh/team/vs.yaml", "mesh/team/", file], in: scratch.url)
        #expect(run.status == 1)
        #expect(run.stdout.components(separatedBy: "IST0101").count == 2, "one finding, not one per spelling: \(run.stdout)")
        #expect(run.stderr.contains("in 2 files"), "\(run.stderr)")
    }

    @Test func standardInputIsRead() throws {
        let scratch = try Scratch()
        let file = try scratch.write("vs.yaml", Manifests.routeToMissingHost)
        let run = try Tools.meshc(["lint", "-"], input: Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(run.status == 1)
        #expect(run.stdout.hasPrefix("<stdin>:12:"))
    }

    @Test func contextResolvesReferencesButReportsOnlyNamedPaths() throws {
        let scratch = try Scratch()
        try scratch.write("repo/service.yaml", Manifests.service)
        try scratch.write("repo/workload.yaml", Manifests.workload)
        try scratch.write("repo/other-bad.yaml", Manifests.routeToMissingHost
            .replacingOccurrences(of: "name: web", with: "name: other").replacingOccurrences(of: "- web", with: "- other"))
        let changed = try scratch.write("repo/route.yaml", Manifests.routeToMissingHost.replacingOccurrences(of: "host: nowhere", with: "host: web"))
        // Alone, the route's host is unknown; with the repository as context it resolves,
        // and the broken file that was not named is not reported.
        #expect(try Tools.meshc(["lint", changed]).status == 1)
        let run = try Tools.meshc(["lint", "--context", scratch.path + "/repo", changed])
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.isEmpty)
    }

    @Test func suppressionsSilenceByCodeAndResource() throws {
        let scratch = try Scratch()
        let file = try scratch.write("vs.yaml", Manifests.routeToMissingHost)
        #expect(try Tools.meshc(["lint", "-S", "IST0101=VirtualService web.default", file]).status == 0)
        #expect(try Tools.meshc(["lint", "--suppress", "IST0101=VirtualService *.default", file]).status == 0)
        #expect(try Tools.meshc(["lint", "--suppress", "IST0101=VirtualService other.default", file]).status == 1)
        #expect(try Tools.meshc(["lint", "--suppress", "IST0101", file]).status == 2)
    }

    @Test func suppressionAnnotationInTheManifest() throws {
        let scratch = try Scratch()
        let annotated = Manifests.routeToMissingHost.replacingOccurrences(
            of: "  namespace: default\n", with: "  namespace: default\n  annotations:\n    galley.istio.io/analyze-suppress: IST0101\n")
        let file = try scratch.write("vs.yaml", annotated)
        let run = try Tools.meshc(["lint", file])
        #expect(run.status == 0, "\(run.stdout)")
    }

    @Test func userPoliciesFireWithTheirOwnCode() throws {
        let scratch = try Scratch()
        try scratch.write("policies/team.yaml", """
        apiVersion: meshc.dev/v1alpha1
        kind: Policy
        metadata:
          name: RouteTimeoutRequired
        spec:
          code: ORG001
          severity: warning
          kinds: [VirtualService]
          field: spec.http[*].timeout
          rule: {required: true}
          message: every HTTP route needs a timeout
          hint: add timeout, for example 5s
        """)
        let file = try scratch.write("vs.yaml", Manifests.routeToMissingHost)
        let run = try Tools.meshc(["lint", "--policies", scratch.path + "/policies", "-S", "IST0101=*", "--fail-on", "warning", file])
        #expect(run.status == 1)
        #expect(run.stdout.contains("\(file):10:5: warning ORG001 RouteTimeoutRequired: spec.http[0].timeout: every HTTP route needs a timeout (missing). Add timeout, for example 5s"), "\(run.stdout)")
    }

    @Test func aBrokenPolicyIsAnIOErrorNamingIt() throws {
        let scratch = try Scratch()
        let policy = try scratch.write("policies/bad.yaml", """
        apiVersion: meshc.dev/v1alpha1
        kind: Policy
        metadata: {name: bad}
        spec:
          code: ORG002
          field: metadata.name
          rule: {pattern: "(unclosed"}
          message: names must be lower case
        """)
        let run = try Tools.meshc(["lint", "--policies", scratch.path + "/policies", scratch.write("s.yaml", Manifests.service)])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(policy):7:"), "\(run.stderr)")
        #expect(run.stderr.contains("not valid RE2"))
    }

    @Test func usageErrorsExit2() throws {
        #expect(try Tools.meshc(["lint"]).status == 2)
        #expect(try Tools.meshc(["lint", "--format", "xml", "x.yaml"]).status == 2)
        #expect(try Tools.meshc(["frobnicate"]).status == 2)
        #expect(try Tools.meshc(["lint", "--help"]).status == 0)
    }
}
