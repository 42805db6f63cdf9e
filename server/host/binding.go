package host

import (
	"encoding/json"
	"reflect"
	"sync"

	"github.com/mattermost/mattermost/server/public/model"
)

// Binding is one host function callable from JS. The table lives in bindings.go; the
// helpers below turn a typed Go function into the JSON-array calling convention.
type Binding struct {
	// Name is `namespace.method`, the binding's name in JS and its facade method.
	Name string
	// ReadOnly puts the method in the read-only view GET routes receive.
	ReadOnly bool
	// Signature is the TypeScript function type, emitted as-is into HostBindings.
	Signature string
	// params are the Go types the JSON arguments decode into, checked against Signature by a test.
	params []reflect.Type
	call   func(h *Host, args []json.RawMessage) (any, error)
	// waitsForLock: the call may block waiting for a cluster lock (the pool's growth rule tells it apart).
	waitsForLock bool
}

// waitingForLock marks a binding that waits for a cluster lock.
func waitingForLock(b Binding) Binding {
	b.waitsForLock = true
	return b
}

// access says whether a binding belongs in the read-only view.
type access bool

const (
	// readOnly: it cannot change server or plugin state, and reveals nothing a GET route must not
	// (so not the unsanitized config).
	readOnly access = true
	// full: only in the full API, which POST, PUT and DELETE routes, jobs and hooks get.
	full access = false
)

// bindingsByName indexes the table once; it is read-only afterwards, so it is shared by all
// VMs without locking.
var bindingsByName = func() map[string]Binding {
	byName := make(map[string]Binding, len(bindings))
	for _, b := range bindings {
		if _, duplicate := byName[b.Name]; duplicate {
			panic("duplicate host binding " + b.Name)
		}
		byName[b.Name] = b
	}
	return byName
}()

// newBinding is what every bindN shares: the entry's name, access, signature and parameter types,
// and its call, which decodes the JSON arguments into the typed values fn takes.
func newBinding(
	name string, mode access, signature string, params []reflect.Type, call func(h *Host, args []json.RawMessage) (any, error),
) Binding {
	return Binding{Name: name, ReadOnly: bool(mode), Signature: signature, params: params, call: call}
}

func bind0(name string, mode access, signature string, fn func(h *Host) (any, error)) Binding {
	return newBinding(name, mode, signature, nil, func(h *Host, args []json.RawMessage) (any, error) {
		if err := decodeArgs(name, args); err != nil {
			return nil, err
		}
		return fn(h)
	})
}

func bind1[A any](name string, mode access, signature string, fn func(h *Host, a A) (any, error)) Binding {
	return newBinding(name, mode, signature, []reflect.Type{reflect.TypeFor[A]()}, func(h *Host, args []json.RawMessage) (any, error) {
		var a A
		if err := decodeArgs(name, args, &a); err != nil {
			return nil, err
		}
		return fn(h, a)
	})
}

func bind2[A, B any](name string, mode access, signature string, fn func(h *Host, a A, b B) (any, error)) Binding {
	params := []reflect.Type{reflect.TypeFor[A](), reflect.TypeFor[B]()}
	return newBinding(name, mode, signature, params, func(h *Host, args []json.RawMessage) (any, error) {
		var a A
		var b B
		if err := decodeArgs(name, args, &a, &b); err != nil {
			return nil, err
		}
		return fn(h, a, b)
	})
}

func bind3[A, B, C any](name string, mode access, signature string, fn func(h *Host, a A, b B, c C) (any, error)) Binding {
	params := []reflect.Type{reflect.TypeFor[A](), reflect.TypeFor[B](), reflect.TypeFor[C]()}
	return newBinding(name, mode, signature, params, func(h *Host, args []json.RawMessage) (any, error) {
		var a A
		var b B
		var c C
		if err := decodeArgs(name, args, &a, &b, &c); err != nil {
			return nil, err
		}
		return fn(h, a, b, c)
	})
}

// decodeArgs unmarshals the JSON arguments into targets, position by position. The count
// must match exactly (the TS signatures have no optional parameters), and a struct-pointer
// argument (a post, a config) must not be null.
func decodeArgs(name string, args []json.RawMessage, targets ...any) error {
	if len(args) != len(targets) {
		return badArguments("%s expects %d argument(s), got %d", name, len(targets), len(args))
	}
	for i, target := range targets {
		if err := json.Unmarshal(args[i], target); err != nil {
			return badArguments("%s: argument %d: %v", name, i+1, err)
		}
		if v := reflect.ValueOf(target).Elem(); v.Kind() == reflect.Pointer && v.Type().Elem().Kind() == reflect.Struct && v.IsNil() {
			return badArguments("%s: argument %d must be an object", name, i+1)
		}
	}
	return nil
}

// result adapts the common (T, *model.AppError) API shape. It must take the concrete pointer
// type: a nil *AppError stored in an `error` interface is not a nil error.
func result[T any](value T, appErr *model.AppError) (any, error) {
	if appErr != nil {
		return nil, appErr
	}
	return value, nil
}

// done adapts API calls that only return a *model.AppError; JS receives null.
func done(appErr *model.AppError) (any, error) {
	if appErr != nil {
		return nil, appErr
	}
	return nil, nil
}

// list is result for slices, answering [] instead of null so TS can iterate without checks.
func list[T any](values []T, appErr *model.AppError) (any, error) {
	if appErr != nil {
		return nil, appErr
	}
	if values == nil {
		values = []T{}
	}
	return values, nil
}

// user is result for a single user, with the secrets removed.
func user(u *model.User, appErr *model.AppError) (any, error) {
	if appErr != nil {
		return nil, appErr
	}
	return withoutSecrets(u), nil
}

// withoutSecrets copies a user without password hash and MFA data: the bundle never needs
// them, and anything in JS may end up in a log line or an HTTP answer.
func withoutSecrets(u *model.User) *model.User {
	if u == nil {
		return nil
	}
	clean := *u
	clean.Password = ""
	clean.MfaSecret = ""
	clean.MfaUsedTimestamps = nil
	return &clean
}

func bytesOrNil(s *string) []byte {
	if s == nil {
		return nil
	}
	return []byte(*s)
}

// permissionsByID indexes model.AllPermissions (filled by the model package's init).
var permissionsByID = sync.OnceValue(func() map[string]*model.Permission {
	byID := make(map[string]*model.Permission, len(model.AllPermissions))
	for _, p := range model.AllPermissions {
		byID[p.Id] = p
	}
	return byID
})

func permissionByID(id string) (*model.Permission, error) {
	if p, ok := permissionsByID()[id]; ok {
		return p, nil
	}
	return nil, badArguments("unknown permission %q", id)
}
