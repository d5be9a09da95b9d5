import ArgumentParser
import MeshDiagnostics
import MeshExplain

/// `meshc route`: which rule a request matches on a proxy, read from the compiled IR.
struct Route: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Explain which rule a request matches on a proxy: rule (file:line), cluster, subset, endpoints and weights.",
        discussion: """
        Compiles the manifests as `meshc build` does (same flags) and applies Envoy's matching \
        rules: the listener on the URL's port (80 or 443 when not written), the filter chain \
        (SNI for https), the virtual host by authority, the first route that matches. Example:

          meshc route --proxy gateway-istio-ingressgateway -H 'end-user: jason' \\
            GET http://example.com/bar samples/s2-path-routing

        With --from PROXY (the caller is that proxy's workload, with its identity) or --principal ID \
        (a peer identity like cluster.local/ns/shop/sa/web), a sidecar is asked on its inbound listener \
        for the URL's port, the workload port a mesh caller reaches (its mTLS chain when it has one; \
        the identity exists only there). On every chain that enforces AuthorizationPolicy or \
        RequestAuthentication the decision is shown: the token (from the providers' headers, parameters \
        or cookies) is refused with 401 when its issuer is not trusted, it has expired or its audiences \
        are wrong (its signature is NOT verified); then a matching DENY rule refuses with 403, and \
        when ALLOW policies apply one of their rules must match. AUDIT rules that match are listed. Example:

          meshc route --proxy http-echo-v1-sidecar --from frontend-sidecar \\
            GET http://http-echo:18083/ samples/s8-authz

        Exit status: 0 a route or TCP chain takes the request and it is allowed, 1 Envoy would answer \
        404, 403 or 401 (or close the TCP connection) or the manifests have errors, 2 usage or I/O.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "The proxy to ask (see meshc build's output folders).")
    var proxy: String

    @Option(name: .customShort("H"), help: ArgumentHelp("A request header 'name: value' (repeatable).", valueName: "header"))
    var header: [String] = []

    @Option(help: ArgumentHelp("The caller is this declared proxy's workload: its identity is the request's peer principal.", valueName: "proxy"))
    var from: String?

    @Option(help: ArgumentHelp("The caller's peer identity, e.g. cluster.local/ns/shop/sa/web (matched as spiffe://<id>).", valueName: "id"))
    var principal: String?

    @Option(name: .customLong("source-ip"), help: ArgumentHelp("The caller's address, for ipBlocks and remoteIpBlocks.", valueName: "ip"))
    var sourceIP: String = "127.0.0.1"

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @OptionGroup var compile: CompileFlags
    @OptionGroup var sources: SourceFilterFlags

    @Argument(help: "The request method (GET, POST, …).")
    var method: String

    @Argument(help: "The request URL, e.g. http://host/path?query.")
    var url: String

    @Argument(help: "Manifest files or folders.")
    var paths: [String] = ["."]

    func validate() throws {
        if from != nil && principal != nil { throw ValidationError("give --from or --principal, not both: --from takes the proxy's identity") }
        if principal?.isEmpty == true { throw ValidationError("--principal needs an identity like cluster.local/ns/shop/sa/web") }
    }

    func run() throws {
        Teardown.keepUntilExit() // a one-shot command: its memory goes back when it exits
        let request: ExplainRequest
        do {
            let headers = try header.map { line -> (name: String, value: String) in
                guard let colon = line.firstIndex(of: ":") else { throw ExplainError("header \(line.debugDescription) has no ':'; write it as 'name: value'") }
                return (String(line[..<colon]).trimmed, String(line[line.index(after: colon)...]).trimmed)
            }
            request = try ExplainRequest(method: method, url: url, headers: headers)
            try Caller(sourceIP: sourceIP).validate()
        } catch {
            FileHandleOutput.standardError("meshc route: \(error)")
            throw ExitCode(2)
        }
        // The caller's proxy is built too: its identity is what the target's policies see.
        let build = try Manifests.build(paths: paths, options: compile.options(proxies: [proxy] + (from.map { [$0] } ?? [])), command: "route",
                                        filter: try sources.filter(command: "route"))
        let proxies = build.compiled.proxies
        guard let target = proxies.first(where: { $0.name == proxy }) else {
            FileHandleOutput.standardError("meshc route: no proxy named \(proxy)")
            throw ExitCode(2)
        }
        var caller = Caller(principal: principal.map(Caller.principal), sourceIP: sourceIP)
        if let from, let source = proxies.first(where: { $0.name == from }) { caller = Caller(proxy: source, sourceIP: sourceIP) }
        let explanation: Explanation
        do {
            explanation = try RouteExplainer.explain(request, on: target, caller: caller)
        } catch {
            FileHandleOutput.standardError("meshc route: \(error)")
            throw ExitCode(1)
        }
        FileHandleOutput.standardOutput(format == .json ? explanation.json().rendered(pretty: true) + "\n" : explanation.text())
        if explanation.authorization?.refuses == true { throw ExitCode(1) }
        switch explanation.outcome {
        case .noRoute, .noVirtualHost: throw ExitCode(1)
        case .route, .tcp, .tlsRedirect: return
        }
    }
}

private extension String {
    var trimmed: String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
