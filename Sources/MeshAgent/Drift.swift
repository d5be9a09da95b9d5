import Foundation
import MeshSnapshot

/// Where Envoy does not serve the applied snapshot although the agent
/// applied it: a delivery file that differs from what the agent wrote (a
/// hand edit, a deleted file), or a listener Envoy does not hold active (it
/// failed to bind when Envoy restarted, its port taken meanwhile). `GET
/// /v1/state` lists it; a push of the same version repairs it (every file
/// written again, then Envoy must show every listener active).
package enum Drift {
    /// The delivery files of `snapshot` whose content on disk is not what the agent writes.
    package static func files(_ snapshot: ProxySnapshot, layout: DeliveryLayout) -> [String] {
        layout.allFiles(snapshot).compactMap { file in
            guard let data = FileManager.default.contents(atPath: layout.path(file.path)) else {
                return "\(file.path) is missing"
            }
            return data.elementsEqual(file.bytes) ? nil : "\(file.path) differs from what the agent wrote"
        }
    }

    /// `snapshot`'s listeners that Envoy does not hold active in `readout` (a listener dump).
    package static func listeners(_ snapshot: ProxySnapshot, readout: EnvoyReadout) -> [String] {
        snapshot[.listener].compactMap { listener in
            guard readout.activeListeners[listener.name] == nil else { return nil }
            let why = readout.listenerErrors[listener.name].map { ": \($0.details)" } ?? ""
            return "listener \(listener.name) is not active in Envoy\(why)"
        }
    }
}
