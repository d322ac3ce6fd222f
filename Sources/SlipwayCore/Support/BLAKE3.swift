/// The BLAKE3 hash (default mode, 32-byte output), after the specification's reference
/// implementation. Cloudflare Pages names each uploaded asset by it, and no Swift package for
/// it is among the ones this project may depend on.
public struct BLAKE3: Sendable {
    static let iv: [UInt32] = [0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A, 0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19]
    static let permutation = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8]
    static let chunkLength = 1024
    static let blockLength = 64
    static let chunkStart: UInt32 = 1
    static let chunkEnd: UInt32 = 2
    static let parent: UInt32 = 4
    static let root: UInt32 = 8

    /// The 32-byte digest of `input`.
    public static func hash(_ input: some Collection<UInt8>) -> [UInt8] {
        var stack: [[UInt32]] = []
        var chunk = ChunkState(counter: 0)
        var bytes = Array(input)[...]
        while !bytes.isEmpty {
            // A full chunk is merged into the tree only once more input follows: the last chunk
            // must stay open, as it ends the root.
            if chunk.length == chunkLength {
                var cv = chunk.output().chainingValue
                var total = chunk.counter + 1
                while total & 1 == 0 {
                    cv = parentOutput(left: stack.removeLast(), right: cv).chainingValue
                    total >>= 1
                }
                stack.append(cv)
                chunk = ChunkState(counter: chunk.counter + 1)
            }
            let take = min(chunkLength - chunk.length, bytes.count)
            chunk.update(bytes.prefix(take))
            bytes = bytes.dropFirst(take)
        }
        var output = chunk.output()
        while let left = stack.popLast() {
            output = parentOutput(left: left, right: output.chainingValue)
        }
        return output.rootBytes
    }

    /// The digest as lowercase hex.
    public static func hex(_ input: some Collection<UInt8>) -> String {
        hash(input).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func parentOutput(left: [UInt32], right: [UInt32]) -> Output {
        Output(inputChainingValue: iv, words: left + right, counter: 0, blockLength: UInt32(blockLength), flags: parent)
    }

    static func compress(_ cv: [UInt32], _ block: [UInt32], counter: UInt64, blockLength: UInt32, flags: UInt32) -> [UInt32] {
        var state = cv + Array(iv[0..<4]) + [UInt32(truncatingIfNeeded: counter), UInt32(truncatingIfNeeded: counter >> 32), blockLength, flags]
        var message = block
        func mix(_ a: Int, _ b: Int, _ c: Int, _ d: Int, _ x: UInt32, _ y: UInt32) {
            state[a] = state[a] &+ state[b] &+ x
            state[d] = (state[d] ^ state[a]).rotatedRight(16)
            state[c] = state[c] &+ state[d]
            state[b] = (state[b] ^ state[c]).rotatedRight(12)
            state[a] = state[a] &+ state[b] &+ y
            state[d] = (state[d] ^ state[a]).rotatedRight(8)
            state[c] = state[c] &+ state[d]
            state[b] = (state[b] ^ state[c]).rotatedRight(7)
        }
        for round in 0..<7 {
            mix(0, 4, 8, 12, message[0], message[1])
            mix(1, 5, 9, 13, message[2], message[3])
            mix(2, 6, 10, 14, message[4], message[5])
            mix(3, 7, 11, 15, message[6], message[7])
            mix(0, 5, 10, 15, message[8], message[9])
            mix(1, 6, 11, 12, message[10], message[11])
            mix(2, 7, 8, 13, message[12], message[13])
            mix(3, 4, 9, 14, message[14], message[15])
            if round < 6 { message = permutation.map { message[$0] } }
        }
        for index in 0..<8 {
            state[index] ^= state[index + 8]
            state[index + 8] ^= cv[index]
        }
        return state
    }

    /// Little-endian words of a block, zero-padded to 64 bytes.
    static func words(_ block: some Collection<UInt8>) -> [UInt32] {
        var padded = Array(block)
        padded += [UInt8](repeating: 0, count: blockLength - padded.count)
        return (0..<16).map { index in
            (0..<4).reduce(UInt32(0)) { word, byte in word | UInt32(padded[index * 4 + byte]) << (8 * UInt32(byte)) }
        }
    }

    /// What a chunk or parent node hashes to, before it is known whether it is the root.
    struct Output {
        var inputChainingValue: [UInt32]
        var words: [UInt32]
        var counter: UInt64
        var blockLength: UInt32
        var flags: UInt32

        var chainingValue: [UInt32] {
            Array(BLAKE3.compress(inputChainingValue, words, counter: counter, blockLength: blockLength, flags: flags)[0..<8])
        }

        var rootBytes: [UInt8] {
            let state = BLAKE3.compress(inputChainingValue, words, counter: 0, blockLength: blockLength, flags: flags | BLAKE3.root)
            return state[0..<8].flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * UInt32($0))) } }
        }
    }

    /// The chunk being hashed: up to 16 blocks, the last kept back until the chunk ends.
    struct ChunkState {
        var chainingValue = BLAKE3.iv
        var counter: UInt64
        var block: [UInt8] = []
        var blocksCompressed = 0

        init(counter: UInt64) { self.counter = counter }

        var length: Int { blocksCompressed * BLAKE3.blockLength + block.count }
        var startFlag: UInt32 { blocksCompressed == 0 ? BLAKE3.chunkStart : 0 }

        mutating func update(_ input: ArraySlice<UInt8>) {
            var input = input
            while !input.isEmpty {
                if block.count == BLAKE3.blockLength {
                    chainingValue = Array(BLAKE3.compress(
                        chainingValue, BLAKE3.words(block), counter: counter, blockLength: UInt32(BLAKE3.blockLength),
                        flags: startFlag)[0..<8])
                    blocksCompressed += 1
                    block = []
                }
                let take = min(BLAKE3.blockLength - block.count, input.count)
                block += input.prefix(take)
                input = input.dropFirst(take)
            }
        }

        func output() -> Output {
            Output(
                inputChainingValue: chainingValue, words: BLAKE3.words(block), counter: counter, blockLength: UInt32(block.count),
                flags: startFlag | BLAKE3.chunkEnd)
        }
    }
}

private extension UInt32 {
    func rotatedRight(_ count: UInt32) -> UInt32 { self >> count | self << (32 - count) }
}
