import NIOHTTP1

/// The request a pooled upstream connection is currently answering. Called on the connection's
/// event loop, which is also the client connection's.
protocol UpstreamResponseReceiver: AnyObject {
    func upstreamDidReceive(_ part: HTTPClientResponsePart)
    func upstreamDidFinishReading()
    /// The connection closed before the response ended.
    func upstreamDidFail()
}
