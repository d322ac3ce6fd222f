/// The longest name, technology and target among the fleet's components, in characters:
/// what the fleet table's columns are sized from. Measured once per load, since counting the
/// characters of every component's texts on every frame was a sixth of a keypress's work.
struct FleetTextLengths: Equatable, Sendable {
    var name = 0
    var technology = 0
    var target = 0

    init(_ components: [FleetComponent]) {
        for component in components {
            name = max(name, component.name.count)
            technology = max(technology, component.technology.count)
            target = max(target, component.target.count)
        }
    }
}
