import NIOCore

/// The request a pooled upstream connection is currently answering. Called on the connection's
/// event loop, which is also the client connection's.
protocol UpstreamResponseReceiver: AnyObject {
    func upstreamDidReceiveHead(_ head: UpstreamResponseHead)
    /// Body bytes as the parser passes them: a chunked body still chunked if the request asked so.
    func upstreamDidReceiveBody(_ bytes: ByteBuffer)
    func upstreamDidReceiveEnd()
    func upstreamDidFinishReading()
    /// The connection closed before the response ended, or the response was malformed.
    func upstreamDidFail()
}
