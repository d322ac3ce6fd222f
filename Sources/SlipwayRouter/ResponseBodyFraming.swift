/// How the body of a response written to a client is framed, decided with its head.
enum ResponseBodyFraming {
    /// The bytes go out as they are: the head carries Content-Length, or the close ends the body.
    case asIs
    /// In chunks: an HTTP/1.1 client, a body of unknown length.
    case chunked
    /// No body at all: the answer to HEAD, or a 1xx, 204 or 304.
    case none
}
