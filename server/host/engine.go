package host

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// maxCallStackDepth turns runaway recursion into a catchable StackOverflowError instead of
// letting one VM eat the plugin process's memory (goja's default is math.MaxInt32 frames).
const maxCallStackDepth = 4096

// ErrTimeout is wrapped by every error of a call that ran past its time limit.
var ErrTimeout = errors.New("script call exceeded its time limit")

// ErrPendingPromise is wrapped when a handler returns a promise that is still pending when
// the call returns. Host calls are synchronous, so such a promise waits on something that
// can never resolve (a timer, an unawaited external event): it is a bug in the bundle.
var ErrPendingPromise = errors.New("handler returned a pending promise")

// ScriptError is a failure inside the bundle: an uncaught exception or a rejected promise.
// Stack holds the JS stack (source-mapped when the bundle carries an inline map); it is for
// logs only and must never reach an HTTP client.
type ScriptError struct {
	Hook  string
	Stack string
}

func (e *ScriptError) Error() string {
	return fmt.Sprintf("hook %s failed: %s", e.Hook, e.Stack)
}

// engine is one goja runtime with the bundle loaded. A runtime is not goroutine-safe, so an
// engine is used by one call at a time; the pool guarantees that.
type engine struct {
	id       int64
	runtime  *goja.Runtime
	plugin   *goja.Object  // the bundle's `__plugin`, the `this` of dispatch
	dispatch goja.Callable // `__plugin.dispatch(hook, argJSON)`
	lastUsed time.Time     // when it last served a call that countsAsUse (for releasing idle engines)

	// unhandled collects promises rejected without a handler during the current call; they
	// are logged when the call ends (the moment JS can no longer attach a handler to them).
	unhandled []*goja.Promise
}

// newEngine creates a runtime, installs the host globals, and runs the compiled bundle in it.
func newEngine(id int64, program *goja.Program, install func(*goja.Runtime) error) (*engine, error) {
	runtime := goja.New()
	runtime.SetMaxCallStackSize(maxCallStackDepth)
	e := &engine{id: id, runtime: runtime}
	runtime.SetPromiseRejectionTracker(e.trackRejection)

	if err := install(runtime); err != nil {
		return nil, fmt.Errorf("install host globals: %w", err)
	}
	if _, err := runtime.RunProgram(program); err != nil {
		return nil, fmt.Errorf("load bundle: %w", describeError("load", err))
	}

	pluginObject, ok := runtime.Get("__plugin").(*goja.Object)
	if !ok {
		return nil, errors.New("load bundle: the bundle does not define a global `__plugin` object")
	}
	dispatch, ok := goja.AssertFunction(pluginObject.Get("dispatch"))
	if !ok {
		return nil, errors.New("load bundle: `__plugin.dispatch` is not a function")
	}
	e.plugin = pluginObject
	e.dispatch = dispatch
	return e, nil
}

func (e *engine) trackRejection(p *goja.Promise, op goja.PromiseRejectionOperation) {
	switch op {
	case goja.PromiseRejectionReject:
		e.unhandled = append(e.unhandled, p)
	case goja.PromiseRejectionHandle:
		for i, q := range e.unhandled {
			if q == p {
				e.unhandled = append(e.unhandled[:i], e.unhandled[i+1:]...)
				break
			}
		}
	}
}

// callOutcome says whether the engine may serve another call after this one.
type callOutcome int

const (
	engineReusable callOutcome = iota
	// engineSpoiled: interrupted or left with work it can never finish; its globals may be
	// half-mutated, so it is thrown away rather than cleaned up.
	engineSpoiled
)

// call runs `__plugin.dispatch(hook, argJSON)` under a deadline and returns the JSON text the
// bundle answered. rejectionLog receives unhandled rejections left over by the call.
func (e *engine) call(
	hook, argJSON string,
	timeout time.Duration,
	rejectionLog func(hook, reason string),
) (result string, outcome callOutcome, err error) {
	// A Go panic from a native function other than a binding (those recover on their own)
	// would unwind through goja and kill the plugin process; make it this call's error.
	defer func() {
		if r := recover(); r != nil {
			result, outcome, err = "", engineSpoiled, fmt.Errorf("hook %s: host panic: %v", hook, r)
		}
	}()
	e.unhandled = e.unhandled[:0]
	// Interrupt is the one goja method safe to call from another goroutine. It cannot stop a
	// native Go function (a host binding blocked in an RPC), only JS code.
	timer := time.AfterFunc(timeout, func() { e.runtime.Interrupt(ErrTimeout) })
	value, err := e.dispatch(e.plugin, e.runtime.ToValue(hook), e.runtime.ToValue(argJSON))
	// If the timer already fired, the interrupt flag may still be set even when the call
	// finished first; a later call would then be interrupted at once. Never reuse such a VM.
	fired := !timer.Stop()

	outcome = engineReusable
	if fired {
		outcome = engineSpoiled
	}
	if err != nil {
		if _, ok := errors.AsType[*goja.InterruptedError](err); ok {
			return "", engineSpoiled, fmt.Errorf("hook %s: %w", hook, ErrTimeout)
		}
		if overflow, ok := errors.AsType[*goja.StackOverflowError](err); ok {
			// Uncatchable in JS: no finally block ran, so the VM's state is suspect.
			stack := "RangeError: maximum call stack size exceeded\n" + strings.TrimSpace(overflow.String())
			return "", engineSpoiled, &ScriptError{Hook: hook, Stack: stack}
		}
		return "", outcome, describeError(hook, err)
	}

	var returned *goja.Promise
	if promise, ok := value.Export().(*goja.Promise); ok {
		returned = promise
		switch promise.State() {
		case goja.PromiseStateFulfilled:
			value = promise.Result()
		case goja.PromiseStateRejected:
			err = &ScriptError{Hook: hook, Stack: describeValue(promise.Result())}
		default:
			// The job queue is drained when the outermost call returns, so a promise still
			// pending now waits on something outside JS; its continuation would run in a
			// later, unrelated call. Drop the VM with it.
			return "", engineSpoiled, fmt.Errorf("hook %s: %w", hook, ErrPendingPromise)
		}
	}
	e.logUnhandled(hook, returned, rejectionLog)
	if err != nil {
		return "", outcome, err
	}

	if goja.IsUndefined(value) || goja.IsNull(value) {
		return "null", outcome, nil
	}
	text, ok := value.Export().(string)
	if !ok {
		return "", outcome, fmt.Errorf("hook %s: dispatch must return a JSON string, got %s", hook, value.ExportType())
	}
	return text, outcome, nil
}

func (e *engine) logUnhandled(hook string, surfaced *goja.Promise, log func(hook, reason string)) {
	for _, p := range e.unhandled {
		if p != surfaced && p.State() == goja.PromiseStateRejected {
			log(hook, describeValue(p.Result()))
		}
	}
	e.unhandled = e.unhandled[:0]
}

// describeError turns a goja error into a Go error carrying the JS stack.
func describeError(hook string, err error) error {
	if exception, ok := errors.AsType[*goja.Exception](err); ok {
		// String() is the thrown value followed by the full JS stack.
		return &ScriptError{Hook: hook, Stack: strings.TrimSpace(exception.String())}
	}
	return fmt.Errorf("hook %s: %w", hook, err)
}

// describeValue renders a thrown or rejected value for logs: the stack of an Error, the
// text of anything else.
func describeValue(v goja.Value) string {
	if v == nil || goja.IsUndefined(v) {
		return "undefined"
	}
	if object, ok := v.(*goja.Object); ok {
		if stack := object.Get("stack"); stack != nil && !goja.IsUndefined(stack) && !goja.IsNull(stack) {
			return strings.TrimSpace(stack.String())
		}
	}
	return v.String()
}
