import NIOHTTP1

struct TestResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: String

    /// The colour the router says answered.
    var color: String? { headers.first(name: "x-slipway-color") }
}
