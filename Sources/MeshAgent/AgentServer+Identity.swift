import Foundation
import Hummingbird
import HTTPTypes
import MeshIdentity
import MeshDiagnostics
import NIOCore

extension AgentServer {
    /// Bodies of the identity routes are small: a SPIFFE ID, a few PEM certificates.
    static let identityBodyLimit = 256 << 10
    /// The header carrying `CSRProof.installMAC` to an enrolling agent.
    static let enrollmentMACField = HTTPField.Name("x-meshc-enrollment-mac")!

    /// `POST /v1/csr` and `PUT /v1/certificate` (see the type's table).
    /// `enrolling`: plain HTTP before the first certificate: the install needs
    /// the enrollment MAC, and `onInstalled` runs after it (the agent then serves mTLS).
    static func addIdentityRoutes(_ router: Router<BasicRequestContext>, identity: AgentIdentity, enrolling: Bool = false,
                                  onInstalled: @escaping @Sendable () -> Void = {}) {
        router.post("/v1/csr") { request, _ in
            guard let body = try? await request.body.collect(upTo: identityBodyLimit),
                  let json = try? JSON.parse(Data(body.readableBytesView)), let wanted = json["identity"]?.text else {
                return Self.error(.badRequest, "malformed", "send {\"identity\": \"spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>\"}")
            }
            do {
                let answer = try await identity.request(identity: wanted)
                return Self.json(.ok, AgentState.encode(answer))
            } catch let refusal as AgentIdentity.Refusal {
                return Self.error(HTTPResponse.Status(code: refusal.status), "refused", refusal.description)
            }
        }
        router.put("/v1/certificate") { request, _ in
            guard let body = try? await request.body.collect(upTo: identityBodyLimit),
                  let json = try? JSON.parse(Data(body.readableBytesView)),
                  let chain = json["certificateChain"]?.text, let root = json["root"]?.text else {
                return Self.error(.badRequest, "malformed", "send {\"certificateChain\": PEM, \"root\": PEM}")
            }
            do {
                let certificate = try await identity.install(chainPEM: chain, rootPEM: root,
                                                             enrollmentMAC: request.headers[enrollmentMACField], requireMAC: enrolling)
                onInstalled()
                return Self.json(.ok, AgentState.encode(certificate))
            } catch let refusal as AgentIdentity.Refusal {
                return Self.error(HTTPResponse.Status(code: refusal.status), "refused", refusal.description)
            }
        }
    }
}
