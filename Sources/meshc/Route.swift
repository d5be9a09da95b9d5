import ArgumentParser
import MeshExplain

/// `meshc route`: which rule a request matches on a proxy, read from the compiled IR.
struct Route: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain which rule a request matches on a proxy: rule (file:line), cluster, subset, endpoints and weights.",
        discussion: """
        Compiles the manifests as `meshc build` does (same flags) and applies Envoy's matching \
        rules: the listener on the URL's port (80 or 443 when not written), the filter chain \
        (SNI for https), the virtual host by authority, the first route that matches. \
        Example: meshc route --proxy gateway-istio-ingressgateway GET http://example.com/bar -H 'end-user: jason' samples/s2-path-routing \
        Exit status: 0 a route or TCP chain takes the request, 1 Envoy would answer 404 or the manifests have errors, 2 usage or I/O.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "The proxy to ask (see meshc build's output folders).")
    var proxy: String

    @Option(name: .customShort("H"), help: "A request header 'name: value' (repeatable).")
    var header: [String] = []

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @OptionGroup var compile: CompileFlags
    @OptionGroup var sources: SourceFilterFlags

    @Argument(help: "The request method (GET, POST, …).")
    var method: String

    @Argument(help: "The request URL, e.g. http://host/path?query.")
    var url: String

    @Argument(help: "Manifest files or folders (default: the current folder).")
    var paths: [String] = ["."]

    func run() throws {
        let request: ExplainRequest
        do {
            let headers = try header.map { line -> (name: String, value: String) in
                guard let colon = line.firstIndex(of: ":") else { throw ExplainError("header \(line.debugDescription) has no ':'; write it as 'name: value'") }
                return (String(line[..<colon]).trimmed, String(line[line.index(after: colon)...]).trimmed)
            }
            request = try ExplainRequest(method: method, url: url, headers: headers)
        } catch {
            FileHandleOutput.standardError("meshc route: \(error)")
            throw ExitCode(2)
        }
        let build = try Manifests.build(paths: paths, options: compile.options(proxies: [proxy]), command: "route", filter: try sources.filter(command: "route"))
        let explanation: Explanation
        do {
            explanation = try RouteExplainer.explain(request, on: build.compiled.proxies[0])
        } catch {
            FileHandleOutput.standardError("meshc route: \(error)")
            throw ExitCode(1)
        }
        FileHandleOutput.standardOutput(format == .json ? explanation.json().rendered(pretty: true) + "\n" : explanation.text())
        switch explanation.outcome {
        case .noRoute, .noVirtualHost: throw ExitCode(1)
        case .route, .tcp: return
        }
    }
}

private extension String {
    var trimmed: String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
