import Foundation
import MeshDiagnostics
import MeshSnapshot

/// `MeshBench routes FILE OUT [--variants N]`: the route configuration of
/// RDS file FILE (JSON, as `meshc build --out` writes it) as the agent
/// writes it, JSON and protobuf (`RouteBinary`), in N versions (`v<i>.json`,
/// `v<i>.pb` in OUT: the same configuration, `version_info` `<version>-<i>`),
/// with the time to encode it cold, again with one virtual host changed (the
/// agent's case: a commit changes one host), and to render its JSON.
enum RouteFiles {
    static func run(_ file: String, out: String, variants: Int) throws {
        let response = try JSON.parse(Data(contentsOf: URL(fileURLWithPath: file)))
        guard let json = response["resources"]?.items.first else { throw SnapshotError("\(file) holds no route configuration") }
        let route = try EnvoyResource(kind: .route, json: json)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let binary = RouteBinary()
        var start = now()
        let cold = try binary.file(route)
        let coldTime = now() - start
        // One host changed: its first route's name gets a suffix (the encoding is of the same size and shape).
        let changed = try EnvoyResource(kind: .route, json: json.replacing("virtual_hosts", with: .array(json["virtual_hosts"]!.items.enumerated().map { index, host in
            index == 0 ? host.replacing("name", with: .string((host["name"]?.text ?? "") + "-changed")) : host
        })))
        var warmTimes: [Double] = []
        for _ in 0..<5 {
            let warm = RouteBinary()
            _ = try warm.file(route)
            start = now()
            _ = try warm.file(changed)
            warmTimes.append(now() - start)
        }
        start = now()
        let text = DiscoveryResponse.text(.route, [route], versionInfo: route.version)
        let renderTime = now() - start
        for index in 0..<variants {
            let version = "\(route.version)-\(index)"
            let variant = EnvoyResource(kind: .route, name: route.name, bytes: route.bytes, version: version, virtualHosts: route.virtualHosts)
            try Data(DiscoveryResponse.text(.route, [variant], versionInfo: version).utf8).write(to: URL(fileURLWithPath: "\(out)/v\(index).json"))
            try Data(try binary.file(variant)).write(to: URL(fileURLWithPath: "\(out)/v\(index).pb"))
        }
        print("route configuration \(route.name): \(route.virtualHosts.count) virtual hosts, JSON \(text.utf8.count) bytes, protobuf \(cold.count) bytes")
        print(String(format: "protobuf encode: cold %.1f ms, one host changed %.2f ms (best of 5); JSON render %.1f ms",
                     coldTime * 1000, (warmTimes.min() ?? 0) * 1000, renderTime * 1000))
    }
}
