package services

// Problem programs: service programs that reproduce problems people hit
// (issue 17, item 5). engine/scenarios runs each in a session beside the
// client that meets it (scenarios/programs.go).

var problemPrograms = []Program{}
