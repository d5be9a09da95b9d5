/// Type URLs and filter names of the listener side: TCP proxy, TLS termination, SNI inspection.
extension EnvoyType {
    static let tcpProxy = "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy"
    static let downstreamTLSContext = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext"
    static let tlsInspector = "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector"
}

extension EnvoyFilter {
    static let tcpProxy = "envoy.filters.network.tcp_proxy"
    static let tlsInspector = "envoy.filters.listener.tls_inspector"
    static let tlsTransportSocket = "envoy.transport_sockets.tls"
}
