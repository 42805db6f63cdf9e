package host

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/dop251/goja"
	"github.com/mattermost/mattermost/server/public/model"
)

// HostError is what a failed binding throws into JS: an Error whose name is "HostError"
// with status_code, id and message. A *model.AppError keeps its own status and id.
type HostError struct {
	StatusCode int
	ID         string
	Message    string
}

func (e *HostError) Error() string { return fmt.Sprintf("%s (%d): %s", e.ID, e.StatusCode, e.Message) }

// badArguments is the error for arguments JS sent in the wrong shape.
func badArguments(format string, args ...any) *HostError {
	return &HostError{StatusCode: http.StatusBadRequest, ID: "cockpit.host.bad_arguments", Message: fmt.Sprintf(format, args...)}
}

// asHostError maps any Go error to the fields JS sees.
func asHostError(err error) *HostError {
	if hostErr, ok := errors.AsType[*HostError](err); ok {
		return hostErr
	}
	if appErr, ok := errors.AsType[*model.AppError](err); ok {
		status := appErr.StatusCode
		if status == 0 {
			status = http.StatusInternalServerError
		}
		return &HostError{StatusCode: status, ID: appErr.Id, Message: appErr.Message}
	}
	return &HostError{StatusCode: http.StatusInternalServerError, ID: "cockpit.host.error", Message: err.Error()}
}

// throwable builds the JS Error object for err; panicking with it throws it in JS.
func throwable(runtime *goja.Runtime, err error) *goja.Object {
	hostErr := asHostError(err)
	object, newErr := runtime.New(runtime.Get("Error"), runtime.ToValue(hostErr.Message))
	if newErr != nil {
		panic(newErr) // only if Error itself was replaced by the bundle; nothing sane to do
	}
	_ = object.Set("name", "HostError")
	_ = object.Set("status_code", hostErr.StatusCode)
	_ = object.Set("id", hostErr.ID)
	_ = object.Set("message", hostErr.Message)
	return object
}

// installGlobals gives a fresh runtime everything the bundle may use from the host: the
// single native entry `__host_call(name, argsJSON)`, `console` and the two pieces of `Intl` the
// message formatter needs (intl.go). Nothing else of Go is
// visible to JS, in particular never p.API by reflection (its (T, *AppError) results would
// arrive as two-element arrays instead of throwing).
func (h *Host) installGlobals(runtime *goja.Runtime) error {
	hostCall := func(call goja.FunctionCall) goja.Value {
		name := call.Argument(0).String()
		argsJSON := call.Argument(1).String()
		// While the binding runs, this engine waits on Mattermost rather than using a CPU:
		// the pool may grow for other callers (see pool.acquire).
		// A lock wait is counted apart: more engines cannot shorten it (see mayGrowLocked).
		lockWait := bindingsByName[name].waitsForLock
		h.pool.inHostCall.Add(1)
		if lockWait {
			h.pool.inLockWait.Add(1)
		}
		result, err := h.invoke(name, argsJSON)
		if lockWait {
			h.pool.inLockWait.Add(-1)
		}
		h.pool.inHostCall.Add(-1)
		if err != nil {
			panic(throwable(runtime, err))
		}
		return runtime.ToValue(result)
	}
	if err := runtime.Set("__host_call", hostCall); err != nil {
		return err
	}
	if err := runtime.Set("console", h.newConsole(runtime)); err != nil {
		return err
	}
	return InstallIntl(runtime)
}

// invoke runs one binding: look it up, call it, JSON-encode the result. A panic in a binding
// becomes an error here, because goja only converts JS values thrown by panic; any other
// panic would unwind through the VM and crash the plugin process.
func (h *Host) invoke(name, argsJSON string) (resultJSON string, err error) {
	binding, ok := bindingsByName[name]
	if !ok {
		return "", &HostError{StatusCode: http.StatusNotFound, ID: "cockpit.host.unknown_binding", Message: "unknown host binding " + name}
	}
	var args []json.RawMessage
	if jsonErr := json.Unmarshal([]byte(argsJSON), &args); jsonErr != nil {
		return "", badArguments("%s: arguments must be a JSON array: %v", name, jsonErr)
	}
	defer func() {
		if r := recover(); r != nil {
			h.api.LogError("Host binding panicked", "binding", name, "panic", fmt.Sprint(r))
			err = &HostError{StatusCode: http.StatusInternalServerError, ID: "cockpit.host.panic", Message: name + " failed"}
		}
	}()
	result, err := binding.call(h, args)
	if err != nil {
		return "", err
	}
	encoded, err := json.Marshal(result)
	if err != nil {
		return "", fmt.Errorf("%s: encode result: %w", name, err)
	}
	return string(encoded), nil
}

// newConsole routes console.* to the server log, so bundle logs land next to the plugin's
// other lines with the plugin id attached by the server.
func (h *Host) newConsole(runtime *goja.Runtime) *goja.Object {
	stringify, _ := goja.AssertFunction(runtime.Get("JSON").ToObject(runtime).Get("stringify"))
	format := func(call goja.FunctionCall) string {
		parts := make([]string, len(call.Arguments))
		for i, arg := range call.Arguments {
			parts[i] = consoleText(arg, stringify)
		}
		return strings.Join(parts, " ")
	}
	console := runtime.NewObject()
	levels := map[string]func(string, ...any){
		"log":   h.api.LogInfo,
		"info":  h.api.LogInfo,
		"warn":  h.api.LogWarn,
		"error": h.api.LogError,
		"debug": h.api.LogDebug,
	}
	for name, logFn := range levels {
		_ = console.Set(name, func(call goja.FunctionCall) goja.Value {
			if message, fields, ok := structuredLog(call.Arguments); ok {
				logFn(message, fields...)
			} else {
				logFn(format(call))
			}
			return goja.Undefined()
		})
	}
	return console
}

// structuredLog recognises console.x(message, {key: primitive, ...}), the shape the bundle's
// logger uses, and turns the fields into the key/value pairs of the server's structured log
// instead of a JSON blob inside the message.
func structuredLog(args []goja.Value) (string, []any, bool) {
	if len(args) != 2 {
		return "", nil, false
	}
	message, isString := args[0].Export().(string)
	fields, isObject := args[1].(*goja.Object)
	if !isString || !isObject || fields.ClassName() != "Object" {
		return "", nil, false
	}
	keys := fields.Keys()
	pairs := make([]any, 0, 2*len(keys))
	for _, key := range keys {
		switch value := fields.Get(key).Export().(type) {
		case string, int64, float64, bool:
			pairs = append(pairs, key, value)
		default:
			return "", nil, false // nested or odd values: log the whole thing as text
		}
	}
	return message, pairs, true
}

// consoleText renders one console argument: strings as they are, errors with their stack,
// other objects as JSON (falling back to String() for cycles and the like).
func consoleText(v goja.Value, stringify goja.Callable) string {
	if goja.IsUndefined(v) {
		return "undefined"
	}
	object, ok := v.(*goja.Object)
	if !ok {
		return v.String()
	}
	if object.ClassName() == "Error" {
		return describeValue(object)
	}
	if _, isFunction := goja.AssertFunction(object); !isFunction {
		if text, err := stringify(goja.Undefined(), object); err == nil && !goja.IsUndefined(text) {
			return text.String()
		}
	}
	return object.String()
}
