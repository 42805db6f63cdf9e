package host

import (
	"testing"

	"github.com/dop251/goja"
	"github.com/stretchr/testify/require"
)

// The engine's Intl answers as ECMA-402 does with CLDR's data: the plural categories of languages
// with one, two, three and four forms, ordinals, and decimal and percent numbers in each locale.
func TestIntlPluralRulesFollowCLDR(t *testing.T) {
	runtime := goja.New()
	require.NoError(t, InstallIntl(runtime))
	cases := []struct {
		script, want string
	}{
		{`new Intl.PluralRules('en').select(1)`, "one"},
		{`new Intl.PluralRules('en').select(0)`, "other"},
		{`new Intl.PluralRules('en').select(1.5)`, "other"},
		{`new Intl.PluralRules('de').select(1)`, "one"},
		{`new Intl.PluralRules('fr').select(0)`, "one"},
		{`new Intl.PluralRules('fr').select(2)`, "other"},
		{`new Intl.PluralRules('ja').select(1)`, "other"},
		{`new Intl.PluralRules('zh-CN').select(1)`, "other"},
		{`new Intl.PluralRules('pl').select(1)`, "one"},
		{`new Intl.PluralRules('pl').select(3)`, "few"},
		{`new Intl.PluralRules('pl').select(5)`, "many"},
		{`new Intl.PluralRules('pl').select(22)`, "few"},
		{`new Intl.PluralRules('pl').select(1.5)`, "other"},
		{`new Intl.PluralRules('ru').select(21)`, "one"},
		{`new Intl.PluralRules('ru').select(11)`, "many"},
		{`new Intl.PluralRules(['pt-BR']).select(0)`, "one"},
		{`new Intl.PluralRules('en', {type: 'ordinal'}).select(2)`, "two"},
		{`new Intl.PluralRules('en', {type: 'ordinal'}).select(23)`, "few"},
		{`new Intl.PluralRules(undefined).resolvedOptions().locale`, "en"},
	}
	for _, c := range cases {
		value, err := runtime.RunString(c.script)
		require.NoError(t, err, c.script)
		require.Equal(t, c.want, value.String(), c.script)
	}
}

func TestIntlNumberFormatUsesTheLocalesSymbols(t *testing.T) {
	runtime := goja.New()
	require.NoError(t, InstallIntl(runtime))
	cases := []struct {
		script, want string
	}{
		{`new Intl.NumberFormat('en').format(1234567.891)`, "1,234,567.891"},
		{`new Intl.NumberFormat('de').format(1234567.891)`, "1.234.567,891"},
		{`new Intl.NumberFormat('fr').format(1234.5)`, "1\u00a0234,5"},
		{`new Intl.NumberFormat('ja').format(1234)`, "1,234"},
		{`new Intl.NumberFormat('en').format(2.00001)`, "2"},
		{`new Intl.NumberFormat('en', {maximumFractionDigits: 0}).format(2.6)`, "3"},
		{`new Intl.NumberFormat('de', {style: 'percent'}).format(0.25)`, "25\u00a0%"},
		{`Intl.NumberFormat.supportedLocalesOf(['de', 'not a locale!', 'pt-BR']).join(',')`, "de,pt-BR"},
	}
	for _, c := range cases {
		value, err := runtime.RunString(c.script)
		require.NoError(t, err, c.script)
		require.Equal(t, c.want, value.String(), c.script)
	}

	// What it does not format is refused, never guessed.
	_, err := runtime.RunString(`new Intl.NumberFormat('en', {style: 'currency', currency: 'EUR'})`)
	require.ErrorContains(t, err, "unsupported style currency")
	_, err = runtime.RunString(`new Intl.PluralRules('en', {type: 'fancy'})`)
	require.ErrorContains(t, err, "unsupported type fancy")
	value, err := runtime.RunString(`typeof Intl.DateTimeFormat`)
	require.NoError(t, err)
	require.Equal(t, "undefined", value.String())
}

// Every engine of the pool has it.
func TestEveryEngineHasIntl(t *testing.T) {
	p := activate(t, newAPI(1, 2), bundleWith(`plural: function (n) { return new Intl.PluralRules('pl').select(n); }`))
	out, err := call(p, "plural", "5")
	require.NoError(t, err)
	require.Equal(t, `"many"`, out)
}
