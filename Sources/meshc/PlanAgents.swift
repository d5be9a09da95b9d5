import Dispatch
import Foundation
import MeshAgent
import MeshCompile
import MeshPlan

/// The running side of `meshc plan --running`: what each proxy's `meshc agent`
/// says Envoy runs (`GET /v1/snapshot`), for the proxies the desired side compiled.
struct PlanAgents {
    /// The bearer token the agents expect.
    let token: String

    /// Proxy name → agent address (`host:port`) of the compiled desired proxies.
    final class Directory: @unchecked Sendable {
        var agents: [String: String?] = [:]
    }

    init(tokenFile: String) throws {
        do {
            token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw PlanInputError("\(tokenFile): cannot read the agents' token (\(error.localizedDescription)); give --token-file")
        }
    }

    /// Each proxy's running resources. A proxy whose agent has applied nothing
    /// yet runs nothing (everything is created); an agent that cannot be reached
    /// is an error naming the proxy and the address.
    func running(_ directory: Directory) throws -> [ProxyResources] {
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var resources: [ProxyResources] = []
            var failures: [String] = []
        }
        let results = Results(), group = DispatchGroup()
        for (proxy, address) in directory.agents.sorted(by: { $0.key < $1.key }) {
            guard let address else { continue }
            let client = AgentClient(base: "http://\(address)", token: token, timeout: .seconds(10))
            group.enter()
            Task {
                defer { group.leave() }
                do {
                    let bundle = try await client.snapshot()
                    let resources = try bundle.map { try ProxyResources(bundle: $0.json) } ?? ProxyResources(proxy: proxy)
                    results.lock.withLock { results.resources.append(resources) }
                } catch {
                    results.lock.withLock { results.failures.append("the agent of \(proxy) at \(address): \(error)") }
                }
            }
        }
        group.wait()
        if !results.failures.isEmpty {
            throw PlanInputError(results.failures.sorted().joined(separator: "\n") + "\nstart the agents (meshc agent) or plan against a git ref")
        }
        return results.resources.sorted { $0.proxy < $1.proxy }
    }
}

extension ProxyResources {
    /// A proxy that runs nothing.
    init(proxy: String) {
        self.init(proxy: proxy, clusters: [], endpoints: [], listeners: [], routes: [])
    }
}
