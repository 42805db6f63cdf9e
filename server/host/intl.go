package host

import (
	"math"
	"strconv"
	"strings"

	"github.com/dop251/goja"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// goja has no ECMA-402 (`Intl`). The bundle formats the bot's messages with intl-messageformat, the
// library react-intl uses in the webapp, which needs two pieces of it: Intl.PluralRules (plural and
// selectordinal arguments) and Intl.NumberFormat (`#` and number arguments). InstallIntl provides
// exactly those two, answered by golang.org/x/text's CLDR tables, so a German or Polish plural is
// chosen by the same data the browsers use. Nothing else of Intl exists in the engine: the server's
// catalogue test refuses date and time arguments and number skeletons, which this does not format.

// InstallIntl sets the global `Intl` with PluralRules and NumberFormat (exported for server/main_test.go, which
// runs the real bundle's formatter on it).
func InstallIntl(runtime *goja.Runtime) error {
	intl := runtime.NewObject()
	if err := intl.Set("PluralRules", runtime.ToValue(func(call goja.ConstructorCall) *goja.Object {
		return newPluralRules(runtime, call)
	})); err != nil {
		return err
	}
	numberFormat := runtime.ToValue(func(call goja.ConstructorCall) *goja.Object {
		return newNumberFormat(runtime, call)
	}).(*goja.Object)
	if err := numberFormat.Set("supportedLocalesOf", func(call goja.FunctionCall) goja.Value {
		return runtime.ToValue(requestedTags(call.Argument(0)))
	}); err != nil {
		return err
	}
	if err := intl.Set("NumberFormat", numberFormat); err != nil {
		return err
	}
	return runtime.Set("Intl", intl)
}

// requestedTags reads the `locales` argument (a tag, a list of tags or undefined) as canonical BCP 47 tags;
// unparseable entries are dropped, as ECMA-402's CanonicalizeLocaleList would refuse them.
func requestedTags(locales goja.Value) []string {
	var raw []string
	switch exported := exportOrNil(locales).(type) {
	case string:
		raw = []string{exported}
	case []any:
		for _, entry := range exported {
			if text, ok := entry.(string); ok {
				raw = append(raw, text)
			}
		}
	}
	tags := make([]string, 0, len(raw))
	for _, text := range raw {
		if tag, err := language.Parse(text); err == nil {
			tags = append(tags, tag.String())
		}
	}
	return tags
}

func exportOrNil(v goja.Value) any {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	return v.Export()
}

// firstTag is the locale a formatter uses: the first requested one, else English.
func firstTag(locales goja.Value) language.Tag {
	if tags := requestedTags(locales); len(tags) > 0 {
		return language.Make(tags[0])
	}
	return language.English
}

// option reads one string option, with its default.
func option(options goja.Value, name, fallback string) string {
	object, ok := options.(*goja.Object)
	if !ok {
		return fallback
	}
	value := object.Get(name)
	if value == nil || goja.IsUndefined(value) {
		return fallback
	}
	return value.String()
}

// intOption reads one integer option; ok is false when it is absent.
func intOption(options goja.Value, name string) (value int, ok bool) {
	object, isObject := options.(*goja.Object)
	if !isObject {
		return 0, false
	}
	v := object.Get(name)
	if v == nil || goja.IsUndefined(v) {
		return 0, false
	}
	return int(v.ToInteger()), true
}

var pluralForms = map[plural.Form]string{
	plural.Other: "other", plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many",
}

func newPluralRules(runtime *goja.Runtime, call goja.ConstructorCall) *goja.Object {
	tag := firstTag(call.Argument(0))
	kind := option(call.Argument(1), "type", "cardinal")
	rules := plural.Cardinal
	switch kind {
	case "cardinal":
	case "ordinal":
		rules = plural.Ordinal
	default:
		panic(runtime.NewTypeError("Intl.PluralRules: unsupported type " + kind))
	}
	object := call.This
	mustSet(object, "select", func(c goja.FunctionCall) goja.Value {
		return runtime.ToValue(selectPlural(rules, tag, c.Argument(0).ToFloat()))
	})
	mustSet(object, "resolvedOptions", func(goja.FunctionCall) goja.Value {
		return runtime.ToValue(map[string]any{"locale": tag.String(), "type": kind})
	})
	return nil
}

// selectPlural picks the CLDR plural category of n from its operands (i, v, w, f, t of UTS #35), taken
// from n's shortest decimal form, as Intl.PluralRules does with its default digit options.
func selectPlural(rules *plural.Rules, tag language.Tag, n float64) string {
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return "other"
	}
	text := strconv.FormatFloat(math.Abs(n), 'f', -1, 64)
	integer, fraction, _ := strings.Cut(text, ".")
	i, _ := strconv.Atoi(integer)
	f, _ := strconv.Atoi("0" + fraction)
	trimmed := strings.TrimRight(fraction, "0")
	t, _ := strconv.Atoi("0" + trimmed)
	return pluralForms[rules.MatchPlural(tag, i, len(fraction), len(trimmed), f, t)]
}

func newNumberFormat(runtime *goja.Runtime, call goja.ConstructorCall) *goja.Object {
	tag := firstTag(call.Argument(0))
	options := call.Argument(1)
	style := option(options, "style", "decimal")
	if style != "decimal" && style != "percent" {
		panic(runtime.NewTypeError("Intl.NumberFormat: unsupported style " + style))
	}
	var digits []number.Option
	if maximum, ok := intOption(options, "maximumFractionDigits"); ok {
		digits = append(digits, number.MaxFractionDigits(maximum))
	} else if style == "decimal" {
		digits = append(digits, number.MaxFractionDigits(3)) // ECMA-402's default for decimals
	}
	if minimum, ok := intOption(options, "minimumFractionDigits"); ok {
		digits = append(digits, number.MinFractionDigits(minimum))
	}
	printer := message.NewPrinter(tag)
	object := call.This
	mustSet(object, "format", func(c goja.FunctionCall) goja.Value {
		value := c.Argument(0).ToFloat()
		if style == "percent" {
			return runtime.ToValue(printer.Sprint(number.Percent(value, digits...)))
		}
		return runtime.ToValue(printer.Sprint(number.Decimal(value, digits...)))
	})
	mustSet(object, "resolvedOptions", func(goja.FunctionCall) goja.Value {
		return runtime.ToValue(map[string]any{"locale": tag.String(), "style": style})
	})
	return nil
}

// mustSet sets a method on a fresh object, which cannot fail.
func mustSet(object *goja.Object, name string, fn func(goja.FunctionCall) goja.Value) {
	if err := object.Set(name, fn); err != nil {
		panic(err)
	}
}
