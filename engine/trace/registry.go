package trace

// Shapes registered when a package initializes. The engine records the
// same few dozen events on every request, and most of what recording one
// cost was finding its strings' ids. A shape registered once, in a
// package-level variable's initializer, is recorded as its number: the
// event stores the number and its arguments, and At reads the strings
// from the registration. An event reads back exactly as if its strings
// had been recorded.
//
// The tables are written only while packages initialize, before any
// recorder runs, and read-only after that.

// NumNote is a note of the shape prefix, a number in decimal, suffix, with
// its ref ("received 432 bytes"), registered by RegisterNum.
type NumNote uint32

type numShape struct{ prefix, suffix, ref string }

var numShapes []numShape

// RegisterNum registers the note shape prefix + number + suffix cited by
// ref, for NoteNum. Call it only from a package-level variable's
// initializer.
func RegisterNum(prefix, suffix, ref string) NumNote {
	if len(numShapes) >= maxAux {
		panic("trace: too many note shapes")
	}
	numShapes = append(numShapes, numShape{prefix, suffix, ref})
	return NumNote(len(numShapes) - 1)
}

// fieldNames is a typed transition's field name and its values' names.
type fieldNames struct {
	name  string
	value func(uint8) string
}

// fields are the registered typed fields, by Event.FieldID.
var fields [256]fieldNames

// RegisterField names the typed field fieldID (see Event.FieldID) and its
// values, for TypedTransition: a transition of it reads back with Field
// name and From and To value(FromID) and value(ToID). value must depend
// on nothing but its argument (it runs when the event is read) and return
// its strings without building them (reading an event allocates nothing).
// The ids are the recording package's own, so one package registers all
// of them; registering an id twice panics. Call it only while the package
// initializes.
func RegisterField(fieldID uint8, name string, value func(uint8) string) uint8 {
	if fieldID == 0 || fields[fieldID].value != nil {
		panic("trace: field id registered twice, or 0")
	}
	fields[fieldID] = fieldNames{name, value}
	return fieldID
}

// RefID is a ref (Event.Ref) registered once by RegisterRef: an event
// recorded with it keeps its number, read back as the registered string,
// so recording it looks nothing up (TypedTransition: nine a pipelined
// request). RefID 0 is no ref.
type RefID uint32

var refs = []string{""}

// RegisterRef registers ref for TypedTransition. Call it only from a
// package-level variable's initializer.
func RegisterRef(ref string) RefID {
	refs = append(refs, ref)
	return RefID(len(refs) - 1)
}

// String is the ref's text.
func (f RefID) String() string { return refs[f] }
